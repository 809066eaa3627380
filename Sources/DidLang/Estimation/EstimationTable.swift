// Display of linear estimation results, read only from e() (so that replay and `estimates
// replay` print exactly what the command printed): regress's ANOVA header, reghdfe's HDFE header,
// the coefficient table with factor-variable groups, and reghdfe's absorbed-DoF table.

import DidStats
import DidFrame
import Foundation

enum EstimationTable {
    /// Header and table for the results in `e`.
    static func show(_ e: StoredResults, _ s: Session, header: Bool = true, table: Bool = true) throws {
        let cmd = e.macros["cmd"] ?? ""
        // logit/probit (psmcmds) have their own header; replay and `estimates replay` land here.
        if cmd == "logit" || cmd == "probit" { return try BinaryTable.show(e, s, header: header, table: table) }
        s.line()
        if header { try showHeader(e, cmd, s) }
        guard table else { return }
        clusterNote(e, s)
        try coefficientTable(e, s, closeRule: cmd != "xtreg")
        if cmd == "xtreg" { PanelStatistics.xtregFooter(e, s) }
        if cmd == "areg" { PanelStatistics.aregFooter(e, s) }
        if cmd == "reghdfe", let t = e.matrices["dof_table"] { dofTable(t, s) }
    }

    static func showHeader(_ e: StoredResults, _ cmd: String, _ s: Session) throws {
        switch cmd {
        case "reghdfe": try hdfeHeader(e, s)
        case "regress" where (e.macros["vce"] ?? "ols") == "ols": try anovaHeader(e, s)
        case "xtreg": PanelStatistics.xtregHeader(e, s)
        default: try robustHeader(e, s)
        }
        s.line()
    }

    // MARK: Headers

    static func g(_ x: Double, _ f: String = "%9.0g") -> String {
        guard !Missing.isMissing(x), x.isFinite else { return "." }
        return ((try? Fmt.format(x, f)) ?? "\(x)").trimmingCharacters(in: .whitespaces)
    }

    static func int(_ x: Double?) -> String {
        guard let x = x, !Missing.isMissing(x) else { return "." }
        return DataCommands.fmtInt(Int(x))
    }

    /// An integer without thousands separators (degrees of freedom in `F(3, 2496)`).
    static func plain(_ x: Double?) -> String {
        guard let x = x, !Missing.isMissing(x) else { return "." }
        return String(Int(x))
    }

    /// `label = value` in a fixed-width right column (Stata's header layout).
    /// Widths as Stata prints them: regress's ANOVA header 16/10, other headers 18/11, reghdfe 16/11.
    static func stat(_ label: String, _ value: String, labelWidth: Int = 18, width: Int = 11) -> String {
        label.padding(toLength: max(labelWidth, label.count + 1), withPad: " ", startingAt: 0) + "=" + pad(value, width)
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }

    static func fLabel(_ e: StoredResults) -> String {
        "F(\(plain(e.scalars["df_m"])), \(plain(e.scalars["df_r"])))"
    }

    /// Root MSE as regress prints it: five significant digits (Stata logs show "Root MSE =
    /// .47973", "= 3.4071", "= .15523", and with robust errors ".43449", ".04269"); areg and
    /// reghdfe print %9.4f.
    static let rmseFormat = "%9.5g"

    static func anovaHeader(_ e: StoredResults, _ s: Session) throws {
        let sc = e.scalars
        let mss = sc["mss"] ?? 0, rss = sc["rss"] ?? 0, dfm = sc["df_m"] ?? 0, dfr = sc["df_r"] ?? 0
        let tss = mss + rss, dft = dfm + dfr
        func row(_ name: String, _ ss: Double, _ df: Double) -> String {
            pad(name, 12) + " |" + pad(g(ss, "%11.0g"), 12) + pad(int(df), 10) + pad(g(df > 0 ? ss / df : Missing.dot, "%11.0g"), 12)
        }
        func st(_ l: String, _ v: String) -> String { stat(l, v, labelWidth: 16, width: 10) }
        let right = [st("Number of obs", int(sc["N"])), st(fLabel(e), g(sc["F"] ?? Missing.dot, "%9.2f")),
                     st("Prob > F", g(sc["F_p"] ?? Missing.dot, "%9.4f")), st("R-squared", g(sc["r2"] ?? 0, "%9.4f")),
                     st("Adj R-squared", g(sc["r2_a"] ?? 0, "%9.4f")), st("Root MSE", g(sc["rmse"] ?? 0, Self.rmseFormat))]
        let left = ["      Source |       SS           df       MS", "-------------+----------------------------------",
                    row("Model", mss, dfm), row("Residual", rss, dfr), "-------------+----------------------------------",
                    row("Total", tss, dft)]
        for (l, r) in zip(left, right) { s.line(l.padding(toLength: 51, withPad: " ", startingAt: 0) + r) }
    }

    static func robustHeader(_ e: StoredResults, _ s: Session) throws {
        let sc = e.scalars
        var lines = [(e.macros["title"] ?? "Linear regression", stat("Number of obs", int(sc["N"])))]
        if let a = e.macros["absvars"], e.macros["cmd"] != "reghdfe" {
            lines.append(("Absorbed variable: \(a)", stat("No. of categories", int((sc["df_a"] ?? 0) + 1))))
        }
        lines += [("", stat(fLabel(e), g(sc["F"] ?? Missing.dot, "%9.2f"))), ("", stat("Prob > F", g(sc["F_p"] ?? Missing.dot, "%9.4f"))),
                  ("", stat("R-squared", g(sc["r2"] ?? 0, "%9.4f")))]
        if e.macros["absvars"] != nil {
            lines.append(("", stat("Adj R-squared", g(sc["r2_a"] ?? 0, "%9.4f"))))
            if e.macros["cmd"] != "areg" { lines.append(("", stat("Within R-sq.", g(sc["r2_within"] ?? 0, "%9.4f")))) }
        }
        // areg prints Root MSE with four decimals (logs: "= 0.6081", "= 12.4519"); regress with
        // robust or cluster errors with five significant digits ("= .43449", "= .04269").
        let rmseFormat = e.macros["cmd"] == "areg" ? "%9.4f" : Self.rmseFormat
        lines.append(("", stat("Root MSE", g(sc["rmse"] ?? 0, rmseFormat))))
        for (l, r) in lines { s.line(l.padding(toLength: 48, withPad: " ", startingAt: 0) + r) }
    }

    static func hdfeHeader(_ e: StoredResults, _ s: Session) throws {
        let sc = e.scalars
        let nAbs = Int(sc["N_hdfe"] ?? 0)
        let vce = e.macros["vce"] ?? "ols"
        let third = vce == "robust" ? "Statistics robust to heteroskedasticity" : (vce == "cluster" ? "Statistics robust to heteroskedasticity" : "")
        let f = "F(\(pad(plain(sc["df_m"]), 4)),\(pad(plain(sc["df_r"]), 7)))"
        var clusterLine = ""
        if let g0 = sc["N_clust"], let cv = e.macros["clustvar"], !cv.contains(" ") {
            clusterLine = "Number of clusters (\(cv))".padding(toLength: 32, withPad: " ", startingAt: 0) + "=" + pad(int(g0), 11)
        }
        let left = ["HDFE Linear regression", "Absorbing \(nAbs) HDFE group\(nAbs == 1 ? "" : "s")", third, "", "", "", clusterLine]
        func st(_ l: String, _ v: String) -> String { stat(l, v, labelWidth: 16, width: 11) }
        let right = [st("Number of obs", int(sc["N"])), st(f, g(sc["F"] ?? Missing.dot, "%9.2f")),
                     st("Prob > F", g(sc["F_p"] ?? Missing.dot, "%9.4f")), st("R-squared", g(sc["r2"] ?? 0, "%9.4f")),
                     st("Adj R-squared", g(sc["r2_a"] ?? 0, "%9.4f")), st("Within R-sq.", g(sc["r2_within"] ?? 0, "%9.4f")),
                     st("Root MSE", g(sc["rmse"] ?? 0, "%9.4f"))]
        for (l, r) in zip(left, right) { s.line(l.padding(toLength: 50, withPad: " ", startingAt: 0) + r) }
        if let cv = e.macros["clustvar"], cv.contains(" ") {
            for (i, name) in cv.split(separator: " ").enumerated() {
                s.line("Number of clusters (\(name))".padding(toLength: 32, withPad: " ", startingAt: 0) + "=" + pad(int(sc["N_clust\(i + 1)"]), 11))
            }
        }
    }

    static func clusterNote(_ e: StoredResults, _ s: Session) {
        guard e.macros["vce"] == "cluster", let cv = e.macros["clustvar"] else { return }
        let text = cv.contains(" ") ? "(Std. err. adjusted for multiway clustering: \(cv.replacingOccurrences(of: " ", with: ", ")))"
                                    : "(Std. err. adjusted for \(int(e.scalars["N_clust"])) clusters in \(cv))"
        s.line(pad(text, 78))
    }

    // MARK: Coefficient table

    static func coefficientTable(_ e: StoredResults, _ s: Session, closeRule: Bool = true) throws {
        guard let b = e.matrices["b"], let V = e.matrices["V"] else { throw StataError(301, "last estimates not found") }
        let dfr = e.scalars["df_r"] ?? Missing.dot
        let level = e.scalars["level"] ?? 95
        let tcrit = Missing.isMissing(dfr) ? Distributions.invNormal(1 - (1 - level / 100) / 2)
                                           : Distributions.invttail(dfr, (1 - level / 100) / 2)
        let rule = String(repeating: "-", count: 78)
        s.line(rule)
        let robust = e.macros["vcetype"] != nil
        if robust { s.line("             |               Robust") }
        let lv = g(level, "%9.0g")
        // Large-sample estimators (no e(df_r), e.g. logit/probit) report z statistics.
        let stat = Missing.isMissing(dfr) ? "z    P>|z|" : "t    P>|t|"
        s.line(pad(abbreviate(e.macros["depvar"] ?? "", 12), 12) + " | Coefficient  \(robust ? "std. err." : "Std. err.")      \(stat)     [\(lv)% conf. interval]")
        s.line("-------------+----------------------------------------------------------------")
        // Visible rows with their groups; a factor group of one row is shown inline (`1.treat`),
        // larger groups get a header and a blank `|` line before and after, as Stata lays them out.
        let visible = (0..<b.cols).map { ($0, RowLabel(b.colNames[$0])) }.filter { !$0.1.hidden }
        let groupKeys = visible.map { $0.1.group }
        let spacer = "             |"
        var lastGroup: String? = nil, lastWasBlock = false, printedRow = false
        for (k, (j, rowLabel)) in visible.enumerated() {
            let name = b.colNames[j]
            var row = rowLabel
            let size = row.group == nil ? 0 : groupKeys.filter { $0 == row.group }.count
            if size == 1, let grp = row.group, !grp.contains("#"), !row.label.hasSuffix(".") {
                row.label = row.label + "." + grp; row.group = nil
            }
            if let grp = row.group {
                if grp != lastGroup {
                    if printedRow { s.line(spacer) }
                    s.line(pad(abbreviate(grp, 12), 12) + " |")
                }
                lastGroup = grp; lastWasBlock = true
            } else {
                if lastWasBlock { s.line(spacer) }
                lastGroup = nil; lastWasBlock = false
            }
            printedRow = true
            _ = k
            let label = pad(abbreviate(row.label, 12), 12) + " |"
            let coef = b[0, j], variance = V[j, j]
            if row.omitted || (coef == 0 && variance == 0 && name != "_cons") {
                s.line(label + "          0  (omitted)")
                continue
            }
            let se = variance > 0 ? variance.squareRoot() : 0
            let t = se > 0 ? coef / se : Missing.dot
            let p = Missing.isMissing(t) ? Missing.dot : (Missing.isMissing(dfr) ? 2 * Distributions.normal(-abs(t)) : 2 * Distributions.ttail(dfr, abs(t)))
            let lo = coef - tcrit * se, hi = coef + tcrit * se
            s.line(label + "  " + pad(g(coef), 9) + "  " + pad(g(se), 9) + pad(g(t, "%8.2f"), 9) + pad(g(p, "%7.3f"), 8)
                   + "    " + pad(g(lo), 9) + "   " + pad(g(hi), 9))
        }
        s.line(closeRule ? rule : "-------------+----------------------------------------------------------------")
    }

    /// How one e(b) column is labelled: factor groups (`year` / `2004`), ts groups (`x` / `L1.`).
    struct RowLabel {
        var group: String?
        var label: String
        var hidden = false
        var omitted = false

        init(_ name: String) {
            let parts = name.split(separator: "#").map(String.init)
            var levels: [String] = [], vars: [String] = []
            var anyFactor = false, anyBase = false, anyO = false
            for p in parts {
                guard let dot = p.firstIndex(of: ".") else { vars.append(p); levels.append(""); continue }
                var head = String(p[..<dot]); let v = String(p[p.index(after: dot)...])
                if head.hasPrefix("o") && !head.first!.isNumber { anyO = true; head.removeFirst() }
                if head.isEmpty { vars.append(v); levels.append(""); continue }
                if head == "co" || head == "c" { anyO = anyO || head == "co"; vars.append("c.\(v)"); levels.append(""); continue }
                if let f = head.first, f.isNumber {
                    anyFactor = true
                    while let last = head.last, !last.isNumber {
                        if last == "b" { anyBase = true } else if last == "o" { anyO = true }
                        head.removeLast()
                    }
                    vars.append(v); levels.append(head)
                } else {
                    // Time-series operator: group by variable, label `L1.`, `--.`.
                    let op = head.isEmpty ? "--" : (head.last!.isNumber ? head : head + "1")
                    vars.append(v); levels.append(op + ".")
                }
            }
            hidden = anyBase
            omitted = anyO
            if !anyFactor && !levels.contains(where: { $0.hasSuffix(".") }) {
                group = nil; label = name.hasPrefix("o.") ? String(name.dropFirst(2)) : name
                if parts.count > 1 { label = vars.joined(separator: "#") }
                return
            }
            group = vars.joined(separator: "#")
            label = levels.filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    /// Stata's `abbrev()`: long names keep their start and end around `~`.
    static func abbreviate(_ s: String, _ n: Int) -> String {
        guard s.count > n else { return s }
        return String(s.prefix(n - 3)) + "~" + String(s.suffix(2))
    }

    // MARK: Absorbed degrees of freedom

    static func dofTable(_ t: NamedMatrix, _ s: Session) {
        // reghdfe_footnote.ado widens the name column to the longest absvar (`a#c.x` names are
        // long) instead of abbreviating; column 4 of e(dof_table) is "Inexact?" (1 = "?").
        let w = max(12, t.rowNames.map(\.count).max() ?? 0)
        let dashes = String(repeating: "-", count: w + 1)
        s.line()
        s.line("Absorbed degrees of freedom:")
        s.line(dashes + "----------------------------------------+")
        s.line(pad("Absorbed FE", w) + " | Categories  - Redundant  = Num. Coefs |")
        s.line(dashes + "+---------------------------------------|")
        var anyNested = false, anyInexact = false
        for i in 0..<t.rows {
            let nested = t[i, 4] != 0, inexact = t[i, 3] != 0
            anyNested = anyNested || nested; anyInexact = anyInexact || inexact
            let mark = nested ? "*" : (inexact ? "?" : " ")
            s.line(pad(t.rowNames[i], w) + " |" + pad(int(t[i, 0]), 10) + pad(int(t[i, 1]), 12)
                   + pad(int(t[i, 2]), 12) + "    \(mark)|")
        }
        s.line(dashes + "----------------------------------------+")
        if anyInexact { s.line("? = number of redundant parameters may be higher") }
        if anyNested { s.line("* = FE nested within cluster; treated as redundant for DoF computation") }
    }
}
