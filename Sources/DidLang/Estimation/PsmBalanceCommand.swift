// pstest [varlist] [if] [in] [, treated() mweight() support() both raw atu]: covariate balance
// (DidStats.BalanceTest) printed as pstest 4.2.2 prints it, with its r() scalars. Defaults come
// from psmatch2's variables (`_treated`, `_weight`, `_support`) and, for the varlist, from the
// covariates of the last psmatch2 call in this session.

import DidFrame
import DidStats
import Foundation

enum PsmBalanceCommand {
    static let options: [OptionSpec] = [
        OptionSpec("treated", min: 1, .required), OptionSpec("mweight", min: 1, .required),
        OptionSpec("support", min: 1, .required), OptionSpec("both"), OptionSpec("raw"), OptionSpec("atu"),
        OptionSpec("summary", min: 3), OptionSpec("quietly", min: 3), OptionSpec("notable", min: 3),
        OptionSpec("label", min: 3), OptionSpec("onlysig", min: 4),
    ]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("pstest", options: options) { call, s in try run(call, s) })
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: options)
        if o.has("both") && o.has("raw") { throw StataError(198, "both and raw may not be combined") }
        var covariates = try s.varlist(call.head, allowEmpty: true)
        if covariates.isEmpty { covariates = PsmCommand.lastCovariates[ObjectIdentifier(s)] ?? [] }
        guard !covariates.isEmpty else { throw StataError(100, "varlist required (no psmatch2 covariates to default to)") }
        func column(_ option: String, _ fallback: String) throws -> [Double] {
            let name = o.string(option)?.trimmingCharacters(in: .whitespaces) ?? fallback
            guard let i = s.frame.index(of: name) ?? (try? s.resolveVariable(name)) else {
                throw StataError(111, "variable \(name) not found (run psmatch2 first or give \(option)())")
            }
            guard !s.frame.columns[i].isString else { throw StataError.typeMismatch() }
            return s.frame.columns[i].nums
        }
        let treated = try column("treated", "_treated")
        let raw = o.has("raw")
        var spec = BalanceSpec(treated: treated, covariates: try covariates.map { v in
            guard let c = s.frame.column(v), !c.isString else { throw StataError.typeMismatch() }
            return (v, c.nums)
        })
        if !raw {
            spec.weight = try column("mweight", "_weight")
            spec.support = try column("support", "_support")
        }
        spec.touse = try s.markSample(call, variables: [])
        spec.atu = o.has("atu")
        let result = try BalanceTest.compute(spec)
        let rows: [Character] = o.has("both") ? ["U", "M"] : (raw ? ["U"] : ["M"])
        // `label` shows variable labels (pstest: only without factor variables).
        let labels = covariates.map { v in o.has("label") ? (s.frame.column(v)?.label).flatMap { $0.isEmpty ? nil : $0 } ?? v : v }
        let layout = PstestLayout(result: result, labels: labels, onlySignificant: o.has("onlysig"))
        if !o.has("quietly") {
            if o.has("both") {
                if !o.has("summary") && !o.has("notable") { layout.bothTable(s) }
                layout.bothSummary(s)
            } else {
                if !o.has("summary") && !o.has("notable") { layout.singleTable(unmatched: raw, s) }
                layout.singleSummary(unmatched: raw, s)
            }
        }
        var r = StoredResults()
        if o.has("both") {
            for (name, value) in result.returnScalars { r.set(name, value) }
        } else {
            // breduc1's names: one sample, no bef/aft suffix.
            let m = raw ? result.unmatched : result.matched
            for (name, value) in [("r2", m.pseudoR2), ("chiprob", m.pChi2), ("meanbias", m.meanBias),
                                  ("medbias", m.medianBias), ("B", m.B), ("R", m.R)] { r.set(name, value) }
        }
        r.set("exog", covariates.joined(separator: " "))
        r.set("balance", balanceMatrix(result, rows: rows))
        s.rResults = r
    }

    /// r(balance): the table's numbers, one row per covariate and sample (`x:U`, `x:M`), for
    /// export through the table machinery (`matrix B = r(balance)`, `esttab matrix(B) using …`).
    /// Columns: treated mean, control mean, %bias, %reduct |bias|, t, p>|t|, V(T)/V(C).
    static func balanceMatrix(_ result: BalanceResult, rows: [Character]) -> NamedMatrix {
        var names: [String] = [], values: [[Double]] = []
        for v in result.variables {
            for sample in rows {
                let u = sample == "U"
                names.append("\(v.name):\(sample)")
                values.append(u ? [v.meanTreatedU, v.meanControlU, v.biasU, Missing.dot, v.tU, v.pU, v.continuous ? v.varRatioU : Missing.dot]
                                : [v.meanTreatedM, v.meanControlM, v.biasM, rows.count == 2 ? v.reduction : Missing.dot,
                                   v.tM, v.pM, v.continuous ? v.varRatioM : Missing.dot])
            }
        }
        let cols = ["Treated", "Control", "%bias", "%reduct", "t", "p>|t|", "V(T)/V(C)"]
        var m = NamedMatrix(rows: names.count, cols: cols.count, rowNames: names, colNames: cols)
        for (i, row) in values.enumerated() { for (j, x) in row.enumerated() { m[i, j] = x } }
        return m
    }
}
