// Graph commands through the language: scripts build data and draw; the stored Plot and its
// laid-out scene (GraphRenderer.layout) are checked structurally, statistics against slow
// computations written here, exported files by their magic bytes, and errors by return code.

import DidFrame
import DidGraph
@testable import DidLang
import Foundation
import XCTest

final class GraphCommandTests: XCTestCase {
    /// A fresh temporary folder for exported files.
    var tmp: String = ""

    override func setUpWithError() throws {
        tmp = NSTemporaryDirectory() + "did-graph-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: tmp) }

    /// Runs `src` in a session working in the temp folder; returns printed text and the session.
    func run(_ src: String, _ s: Session = Session()) throws -> (String, Session) {
        var out = ""
        s.output = { t, _ in out += t }
        s.workingDirectory = tmp
        try s.run(source: src)
        return (out, s)
    }

    /// The Stata return code `src` fails with (nil when it succeeds).
    func code(_ src: String) -> Int? {
        do { _ = try run(src); return nil } catch let e as StataError { return e.code } catch { return -1 }
    }

    /// Ten points with a gap in y at observation 5 and a group flag.
    let data = """
    clear
    quietly set obs 10
    gen x = _n
    gen y = x * x
    gen y2 = 20 - x
    gen g = mod(_n, 2)
    replace y = . in 5
    label variable x "Time"
    label variable y "Outcome"

    """

    func graph(_ s: Session, _ name: String = "Graph") throws -> Plot {
        XCTAssertEqual(s.currentGraphName, name)
        return try XCTUnwrap(s.graphs[name])
    }

    func testParenthesisedTwowayWithGraphOptions() throws {
        let (_, s) = try run(data + """
        twoway (line y x, sort lcolor(red) lpattern(dash)) (scatter y2 x if g == 1, msymbol(Oh)), ///
            title("Main title") subtitle(sub) xtitle("X axis") ytitle("Y axis") xline(2 4, lpattern(dash)) ///
            yline(0) legend(order(1 "first" 2 "second") position(3)) xlabel(0(2)10, angle(45)) note("n")
        """)
        let p = try graph(s)
        XCTAssertEqual(p.series.count, 2)
        guard case let .line(x, y) = p.series[0].kind, case let .scatter(sx, sy) = p.series[1].kind else {
            return XCTFail("series kinds")
        }
        XCTAssertEqual(x, [1, 2, 3, 4, 6, 7, 8, 9, 10])                 // missing y skipped (cmissing(y))
        XCTAssertEqual(y, [1, 4, 9, 16, 36, 49, 64, 81, 100])
        XCTAssertEqual(sx, [1, 3, 5, 7, 9]); XCTAssertEqual(sy, [19, 17, 15, 13, 11])
        XCTAssertEqual(p.series[0].color, Color.named("red")); XCTAssertEqual(p.series[0].pattern, .dash)
        XCTAssertEqual(p.series[1].marker, .circleHollow)
        XCTAssertEqual(p.xLines.map(\.value), [2, 4]); XCTAssertEqual(p.xLines.map(\.pattern), [.dash, .dash])
        XCTAssertEqual(p.yLines.map(\.value), [0])
        XCTAssertEqual(p.xAxis.ticks, [0, 2, 4, 6, 8, 10]); XCTAssertEqual(p.xAxis.angle, 45)
        XCTAssertEqual(p.legend.position, .right)
        let scene = try GraphRenderer.layout(p)
        XCTAssertEqual(scene.strings(.title), ["Main title"])
        XCTAssertEqual(scene.strings(.subtitle), ["sub"])
        XCTAssertEqual(scene.strings(.xTitle), ["X axis"])
        XCTAssertEqual(scene.strings(.yTitle), ["Y axis"])
        XCTAssertEqual(scene.strings(.legend), ["first", "second"])
        XCTAssertEqual(scene.strings(.xTick), ["0", "2", "4", "6", "8", "10"])
    }

    func testBarSeparatorAndShorthandForms() throws {
        let (_, s) = try run(data + "twoway line y x || scatter y2 x, msize(small) || , name(g1) legend(off)")
        let p = try graph(s, "g1")
        XCTAssertEqual(p.series.count, 2)
        XCTAssertEqual(p.legend.show, false)
        XCTAssertEqual(p.series.map(\.label), ["Outcome", "y2"])
        // One plot: the axis titles are the variables' labels, no legend.
        _ = try run("line y x, sort", s)
        let q = try graph(s)
        let scene = try GraphRenderer.layout(q)
        XCTAssertEqual(scene.strings(.xTitle), ["Time"])
        XCTAssertEqual(scene.strings(.yTitle), ["Outcome"])
        XCTAssertEqual(scene.strings(.legend), [])
        _ = try run("scatter y y2 x in 1/6", s)
        let r = try graph(s)
        XCTAssertEqual(r.series.count, 2)
        guard case let .scatter(x, _) = r.series[1].kind else { return XCTFail("scatter") }
        XCTAssertEqual(x, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try GraphRenderer.layout(r).strings(.legend), ["Outcome", "y2"])
        // graph twoway is the same command.
        _ = try run("graph twoway (connected y2 x) (rcap y y2 x) (rarea y y2 x, sort) (bar y2 x) (lfit y2 x)", s)
        let t = try graph(s)
        XCTAssertEqual(t.series.count, 5)
        _ = try run("twoway (histogram y2, bin(3) frequency) (kdensity y2, bwidth(2))", s)
        let hk = try graph(s)
        guard case let .bar(_, hh, _) = hk.series[0].kind, case .line = hk.series[1].kind else { return XCTFail("kinds") }
        XCTAssertEqual(hh.reduce(0, +), 10)
        guard case let .line(lx, ly) = t.series[4].kind else { return XCTFail("lfit") }
        XCTAssertEqual(lx, [1, 10]); XCTAssertEqual(ly[0], 19, accuracy: 1e-12); XCTAssertEqual(ly[1], 10, accuracy: 1e-12)
    }

    func testDateAxisUsesTheVariablesFormat() throws {
        let (_, s) = try run("""
        clear
        quietly set obs 4
        gen d = mdy(1, 1, 2020) + 90 * (_n - 1)
        gen y = _n
        """)
        // Set directly: the test need not depend on the format command.
        s.frame.columns[try XCTUnwrap(s.frame.index(of: "d"))].format = "%td"
        _ = try run("line y d, xlabel(21915 22000)", s)
        let scene = try GraphRenderer.layout(try XCTUnwrap(s.graphs["Graph"]))
        XCTAssertEqual(scene.strings(.xTick), ["01jan2020", "26mar2020"])
        _ = try run("line y d, xlabel(21915, format(%tdCCYY))", s)
        XCTAssertEqual(try GraphRenderer.layout(try XCTUnwrap(s.graphs["Graph"])).strings(.xTick), ["2020"])
    }

    func testCmissingNoBreaksTheLine() throws {
        let (_, s) = try run(data + "line y x, cmissing(n)")
        guard case let .line(x, y) = try graph(s).series[0].kind else { return XCTFail("line") }
        XCTAssertEqual(x.count, 10)
        XCTAssertTrue(y[4].isNaN)
    }

    func testHistogramBinsAgainstDirectCount() throws {
        // 100 values; Stata's default bin count is int(min(sqrt(100), 10*log10(100))) = 10.
        let (out, s) = try run("""
        clear
        quietly set obs 100
        gen double v = mod(_n * 37, 101) / 7
        histogram v, normal title("H")
        """)
        let p = try graph(s)
        guard case let .bar(centres, heights, widths) = p.series[0].kind else { return XCTFail("bars") }
        XCTAssertEqual(heights.count, 10)
        let values = (1...100).map { Double(($0 * 37) % 101) / 7 }
        let lo = values.min()!, hi = values.max()!, w = (hi - lo) / 10
        var counts = [Double](repeating: 0, count: 10)
        for v in values { counts[min(9, Int(((v - lo) / w).rounded(.down)))] += 1 }
        for k in 0..<10 {
            XCTAssertEqual(heights[k], counts[k] / (100 * w), accuracy: 1e-12)
            XCTAssertEqual(centres[k], lo + (Double(k) + 0.5) * w, accuracy: 1e-12)
        }
        XCTAssertEqual(widths[0], w, accuracy: 1e-12)
        XCTAssertEqual(zip(heights, widths).reduce(0) { $0 + $1.0 * $1.1 }, 1, accuracy: 1e-12)
        XCTAssertEqual(s.rResults.scalars["bin"], 10)
        XCTAssertEqual(s.rResults.scalars["width"]!, w, accuracy: 1e-15)
        XCTAssertEqual(out, "(bin=10, start=\(try Display.defaultNumber(lo)), width=\(try Display.defaultNumber(w)))\n")
        XCTAssertEqual(p.series.count, 2)                                    // bars + normal density
        let scene = try GraphRenderer.layout(p)
        XCTAssertEqual(scene.strings(.yTitle), ["Density"])
        XCTAssertEqual(scene.strings(.xTitle), ["v"])
        // frequency with explicit bins and start
        _ = try run("histogram v, bin(5) start(0) frequency", s)
        guard case let .bar(_, f, _) = try graph(s).series[0].kind else { return XCTFail("bars") }
        XCTAssertEqual(f.count, 5); XCTAssertEqual(f.reduce(0, +), 100)
        XCTAssertEqual(try GraphRenderer.layout(try graph(s)).strings(.yTitle), ["Frequency"])
    }

    func testKdensityResultsAndGenerateAgainstDirectSum() throws {
        let (out, s) = try run("""
        clear
        quietly set obs 200
        gen double v = sin(_n) * 3 + mod(_n, 7)
        quietly summarize v, detail
        scalar sd = r(sd)
        scalar iqr = r(p75) - r(p25)
        kdensity v, generate(gx gd) n(40)
        """)
        XCTAssertEqual(out, "")
        let sd = try XCTUnwrap(s.scalars["sd"]), iqr = try XCTUnwrap(s.scalars["iqr"])
        guard case .number(let sdv) = sd, case .number(let iqrv) = iqr else { return XCTFail("scalars") }
        let h = 0.9 * min(sdv, iqrv / 1.349) / pow(200, 0.2)
        XCTAssertEqual(s.rResults.scalars["bwidth"]!, h, accuracy: 1e-12 * h)
        XCTAssertEqual(s.rResults.scalars["n"], 40)
        XCTAssertEqual(s.rResults.macros["kernel"], "epanechnikov")
        let values = (1...200).map { sin(Double($0)) * 3 + Double($0 % 7) }
        let gx = s.frame.columns[s.frame.index(of: "gx")!].nums, gd = s.frame.columns[s.frame.index(of: "gd")!].nums
        XCTAssertTrue(Missing.isMissing(gx[40]))
        var sum = 0.0
        for k in 0..<40 {
            // Slow path: the Epanechnikov kernel summed over every observation.
            let m = values.min()! - h + Double(k) * (values.max()! - values.min()! + 2 * h) / 39
            let f = values.reduce(0.0) { acc, x in
                let z = (m - x) / h
                return acc + (abs(z) < 5.0.squareRoot() ? 0.75 * (1 - z * z / 5) / 5.0.squareRoot() : 0)
            } / (200 * h)
            XCTAssertEqual(gx[k], Double(Float(m)), accuracy: 1e-6 * max(1, abs(m)))
            XCTAssertEqual(gd[k], Double(Float(f)), accuracy: 1e-6 * max(1, f))
            sum += f
        }
        XCTAssertEqual(s.rResults.scalars["scale"]!, 1 / sum, accuracy: 1e-9 / sum)
        let scene = try GraphRenderer.layout(try graph(s))
        XCTAssertEqual(scene.strings(.title), ["Kernel density estimate"])
        XCTAssertEqual(scene.strings(.note).first?.hasPrefix("kernel = epanechnikov, bandwidth = "), true)
        // at(): the same grid given as a variable gives the same densities.
        _ = try run("kdensity v, at(gx) generate(ad) nograph", s)
        let ad = s.frame.columns[s.frame.index(of: "ad")!].nums
        for k in 0..<40 { XCTAssertEqual(ad[k], gd[k], accuracy: 1e-6 * max(1, gd[k])) }
        XCTAssertTrue(Missing.isMissing(ad[40]))
        _ = try run("kdensity v, kernel(gaussian) bwidth(0.5) nograph", s)
        XCTAssertEqual(s.rResults.scalars["bwidth"], 0.5)
        XCTAssertEqual(s.rResults.macros["kernel"], "gaussian")
        XCTAssertEqual(code("clear\nset obs 5\ngen v = _n\nkdensity v, kernel(bogus)"), 198)
    }

    func testExportFormatsAndErrors() throws {
        let (out, s) = try run(data + """
        twoway (line y x) (scatter y2 x), title("Export")
        graph export g.png
        graph export g.pdf, width(400)
        graph export "g.svg", replace
        """)
        XCTAssertTrue(out.contains("g.png saved as PNG format"), out)
        func head(_ f: String, _ n: Int) throws -> [UInt8] {
            Array(try Data(contentsOf: URL(fileURLWithPath: tmp + "/" + f)).prefix(n))
        }
        XCTAssertEqual(try head("g.png", 8), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(try head("g.pdf", 5), Array("%PDF-".utf8))
        let svg = String(decoding: try head("g.svg", 200), as: UTF8.self)
        XCTAssertTrue(svg.contains("<svg"), svg)
        // Existing file without replace: r(602); with replace it is written again.
        XCTAssertThrowsError(try run("graph export g.png", s)) { XCTAssertEqual(($0 as? StataError)?.code, 602) }
        XCTAssertNoThrow(try run("graph export g.png, replace width(300)", s))
        XCTAssertThrowsError(try run("graph export g.gif", s)) { XCTAssertEqual(($0 as? StataError)?.code, 198) }
        XCTAssertThrowsError(try run("graph export noext", s)) { XCTAssertEqual(($0 as? StataError)?.code, 198) }
        XCTAssertThrowsError(try run("graph export g2.png, name(nosuch)", s)) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
        XCTAssertEqual(code(data + "line nosuch x"), 111)
        XCTAssertEqual(code(data + "twoway (line y x) (scatter nosuch x)"), 111)
        XCTAssertEqual(code(data + "histogram nosuch"), 111)
        XCTAssertEqual(code(data + "twoway (line y x, bogus(1))"), 198)
        XCTAssertEqual(code(data + "twoway (line y x), lcolor(notacolour)"), 198)
        XCTAssertEqual(code(data + "twoway (line y x, lcolor(notacolour))"), 198)
        XCTAssertEqual(code(data + "twoway (wiggle y x)"), 199)
        XCTAssertEqual(code(data + "gen s = \"a\"\nline s x"), 109)
        XCTAssertEqual(code(data + "histogram x [aw=x]"), 101)
        XCTAssertEqual(code(data + "graph save g.gph"), 198)
        XCTAssertEqual(code("clear\ngraph export a.png"), 198)
        XCTAssertEqual(code(data + "line y x, name(a)\nline y x, name(a)"), 110)
        XCTAssertNil(code(data + "line y x, name(a)\nline y x, name(a, replace)"))
    }

    func testMalformedInputThrowsStataErrors() throws {
        // Each must end in a StataError (any code), never a trap or a hang.
        let bad = ["twoway (", "twoway ((line y x)", "twoway (line y x, ", "twoway", "twoway , title(a)", "line",
                   "line y", "twoway (line y x), xlabel(0(0)10)", "twoway (line y x), xline()",
                   "twoway (line y x), legend(order(a))", "twoway (line y x), title(`\"open)",
                   "twoway (line y x), xlabel(1 \"a)", "twoway (line y x), xscale(range())", "twoway (line y x), xsize(-1)",
                   "twoway (line y x), legend(position(x))", "twoway (line y x), xlabel(, angle(up))",
                   "twoway (line y x), xlabel(0(1)1e9)", "twoway (rcap y x)", "twoway (rcap y y2 x g)",
                   "twoway (kdensity y, kernel(zz))", "twoway (histogram y, bin(0))", "histogram", "histogram y, bin(0)",
                   "histogram y, width(-1)", "histogram y, bin(3) width(1)", "histogram y, start(100)",
                   "histogram y if x > 100", "histogram y, frequency percent", "kdensity", "kdensity y, n(0)",
                   "kdensity y, bwidth(-1)", "kdensity y, generate(a b c)", "kdensity y, generate(x d)",
                   "kdensity y if x > 100", "graph", "graph export", "graph export a.png, width(-5)", "graph combine",
                   "graph drop", "graph wiggle", "coefplot", "psgraph x", "psgraph", "line y x, name(1bad)",
                   "twoway (lfit y x if x > 9)", "scatter y x, msymbol(qq)", "line y x, lwidth(huge)"]
        for src in bad {
            let (_, s) = try run(data)
            do { _ = try run(src, s); XCTFail("\(src): no error") } catch is StataError {} catch { XCTFail("\(src): \(error)") }
        }
    }

    func testGraphManagement() throws {
        let (_, s) = try run(data + """
        line y x, name(a)
        scatter y2 x, name(b)
        histogram y, name(c)
        graph combine a b c, cols(2) title("All three") name(all)
        graph export all.png
        graph dir
        """)
        XCTAssertEqual(s.currentGraphName, "all")
        let combined = try XCTUnwrap(CombinedGraphs.get("all", s))
        XCTAssertEqual(combined.plots.count, 3); XCTAssertEqual(combined.columns, 2)
        XCTAssertEqual(combined.title, "All three")
        let scene = try GraphRenderer.layout(combined)
        XCTAssertEqual(scene.strings(.title).first, "All three")
        XCTAssertTrue(FileManager.default.fileExists(atPath: tmp + "/all.png"))
        XCTAssertEqual(s.rResults.macros["list"], "a all b c")
        _ = try run("graph display a\ngraph close", s)
        XCTAssertEqual(s.currentGraphName, "a")
        _ = try run("graph drop a b", s)
        XCTAssertEqual(Set(s.graphs.keys), ["c", "all"])
        XCTAssertThrowsError(try run("graph drop a", s)) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
        XCTAssertThrowsError(try run("graph combine c nosuch", s)) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
        _ = try run("graph drop _all", s)
        XCTAssertTrue(s.graphs.isEmpty); XCTAssertNil(CombinedGraphs.get("all", s))
    }
}
