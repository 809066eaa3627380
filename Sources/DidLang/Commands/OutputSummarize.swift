// summarize [varlist] [if] [in] [weight] [, detail meanonly format separator(#)]
//
// Parse → compute (SummaryStats, per variable over its own non-missing observations) → post
// r() → display. The layout follows Stata 17/18: a 12-column name stub, `%9.0g` statistics in
// fixed fields, a Weight column when weights are given, and the two-column `detail` block.

import DidFrame
import Foundation

enum Summarize {
    static let options = [OptionSpec("detail", min: 1), OptionSpec("meanonly"), OptionSpec("format", min: 3),
                          OptionSpec("separator", min: 3, .required)]

    /// summarize: the command body.
    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: options)
        let detail = o.has("detail"), meanonly = o.has("meanonly")
        guard !(detail && meanonly) else { throw StataError(198, "options detail and meanonly may not be combined") }
        let sep = try OutText.integer(try o.number("separator"), "separator", default: 5)
        let vars = call.head.isEmpty ? s.frame.columns.map(\.name) : try s.varlist(call.head)
        let weight = try WeightSpec.parse(call, s, allowed: detail ? [.aweight, .fweight] : [.aweight, .fweight, .iweight],
                                          defaultKind: .aweight, command: "summarize")
        var rows = try s.sampleRows(call)
        if let w = weight { rows = try w.filter(rows) }
        var results: [(name: String, stats: SummaryStats?, format: String)] = []
        for v in vars {
            let c = s.frame.columns[try s.resolveVariable(v)]
            if c.isString { results.append((c.name, nil, c.format)); continue }
            var x: [Double] = [], w: [Double] = []
            x.reserveCapacity(rows.count)
            c.nums.withUnsafeBufferPointer { p in
                for r in rows where !Missing.isMissing(p[r]) {
                    x.append(p[r]); if let ws = weight { w.append(ws.values[r]) }
                }
            }
            let st = SummaryStats.compute(x, weights: weight == nil ? nil : w, kind: weight?.kind, detail: detail)
            results.append((c.name, st, c.format))
        }
        post(results.last?.stats, s, detail: detail, meanonly: meanonly)
        if meanonly { return }
        if detail {
            for (name, st, _) in results {
                guard let st = st else { continue }
                let c = s.frame.column(name)!
                displayDetail(st, title: c.label.isEmpty ? name : c.label, s)
            }
        } else {
            displayTable(results, weighted: weight != nil, separator: sep, useFormat: o.has("format"), s)
        }
    }

    /// Posts r() for the last variable summarized.
    static func post(_ st: SummaryStats?, _ s: Session, detail: Bool, meanonly: Bool) {
        var r = StoredResults()
        let st = st ?? SummaryStats()
        r.set("N", st.N)
        r.set("sum_w", st.sumW)
        r.set("mean", st.n > 0 ? st.mean : Missing.dot)
        if !meanonly { r.set("Var", st.variance); r.set("sd", st.sd) }
        if detail { r.set("skewness", st.skewness); r.set("kurtosis", st.kurtosis) }
        r.set("sum", st.sum)
        r.set("min", st.min)
        r.set("max", st.max)
        if detail {
            for (k, p) in SummaryStats.points.enumerated() {
                r.set("p\(p)", k < st.percentiles.count ? st.percentiles[k] : Missing.dot)
            }
        }
        s.rResults = r
    }

    // MARK: display

    static func displayTable(_ results: [(name: String, stats: SummaryStats?, format: String)], weighted: Bool,
                             separator: Int, useFormat: Bool, _ s: Session) {
        let rule = OutText.dashes(13) + "+" + OutText.dashes(weighted ? 65 : 57)
        s.line()
        if weighted {
            s.line("    Variable |     Obs      Weight        Mean   Std. dev.       Min        Max")
        } else {
            s.line("    Variable |        Obs        Mean    Std. dev.       Min        Max")
        }
        s.line(rule)
        for (k, res) in results.enumerated() {
            if separator > 0 && k > 0 && k % separator == 0 { s.line(rule) }
            let stub = OutText.right(OutText.abbrev(res.name, 12), 12) + " |"
            let st = res.stats ?? SummaryStats()
            let (fmt, sdFmt) = useFormat ? formats(res.format) : ("%9.0g", "%9.0g")
            func stat(_ x: Double, _ f: String = fmt) -> String { OutText.right(OutText.num(x, f), 9) }
            var line = stub
            if weighted {
                line += OutText.count(st.N, width: 8)
                if st.n > 0 {
                    line += " " + OutText.right(OutText.num(st.sumW, "%11.0g"), 11)
                    line += "   " + stat(st.mean) + "  " + stat(st.sd, sdFmt) + "  " + stat(st.min) + "  " + stat(st.max)
                }
            } else {
                line += OutText.count(st.N, width: 11)
                if st.n > 0 {
                    line += "   " + stat(st.mean) + "   " + stat(st.sd, sdFmt) + "  " + stat(st.min) + "  " + stat(st.max)
                }
            }
            s.line(line)
        }
    }

    /// Formats used by the `format` option for (mean, min, max) and for the standard deviation:
    /// the variable's %g/%f format for all four; a date format for the location statistics only
    /// (a spread is not a date); %e, string and unknown formats fall back to %9.0g.
    static func formats(_ f: String) -> (String, String) {
        guard let kind = DisplayFormat.Spec(f)?.kind else { return ("%9.0g", "%9.0g") }
        switch kind {
        case .g, .f: return (f, f)
        case .date: return (f, "%9.0g")
        case .e, .string: return ("%9.0g", "%9.0g")
        }
    }

    /// The `detail` block for one variable.
    static func displayDetail(_ st: SummaryStats, title: String, _ s: Session) {
        s.line()
        // Long labels wrap at word boundaries and each piece is centred over the 61-column rule.
        // Stata 18 breaks a 75-character label after 42 characters, so the piece width is
        // between 42 and 51; 50 is used.
        for t in OutText.wrap(title, 50) { s.line(OutText.spaces((61 - t.count) / 2) + t) }
        s.line(OutText.dashes(61))
        guard st.n > 0 else { s.line("no observations"); return }
        func v(_ x: Double) -> String { OutText.right(OutText.num(x), 13) }
        func e(_ x: Double) -> String { OutText.right(OutText.num(x), 15) }
        func side(_ label: String, _ value: String) -> String { "       " + OutText.left(label, 12) + OutText.right(value, 11) }
        let p = st.percentiles
        let num = { (x: Double) in OutText.num(x) }
        s.line("      Percentiles      Smallest")
        s.line(" 1%" + v(p[0]) + e(st.smallest[0]))
        s.line(" 5%" + v(p[1]) + e(st.smallest[1]))
        s.line("10%" + v(p[2]) + e(st.smallest[2]) + side("Obs", OutText.count(st.N, width: 11)))
        s.line("25%" + v(p[3]) + e(st.smallest[3]) + side("Sum of wgt.", OutText.count(st.sumW, width: 11)))
        s.line()
        s.line("50%" + v(p[4]) + OutText.spaces(15) + side("Mean", num(st.mean)))
        s.line(OutText.spaces(24) + "Largest" + side("Std. dev.", num(st.sd)))
        s.line("75%" + v(p[5]) + e(st.largest[0]))
        s.line("90%" + v(p[6]) + e(st.largest[1]) + side("Variance", num(st.variance)))
        s.line("95%" + v(p[7]) + e(st.largest[2]) + side("Skewness", num(st.skewness)))
        s.line("99%" + v(p[8]) + e(st.largest[3]) + side("Kurtosis", num(st.kurtosis)))
    }
}
