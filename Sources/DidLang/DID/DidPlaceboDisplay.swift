// didplacebo's printed tables, stored matrices, graphs and saved draws. The layouts follow the
// SSC command's display code: the in-time table is an `ereturn display` of the shifted
// estimates (z statistics, rows L#.treatvar); the random tests print a one-row `matlist` of
// the real coefficient and the three randomisation p-values, with didplacebo's two notes.

import DidFrame
import DidGraph
import DidStats
import Foundation

enum DidPlaceboDisplay {
    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
    static func fmt(_ x: Double, _ f: String) -> String {
        if Missing.isMissing(x) || !x.isFinite { return "." }
        return (try? Fmt.format(x, f)) ?? String(x)
    }

    /// Writes a paragraph wrapped at 79 columns, later lines indented by `indent` ({p 0 6 2}).
    static func paragraph(_ text: String, first: Int = 0, indent: Int = 6, _ s: Session) {
        var line = String(repeating: " ", count: first)
        for w in text.split(separator: " ") {
            if line.count + w.count + 1 > 79, !line.trimmingCharacters(in: .whitespaces).isEmpty {
                s.line(line); line = String(repeating: " ", count: indent)
            }
            line += (line.trimmingCharacters(in: .whitespaces).isEmpty ? "" : " ") + w
        }
        s.line(line)
    }

    /// The shifted estimates as e(b)/e(V) (diagonal), as didplacebo posts them; a shift whose fake
    /// treatment is collinear gets Stata's omitted 0.
    static func inTimeEstimates(_ p: PlaceboSetup, _ rows: [PlaceboCommand.InTimeRow], level: Double) -> StoredResults {
        let names = rows.map { "L" + Session.macroText($0.shift) + "." + p.treatvar }
        var b = NamedMatrix(rows: 1, cols: rows.count, colNames: names)
        var V = NamedMatrix(rows: rows.count, cols: rows.count, rowNames: names, colNames: names)
        for (i, r) in rows.enumerated() where !Missing.isMissing(r.b) {
            b[0, i] = r.b; V[i, i] = r.se * r.se
        }
        var e = StoredResults()
        e.set("b", b); e.set("V", V); e.set("level", level)
        return e
    }

    /// "Results of in-time placebo test …" and the `ereturn display` table.
    static func inTimeTable(_ p: PlaceboSetup, _ rows: [PlaceboCommand.InTimeRow], level: Double, _ s: Session) throws {
        s.line()
        s.line("Results of in-time placebo test using fake treatment times:")
        try EstimationTable.coefficientTable(inTimeEstimates(p, rows, level: level), s)
        paragraph("Note: The standard errors are computed using the same method as specified by the Stata command "
                  + "previously used for DID estimation. For example, if \"xtreg, r\" or \"reghdfe, cluster(clustvar)\" "
                  + "is used, then cluster-robust standard errors are reported.", s)
    }

    /// e(pbotime): one row per shift (r1, r2, …), columns lagged b se z pvalue ll ul (normal-based,
    /// as `ereturn display` without e(df_r) gives them).
    static func inTimeMatrix(_ rows: [PlaceboCommand.InTimeRow], level: Double) -> NamedMatrix {
        var m = NamedMatrix(rows: rows.count, cols: 7, rowNames: (1...max(rows.count, 1)).prefix(rows.count).map { "r\($0)" },
                            colNames: ["lagged", "b", "se", "z", "pvalue", "ll", "ul"])
        let c = Distributions.invNormal(1 - (1 - level / 100) / 2)
        for (i, r) in rows.enumerated() {
            m[i, 0] = r.shift
            let ok = !Missing.isMissing(r.b) && r.se > 0
            m[i, 1] = ok ? r.b : 0; m[i, 2] = ok ? r.se : 0
            let z = ok ? r.b / r.se : Missing.dot
            m[i, 3] = z
            m[i, 4] = ok ? 2 * Distributions.normal(-abs(z)) : Missing.dot
            m[i, 5] = ok ? r.b - c * r.se : Missing.dot
            m[i, 6] = ok ? r.b + c * r.se : Missing.dot
        }
        return m
    }

    /// "mixed placebo test for standard DID" and its staggered variants.
    static func mixName(_ m: Int) -> String {
        switch m {
        case 1: return "mixed placebo test for standard DID"
        case 2: return "unrestricted mixed placebo test for staggered DID"
        default: return "restricted mixed placebo test for staggered DID"
        }
    }

    /// The box with the number of fake-treated units (versions 1, 2) and the window of fake times.
    static func mixHeader(_ rule: MixedPlaceboRule, _ s: Session) {
        let left = String(repeating: "-", count: 34), right = String(repeating: "-", count: 38)
        let range = "[" + Session.macroText(rule.scope.lo) + ", " + Session.macroText(rule.scope.hi) + "]"
        let lpad = (38 - range.count) / 2
        let centred = String(repeating: " ", count: max(lpad, 0)) + range + String(repeating: " ", count: max(38 - range.count - lpad, 0))
        if rule.method != 3 {
            s.line(left + "+" + right)
            s.line("   The number of units randomly   |     The range within which fake")
            s.line(" selected as fake treatment units | treatment times are randomly selected")
            s.line(left + "+" + right)
            s.line(pad(String(rule.units), 18) + String(repeating: " ", count: 16) + "|" + centred)
            s.line(left + "+" + right)
        } else {
            s.line(right)
            s.line("     The range within which fake")
            s.line(" treatment times are randomly selected")
            s.line(right)
            s.line(centred)
            s.line(right)
        }
    }

    /// The one-row `matlist` of the real coefficient and the p-values, with the notes.
    static func pValueTable(_ p: PlaceboSetup, _ d: DidPlaceboCommand.Draws, _ s: Session) {
        s.line()
        if d.kind == "pbounit" {
            s.line("Results of in-space placebo test results using fake treatment units:")
        } else {
            let m = Int(d.kind.dropFirst(6)) ?? 1
            s.line("Results of " + mixName(m) + " (version \(m)) using both fake treatment units and times:")
        }
        let sm = d.summary
        let rule = String(repeating: "-", count: 66)
        s.line(rule)
        s.line("            |             |                 P-value")
        s.line("            | Coefficient |  Two-sided   Left-sided   right-sided")
        s.line("------------+-------------+-------------------------------------")
        s.line(" " + pad(EstimationTable.abbreviate(p.treatvar, 10), 10) + " | " + pad(fmt(p.b, "%11.6f"), 11) + " | "
               + pad(fmt(sm.pTwoSided, "%10.4f"), 10) + "   " + pad(fmt(sm.pLeft, "%10.4f"), 10) + "   " + pad(fmt(sm.pRight, "%11.4f"), 11))
        s.line(rule)
        paragraph("Note: (1) The two-sided p-value is the frequency that the absolute values of the placebo effects are "
                  + "greater than or equal to the absolute value of estimated treatment effect.", s)
        paragraph("(2) The left-sided (right-sided) p-value is the frequency that the placebo effects are smaller "
                  + "(greater) than or equal to the estimated treatment effect.", first: 6, s)
        if d.collinear > 0 {
            s.line("(\(d.collinear) of \(d.b.count) fake treatments were collinear with the fixed effects; their "
                   + "placebo effect is 0, the omitted coefficient)")
        }
    }

    /// e(pbounit)/e(pbomix#): 1 x 4, row treatvar; the P-value columns carry that equation.
    static func pValueMatrix(_ p: PlaceboSetup, _ d: DidPlaceboCommand.Draws) -> NamedMatrix {
        var m = NamedMatrix(rows: 1, cols: 4, rowNames: [p.treatvar],
                            colNames: ["Coefficient", "P-value:Two-sided", "P-value:Left-sided", "P-value:right-sided"])
        m[0, 0] = p.b
        m[0, 1] = d.summary.pTwoSided; m[0, 2] = d.summary.pLeft; m[0, 3] = d.summary.pRight
        return m
    }

    /// Builds didplacebo's graphs (pbotime, pbounit, pbomix#), stores them under those names and
    /// returns them in order.
    static func graphs(_ p: PlaceboSetup, _ rows: [PlaceboCommand.InTimeRow], _ draws: [DidPlaceboCommand.Draws],
                       level: Double, _ s: Session) throws -> [(String, Plot)] {
        var out: [(String, Plot)] = []
        do {
            if !rows.isEmpty {
                let m = inTimeMatrix(rows, level: level)
                let x = (0..<m.rows).map { m[$0, 0] }, b = (0..<m.rows).map { m[$0, 1] }
                let ci = Series.rcap(x: x, lo: (0..<m.rows).map { m[$0, 5] }, hi: (0..<m.rows).map { m[$0, 6] },
                                     label: "\(Session.macroText(level))% Confidence Interval")
                let line = Series.connected(x: x, y: b, label: "Placebo Effect", marker: .circleHollow)
                var xAxis = Axis(grid: false)
                xAxis.ticks = x
                let plot = Plot(title: "In-time Placebo Test", xTitle: "number of periods shifted back as fake treatment time",
                                yTitle: "placebo effect", series: [ci, line], yLines: [RefLine(0, pattern: .dash)], xAxis: xAxis)
                out.append(("pbotime", plot))
            }
            for d in draws {
                let v = d.b.filter(\.isFinite)
                guard v.count >= 2 else { continue }
                let xmax = (v + [p.b]).map(abs).max() ?? 1
                var series = [try Series.histogram(v, label: "Histogram", color: Color(r: 128, g: 128, b: 128))]
                if Set(v).count > 1, let kd = try? Series.kdensity(v, label: "Kernel density estimate") { series.insert(kd, at: 0) }
                var xAxis = Axis(grid: false)
                xAxis.range = (-xmax, xmax)
                let title: String
                if d.kind == "pbounit" { title = "In-space Placebo Test" } else {
                    let m = Int(d.kind.dropFirst(6)) ?? 1
                    title = m == 1 ? "Mixed Placebo Test for Standard DID"
                        : (m == 2 ? "Unrestricted" : "Restricted") + " Mixed Placebo Test for Staggered DID"
                }
                let plot = Plot(title: title, xTitle: "distribution of placebo effects", yTitle: "density", series: series,
                                xLines: [RefLine(0, pattern: .dash), RefLine(p.b, pattern: .solid)], xAxis: xAxis)
                out.append((d.kind, plot))
            }
        } catch let e as GraphError { throw StataError(198, "didplacebo graph: \(e)") }
        for (name, plot) in out { s.graphs[name] = plot; s.currentGraphName = name }
        return out
    }

    /// savegraph(prefix): prefix_<graph>.png and .pdf for each graph.
    static func saveGraphs(_ graphs: [(String, Plot)], prefix: String, replace: Bool, _ s: Session) throws {
        s.line()
        for (name, plot) in graphs {
            for ext in ["png", "pdf"] {
                let path = s.resolvePath("\(prefix)_\(name).\(ext)")
                try GraphCommands.wrap { try GraphRenderer.render(plot, to: path, replace: replace) }
                s.line("file \(path) saved as \(ext.uppercased()) format")
            }
        }
    }

    /// frame(name): the draws (CoefOfPboUnit, CoefOfPboMix#, `repeat` rows) saved as name.dta.
    static func saveDraws(_ draws: [DidPlaceboCommand.Draws], reps: Int, name: String, _ s: Session) throws {
        let cols = draws.map { d -> Column in
            let v = d.kind == "pbounit" ? "CoefOfPboUnit" : "CoefOfPboMix" + d.kind.dropFirst(6)
            return Column(name: v, type: .double, values: d.b.map { $0.isFinite ? $0 : Missing.dot })
        }
        let path = s.resolvePath(name + ".dta")
        try DTAWriter.write(Frame(columns: cols), to: path, replace: true)
        s.line("note: frames are not supported; the placebo effects were saved as \(path) (use \(name), clear)")
    }
}
