// correlate varlist [if] [in] [weight] [, covariance]: listwise-complete observations, the lower
// triangle as Stata shows it, r(N), r(rho) (first two variables) and r(C).
// Means first, then centred cross-products (two passes, so large means do not cancel digits).

import DidFrame
import Foundation

/// The correlate command.
enum ManageCorrelate {
    static let specs = [OptionSpec("covariance", min: 3), OptionSpec("means"), OptionSpec("noformat", min: 5), OptionSpec("wrap", min: 1)]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("correlate", minAbbreviation: 3, by: .repeatPerGroup, options: specs) { call, s in try run(call, s) })
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        let vars = try s.varlist(call.head.isEmpty ? "_all" : call.head)
        for v in vars where s.frame.column(v)!.isString { throw StataError(109, "\(v) is a string variable; type mismatch") }
        let mask = try s.markSample(call, variables: vars)
        var rows = (0..<mask.count).filter { mask[$0] }
        var w = [Double](repeating: 1, count: rows.count)
        var aweight = false
        if let wt = call.weight {
            guard case .numbers(let wv) = try Evaluator.evaluate(try ExprParser.parse(wt.exp), in: s, rows: s.rowSet(rows)) else {
                throw StataError.typeMismatch()
            }
            aweight = !wt.kind.hasPrefix("f")
            let keep = rows.indices.filter { !Missing.isMissing(wv[$0]) && wv[$0] > 0 }
            rows = keep.map { rows[$0] }; w = keep.map { wv[$0] }
        }
        guard !rows.isEmpty else { throw StataError.noObservations() }
        let k = vars.count
        let x = vars.map { v in s.frame.column(v)!.nums }
        let sw = w.reduce(0, +)
        let means = (0..<k).map { j in zip(rows, w).reduce(0.0) { $0 + $1.1 * x[j][$1.0] } / sw }
        var cov = [Double](repeating: 0, count: k * k)
        for a in 0..<k {
            for b in 0...a {
                var acc = 0.0
                for (p, r) in rows.enumerated() { acc += w[p] * (x[a][r] - means[a]) * (x[b][r] - means[b]) }
                let n = Double(rows.count)
                let denom = aweight ? (sw * (n - 1) / n) : (sw - 1)
                cov[a * k + b] = acc / denom; cov[b * k + a] = acc / denom
            }
        }
        var out = cov
        if !o.has("covariance") {
            for a in 0..<k { for b in 0..<k { out[a * k + b] = cov[a * k + b] / (cov[a * k + a] * cov[b * k + b]).squareRoot() } }
        }
        let nObs = call.weight.map { $0.kind.hasPrefix("f") } == true ? Int(sw) : rows.count
        s.line("(obs=\(DataCommands.fmtInt(nObs)))")
        s.line()
        try table(vars, out, cov: o.has("covariance"), s)
        s.rResults = StoredResults()
        s.rResults.set("N", Double(nObs))
        if k >= 2 {
            s.rResults.set("rho", out[1 * k + 0])
            if o.has("covariance") { s.rResults.set("cov_12", cov[k]); s.rResults.set("Var_1", cov[0]); s.rResults.set("Var_2", cov[k + 1]) }
        }
        var m = NamedMatrix(rows: k, cols: k, rowNames: vars, colNames: vars)
        for a in 0..<k { for b in 0..<k { m[a, b] = out[a * k + b] } }
        s.rResults.set("C", m)
    }

    /// Lower-triangular table: names right-aligned in 12 columns, values `%8.4f` (or `%9.0g`).
    static func table(_ vars: [String], _ v: [Double], cov: Bool, _ s: Session) throws {
        let k = vars.count
        func abbrev(_ n: String, _ w: Int) -> String { n.count <= w ? n : String(n.prefix(w - 2)) + "~" + String(n.suffix(1)) }
        func pad(_ t: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - t.count)) + t }
        // Blocks of at most 6 columns, as Stata wraps wide matrices.
        var start = 0
        while start < k {
            let end = min(k, start + 6)
            if start > 0 { s.line() }
            s.line(String(repeating: " ", count: 13) + "|" + (start..<end).map { pad(abbrev(vars[$0], 8), 9) }.joined())
            s.line(String(repeating: "-", count: 13) + "+" + String(repeating: "-", count: 9 * (end - start)))
            for a in start..<k {
                var line = pad(abbrev(vars[a], 12), 12) + " |"
                for b in start..<min(end, a + 1) {
                    let text = cov ? try Fmt.format(v[a * k + b], "%9.0g") : try Fmt.format(v[a * k + b], "%8.4f")
                    line += " " + pad(text.trimmingCharacters(in: .whitespaces), 8)
                }
                s.line(line)
            }
            start = end
        }
    }
}
