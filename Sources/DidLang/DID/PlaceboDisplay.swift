// placebo's display, stored results, graphs and saved estimates. Tables follow Stata's
// coefficient-table layout (%9.0g numbers, 95% intervals from t(df_r) or the normal).

import DidFrame
import DidGraph
import DidStats
import Foundation

enum PlaceboDisplay {
    static func g(_ x: Double, _ f: String = "%9.0g") -> String {
        if Missing.isMissing(x) || x.isNaN { return "." }
        return (try? Fmt.format(x, f)) ?? String(x)
    }
    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }

    /// Critical value for a two-sided `level`% interval (t with df, else normal).
    static func critical(_ level: Double, df: Double?) -> Double {
        let a = (1 - level / 100) / 2
        if let d = df { return Distributions.invttail(d, a) }
        return Distributions.invNormal(1 - a)
    }

    static func pValue(_ t: Double, df: Double?) -> Double {
        if let d = df { return 2 * Distributions.ttail(d, abs(t)) }
        return 2 * Distributions.normal(-abs(t))
    }

    /// The in-time table: one row per shift, the real estimate first.
    static func inTimeTable(_ p: PlaceboSetup, _ rows: [PlaceboCommand.InTimeRow], level: Double, _ s: Session) {
        let df = p.original.scalars["df_r"].flatMap { Missing.isMissing($0) ? nil : $0 }
        s.line()
        s.line("In-time placebo: treatment dates moved earlier (\(p.cmd) re-estimated per shift)")
        let lv = Session.macroText(level)
        s.line(String(repeating: "-", count: 13) + "+" + String(repeating: "-", count: 76))
        s.line("       shift |      Coef.   Std. Err.      t    P>|t|     [\(lv)% Conf. Interval]         N")
        s.line(String(repeating: "-", count: 13) + "+" + String(repeating: "-", count: 76))
        func row(_ label: String, _ b: Double, _ se: Double, _ df: Double?, _ n: Int) {
            guard !Missing.isMissing(b) else { s.line(pad(label, 12) + " |  (not estimable)"); return }
            let t = b / se, c = critical(level, df: df)
            s.line(pad(label, 12) + " | " + pad(g(b), 10) + pad(g(se), 12) + pad(g(t, "%7.2f"), 9) + pad(g(pValue(t, df: df), "%5.3f"), 8)
                   + pad(g(b - c * se), 13) + pad(g(b + c * se), 12) + pad(DataCommands.fmtInt(n), 10))
        }
        row("real", p.b, p.se, df, Int(p.original.scalars["N"] ?? 0))
        for r in rows { row("-" + Session.macroText(r.shift), r.b, r.se, r.df, r.N) }
        s.line(String(repeating: "-", count: 13) + "+" + String(repeating: "-", count: 76))
    }

    /// r(pbotime): shift, b, se, t, p, level% ci bounds, N per shift.
    static func postInTime(_ rows: [PlaceboCommand.InTimeRow], level: Double, _ r: inout StoredResults) {
        var m = NamedMatrix(rows: rows.count, cols: 8, rowNames: rows.map { "shift" + Session.macroText($0.shift) },
                            colNames: ["shift", "b", "se", "t", "p", "ll", "ul", "N"])
        for (i, row) in rows.enumerated() {
            let t = row.b / row.se, c = critical(level, df: row.df)
            let ok = !Missing.isMissing(row.b)
            m[i, 0] = row.shift; m[i, 1] = row.b; m[i, 2] = row.se
            m[i, 3] = ok ? t : Missing.dot; m[i, 4] = ok ? pValue(t, df: row.df) : Missing.dot
            m[i, 5] = ok ? row.b - c * row.se : Missing.dot; m[i, 6] = ok ? row.b + c * row.se : Missing.dot
            m[i, 7] = Double(row.N)
        }
        r.set("pbotime", m)
        for (i, row) in rows.enumerated() { r.set("b_time\(i + 1)", row.b); r.set("se_time\(i + 1)", row.se) }
    }

    /// Summary of the random placebo distribution against the real estimate.
    static func randomTable(_ p: PlaceboSetup, _ d: PlaceboCommand.Draws, mix: Int?, _ s: Session) {
        let sm = d.summary
        let by = p.panel.blocks == p.panel.units ? "units (\(p.idVar))" : "clusters (\(p.original.macros["clustvar"] ?? ""))"
        s.line()
        if d.kind == "unit" {
            s.line("In-space placebo: \(DataCommands.fmtInt(d.b.count)) random fake treatment groups")
            s.line("  (treatment paths permuted across \(by); \(p.panel.treatedBlocks) of \(p.panel.blocks) treated)")
        } else {
            s.line("Mixed placebo (pbomix(\(mix ?? 1))): \(DataCommands.fmtInt(d.b.count)) random units and dates")
            s.line("  (\(p.panel.treatedBlocks) of \(p.panel.blocks) \(by) given random dates)")
        }
        if sm.reps < d.b.count { s.line("  (\(d.b.count - sm.reps) replicates not estimable: fake treatment collinear)") }
        s.line("  real estimate of \(p.treatvar):  " + g(p.b))
        s.line("  placebo estimates:  mean = " + g(sm.mean) + "   sd = " + g(sm.sd) + "   replicates = \(sm.reps)")
        s.line("  p-values (share at least as extreme):  left = " + g(sm.pLeft, "%6.4f") + "   right = " + g(sm.pRight, "%6.4f")
               + "   two-sided = " + g(sm.pTwoSided, "%6.4f"))
    }

    /// r() scalars for one random kind (prefix `mix_` for the mixed placebo) and r(pbo_unit)/r(pbo_mix).
    static func postRandom(_ d: PlaceboCommand.Draws, _ r: inout StoredResults, reps: Int) {
        let pre = d.kind == "unit" ? "" : "mix_"
        r.set(pre + "reps", Double(d.summary.reps))
        r.set(pre + "mean", d.summary.mean)
        r.set(pre + "sd", d.summary.sd)
        r.set(pre + "p_left", d.summary.pLeft)
        r.set(pre + "p_right", d.summary.pRight)
        r.set(pre + "p_two", d.summary.pTwoSided)
        var m = NamedMatrix(rows: d.b.count, cols: 2, colNames: ["b", "se"])
        for i in 0..<d.b.count {
            m[i, 0] = d.b[i].isFinite ? d.b[i] : Missing.dot
            m[i, 1] = d.se[i].isFinite ? d.se[i] : Missing.dot
        }
        r.set("pbo_" + d.kind, m)
    }

    /// In-time plot: the real estimate and each shift with its interval.
    static func inTimePlot(_ p: PlaceboSetup, _ rows: [PlaceboCommand.InTimeRow], level: Double, _ s: Session) throws {
        let df = p.original.scalars["df_r"].flatMap { Missing.isMissing($0) ? nil : $0 }
        var names = ["real"], b = [p.b], lo = [p.b - critical(level, df: df) * p.se], hi = [p.b + critical(level, df: df) * p.se]
        for r in rows where !Missing.isMissing(r.b) {
            let c = critical(level, df: r.df)
            names.append("-" + Session.macroText(r.shift)); b.append(r.b); lo.append(r.b - c * r.se); hi.append(r.b + c * r.se)
        }
        do {
            let plot = try CoefficientPlot.make(names: names, b: b, lo: lo, hi: hi, vertical: true, title: "In-time placebo",
                                                note: "\(Session.macroText(level))% confidence intervals",
                                                xTitle: "Treatment date shift (periods)", yTitle: "Estimate of \(p.treatvar)", yline: 0)
            store(plot, "placebo_time", s)
        } catch let e as GraphError { throw StataError(198, "placebo graph: \(e)") }
    }

    /// Histogram and kernel density of the placebo estimates, real estimate as a dashed line.
    static func randomPlot(_ p: PlaceboSetup, _ d: PlaceboCommand.Draws, _ s: Session) throws {
        let v = d.b.filter(\.isFinite)
        guard v.count >= 2 else { return }
        do {
            let bins = try Histogram.bins(v, scale: .density)
            var series = [Series.histogram(bins, label: "Placebo estimates")]
            if Set(v).count > 1, let kd = try? KernelDensity.estimate(values: v) {
                var line = Series.line(x: kd.x, y: kd.density, label: "Kernel density")
                line.lineWidth = 2
                series.append(line)
            }
            let real = RefLine(p.b, color: Color(r: 200, g: 30, b: 30), pattern: .dash, width: 1.6)
            let title = d.kind == "unit" ? "In-space placebo" : "Mixed placebo"
            let plot = Plot(title: title, note: "\(v.count) replicates; dashed line: real estimate \(g(p.b).trimmingCharacters(in: .whitespaces))",
                            xTitle: "Placebo estimate of \(p.treatvar)", yTitle: "Density", series: series, xLines: [real])
            store(plot, d.kind == "unit" ? "placebo_unit" : "placebo_mix", s)
        } catch let e as GraphError { throw StataError(198, "placebo graph: \(e)") }
    }

    static func store(_ plot: Plot, _ name: String, _ s: Session) {
        s.graphs[name] = plot
        s.currentGraphName = name
    }

    /// saving(): one row per estimate: kind (1 in-time, 2 in-space, 3 mixed), rep, shift, b, se.
    static func save(_ rows: [PlaceboCommand.InTimeRow], _ draws: [PlaceboCommand.Draws], to path: String, replace: Bool) throws {
        var kind: [Double] = [], rep: [Double] = [], shift: [Double] = [], b: [Double] = [], se: [Double] = []
        for (i, r) in rows.enumerated() { kind.append(1); rep.append(Double(i + 1)); shift.append(r.shift); b.append(r.b); se.append(r.se) }
        for d in draws {
            for i in 0..<d.b.count {
                kind.append(d.kind == "unit" ? 2 : 3); rep.append(Double(i + 1)); shift.append(Missing.dot)
                b.append(d.b[i].isFinite ? d.b[i] : Missing.dot); se.append(d.se[i].isFinite ? d.se[i] : Missing.dot)
            }
        }
        var kc = Column(name: "kind", type: .byte, values: kind)
        kc.label = "1 in-time, 2 in-space, 3 mixed"
        let frame = Frame(columns: [kc, Column(name: "rep", type: .long, values: rep), Column(name: "shift", type: .double, values: shift),
                                    Column(name: "b", type: .double, values: b), Column(name: "se", type: .double, values: se)])
        try DTAWriter.write(frame, to: path, replace: replace)
    }
}
