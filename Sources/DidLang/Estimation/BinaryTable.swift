// Display of logit/probit results, read only from e() (so that replay prints what the command
// printed): Stata 18's iteration log, the header (Number of obs, LR/Wald chi2, Prob > chi2,
// Pseudo R2, Log likelihood) and the coefficient table with z statistics. Row labels, factor
// groups, abbreviations and number formats come from the linear commands' EstimationTable.

import DidFrame
import DidStats
import Foundation

enum BinaryTable {
    /// `Iteration #:  Log likelihood = …` (Stata 18 capitalises; pseudolikelihood under robust/cluster).
    static func iterationLog(_ r: BinaryResult, _ s: Session) {
        let what = r.vcetype == "oim" ? "Log likelihood" : "Log pseudolikelihood"
        for (i, ll) in r.iterationLog.enumerated() {
            // Labels aligned up to two-digit iterations and the value %10.0g right-aligned, as Stata
            // prints them (`Iteration 0:  Log likelihood =  -45.03321`, `Iteration 10: …`).
            let label = "Iteration \(i):".padding(toLength: max(13, "Iteration \(i):".count), withPad: " ", startingAt: 0)
            s.line("\(label) \(what) = \(EstimationTable.pad(EstimationTable.g(ll, "%10.0g"), 10))")
        }
    }

    /// Header and table for the results in `e`.
    static func show(_ e: StoredResults, _ s: Session, header: Bool = true, table: Bool = true, oddsRatios: Bool = false) throws {
        s.line()
        if header { self.header(e, s) }
        guard table else { return }
        EstimationTable.clusterNote(e, s)
        try coefficientTable(e, s, oddsRatios: oddsRatios)
    }

    static func header(_ e: StoredResults, _ s: Session) {
        let sc = e.scalars
        let robust = e.macros["vce"] != nil && e.macros["vce"] != "oim"
        let dfm = EstimationTable.plain(sc["df_m"])
        let labels = ["Number of obs", "\(e.macros["chi2type"] ?? "LR") chi2(\(dfm))", "Prob > chi2", "Pseudo R2"]
        let values = [EstimationTable.int(sc["N"]), EstimationTable.g(sc["chi2"] ?? Missing.dot, "%9.2f"),
                      EstimationTable.g(sc["p"] ?? Missing.dot, "%9.4f"), EstimationTable.g(sc["r2_p"] ?? Missing.dot, "%9.4f")]
        // Stata 18 sizes the label and value columns to their longest entry.
        let lw = labels.map(\.count).max()!, vw = max(6, values.map(\.count).max()!)
        let right = zip(labels, values).map { $0.0.padding(toLength: lw, withPad: " ", startingAt: 0) + " = " + EstimationTable.pad($0.1, vw) }
        let ll = "\(robust ? "Log pseudolikelihood" : "Log likelihood") = \(EstimationTable.g(sc["ll"] ?? Missing.dot, "%10.0g"))"
        let left = [e.macros["title"] ?? "", "", "", ll]
        let width = max(56, 78 - right[0].count)
        for (l, r) in zip(left, right) { s.line(l.padding(toLength: width, withPad: " ", startingAt: 0) + r) }
        s.line()
    }

    /// The coefficient table: the linear commands' table (z and P>|z| since logit/probit post no
    /// e(df_r)); with `or`, the exponentiated table below.
    static func coefficientTable(_ e: StoredResults, _ s: Session, oddsRatios: Bool) throws {
        guard oddsRatios else { return try EstimationTable.coefficientTable(e, s) }
        try oddsRatioTable(e, s)
    }

    /// Odds ratios exp(b), delta-method SEs exp(b)·se, z and p of b, exponentiated CI bounds.
    static func oddsRatioTable(_ e: StoredResults, _ s: Session) throws {
        let oddsRatios = true
        guard let b = e.matrices["b"], let V = e.matrices["V"] else { throw StataError(301, "last estimates not found") }
        let level = e.scalars["level"] ?? 95
        let zcrit = Distributions.invNormal(1 - (1 - level / 100) / 2)
        let rule = String(repeating: "-", count: 78)
        s.line(rule)
        let robust = e.macros["vcetype"] != nil
        if robust { s.line("             |               Robust") }
        let lv = EstimationTable.g(level, "%9.0g")
        let first = oddsRatios ? "Odds ratio " : "Coefficient"
        s.line(EstimationTable.pad(EstimationTable.abbreviate(e.macros["depvar"] ?? "", 12), 12)
               + " | \(first)  \(robust ? "std. err." : "Std. err.")      z    P>|z|     [\(lv)% conf. interval]")
        s.line("-------------+----------------------------------------------------------------")
        var lastGroup = ""
        for j in 0..<b.cols {
            let name = b.colNames[j]
            let row = EstimationTable.RowLabel(name)
            if row.hidden { continue }
            if let grp = row.group {
                if grp != lastGroup { s.line(EstimationTable.pad(EstimationTable.abbreviate(grp, 12), 12) + " |") }
                lastGroup = grp
            } else { lastGroup = "" }
            let label = EstimationTable.pad(EstimationTable.abbreviate(row.label, 12), 12) + " |"
            let coef = b[0, j], variance = V[j, j]
            if row.omitted || (coef == 0 && variance == 0 && name != "_cons") {
                s.line(label + (oddsRatios ? "          1  (omitted)" : "          0  (omitted)"))
                continue
            }
            let se = variance > 0 ? variance.squareRoot() : 0
            let z = se > 0 ? coef / se : Missing.dot
            let p = Missing.isMissing(z) ? Missing.dot : 2 * Distributions.normal(-abs(z))
            var shown = coef, shownSE = se, lo = coef - zcrit * se, hi = coef + zcrit * se
            if oddsRatios { shown = exp(coef); shownSE = shown * se; lo = exp(lo); hi = exp(hi) }
            s.line(label + "  " + EstimationTable.pad(EstimationTable.g(shown), 9) + "  " + EstimationTable.pad(EstimationTable.g(shownSE), 9)
                   + EstimationTable.pad(EstimationTable.g(z, "%8.2f"), 9) + EstimationTable.pad(EstimationTable.g(p, "%7.3f"), 8)
                   + "    " + EstimationTable.pad(EstimationTable.g(lo), 9) + "   " + EstimationTable.pad(EstimationTable.g(hi), 9))
        }
        s.line(rule)
        if oddsRatios && b.colNames.last == "_cons" { s.line("Note: _cons estimates baseline odds.") }
    }
}
