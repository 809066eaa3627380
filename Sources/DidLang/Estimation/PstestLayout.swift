// pstest's printed tables, column for column as pstest 4.2.2 (25apr2017, E. Leuven and B. Sianesi)
// writes them: `breduc` for `both` (U and M rows, %reduct |bias|) and `breduc1` for one sample
// (the matched one, or the raw one with `raw`), each followed by its summary table. The layout
// is transcribed from the display statements of pstest.ado (formats, `_col()`/`_s()` positions,
// and the footnotes); SMCL line-drawing characters print as `-`, `+` and `|` in a text log.

import DidFrame
import DidStats
import Foundation

struct PstestLayout {
    let result: BalanceResult
    /// What the first column shows per covariate (names, or labels with `label`).
    let labels: [String]
    /// `onlysig`: breduc1 skips covariates whose matched t-test has p >= 0.10.
    let onlySignificant: Bool

    /// Width of the name column: at least 22, else the longest name (pstest's `vlength`).
    var nameWidth: Int { max(22, labels.map(\.count).max() ?? 0) }

    // MARK: both (breduc)

    func bothTable(_ s: Session) {
        let w = nameWidth, c = w + 4
        func rule(_ j: String) -> String { dashes(c) + j + dashes(34) + j + dashes(15) + j + dashes(10) }
        s.line()
        s.line(rule("-"))
        s.line("              " + spaces(w - 22) + "  Unmatched |       Mean               %reduct |     t-test    |  V(T)/")
        s.line("Variable      " + spaces(w - 22) + "    Matched | Treated Control    %bias  |bias| |    t    p>|t| |  V(C)")
        s.line(rule("+"))
        for (v, label) in zip(result.variables, labels) {
            var u = StataLine()
            u.add(left(String(label.prefix(w)), w)); u.col(c - 2); u.add("U  |")
            u.add(g(v.meanTreatedU, "%7.0g")); u.add("  "); u.add(g(v.meanControlU, "%7.0g")); u.add("  ")
            u.add(g(v.biasU, "%7.1f")); u.skip(8); u.add(" |")
            u.add(g(v.tU, "%7.2f")); u.skip(2); u.add(g(v.pU, "%05.3f")); u.add(" |")
            u.add(g(v.continuous ? v.varRatioU : Missing.dot, "%6.2f")); u.add(v.continuous && v.flaggedU ? "*" : "")
            s.line(u.text)
            var m = StataLine()
            m.col(c - 2); m.add("M  |")
            m.add(g(v.meanTreatedM, "%7.0g")); m.add("  "); m.add(g(v.meanControlM, "%7.0g")); m.add("  ")
            m.add(g(v.biasM, "%7.1f")); m.add(g(v.reduction, "%8.1f")); m.add(" |")
            m.add(g(v.tM, "%7.2f")); m.skip(2); m.add(g(v.pM, "%05.3f")); m.add(" |")
            m.add(g(v.continuous ? v.varRatioM : Missing.dot, "%6.2f")); m.add(v.continuous && v.flaggedM ? "*" : "")
            s.line(m.text)
            var gap = StataLine()
            gap.col(c - 2); gap.add("   |"); gap.skip(31); gap.add("   |"); gap.skip(12); gap.add("   |")
            s.line(gap.text)
        }
        s.line(rule("-"))
        let u = result.unmatched, m = result.matched
        s.line("* if variance ratio outside [\(g(u.fLow, "%4.2f")); \(g(u.fHigh, "%4.2f"))] for U and [\(g(m.fLow, "%4.2f")); \(g(m.fHigh, "%4.2f"))] for M")
        s.line()
    }

    func bothSummary(_ s: Session) {
        s.line(dashes(11) + "-" + dashes(71))
        s.line(" Sample    | Ps R2   LR chi2   p>chi2   MeanBias   MedBias      B      R     %Var")
        s.line(dashes(11) + "+" + dashes(71))
        for (title, m) in [(" Unmatched |", result.unmatched), (" Matched   |", result.matched)] {
            var l = StataLine()
            l.add(title)
            l.add(g(m.pseudoR2, "%6.3f")); l.skip(1); l.add(g(m.lrChi2, "%9.2f")); l.skip(1); l.add(g(m.pChi2, "%8.3f"))
            l.skip(3); l.add(g(m.meanBias, "%6.1f")); l.skip(4); l.add(g(m.medianBias, "%6.1f"))
            l.skip(4); l.add(g(m.B, "%6.1f")); l.add(starB(m))
            l.col(70); l.add(g(m.R, "%5.2f")); l.add(starR(m))
            l.col(79); l.add(g(m.pctVarOutside, "%3.0f"))
            s.line(l.text)
        }
        s.line(dashes(11) + "-" + dashes(71))
        s.line("* if B>25%, R outside [0.5; 2]")
    }

    // MARK: one sample (breduc1)

    func singleTable(unmatched: Bool, _ s: Session) {
        let w = nameWidth, c = w + 2
        func rule(_ j: String) -> String { dashes(c) + j + dashes(26) + j + dashes(15) + j + dashes(10) }
        s.line()
        s.line(rule("-"))
        var h1 = StataLine(); h1.add("        "); h1.col(c); h1.add(" |       Mean               |     t-test    |  V(T)/")
        var h2 = StataLine(); h2.add("Variable"); h2.col(c); h2.add(" | Treated Control    %bias |    t    p>|t| |  V(C)")
        s.line(h1.text); s.line(h2.text)
        s.line(rule("+"))
        for (v, label) in zip(result.variables, labels) {
            let t = unmatched ? v.tU : v.tM, p = unmatched ? v.pU : v.pM
            if onlySignificant && !(p < 0.10) { continue }
            var l = StataLine()
            l.add(left(String(label.prefix(w)), w)); l.col(c); l.add(" |")
            l.add(g(unmatched ? v.meanTreatedU : v.meanTreatedM, "%7.0g")); l.add("  ")
            l.add(g(unmatched ? v.meanControlU : v.meanControlM, "%7.0g")); l.add("  ")
            l.add(g(unmatched ? v.biasU : v.biasM, "%7.1f")); l.add(" |")
            l.add(g(t, "%7.2f")); l.skip(2); l.add(g(p, "%05.3f")); l.add(" |")
            let ratio = v.continuous ? (unmatched ? v.varRatioU : v.varRatioM) : Missing.dot
            l.add(g(ratio, "%6.2f")); l.add(v.continuous && (unmatched ? v.flaggedU : v.flaggedM) ? "*" : "")
            s.line(l.text)
        }
        s.line(rule("-"))
        let m = unmatched ? result.unmatched : result.matched
        s.line("* if variance ratio outside [\(g(m.fLow, "%4.2f")); \(g(m.fHigh, "%4.2f"))]")
        s.line()
    }

    func singleSummary(unmatched: Bool, _ s: Session) {
        let m = unmatched ? result.unmatched : result.matched
        s.line(dashes(70))
        s.line("Ps R2   LR chi2   p>chi2   MeanBias   MedBias      B       R     %Var ")
        s.line(dashes(70))
        var l = StataLine()
        l.add(g(m.pseudoR2, "%5.3f")); l.skip(1); l.add(g(m.lrChi2, "%9.2f")); l.skip(1); l.add(g(m.pChi2, "%8.3f"))
        l.skip(3); l.add(g(m.meanBias, "%6.1f")); l.skip(4); l.add(g(m.medianBias, "%6.1f"))
        l.skip(4); l.add(g(m.B, "%6.1f")); l.add(starB(m)); l.skip(3); l.add(g(m.R, "%5.2f")); l.add(starR(m))
        l.col(67); l.add(g(m.pctVarOutside, "%3.0f"))
        s.line(l.text)
        s.line(dashes(70))
        s.line("* if B>25%, R outside [0.5; 2]")
    }

    // MARK: helpers

    /// pstest stars B at 25 or more and R outside [0.5, 2].
    func starB(_ m: BalanceSummary) -> String { m.B >= 25 && !Missing.isMissing(m.B) ? "*" : "" }
    func starR(_ m: BalanceSummary) -> String { !(m.R >= 0.5 && m.R <= 2) ? "*" : "" }

    /// x in a Stata format, right-aligned in its width as `display` prints it.
    func g(_ x: Double, _ fmt: String) -> String { (try? DisplayFormat.format(x, fmt)) ?? "." }
    func dashes(_ n: Int) -> String { String(repeating: "-", count: max(0, n)) }
    func spaces(_ n: Int) -> String { String(repeating: " ", count: max(0, n)) }
    func left(_ t: String, _ w: Int) -> String { t.count >= w ? t : t + spaces(w - t.count) }
}

/// A line built the way Stata's `display` builds one: text appended, `_col(#)` moving to a
/// 1-based column (padding with spaces), `_s(#)` skipping spaces.
struct StataLine {
    private(set) var text = ""
    mutating func add(_ t: String) { text += t }
    mutating func skip(_ n: Int) { text += String(repeating: " ", count: max(0, n)) }
    mutating func col(_ c: Int) { if text.count < c - 1 { skip(c - 1 - text.count) } }
}
