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
        OptionSpec("summary", min: 3), OptionSpec("quietly", min: 3),
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
        if !o.has("quietly") {
            if !o.has("summary") { variableTable(result, rows: rows, both: o.has("both"), s) }
            summaryTable(result, rows: rows, s)
        }
        var r = StoredResults()
        for (name, value) in result.returnScalars { r.set(name, value) }
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

    static func f(_ x: Double, _ fmt: String) -> String { EstimationTable.g(x, fmt) }
    static func pad(_ s: String, _ w: Int) -> String { EstimationTable.pad(s, w) }

    /// Per covariate: Mean Treated/Control, %bias, (%reduct |bias| with `both`), t-test, V(T)/V(C).
    static func variableTable(_ r: BalanceResult, rows: [Character], both: Bool, _ s: Session) {
        let reduct = both ? "----------+" : ""
        let rule = "-----------------------+--------------------------+" + reduct + "---------------+----------"
        s.line()
        s.line(String(repeating: "-", count: rule.count))
        s.line("                       |       Mean               |" + (both ? "  %reduct |" : "") + "     t-test    |  V(T)/")
        s.line("Variable         Sample| Treated Control    %bias |" + (both ? "   |bias| |" : "") + "    t    p>|t| |  V(C)")
        s.line(rule)
        for v in r.variables {
            for (k, which) in rows.enumerated() {
                let u = which == "U"
                let name = k == 0 ? EstimationTable.abbreviate(v.name, 16) : ""
                var line = name.padding(toLength: 16, withPad: " ", startingAt: 0) + pad(u ? "U" : "M", 3) + "    |"
                line += pad(f(u ? v.meanTreatedU : v.meanTreatedM, "%7.0g"), 8) + pad(f(u ? v.meanControlU : v.meanControlM, "%7.0g"), 8)
                line += pad(f(u ? v.biasU : v.biasM, "%8.1f"), 9) + " |"
                if both { line += (u ? String(repeating: " ", count: 9) : pad(f(v.reduction, "%8.1f"), 9)) + " |" }
                line += pad(f(u ? v.tU : v.tM, "%7.2f"), 7) + pad(f(u ? v.pU : v.pM, "%6.3f"), 7) + " |"
                if v.continuous {
                    let ratio = u ? v.varRatioU : v.varRatioM, flagged = u ? v.flaggedU : v.flaggedM
                    line += pad(f(ratio, "%6.2f"), 7) + (flagged ? "*" : "")
                } else { line += "      ." }
                s.line(line)
            }
            if rows.count > 1 { s.line(pad("|", 24) + pad("|", 27) + (both ? pad("|", 11) : "") + pad("|", 16)) }
        }
        s.line(String(repeating: "-", count: rule.count))
        s.line("* if variance ratio outside [\(f(r.matched.fLow, "%4.2f")); \(f(r.matched.fHigh, "%4.2f"))] for M and [\(f(r.unmatched.fLow, "%4.2f")); \(f(r.unmatched.fHigh, "%4.2f"))] for U")
    }

    /// Sample | Ps R2 LR chi2 p>chi2 MeanBias MedBias B R %Var.
    static func summaryTable(_ r: BalanceResult, rows: [Character], _ s: Session) {
        let rule = String(repeating: "-", count: 83)
        s.line()
        s.line(rule)
        s.line(" Sample    | Ps R2   LR chi2   p>chi2   MeanBias   MedBias      B      R     %Var")
        s.line("-----------+-----------------------------------------------------------------------")
        for which in rows {
            let m = which == "U" ? r.unmatched : r.matched
            let bFlag = m.B > 25 ? "*" : " ", rFlag = (m.R < 0.5 || m.R > 2) ? "*" : " "
            s.line((which == "U" ? " Unmatched" : " Matched").padding(toLength: 11, withPad: " ", startingAt: 0) + "|"
                   + pad(f(m.pseudoR2, "%6.3f"), 6) + pad(f(m.lrChi2, "%9.2f"), 10) + pad(f(m.pChi2, "%6.3f"), 9)
                   + pad(f(m.meanBias, "%6.1f"), 11) + pad(f(m.medianBias, "%6.1f"), 10)
                   + pad(f(m.B, "%6.1f"), 10) + bFlag + pad(f(m.R, "%5.2f"), 6) + rFlag + pad(f(m.pctVarOutside, "%5.0f"), 7))
        }
        s.line(rule)
        s.line("* if B>25%, R outside [0.5; 2]")
    }
}
