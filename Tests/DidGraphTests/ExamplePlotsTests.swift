// One example of each plot the studies need, built from the reference data where there is
// some, rendered to /tmp/didgraph-examples/*.png (and looked at by eye when they change), and
// checked for what must be on them: titles, tick labels, legend entries, no overlapping text.
import Foundation
import XCTest
@testable import DidGraph

final class ExamplePlotsTests: XCTestCase {
    static let outDir: String = {
        let d = "/tmp/didgraph-examples"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    func testEventStudy() throws {
        let plot = try ExamplePlots.eventStudy()
        let scene = try GraphRenderer.layout(plot)
        XCTAssertEqual(scene.strings(.xTick), ["-4", "-3", "-2", "-1", "0", "1", "2", "3"])
        XCTAssertEqual(scene.strings(.legend), ["95% CI", "Estimate"])
        XCTAssertTrue(scene.strings(.yTick).contains("0"))
        Support.assertNoOverlap(scene)
        try GraphRenderer.render(plot, to: Self.outDir + "/event_study.png")
        try GraphRenderer.render(plot, to: Self.outDir + "/event_study.pdf")
        try GraphRenderer.render(plot, to: Self.outDir + "/event_study.svg")
    }

    func testHorizontalCoefplot() throws {
        let names = ["1.treat#1.post", "age", "education (years)", "married", "_cons"]
        let b = [1.2, -0.05, 0.31, 0.8, -2.4], se = [0.4, 0.02, 0.08, 0.5, 1.1]
        let plot = try CoefficientPlot.make(names: names, b: b, lo: zip(b, se).map { $0 - 1.96 * $1 },
                                            hi: zip(b, se).map { $0 + 1.96 * $1 }, vertical: false,
                                            title: "Coefficients", xTitle: "Estimate and 95% CI", xline: 0)
        let scene = try GraphRenderer.layout(plot)
        XCTAssertEqual(scene.strings(.yTick), names)
        let tickY = scene.texts.filter { $0.role == .yTick }.map(\.at.y)
        XCTAssertEqual(tickY, tickY.sorted())   // first coefficient on top
        XCTAssertTrue(scene.strings(.legend).isEmpty)
        Support.assertNoOverlap(scene)
        try GraphRenderer.render(plot, to: Self.outDir + "/coefplot_horizontal.png")
    }

    func testPlacebo() throws {
        let plot = try ExamplePlots.placebo()
        let scene = try GraphRenderer.layout(plot)
        XCTAssertEqual(scene.strings(.legend), ["Placebo estimates", "Kernel density"])
        XCTAssertEqual(scene.strings(.lineLabel), ["True estimate"])
        Support.assertNoOverlap(scene)
        try GraphRenderer.render(plot, to: Self.outDir + "/placebo.png")
    }

    func testOverlap() throws {
        let plot = try ExamplePlots.overlap()
        let scene = try GraphRenderer.layout(plot)
        XCTAssertEqual(scene.strings(.legend).count, 3)
        XCTAssertEqual(scene.strings(.legend).first, "Treated (N = 185)")
        XCTAssertTrue(scene.strings(.legend)[1].hasSuffix("(N = 15992)"))
        XCTAssertEqual(scene.strings(.xTick).first, "0")
        XCTAssertEqual(scene.strings(.xTick).last, "1")
        Support.assertNoOverlap(scene)
        try GraphRenderer.render(plot, to: Self.outDir + "/pscore_overlap.png")
    }

    /// Before/after matching as two panels (`graph combine`): treated vs controls in each.
    func testCombinedOverlapPanels() throws {
        let cols = Support.csvColumns(try Support.reference("values/psmatch2_nsw_cps.csv"))
        let treat = cols["treat"]!, ps = cols["pscore"]!, w = cols["w_nn1"]!
        let t = ps.indices.filter { treat[$0] == 1 }.map { ps[$0] }
        let c = ps.indices.filter { treat[$0] == 0 }
        let matched = c.filter { w[$0] > 0 }
        func panel(_ title: String, _ controls: [Double], _ weights: [Double]?) throws -> Plot {
            var p = Plot(title: title, xTitle: "Propensity score", yTitle: "Density",
                         series: [try .kdensity(t, bandwidth: 0.06, range: (0, 1), label: "Treated"),
                                  try .kdensity(controls, weights: weights, bandwidth: 0.06, range: (0, 1),
                                                label: "Controls", pattern: .dash)])
            p.legend.position = .insideTopRight
            return p
        }
        let combined = CombinedPlot([try panel("Before matching", c.map { ps[$0] }, nil),
                                     try panel("After 1-NN matching", matched.map { ps[$0] }, matched.map { w[$0] })],
                                    commonY: true, title: "Propensity score overlap",
                                    note: "NSW treated vs CPS controls; psmatch2 weights.",
                                    width: 1000, height: 500)
        let scene = try GraphRenderer.layout(combined)
        XCTAssertEqual(scene.strings(.title), ["Propensity score overlap", "Before matching", "After 1-NN matching"])
        XCTAssertEqual(scene.strings(.legend), ["Treated", "Controls", "Treated", "Controls"])
        // The second panel sits in the right half.
        let second = scene.texts.first { $0.string == "After 1-NN matching" }!
        XCTAssertGreaterThan(second.at.x, 500)
        // ycommon: both panels carry the same y tick labels.
        let yticks = scene.strings(.yTick)
        XCTAssertEqual(Array(yticks.prefix(yticks.count / 2)), Array(yticks.suffix(yticks.count / 2)))
        Support.assertNoOverlap(scene)
        try GraphRenderer.render(combined, to: Self.outDir + "/overlap_combined.png")
        XCTAssertThrowsError(try GraphRenderer.layout(CombinedPlot([]))) { e in
            XCTAssertEqual((e as? GraphError)?.stataCode, 2000)
        }
        XCTAssertEqual(CombinedPlot(Array(repeating: Plot(), count: 4)).grid.columns, 2)
        XCTAssertEqual(CombinedPlot(Array(repeating: Plot(), count: 3)).grid.columns, 3)
        XCTAssertEqual(CombinedPlot(Array(repeating: Plot(), count: 5), columns: 2).grid.rows, 3)
    }

    /// Every marker symbol and line pattern, legend on the right: a visual check of the styles.
    func testStyleGallery() throws {
        var series: [Series] = []
        for (i, m) in MarkerSymbol.allCases.enumerated() where m != .invisible {
            series.append(.scatter(x: [1, 2, 3, 4], y: [Double](repeating: Double(i), count: 4), label: m.rawValue,
                                   color: Color.palette(i), marker: m, size: 9))
        }
        for (i, pattern) in LinePattern.allCases.enumerated() {
            series.append(.line(x: [5, 8], y: [Double(i) * 2, Double(i) * 2], label: pattern.rawValue,
                                color: Color.palette(i), pattern: pattern, width: 2))
        }
        series.append(.rarea(x: [5, 6, 7, 8], lo: [-3, -2.5, -3, -2], hi: [-1.5, -1, -1.2, -0.5], label: "rarea"))
        var plot = Plot(title: "Markers and line patterns", series: series)
        plot.legend.position = .right
        let scene = try GraphRenderer.layout(plot)
        XCTAssertEqual(scene.strings(.legend).count, MarkerSymbol.allCases.count - 1 + LinePattern.allCases.count + 1)
        XCTAssertGreaterThan(scene.texts.first { $0.role == .legend }!.at.x, scene.plotRegion.maxX)
        Support.assertNoOverlap(scene)
        try GraphRenderer.render(plot, to: Self.outDir + "/styles.png")
    }

    func testTrends() throws {
        let plot = try ExamplePlots.trends()
        let scene = try GraphRenderer.layout(plot)
        XCTAssertEqual(scene.strings(.xTick), ["2003", "2004", "2005", "2006", "2007"])
        Support.assertNoOverlap(scene)
        try GraphRenderer.render(plot, to: Self.outDir + "/trends.png")
    }
}

/// The example plots, shared by the rendering and golden-file tests.
enum ExamplePlots {
    /// The event study of the reference bundle (mpdta, leads/lags around first treatment).
    static func eventStudy() throws -> Plot {
        let json = try Support.reference("values/event_study.json")
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let cases = root["cases"] as! [[String: Any]]
        let results = cases.first { ($0["id"] as? String) == "event_mpdta_twfe" }!["results"] as! [String: Any]
        let coef = results["coef"] as! [String: Double], lo = results["ci_lower"] as! [String: Double]
        let hi = results["ci_upper"] as! [String: Double]
        // Event times −4…3 with −1 the omitted reference period (0 by construction).
        let names = ["lead4", "lead3", "lead2", "ref", "lag0", "lag1", "lag2", "lag3"]
        let times: [Double] = [-4, -3, -2, -1, 0, 1, 2, 3]
        let b = names.map { coef[$0] ?? 0 }, l = names.map { lo[$0] ?? 0 }, h = names.map { hi[$0] ?? 0 }
        return try CoefficientPlot.make(
            names: times.map { NiceScale.format($0, decimals: 0) }, b: b, lo: l, hi: h, vertical: true,
            positions: times, title: "Event study: effect of minimum wage on teen employment",
            subtitle: "mpdta, two-way fixed effects, 95% CI clustered by county",
            note: "Reference period: one year before treatment.",
            xTitle: "Years relative to treatment", yTitle: "Coefficient on log employment",
            yline: 0, xline: -0.5, connect: true, label: "Estimate", ciLabel: "95% CI")
    }

    /// 500 placebo estimates: histogram, kdensity on top, the true estimate as a vertical line.
    static func placebo() throws -> Plot {
        var rng = Support.Normal(seed: 42)
        let placebo = (0..<500).map { _ in 0.02 * rng.next() }
        let truth = -0.0454
        let bins = try Histogram.bins(placebo)
        let kd = try KernelDensity.estimate(values: placebo)
        var plot = Plot(title: "Placebo distribution of the DiD estimate",
                        subtitle: "500 random treatment assignments",
                        note: kd.stataNote,
                        xTitle: "Placebo estimate", yTitle: "Density",
                        series: [.histogram(bins, label: "Placebo estimates", color: Color.palette(0)),
                                 .line(x: kd.x, y: kd.density, label: "Kernel density", color: Color.palette(1))])
        plot.xLines = [RefLine(truth, color: Color.palette(5), pattern: .dash, width: 2, label: "True estimate")]
        return plot
    }

    /// Propensity-score overlap: treated vs control densities of the reference logit scores,
    /// before matching (all controls) and after 1-NN matching (controls weighted by psmatch2's
    /// `_weight` from the reference bundle).
    static func overlap() throws -> Plot {
        let cols = Support.csvColumns(try Support.reference("values/psmatch2_nsw_cps.csv"))
        let treat = cols["treat"]!, ps = cols["pscore"]!, w = cols["w_nn1"]!
        let t = ps.indices.filter { treat[$0] == 1 }.map { ps[$0] }
        let c = ps.indices.filter { treat[$0] == 0 }
        let matched = c.filter { w[$0] > 0 }
        let grid = (0..<101).map { Double($0) / 100 }
        let kt = try KernelDensity.estimate(values: t, bandwidth: 0.06, at: grid)
        let kc = try KernelDensity.estimate(values: c.map { ps[$0] }, bandwidth: 0.06, at: grid)
        let km = try KernelDensity.estimate(values: matched.map { ps[$0] }, weights: matched.map { w[$0] },
                                            bandwidth: 0.06, at: grid)
        var plot = Plot(title: "Propensity score overlap", subtitle: "NSW treated vs CPS controls, logit score",
                        note: "Epanechnikov kernel, bandwidth .06; matched controls weighted by psmatch2 _weight.",
                        xTitle: "Propensity score", yTitle: "Density",
                        series: [.line(x: kt.x, y: kt.density, label: "Treated (N = \(t.count))", width: 2.2),
                                 .line(x: kc.x, y: kc.density, label: "Controls, before matching (N = \(c.count))",
                                       pattern: .dash),
                                 .line(x: km.x, y: km.density, label: "Controls, after 1-NN matching (N = \(matched.count))",
                                       pattern: .shortDash, width: 2.2)])
        plot.legend.position = .insideTopRight
        plot.xAxis.range = (0, 1)
        return plot
    }

    /// Mean log employment by year, treated (first_treat > 0) vs never treated, from mpdta.
    static func trends() throws -> Plot {
        let cols = Support.csvColumns(try Support.reference("data/mpdta.csv"))
        let year = cols["year"]!, lemp = cols["lemp"]!, ft = cols["first_treat"]!
        let years = Array(Set(year)).sorted()
        func means(_ treated: Bool) -> [Double] {
            years.map { y in
                let v = year.indices.filter { year[$0] == y && (ft[$0] > 0) == treated }.map { lemp[$0] }
                return v.reduce(0, +) / Double(v.count)
            }
        }
        var plot = Plot(title: "Mean log teen employment by year", xTitle: "Year", yTitle: "Mean log employment",
                        series: [.connected(x: years, y: means(true), label: "Eventually treated"),
                                 .connected(x: years, y: means(false), label: "Never treated", marker: .diamond,
                                            pattern: .dash)])
        plot.xAxis.ticks = years
        plot.xLines = [RefLine(2003.5, color: .axis, pattern: .dot)]
        return plot
    }
}
