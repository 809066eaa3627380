// pwcorr [varlist] [if] [in] [weight] [, obs sig star(#) print(#) listwise casewise]
//
// Pairwise correlations: each pair uses every observation where both variables are
// non-missing (within if/in), unlike correlate's listwise sample. r is computed from centred
// cross-products (two passes); its significance is p = min(1, 2 ttail(n − 2, |r| √(n−2) / √(1−r²))),
// which is the exact test of ρ = 0 under normality (the same number scipy's pearsonr gives).
// Stored: r(N) and r(rho) for the first two variables, r(C) (correlations), r(sig) (p-values)
// and r(Nobs) (observations per pair).

import DidFrame
import DidStats
import Foundation

/// The pwcorr command.
enum Pwcorr {
    static let specs = [OptionSpec("obs"), OptionSpec("sig"), OptionSpec("star", .required), OptionSpec("print", min: 2, .required),
                        OptionSpec("listwise", min: 1), OptionSpec("casewise", min: 1), OptionSpec("bonferroni", min: 1),
                        OptionSpec("sidak")]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("pwcorr", by: .repeatPerGroup, options: specs) { call, s in try run(call, s) })
    }

    /// Correlation, p-value and observations of one pair.
    struct Pair { var rho: Double; var p: Double; var n: Double }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        var vars = call.head.isEmpty ? s.frame.columns.map(\.name) : try s.varlist(call.head)
        // String variables are skipped with a note, not an error.
        for v in vars where s.frame.column(v)!.isString { s.line("(\(v) ignored because string variable)") }
        vars = vars.filter { !s.frame.column($0)!.isString }
        guard vars.count >= 2 else { throw StataError(102, "too few variables specified") }
        if o.has("bonferroni") && o.has("sidak") { throw StataError(198, "options bonferroni and sidak may not be combined") }
        let weight = try WeightSpec.parse(call, s, allowed: [.aweight, .fweight], defaultKind: .aweight, command: "pwcorr")
        var rows = try s.sampleRows(call)
        if let w = weight { rows = try w.filter(rows) }
        let x = vars.map { s.frame.column($0)!.nums }
        if o.has("listwise") || o.has("casewise") {
            rows = rows.filter { r in x.allSatisfy { !Missing.isMissing($0[r]) } }
        }
        let k = vars.count
        var pairs = [Pair](repeating: Pair(rho: Missing.dot, p: Missing.dot, n: 0), count: k * k)
        for a in 0..<k {
            for b in 0...a {
                let pr = pair(x[a], x[b], rows, weight)
                pairs[a * k + b] = pr; pairs[b * k + a] = pr
            }
        }
        // Bonferroni / Šidák adjust the p-values for the k(k−1)/2 tests.
        let m = Double(k * (k - 1) / 2)
        if (o.has("bonferroni") || o.has("sidak")) && m > 1 {
            for i in pairs.indices where !Missing.isMissing(pairs[i].p) {
                let p = pairs[i].p
                pairs[i].p = o.has("bonferroni") ? min(1, p * m) : min(1, 1 - Foundation.pow(1 - p, m))
            }
        }
        if k == 2 && pairs[1].n == 0 { throw StataError.noObservations() }
        post(vars, pairs, sig: o.has("sig"), s)
        let star = try level(o, "star"), print = try level(o, "print")
        PwcorrTable(vars: vars, pairs: pairs, sig: o.has("sig"), obs: o.has("obs"), star: star, print: print).show(s)
    }

    /// star() and print(): a level ≥ 1 is a percentage (star(5) is star(.05)); r(198) beyond 100.
    static func level(_ o: Options, _ name: String) throws -> Double? {
        guard var x = try o.number(name) else { return nil }
        if x >= 1 { x /= 100 }
        guard x < 1 else { throw StataError(198, "\(name)() out of range") }
        return x
    }

    /// Correlation of two variables over the rows where both are non-missing.
    static func pair(_ u: [Double], _ v: [Double], _ rows: [Int], _ weight: WeightSpec?) -> Pair {
        var idx: [Int] = []
        for r in rows where !Missing.isMissing(u[r]) && !Missing.isMissing(v[r]) { idx.append(r) }
        let w = idx.map { weight?.values[$0] ?? 1 }
        let sw = w.reduce(0, +)
        let nObs = weight?.kind == .fweight ? sw : Double(idx.count)
        guard idx.count >= 2, sw > 0 else { return Pair(rho: Missing.dot, p: Missing.dot, n: nObs) }
        var mu = 0.0, mv = 0.0
        for (q, r) in idx.enumerated() { mu += w[q] * u[r]; mv += w[q] * v[r] }
        mu /= sw; mv /= sw
        var suu = 0.0, svv = 0.0, suv = 0.0
        for (q, r) in idx.enumerated() {
            let du = u[r] - mu, dv = v[r] - mv
            suu += w[q] * du * du; svv += w[q] * dv * dv; suv += w[q] * du * dv
        }
        guard suu > 0, svv > 0 else { return Pair(rho: Missing.dot, p: Missing.dot, n: nObs) }
        let rho = max(-1, min(1, suv / (suu * svv).squareRoot()))
        let df = nObs - 2
        var p = Missing.dot
        if df > 0 {
            p = abs(rho) == 1 ? 0 : min(1, 2 * Distributions.ttail(df, abs(rho) * df.squareRoot() / (1 - rho * rho).squareRoot()))
        }
        return Pair(rho: rho, p: p, n: nObs)
    }

    /// r(N), r(rho) (first two variables), r(C), r(sig) (with `sig`), r(Nobs).
    static func post(_ vars: [String], _ pairs: [Pair], sig: Bool, _ s: Session) {
        let k = vars.count
        var r = StoredResults()
        if k >= 2 { r.set("N", pairs[k].n); r.set("rho", pairs[k].rho) } else if k == 1 { r.set("N", pairs[0].n) }
        func matrix(_ f: (Pair) -> Double) -> NamedMatrix {
            var m = NamedMatrix(rows: k, cols: k, rowNames: vars, colNames: vars)
            for a in 0..<k { for b in 0..<k { m[a, b] = f(pairs[a * k + b]) } }
            return m
        }
        r.set("C", matrix(\.rho))
        if sig { r.set("sig", matrix { $0.p }) }
        r.set("Nobs", matrix(\.n))
        s.rResults = r
    }
}

/// pwcorr's lower-triangular table in blocks of 7 columns: 9-column cells holding " %7.4f"
/// and a star when significant (never on the diagonal), then optionally the p-values (below
/// the diagonal only) and the observations, each variable's rows followed by an empty line.
struct PwcorrTable {
    var vars: [String]
    var pairs: [Pwcorr.Pair]
    var sig: Bool
    var obs: Bool
    var star: Double?
    var print: Double?

    func show(_ s: Session) {
        let k = vars.count
        let stub = OutText.spaces(13) + "|"
        func f(_ x: Double, _ fmt: String) -> String { OutText.num(x, fmt, width: 7) }
        var start = 0
        while start < k {
            let end = min(k, start + 7)
            s.line()
            s.line(stub + (start..<end).map { OutText.right(OutText.abbrev(vars[$0], 8), 9) }.joined())
            s.line(OutText.dashes(13) + "+" + OutText.dashes(9 * (end - start)))
            for a in start..<k {
                let cols = start..<min(end, a + 1)
                // print(): coefficients above the level are left blank (the diagonal always shows).
                func shown(_ b: Int) -> Bool {
                    let p = pairs[a * k + b].p
                    return print.map { b == a || (!Missing.isMissing(p) && p <= $0) } ?? true
                }
                s.line(OutText.right(OutText.abbrev(vars[a], 12), 12) + " | " + cols.map { b -> String in
                    let pr = pairs[a * k + b]
                    guard shown(b) else { return OutText.spaces(9) }
                    let mark = b != a && star.map { !Missing.isMissing(pr.p) && pr.p <= $0 } == true
                    return " " + f(pr.rho, "%7.4f") + (mark ? "*" : " ")
                }.joined())
                if sig {
                    s.line(stub + cols.filter { $0 < a }.map { shown($0) ? "  " + f(pairs[a * k + $0].p, "%7.4f") : OutText.spaces(9) }.joined())
                }
                if obs { s.line(stub + cols.map { shown($0) ? "  " + f(pairs[a * k + $0].n, "%7.0g") : OutText.spaces(9) }.joined()) }
                if sig || obs { s.line(stub) }
            }
            start = end
        }
    }
}
