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
        let vars = call.head.isEmpty ? s.frame.columns.map(\.name) : try s.varlist(call.head)
        for v in vars where s.frame.column(v)!.isString { throw StataError(109, "\(v) is a string variable; type mismatch") }
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
        post(vars, pairs, s)
        let star = try o.number("star"), print = try o.number("print")
        PwcorrTable(vars: vars, pairs: pairs, sig: o.has("sig"), obs: o.has("obs"), star: star, print: print).show(s)
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

    /// r(N), r(rho) (first two variables), r(C), r(sig), r(Nobs).
    static func post(_ vars: [String], _ pairs: [Pair], _ s: Session) {
        let k = vars.count
        var r = StoredResults()
        if k >= 2 { r.set("N", pairs[k].n); r.set("rho", pairs[k].rho) } else if k == 1 { r.set("N", pairs[0].n) }
        func matrix(_ f: (Pair) -> Double) -> NamedMatrix {
            var m = NamedMatrix(rows: k, cols: k, rowNames: vars, colNames: vars)
            for a in 0..<k { for b in 0..<k { m[a, b] = f(pairs[a * k + b]) } }
            return m
        }
        r.set("C", matrix(\.rho))
        r.set("sig", matrix { $0.p })
        r.set("Nobs", matrix(\.n))
        s.rResults = r
    }
}

/// pwcorr's lower-triangular table: coefficients in `%9.4f` with a star when significant, and
/// optionally the p-value and the number of observations under each.
struct PwcorrTable {
    var vars: [String]
    var pairs: [Pwcorr.Pair]
    var sig: Bool
    var obs: Bool
    var star: Double?
    var print: Double?

    func show(_ s: Session) {
        let k = vars.count
        var start = 0
        // Blocks of at most 6 columns, as Stata wraps wide matrices.
        while start < k {
            let end = min(k, start + 6)
            s.line()
            s.line(OutText.spaces(13) + "|" + (start..<end).map { OutText.right(OutText.abbrev(vars[$0], 8), 9) + " " }.joined())
            s.line(OutText.dashes(13) + "+" + OutText.dashes(10 * (end - start)))
            for a in start..<k {
                let cols = start..<min(end, a + 1)
                func line(_ stub: String, _ text: (Pwcorr.Pair, Bool) -> String) -> String {
                    OutText.right(stub, 12) + " |" + cols.map { text(pairs[a * k + $0], $0 == a) }.joined()
                }
                s.line(line(OutText.abbrev(vars[a], 12)) { p, diagonal in
                    let shown = print.map { Missing.isMissing(p.p) || p.p <= $0 } ?? true
                    guard shown else { return OutText.spaces(10) }
                    let mark = !diagonal && (star.map { !Missing.isMissing(p.p) && p.p <= $0 } ?? false)
                    return OutText.right(OutText.num(p.rho, "%9.4f"), 9) + (mark ? "*" : " ")
                })
                if sig {
                    // The diagonal has no test.
                    s.line(line("") { p, diagonal in diagonal ? OutText.spaces(10) : OutText.right(OutText.num(p.p, "%9.4f"), 9) + " " })
                }
                if obs { s.line(line("") { p, _ in OutText.right(OutText.num(p.n, "%9.0g"), 9) + " " }) }
                if sig || obs { s.line(OutText.spaces(13) + "|") }
            }
            start = end
        }
    }
}
