// coefplot and psgraph through the language. coefplot's intervals are pinned to the reference
// bundle's event study (event_study.json, mpdta leads/lags: ci_lower/ci_upper from statsmodels,
// cross-checked by pyfixest; compared at the bundle's se_rel tolerance), and checked against
// e(b), e(V), e(df_r) for the factor-variable event-study idiom `reghdfe y ib#.rel`.

@testable import DidStats
import DidFrame
import DidGraph
@testable import DidLang
import Foundation
import XCTest

final class GraphCoefplotTests: XCTestCase {
    /// /work/shared/reference: the repo root is three levels up from this file, then ../shared.
    static var reference: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/reference").standardized
    }

    func run(_ src: String, _ s: Session = Session()) throws -> Session {
        s.output = { _, _ in }
        try s.run(source: src)
        return s
    }

    /// The rcap and marker data of the first model of a coefplot.
    func intervals(_ p: Plot) throws -> (pos: [Double], lo: [Double], hi: [Double], b: [Double]) {
        guard case let .rcap(pos, lo, hi, _) = p.series[0].kind else { throw XCTSkip("no rcap") }
        let b: [Double]
        switch p.series[1].kind {
        case let .scatter(x, y), let .connected(x, y): b = p.xAxis.tickLabels != nil ? y : x
        default: throw XCTSkip("no markers")
        }
        return (pos, lo, hi, b)
    }

    func testEventStudyIntervalsMatchReference() throws {
        let data = try Data(contentsOf: Self.reference.appendingPathComponent("values/event_study.json"))
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try XCTUnwrap(obj["cases"] as? [[String: Any]])
        let c = try XCTUnwrap(cases.first { $0["id"] as? String == "event_mpdta_twfe" })
        let res = try XCTUnwrap(c["results"] as? [String: Any])
        let tol = try XCTUnwrap(c["tolerance"] as? [String: Double])
        let lower = try XCTUnwrap(res["ci_lower"] as? [String: Double]), upper = try XCTUnwrap(res["ci_upper"] as? [String: Double])
        let coef = try XCTUnwrap(res["coef"] as? [String: Double])
        let path = Self.reference.appendingPathComponent(try XCTUnwrap(c["dataset"] as? String)).path
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "reference data missing: \(path)")
        let s = Session()
        _ = try run("use \"\(path)\", clear", s)
        for line in try XCTUnwrap(c["commands"] as? [String]) { _ = try run(line, s) }
        _ = try run("coefplot, keep(lead* lag*) vertical yline(0) xline(3.5, lpattern(dash)) title(\"Event study\")", s)
        let p = try XCTUnwrap(s.graphs["Graph"])
        let names = ["lead4", "lead3", "lead2", "lag0", "lag1", "lag2", "lag3"]
        XCTAssertEqual(p.xAxis.tickLabels?.map(\.1), names)
        let (pos, lo, hi, b) = try intervals(p)
        XCTAssertEqual(pos, [1, 2, 3, 4, 5, 6, 7])
        var worst = 0.0
        for (k, n) in names.enumerated() {
            let refLo = try XCTUnwrap(lower[n]), refHi = try XCTUnwrap(upper[n]), refB = try XCTUnwrap(coef[n])
            for (got, want, rel) in [(lo[k], refLo, tol["se_rel"]!), (hi[k], refHi, tol["se_rel"]!), (b[k], refB, tol["coef_rel"]!)] {
                let d = abs(got - want) / abs(want)
                worst = max(worst, d)
                XCTAssertLessThanOrEqual(abs(got - want), rel * abs(want) + (tol["abs_floor"] ?? 0), "\(n): \(got) vs \(want)")
            }
        }
        print("[coefplot] event_mpdta_twfe: 7 intervals, max rel deviation \(worst)")
        XCTAssertEqual(p.yLines.map(\.value), [0])
        XCTAssertEqual(p.xLines.map(\.value), [3.5]); XCTAssertEqual(p.xLines.first?.pattern, .dash)
        let scene = try GraphRenderer.layout(p)
        XCTAssertEqual(scene.strings(.title), ["Event study"])
        XCTAssertEqual(scene.strings(.xTick), names)
        XCTAssertEqual(scene.strings(.legend), [])
    }

    func testFactorEventStudyIdiomAgainstPostedResults() throws {
        // rel runs 0…9 with 8 as the omitted reference period; the level-8 base must be left out.
        let s = try run("""
        clear
        set obs 400
        gen id = ceil(_n / 10)
        gen t = mod(_n - 1, 10) + 1
        gen rel = mod(t + id, 10)
        gen y = sin(_n) + 0.3 * (rel > 5) + mod(id, 3) * 0.1
        reghdfe y ib8.rel, absorb(id t)
        coefplot, keep(*.rel) vertical yline(0)
        """)
        let e = s.eResults
        let bm = try XCTUnwrap(e.matrices["b"]), V = try XCTUnwrap(e.matrices["V"])
        let df = try XCTUnwrap(e.scalars["df_r"])
        let p = try XCTUnwrap(s.graphs["Graph"])
        let names = try XCTUnwrap(p.xAxis.tickLabels?.map(\.1))
        XCTAssertEqual(names, ["rel=0", "rel=1", "rel=2", "rel=3", "rel=4", "rel=5", "rel=6", "rel=7", "rel=9"])
        let (_, lo, hi, b) = try intervals(p)
        let q = Distributions.invttail(df, 0.025)
        for (k, label) in names.enumerated() {
            let n = label.replacingOccurrences(of: "rel=", with: "") + ".rel"
            let j = try XCTUnwrap(bm.colNames.firstIndex(of: n), n)
            let se = V[j, j].squareRoot()
            XCTAssertEqual(b[k], bm[0, j], accuracy: 0)
            XCTAssertEqual(lo[k], bm[0, j] - q * se, accuracy: 1e-14 * max(1, abs(bm[0, j])))
            XCTAssertEqual(hi[k], bm[0, j] + q * se, accuracy: 1e-14 * max(1, abs(bm[0, j])))
        }
        XCTAssertEqual(p.yLines.map(\.value), [0])
        // baselevels brings the reference period back with a zero-width interval.
        _ = try run("coefplot, keep(*.rel) vertical baselevels levels(90)", s)
        let withBase = try XCTUnwrap(s.graphs["Graph"]?.xAxis.tickLabels?.map(\.1))
        XCTAssertEqual(withBase.count, 10); XCTAssertTrue(withBase.contains("rel=8"))
        // Value labels name the levels; nolabels shows e(b)'s names.
        _ = try run("label define rl 9 \"after\"\nlabel values rel rl\ncoefplot, keep(9.rel _cons)", s)
        XCTAssertEqual(s.graphs["Graph"]?.yAxis.tickLabels?.map(\.1), ["after", "Constant"])
        _ = try run("coefplot, keep(9.rel) nolabels", s)
        XCTAssertEqual(s.graphs["Graph"]?.yAxis.tickLabels?.map(\.1), ["9.rel"])
        // Horizontal (the default), drop(), rename(), coeflabels() and order().
        _ = try run("coefplot, drop(_cons 0.rel 1.rel) rename(9.rel = after) coeflabels(2.rel = \"two\") order(after) nolabels", s)
        let h = try XCTUnwrap(s.graphs["Graph"])
        let labels = try XCTUnwrap(h.yAxis.tickLabels)
        XCTAssertEqual(labels.first?.1, "after"); XCTAssertEqual(labels.first?.0, Double(labels.count))   // top
        XCTAssertTrue(labels.contains { $0.1 == "two" }); XCTAssertFalse(labels.contains { $0.1 == "0.rel" })
    }

    func testStoredModelsSideBySide() throws {
        let s = try run("""
        clear
        set obs 200
        gen x1 = sin(_n)
        gen x2 = cos(_n)
        gen y = x1 - 0.5 * x2 + sin(3 * _n)
        regress y x1
        estimates store m1
        regress y x1 x2
        estimates store m2
        coefplot m1 m2, drop(_cons) xline(0)
        """)
        let p = try XCTUnwrap(s.graphs["Graph"])
        XCTAssertEqual(p.series.count, 4)                 // interval + markers per model
        XCTAssertEqual(p.yAxis.tickLabels?.map(\.1), ["x1", "x2"])
        XCTAssertEqual(try GraphRenderer.layout(p).strings(.legend), ["m1", "m2"])
        XCTAssertEqual(p.xLines.map(\.value), [0])
        XCTAssertThrowsError(try run("coefplot nosuch", s)) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
        XCTAssertThrowsError(try run("clear\ncoefplot")) { XCTAssertEqual(($0 as? StataError)?.code, 301) }
    }

    func testPsgraphBackToBackBars() throws {
        let s = try run("""
        clear
        set obs 300
        gen _treated = mod(_n, 3) == 0
        gen double _pscore = 0.1 + 0.8 * mod(_n * 7, 300) / 300 * (0.5 + 0.5 * _treated)
        gen _support = _treated == 0 | _pscore < 0.8
        psgraph, bin(10)
        """)
        let p = try XCTUnwrap(s.graphs["Graph"])
        XCTAssertEqual(p.series.map(\.label), ["Untreated", "Treated: On support", "Treated: Off support"])
        var totals: [Double] = []
        for series in p.series {
            guard case let .bar(_, h, _) = series.kind else { return XCTFail("bars") }
            totals.append(h.reduce(0, +))
        }
        XCTAssertEqual(totals[0], -200)
        var treated: [Double] = []
        for n in stride(from: 3, through: 300, by: 3) {
            let m = Double((n * 7) % 300)
            treated.append(0.1 + 0.8 * m / 300)
        }
        XCTAssertEqual(totals[1], Double(treated.filter { $0 < 0.8 }.count))
        XCTAssertEqual(totals[2], Double(treated.filter { $0 >= 0.8 }.count))
        let scene = try GraphRenderer.layout(p)
        XCTAssertEqual(scene.strings(.xTitle), ["Propensity Score"])
        XCTAssertEqual(scene.strings(.legend), ["Untreated", "Treated: On support", "Treated: Off support"])
        XCTAssertFalse(scene.strings(.yTick).contains { $0.hasPrefix("-") })
        XCTAssertThrowsError(try run("psgraph, pscore(nosuch)", s)) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
    }

    /// Renders a few graphs to /tmp for a look by eye (not an assertion of appearance).
    func testRenderSamplesToTmp() throws {
        let s = try run("""
        clear
        set obs 120
        gen x = _n / 10
        gen y = sin(x) + x / 5
        gen lo = y - 0.3
        gen hi = y + 0.3
        twoway (rarea lo hi x, sort) (line y x, sort), title("Band and line") xline(6) legend(order(1 "CI" 2 "fit"))
        graph export "/tmp/did_graph_twoway.png", replace
        histogram y, kdensity name(h)
        graph export "/tmp/did_graph_hist.png", replace name(h)
        """)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/tmp/did_graph_twoway.png"))
        XCTAssertNotNil(s.graphs["h"])
    }
}
