// ttest's output: a 78-column table (Obs, Mean, Std. err., Std. dev., confidence interval) with
// one row per sample, the combined sample or the differences, then the statistic, the degrees
// of freedom and the three alternatives with their p-values. Reads only the computed Result.

import DidFrame
import DidStats
import Foundation

/// Display of a ttest result.
enum TTestDisplay {
    static func show(_ r: TTest.Result, _ s: Session) {
        let wide = OutText.dashes(78)
        let rule = OutText.dashes(9) + "+" + OutText.dashes(68)
        let pct = OutText.num(r.level, "%9.0g")
        let ciHead = OutText.right("[\(pct)% conf. interval]", 23)
        s.line()
        switch r.kind {
        case .oneSample: s.line("One-sample t test")
        case .paired: s.line("Paired t test")
        case .twoSample: s.line("Two-sample t test with \(r.unequal ? "unequal" : "equal") variances")
        }
        s.line(wide)
        let stubHead = r.kind == .twoSample ? "Group" : "Variable"
        s.line(OutText.right(stubHead, 8) + " |     Obs        Mean    Std. err.   Std. dev." + ciHead)
        s.line(rule)
        for (name, smp) in zip(r.names, r.samples) { s.line(row(name, smp, level: r.level)) }
        switch r.kind {
        case .oneSample:
            break
        case .paired:
            s.line(rule)
            s.line(row("diff", r.combined!, level: r.level))
        case .twoSample:
            s.line(rule)
            s.line(row("Combined", r.combined!, level: r.level))
            s.line(rule)
            let q = Distributions.invttail(r.df, (1 - r.level / 100) / 2)
            let lo = r.diff - q * r.se, hi = r.diff + q * r.se
            s.line(OutText.right("diff", 8) + " |" + OutText.spaces(8) + cell(r.diff) + cell(r.se) + OutText.spaces(12)
                   + cell(Missing.clean(lo)) + cell(Missing.clean(hi)))
        }
        s.line(wide)
        footer(r, s)
    }

    /// One table row: Obs, Mean, Std. err., Std. dev. and the interval from t(n − 1).
    static func row(_ name: String, _ x: TTest.Sample, level: Double) -> String {
        let q = x.n > 1 ? Distributions.invttail(Double(x.n - 1), (1 - level / 100) / 2) : Missing.dot
        let lo = x.n > 1 ? x.mean - q * x.se : Missing.dot, hi = x.n > 1 ? x.mean + q * x.se : Missing.dot
        return OutText.right(OutText.abbrev(name, 8), 8) + " |" + OutText.count(Double(x.n), width: 8)
            + cell(x.mean) + cell(x.se) + cell(x.sd) + cell(lo) + cell(hi)
    }

    /// A value in `%9.0g` after three spaces.
    static func cell(_ x: Double) -> String { "   " + OutText.num(x, "%9.0g", width: 9) }

    /// The statistic, the hypotheses and the p-values.
    static func footer(_ r: TTest.Result, _ s: Session) {
        let h0 = OutText.num(r.hypothesis, "%9.0g")
        let (what, definition, lead): (String, String, String)
        switch r.kind {
        case .oneSample: (what, definition, lead) = ("mean", "mean(\(r.variable))", "    ")
        case .paired: (what, definition, lead) = ("mean(diff)", "mean(\(r.variable))", "     ")
        case .twoSample:
            (what, definition, lead) = ("diff", "mean(\(r.names[0])) - mean(\(r.names[1]))", "    ")
        }
        let tText = "t = " + (Missing.isMissing(r.t) ? OutText.right(".", 8) : ((try? Fmt.format(r.t, "%8.4f")) ?? ""))
        s.line(spread(lead + what + " = " + definition, tText))
        let dfLabel = r.kind == .twoSample && r.unequal ? (r.welch ? "Welch's degrees of freedom = " : "Satterthwaite's degrees of freedom = ")
                                                         : "Degrees of freedom = "
        let dfText = dfLabel + OutText.num(r.df, "%8.0g", width: 8)
        s.line(spread(String(lead.dropFirst(4)) + "H0: \(what) = \(r.kind == .oneSample ? h0 : "0")", dfText))
        s.line()
        let hv = r.kind == .oneSample ? h0 : "0"
        let has = ["Ha: \(what) < \(hv)", "Ha: \(what) != \(hv)", "Ha: \(what) > \(hv)"]
        let valid = !Missing.isMissing(r.t) && !Missing.isMissing(r.df)
        func p(_ x: Double) -> String { valid ? ((try? Fmt.format(x, "%6.4f")) ?? ".") : "     ." }
        let ps = ["Pr(T < t) = " + p(r.pl), "Pr(|T| > |t|) = " + p(r.p), "Pr(T > t) = " + p(r.pu)]
        // The p-value texts start at columns 2, 29 and 61; each alternative is centred over its p-value.
        let starts = [1, 28, 60]
        var haLine = "", pLine = ""
        for k in 0..<3 {
            let centre = starts[k] * 2 + ps[k].count
            let start = max(haLine.count + (k == 0 ? 0 : 1), (centre - has[k].count + 1) / 2)
            haLine += OutText.spaces(start - haLine.count) + has[k]
            pLine += OutText.spaces(starts[k] - pLine.count) + ps[k]
        }
        s.line(haLine)
        s.line(pLine)
    }

    /// `left` and `right` on one line, `right` ending at column 78.
    static func spread(_ left: String, _ right: String) -> String {
        left + OutText.spaces(max(1, 78 - left.count - right.count)) + right
    }
}
