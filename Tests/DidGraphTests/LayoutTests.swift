// Layout: missing values break lines, legends (content, order, positions), axis overrides,
// label rotation, scaling with size, palette defaults, style names and coefficient-plot input.
import Foundation
import XCTest
@testable import DidGraph

final class LayoutTests: XCTestCase {
    let x: [Double] = [1, 2, 3, 4, 5]

    func paths(_ scene: Scene, stroke color: Color) -> [[[Point]]] {
        scene.items.compactMap { item in
            if case let .path(sub, _, _, stroke) = item, stroke?.color == color { return sub }
            return nil
        }
    }

    func testMissingValuesBreakLinesAndAreas() throws {
        let red = Color(r: 200, g: 0, b: 0)
        let p = Plot(series: [.line(x: x, y: [1, 2, .nan, 4, 5], color: red)])
        let lines = paths(try GraphRenderer.layout(p), stroke: red)
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines[0].map(\.count), [2, 2])
        // A lone point between gaps draws no segment; a missing x breaks too.
        let q = Plot(series: [.line(x: [1, 2, .nan, 4, 5, 6], y: [1, .nan, 3, 4, 5, 6], color: red)])
        XCTAssertEqual(paths(try GraphRenderer.layout(q), stroke: red)[0].map(\.count), [3])
        // rarea: one polygon per unbroken run.
        let band = Plot(series: [.rarea(x: x, lo: [0, 0, .nan, 0, 0], hi: [1, 2, 3, 2, 1], color: red)])
        let fills = try GraphRenderer.layout(band).items.compactMap { item -> [[Point]]? in
            if case let .path(sub, true, fill?, _) = item, fill.red > 0.5, fill.green < 0.5 { return sub }
            return nil
        }
        XCTAssertEqual(fills.map { $0.map(\.count) }, [[4, 4]])
        // scatter: no marker for a missing point.
        let sc = try GraphRenderer.layout(Plot(series: [.scatter(x: x, y: [1, .nan, 3, 4, .nan], color: red)]))
        let markers = sc.items.filter { if case let .circle(_, _, fill, _) = $0 { return fill == red } else { return false } }
        XCTAssertEqual(markers.count, 3)
    }

    func legendRect(_ scene: Scene) -> Rect? {
        let legendTexts = scene.texts.filter { $0.role == .legend }
        guard !legendTexts.isEmpty else { return nil }
        let minX = legendTexts.map(\.at.x).min()!, minY = legendTexts.map(\.at.y).min()!, maxY = legendTexts.map(\.at.y).max()!
        return Rect(x: minX, y: minY, width: 1, height: maxY - minY)
    }

    func testLegendContentAndOrder() throws {
        var p = Plot(series: [.line(x: x, y: x, label: "first"), .line(x: x, y: x.map { -$0 }, label: "second"),
                              .line(x: x, y: x.map { $0 * 2 })])
        XCTAssertEqual(try GraphRenderer.layout(p).strings(.legend), ["first", "second"])
        p.legend.order = [1, 0, 7]            // out-of-range entries are ignored
        XCTAssertEqual(try GraphRenderer.layout(p).strings(.legend), ["second", "first"])
        p.legend.show = false
        XCTAssertEqual(try GraphRenderer.layout(p).strings(.legend), [])
        // One labelled series: no legend unless asked for.
        var one = Plot(series: [.line(x: x, y: x, label: "only")])
        XCTAssertEqual(try GraphRenderer.layout(one).strings(.legend), [])
        one.legend.show = true
        XCTAssertEqual(try GraphRenderer.layout(one).strings(.legend), ["only"])
    }

    func testLegendPositions() throws {
        var p = Plot(title: "T", series: [.line(x: x, y: x, label: "alpha"), .line(x: x, y: x.map { 6 - $0 }, label: "beta")])
        for pos in LegendPosition.allCases {
            p.legend.position = pos
            let scene = try GraphRenderer.layout(p)
            let r = scene.plotRegion, l = try XCTUnwrap(legendRect(scene))
            switch pos {
            case .bottom: XCTAssertGreaterThan(l.y, r.maxY, "\(pos)")
            case .top:
                XCTAssertLessThan(l.maxY, r.y, "\(pos)")
                XCTAssertGreaterThan(l.y, scene.texts.first { $0.role == .title }!.at.y, "\(pos)")
            case .right: XCTAssertGreaterThan(l.x, r.maxX, "\(pos)")
            case .left: XCTAssertLessThan(l.x, r.x, "\(pos)")
            default:
                XCTAssertTrue(l.x > r.x && l.x < r.maxX && l.y > r.y && l.maxY < r.maxY, "\(pos) inside")
            }
            // Bottom/top legends default to 2 columns: entries side by side.
            let ys = scene.texts.filter { $0.role == .legend }.map(\.at.y)
            if pos == .bottom || pos == .top { XCTAssertEqual(ys[0], ys[1]) } else { XCTAssertLessThan(ys[0], ys[1]) }
            Support.assertNoOverlap(scene)
        }
    }

    func testTitlesAndAxisTitles() throws {
        let p = Plot(title: "Main", subtitle: "Sub", note: "Source: test", xTitle: "Year", yTitle: "Outcome",
                     series: [.line(x: x, y: x)])
        let s = try GraphRenderer.layout(p)
        XCTAssertEqual(s.strings(.title), ["Main"])
        XCTAssertEqual(s.strings(.subtitle), ["Sub"])
        XCTAssertEqual(s.strings(.note), ["Source: test"])
        XCTAssertEqual(s.strings(.xTitle), ["Year"])
        XCTAssertEqual(s.strings(.yTitle), ["Outcome"])
        XCTAssertEqual(s.texts.first { $0.role == .yTitle }!.angle, 90)
        // Title above the plot, x title below it, y title to its left.
        let r = s.plotRegion
        XCTAssertLessThan(s.texts.first { $0.role == .title }!.at.y, r.y)
        XCTAssertGreaterThan(s.texts.first { $0.role == .xTitle }!.at.y, r.maxY)
        XCTAssertLessThan(s.texts.first { $0.role == .yTitle }!.at.x, r.x)
    }

    func testAxisOverrides() throws {
        var p = Plot(series: [.line(x: x, y: [3, 1, 4, 1, 5])])
        p.xAxis.tickLabels = [(1, "one"), (3, "three"), (5, "five")]
        p.yAxis.ticks = [0, 2.5, 5]
        var s = try GraphRenderer.layout(p)
        XCTAssertEqual(s.strings(.xTick), ["one", "three", "five"])
        XCTAssertEqual(s.strings(.yTick), ["0", "2.5", "5"])
        // An exact range drops ticks outside it and clips the data.
        p.yAxis = Axis(range: (2, 4), exact: true, ticks: [0, 2, 3, 4, 5], grid: true)
        s = try GraphRenderer.layout(p)
        XCTAssertEqual(s.strings(.yTick), ["2", "3", "4"])
        let yt = s.texts.filter { $0.role == .yTick }.map(\.at.y)
        XCTAssertEqual(yt[0], s.plotRegion.maxY, accuracy: 1e-9)   // 2 at the bottom edge
        XCTAssertEqual(yt[2], s.plotRegion.y, accuracy: 1e-9)      // 4 at the top
        // Grid lines: one per y tick, in the grid colour.
        let grid = s.items.filter { if case let .path(_, _, _, st?) = $0 { return st.color == .grid } else { return false } }
        XCTAssertEqual(grid.count, 3)
        // A forced (non-exact) range widens the axis to include it.
        var w = Plot(series: [.line(x: x, y: x)])
        w.yAxis.range = (0, 10)
        let ticks = try GraphRenderer.layout(w).strings(.yTick)
        XCTAssertEqual(ticks.first, "0"); XCTAssertEqual(ticks.last, "10")
        // A display format from the language layer writes the labels.
        var f = Plot(series: [.line(x: [0, 20000], y: [0, 1])])
        f.xAxis.format = { v in v == 0 ? "0" : String(format: "%.0f,%03.0f", (v / 1000).rounded(.down), v.truncatingRemainder(dividingBy: 1000)) }
        XCTAssertEqual(try GraphRenderer.layout(f).strings(.xTick), ["0", "5,000", "10,000", "15,000", "20,000"])
        // Hidden axes draw no ticks.
        w.xAxis.show = false
        XCTAssertEqual(try GraphRenderer.layout(w).strings(.xTick), [])
    }

    func testCrowdedLabelsRotateAndDoNotOverlap() throws {
        let names = (1...16).map { "coefficient_\($0)" }
        let b = names.indices.map { sin(Double($0)) }
        let plot = try CoefficientPlot.make(names: names, b: b, lo: b.map { $0 - 0.5 }, hi: b.map { $0 + 0.5 },
                                            vertical: true, title: "Many coefficients", yline: 0)
        let s = try GraphRenderer.layout(plot)
        XCTAssertEqual(Set(s.texts.filter { $0.role == .xTick }.map(\.angle)), [45])
        Support.assertNoOverlap(s)
        // An explicit angle is kept.
        var q = plot
        q.xAxis.angle = 90
        let s2 = try GraphRenderer.layout(q)
        XCTAssertEqual(Set(s2.texts.filter { $0.role == .xTick }.map(\.angle)), [90])
        Support.assertNoOverlap(s2)
        try GraphRenderer.render(plot, to: ExamplePlotsTests.outDir + "/crowded_coefplot.png")
    }

    func testLongTextsWrapOrShorten() throws {
        let long = "A very long title that goes on and on about the effect of the minimum wage on teen employment in US counties"
        var p = Plot(title: long, subtitle: long, note: long + " " + long,
                     xTitle: String(repeating: "x title ", count: 30), yTitle: String(repeating: "y title ", count: 30),
                     series: [.line(x: x, y: x, label: String(repeating: "label ", count: 40)),
                              .line(x: x, y: x.map { -$0 }, label: "short")])
        for pos in [LegendPosition.bottom, .right, .insideTopLeft] {
            p.legend.position = pos
            let s = try GraphRenderer.layout(p)
            XCTAssertGreaterThan(s.strings(.title).count, 1, "title wraps")
            XCTAssertEqual(s.strings(.title).joined(separator: " "), long)
            XCTAssertGreaterThan(s.strings(.note).count, 1, "note wraps")
            XCTAssertTrue(s.strings(.xTitle)[0].hasSuffix("…"))
            XCTAssertTrue(s.strings(.yTitle)[0].hasSuffix("…"))
            XCTAssertTrue(s.strings(.legend)[0].hasSuffix("…"), "\(pos)")
            XCTAssertEqual(s.strings(.legend)[1], "short")
            XCTAssertGreaterThan(s.plotRegion.width, 200, "\(pos)")
            Support.assertNoOverlap(s)
        }
        try GraphRenderer.render(p, to: ExamplePlotsTests.outDir + "/long_texts.png")
    }

    func testExtremeValuesDoNotCrashOrHang() throws {
        let cases: [[Double]] = [[-1e308, 1e308], [1e-300, 2e-300], [5, 5], [0, 1e15], [-.greatestFiniteMagnitude, 0],
                                 [.nan, .nan], [1, .infinity]]
        for y in cases {
            let p = Plot(title: "extreme", series: [.line(x: [0, 1], y: y), .scatter(x: [0, 1], y: y)])
            do {
                let s = try GraphRenderer.layout(p)
                XCTAssertTrue(s.plotRegion.width > 0, "\(y)")
            } catch let e as GraphError {
                XCTAssertEqual(e.stataCode, 198, "\(y)")
            }
        }
    }

    func testFarPointsAreClippedNotDistorted() throws {
        let red = Color(r: 200, g: 0, b: 0)
        var p = Plot(series: [.line(x: [0, 1, 2], y: [0, 1e6, 0], color: red),
                              .scatter(x: [0.5, 1], y: [1e300, 0.5], color: red),
                              .bar(x: [1.5], height: [1e300], width: [0.2], color: red)])
        p.yAxis = Axis(range: (0, 1), exact: true)
        let s = try GraphRenderer.layout(p)
        let all = s.items.flatMap { item -> [Point] in
            switch item {
            case let .path(sub, _, _, _): return sub.flatMap { $0 }
            case let .circle(c, _, _, _): return [c]
            default: return []
            }
        }
        // Nothing is sent to cairo far beyond the graph.
        XCTAssertTrue(all.allSatisfy { abs($0.x) < 5000 && abs($0.y) < 5000 })
        // The visible part keeps its true slope: y = 1e6·x crosses y = 1 (the top edge) at x = 1e-6.
        let line = try XCTUnwrap(s.items.compactMap { item -> [[Point]]? in
            if case let .path(sub, false, nil, stroke?) = item, stroke.color == red { return sub }
            return nil
        }.first)
        let a = line[0][0], b = line[0][1]
        let r = s.plotRegion
        let t = (r.y - a.y) / (b.y - a.y)
        let xAtTop = a.x + t * (b.x - a.x)
        let expected = r.x + (1e-6 - (-0.06)) / (2.06 - (-0.06)) * r.width   // x axis: 0…2 plus 3% margins
        XCTAssertEqual(xAtTop, expected, accuracy: 1e-6)
        // The out-of-range marker is dropped; the other one is drawn.
        XCTAssertEqual(s.items.filter { if case .circle = $0 { return true } else { return false } }.count, 1)
    }

    func testOverlapCheckerCatchesOverlap() {
        let a = [Point(0, 0), Point(10, 0), Point(10, 5), Point(0, 5)]
        XCTAssertTrue(Support.convexOverlap(a, a.map { Point($0.x + 5, $0.y + 2) }))
        XCTAssertFalse(Support.convexOverlap(a, a.map { Point($0.x + 11, $0.y) }))
        // Two slanted strips whose screen boxes overlap but which do not touch.
        let d = [Point(0, 0), Point(10, -10), Point(12, -8), Point(2, 2)]
        XCTAssertFalse(Support.convexOverlap(d, d.map { Point($0.x + 6, $0.y) }))
        XCTAssertTrue(Support.convexOverlap(d, d.map { Point($0.x + 1, $0.y) }))
    }

    func testScalesWithSize() throws {
        let p = Plot(title: "Scaled", series: [.line(x: x, y: x)])
        let small = try GraphRenderer.layout(p), big = try GraphRenderer.layout(p, width: 1600, height: 1200)
        let ts = small.texts.first { $0.role == .title }!.size, tb = big.texts.first { $0.role == .title }!.size
        XCTAssertEqual(tb, 2 * ts, accuracy: 1e-9)
        XCTAssertEqual(big.plotRegion.width / small.plotRegion.width, 2, accuracy: 0.02)
        // Too small for its text: a thrown error, not a crash.
        var crowded = Plot(title: String(repeating: "Long title ", count: 5), note: "n", xTitle: "x", yTitle: "y",
                           series: (0..<12).map { .line(x: x, y: x, label: "series number \($0)") })
        crowded.legend.position = .right
        XCTAssertThrowsError(try GraphRenderer.layout(crowded, width: 60, height: 60)) { e in
            XCTAssertEqual((e as? GraphError)?.stataCode, 198)
        }
        XCTAssertThrowsError(try GraphRenderer.layout(p, width: 10, height: 10))
    }

    func testPaletteDefaults() {
        let p = Plot(series: [.line(x: x, y: x), .line(x: x, y: x, color: .black), .line(x: x, y: x)])
        XCTAssertEqual(p.color(ofSeries: 0), Color.s2color[0])
        XCTAssertEqual(p.color(ofSeries: 1), .black)
        XCTAssertEqual(p.color(ofSeries: 2), Color.s2color[2])
        XCTAssertEqual(Color.palette(15), Color.s2color[0])
        XCTAssertEqual(Color.s2color[0].hex, "#1a476f")    // navy "26 71 111"
    }

    func testStyleNames() {
        XCTAssertEqual(Color.named("navy"), Color.s2color[0])
        XCTAssertEqual(Color.named("255 0 0"), Color(r: 255, g: 0, b: 0))
        XCTAssertEqual(Color.named("gs0"), .black)
        XCTAssertEqual(Color.named("gs16"), .white)
        XCTAssertEqual(Color.named("maroon%30")?.alpha ?? 0, 0.3, accuracy: 1e-12)
        XCTAssertNil(Color.named("notacolour"))
        XCTAssertNil(Color.named("300 0 0"))
        XCTAssertNil(Color.named("red%150"))
        XCTAssertEqual(LinePattern.named("dash"), .dash)
        XCTAssertEqual(LinePattern.named("shortdash"), .shortDash)
        XCTAssertNil(LinePattern.named("wiggly"))
        XCTAssertEqual(MarkerSymbol.named("Oh"), .circleHollow)
        XCTAssertEqual(MarkerSymbol.named("D"), .diamond)
        XCTAssertEqual(MarkerSymbol.named("i"), .invisible)
        XCTAssertNil(MarkerSymbol.named("Q"))
        XCTAssertEqual(LegendPosition.clock(6), .bottom)
        XCTAssertEqual(LegendPosition.clock(3), .right)
        XCTAssertEqual(LegendPosition.clock(1, inside: true), .insideTopRight)
        XCTAssertEqual(LegendPosition.clock(7, inside: true), .insideBottomLeft)
    }

    func testCoefficientPlotInput() throws {
        XCTAssertThrowsError(try CoefficientPlot.make(names: [], b: [], lo: [], hi: [])) { e in
            XCTAssertEqual((e as? GraphError)?.stataCode, 2000)
        }
        XCTAssertThrowsError(try CoefficientPlot.make(names: ["a", "b"], b: [1], lo: [0, 0], hi: [2, 2])) { e in
            XCTAssertEqual((e as? GraphError)?.stataCode, 198)
        }
        // Vertical: names on x, intervals upright; event line dashed, zero line solid.
        let v = try CoefficientPlot.make(names: ["a", "b", "c"], b: [1, 2, 3], lo: [0, 1, 2], hi: [2, 3, 4],
                                         yline: 0, xline: 1.5)
        XCTAssertEqual(v.xAxis.tickLabels?.map(\.1), ["a", "b", "c"])
        XCTAssertEqual(v.yLines.first?.pattern, .solid)
        XCTAssertEqual(v.xLines.first?.pattern, .dash)
        if case let .rcap(_, _, _, horizontal) = v.series[0].kind { XCTAssertFalse(horizontal) } else { XCTFail() }
        let h = try CoefficientPlot.make(names: ["a", "b", "c"], b: [1, 2, 3], lo: [0, 1, 2], hi: [2, 3, 4], vertical: false)
        if case let .rcap(_, _, _, horizontal) = h.series[0].kind { XCTAssertTrue(horizontal) } else { XCTFail() }
        XCTAssertEqual(h.yAxis.tickLabels?.first?.0, 3)    // "a" at the top
        // Missing estimates (an omitted coefficient) are skipped, not drawn at a bogus place.
        let m = try CoefficientPlot.make(names: ["a", "b"], b: [1, .nan], lo: [0, .nan], hi: [2, .nan])
        XCTAssertNoThrow(try GraphRenderer.layout(m))
    }
}
