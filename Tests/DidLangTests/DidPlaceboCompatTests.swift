// didplacebo (Chen, Qi & Yan, SSC 2.0.0) through the command, on mpdta (xtset countyreal year,
// TWFE with reghdfe): the in-time placebo equals reghdfe run by hand on the shifted treatment
// and didplacebo's sample (to 1e-10), and with nodrop the reference case
// placebo_mpdta_fake_timing (values/event_study.json); the stored results and their layout; the
// p-values recomputed from the saved draws; reproducibility for a seed; abbreviations;
// savegraph(); and bad input with Stata return codes.

import DidFrame
import DidLang
import DidStats
import Foundation
import XCTest

final class DidPlaceboCompatTests: XCTestCase {
    static func mpdta() throws -> (Session, () -> String) {
        let (s, out) = try DIDEventStudyTests.session("mpdta")
        try s.run(source: """
        xtset countyreal year
        gen did = (first_treat > 0 & year >= first_treat)
        quietly reghdfe lemp did, absorb(countyreal year) vce(cluster countyreal)
        estimates store twfe
        """)
        return (s, out)
    }

    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("didplacebo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// reghdfe by hand on the shifted treatment and the sample didplacebo keeps.
    func byHand(_ s: Session, shift k: Int, nodrop: Bool, model: String) throws -> (b: Double, se: Double) {
        // mpdta's latest adoption is 2007: by default every row from 2007 on goes.
        let keep = nodrop ? "did == 0" : "did == 0 & year < 2007"
        try s.run(source: """
        capture drop fake
        gen fake = (first_treat > 0 & year >= first_treat - \(k))
        quietly \(model.replacingOccurrences(of: "IF", with: "if \(keep)"))
        """)
        return (s.eResults.matrices["b"]![0, 0], s.eResults.matrices["V"]![0, 0].squareRoot())
    }

    func testInTimeEqualsEstimatorByHand() throws {
        let (s, out) = try Self.mpdta()
        // With year effects the never-treated 2007 rows only fit the 2007 effect (and with unit
        // effects alone they carry no variation in the fake treatment), so the drop rule shows
        // in a pooled regression: run both.
        try s.run(source: """
        quietly regress lemp did, vce(cluster countyreal)
        estimates store pooled
        """)
        var maxDev = 0.0
        for (est, model) in [("twfe", "reghdfe lemp fake IF, absorb(countyreal year) vce(cluster countyreal)"),
                             ("pooled", "regress lemp fake IF, vce(cluster countyreal)")] {
            var first: [Bool: Double] = [:]
            for nodrop in [false, true] {
                try s.run(source: "didplacebo \(est), treatvar(did) pbotime(1(1)3)" + (nodrop ? " nodrop" : "") + " nofigure")
                let m = try XCTUnwrap(s.eResults.matrices["pbotime"])
                XCTAssertEqual(m.colNames, ["lagged", "b", "se", "z", "pvalue", "ll", "ul"])
                XCTAssertEqual(m.rowNames, ["r1", "r2", "r3"])
                first[nodrop] = m[0, 1]
                for (i, k) in [1, 2, 3].enumerated() {
                    let (b, se) = try byHand(s, shift: k, nodrop: nodrop, model: model)
                    XCTAssertEqual(m[i, 0], Double(k))
                    XCTAssertEqual(m[i, 1], b, accuracy: 1e-10 * abs(b), "\(est) shift \(k) nodrop \(nodrop)")
                    XCTAssertEqual(m[i, 2], se, accuracy: 1e-10 * se)
                    maxDev = max(maxDev, abs(m[i, 1] - b) / abs(b), abs(m[i, 2] - se) / se)
                    // ereturn display's columns: normal z, p and 95% interval.
                    XCTAssertEqual(m[i, 3], b / se, accuracy: 1e-9 * abs(b / se))
                    XCTAssertEqual(m[i, 4], 2 * Distributions.normal(-abs(b / se)), accuracy: 1e-12)
                    XCTAssertEqual(m[i, 5], b - 1.959963984540054 * se, accuracy: 1e-9)
                    XCTAssertEqual(m[i, 6], b + 1.959963984540054 * se, accuracy: 1e-9)
                }
            }
            if est == "pooled" {
                XCTAssertGreaterThan(abs(first[false]! - first[true]!), 1e-6, "the default drops the 2007 control rows")
            }
        }
        print("[didplacebo in-time vs reghdfe by hand] max rel dev \(maxDev)")
        let text = out()
        XCTAssertTrue(text.contains("Implementing in-time placebo test using fake treatment time shifted back by 1, 2, 3 periods respectively."))
        XCTAssertTrue(text.contains("Results of in-time placebo test using fake treatment times:"))
        XCTAssertTrue(text.contains("         L1. |"), "rows grouped as ts operators of did")
        XCTAssertTrue(text.contains("Finished."))
    }

    func testInTimeNodropMatchesReferenceFakeTiming() throws {
        let (rb, rs, _) = try DIDEventStudyTests.fakeTimingReference()
        let (s, _) = try Self.mpdta()
        try s.run(source: "didplacebo twfe, treatv(did) pbot(2) nodrop nofig")
        let m = try XCTUnwrap(s.eResults.matrices["pbotime"])
        XCTAssertLessThanOrEqual(abs(m[0, 1] - rb), 1e-10 * abs(rb) + 1e-12, "b \(m[0, 1]) vs \(rb)")
        XCTAssertLessThanOrEqual(abs(m[0, 2] - rs), 1e-8 * abs(rs) + 1e-12, "se \(m[0, 2]) vs \(rs)")
        print("[didplacebo nodrop vs reference] rel dev b \(abs(m[0, 1] - rb) / abs(rb)) se \(abs(m[0, 2] - rs) / rs)")
    }

    func testStoredResultsAndPValuesFromSavedDraws() throws {
        let (s, out) = try Self.mpdta()
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        s.workingDirectory = dir.path
        let bReal = s.eResults.matrices["b"]![0, 0]
        try s.run(source: "didplacebo twfe, treatvar(did) pbotime(1 2) pbounit pbomix(1 2 3) repeat(60) seed(1) frame(pbo) nofigure")
        let e = s.eResults
        XCTAssertEqual(e.macros["cmd"], "didplacebo")
        XCTAssertEqual(e.macros["didestname"], "twfe")
        XCTAssertEqual(e.macros["didcmd"], "reghdfe")
        XCTAssertEqual(e.macros["didcmdline"], "reghdfe lemp did, absorb(countyreal year) vce(cluster countyreal)")
        XCTAssertEqual(e.macros["panelvar"], "countyreal")
        XCTAssertEqual(e.macros["timevar"], "year")
        XCTAssertEqual(e.macros["treatvar"], "did")
        XCTAssertEqual(e.macros["seed"], "1")
        XCTAssertEqual(e.macros["frame"], "pbo")
        XCTAssertEqual(e.macros["graph"], "pbotime pbounit pbomix1 pbomix2 pbomix3")
        XCTAssertEqual(e.macros["cmdline"]?.hasPrefix("didplacebo twfe, treatvar(did)"), true)
        XCTAssertNil(e.matrices["b"], "e() holds only didplacebo's results")
        XCTAssertEqual(e.matrices["pbotime"]?.rows, 2)
        try s.run(source: "use pbo, clear")
        XCTAssertEqual(s.frame.count, 60)
        for (kind, v) in [("pbounit", "CoefOfPboUnit"), ("pbomix1", "CoefOfPboMix1"), ("pbomix2", "CoefOfPboMix2"), ("pbomix3", "CoefOfPboMix3")] {
            let m = try XCTUnwrap(e.matrices[kind], kind)
            XCTAssertEqual(m.rows, 1); XCTAssertEqual(m.cols, 4)
            XCTAssertEqual(m.rowNames, ["did"])
            XCTAssertEqual(m.colNames, ["Coefficient", "P-value:Two-sided", "P-value:Left-sided", "P-value:right-sided"])
            XCTAssertEqual(m[0, 0], bReal)
            let draws = try XCTUnwrap(s.frame.column(v)?.nums, v)
            XCTAssertEqual(draws.count, 60)
            XCTAssertGreaterThan(Set(draws).count, 30, "\(v): draws vary")
            let n = Double(draws.count)
            XCTAssertEqual(m[0, 1], Double(draws.filter { abs($0) >= abs(bReal) }.count) / n, "\(kind) two-sided")
            XCTAssertEqual(m[0, 2], Double(draws.filter { $0 <= bReal }.count) / n, "\(kind) left")
            XCTAssertEqual(m[0, 3], Double(draws.filter { $0 >= bReal }.count) / n, "\(kind) right")
        }
        let text = out()
        XCTAssertTrue(text.contains("Implementing in-space placebo test using fake treatment units:"))
        XCTAssertTrue(text.contains("Simulations (60):.........10"))
        XCTAssertTrue(text.contains("Results of unrestricted mixed placebo test for staggered DID (version 2) using both fake treatment units and times:"))
        XCTAssertTrue(text.contains("selected as fake treatment units | treatment times are randomly selected"))
        XCTAssertTrue(text.contains("[2004, 2007]"), "version 1 default scope: second to last period")
        XCTAssertTrue(text.contains("note: frames are not supported"))
    }

    /// Two-way clustering is outside the FWL engine, so every draw re-runs reghdfe; the
    /// coefficients do not depend on the VCE, so the same seed must give the fast path's draws.
    func testReestimationFallbackEqualsFastPath() throws {
        let (s, out) = try Self.mpdta()
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        s.workingDirectory = dir.path
        try s.run(source: """
        quietly reghdfe lemp did, absorb(countyreal year) vce(cluster countyreal year)
        estimates store twoway
        didplacebo twfe, treatvar(did) pbounit pbomix(2) rep(12) seed(4) frame(fast) nofig
        didplacebo twoway, treatvar(did) pbounit pbomix(2) rep(12) seed(4) frame(slow) nofig
        """)
        XCTAssertTrue(out().contains("each draw re-runs reghdfe"))
        XCTAssertEqual(s.eResults.macros["didcmdline"], "reghdfe lemp did, absorb(countyreal year) vce(cluster countyreal year)")
        var maxDev = 0.0
        for v in ["CoefOfPboUnit", "CoefOfPboMix2"] {
            try s.run(source: "use fast, clear")
            let fast = try XCTUnwrap(s.frame.column(v)?.nums)
            try s.run(source: "use slow, clear")
            let slow = try XCTUnwrap(s.frame.column(v)?.nums)
            XCTAssertEqual(fast.count, 12)
            for (a, b) in zip(fast, slow) {
                XCTAssertEqual(a, b, accuracy: 1e-10 * abs(b) + 1e-14, v)
                maxDev = max(maxDev, abs(a - b) / abs(b))
            }
        }
        print("[didplacebo FWL vs re-estimation] max rel dev \(maxDev)")
    }

    func testSeedReproducesAndRanOptionsApply() throws {
        let (s, _) = try Self.mpdta()
        let line = "didplacebo twfe, treatvar(did) pbounit pbomix(2) rep(25) seed(7) ranu(100) rant(2005 2006) nofig"
        try s.run(source: line)
        let u1 = try XCTUnwrap(s.eResults.matrices["pbounit"]), m1 = try XCTUnwrap(s.eResults.matrices["pbomix2"])
        try s.run(source: "estimates restore twfe")
        try s.run(source: line)
        XCTAssertEqual(s.eResults.matrices["pbounit"]?.data, u1.data)
        XCTAssertEqual(s.eResults.matrices["pbomix2"]?.data, m1.data)
        // Each random test re-seeds: pbomix(2) alone draws the same as after pbounit.
        try s.run(source: "didplacebo twfe, treatvar(did) pbomix(2) rep(25) seed(7) ranunitnum(100) rantimescope(2005 2006) nofig")
        XCTAssertEqual(s.eResults.matrices["pbomix2"]?.data, m1.data)
        try s.run(source: "didplacebo twfe, treatvar(did) pbomix(2) rep(25) seed(8) ranunitnum(100) rantimescope(2005 2006) nofig")
        XCTAssertEqual(s.eResults.macros["seed"], "8")
    }

    /// A fake treatment collinear with the fixed effects is Stata's omitted coefficient: 0 with
    /// standard error 0 in the in-time table, a placebo effect of 0 in a random test.
    func testCollinearFakeTreatmentsCountAsOmitted() throws {
        let (s, out) = try Self.mpdta()
        // Shifted 10 years back, every kept row of a treated county is fake-treated: the fake
        // treatment is the treated-county indicator, absorbed by the county effects.
        try s.run(source: "didplacebo twfe, treatvar(did) pbotime(1 10) nofig")
        let m = try XCTUnwrap(s.eResults.matrices["pbotime"])
        XCTAssertNotEqual(m[0, 1], 0)
        XCTAssertEqual(m[1, 0], 10); XCTAssertEqual(m[1, 1], 0); XCTAssertEqual(m[1, 2], 0)
        XCTAssertTrue(Missing.isMissing(m[1, 3]) && Missing.isMissing(m[1, 4]) && Missing.isMissing(m[1, 5]))
        XCTAssertTrue(out().contains("        L10. |          0  (omitted)"))
        // All 500 counties given one common date: absorbed by the year effects in every draw.
        try s.run(source: "didplacebo twfe, treatvar(did) pbomix(1) ranunitnum(500) rep(6) seed(2) nofig")
        let p = try XCTUnwrap(s.eResults.matrices["pbomix1"])
        let b = p[0, 0]
        XCTAssertLessThan(b, 0)
        XCTAssertEqual([p[0, 1], p[0, 2], p[0, 3]], [0, 0, 1], "six placebo effects of 0 against a negative estimate")
        XCTAssertTrue(out().contains("(6 of 6 fake treatments were collinear"))
    }

    /// didplacebo reads units, cohorts and periods from the whole dataset, not e(sample): with the
    /// 2004 cohort left out of the estimate, the defaults still count its counties and its date.
    func testDefaultsComeFromTheWholeData() throws {
        let (s, out) = try Self.mpdta()
        try s.run(source: """
        count if first_treat > 0 & year == 2003
        local treated = r(N)
        quietly reghdfe lemp did if first_treat != 2004, absorb(countyreal year) vce(cluster countyreal)
        estimates store sub
        didplacebo sub, treatvar(did) pbomix(1 3) rep(5) seed(1) nofig
        """)
        let treated = try XCTUnwrap(Int(s.local("treated") ?? ""))
        XCTAssertEqual(treated, 191)
        let text = out()
        XCTAssertTrue(text.contains(String(repeating: " ", count: 15) + "191" + String(repeating: " ", count: 16) + "|"),
                      "ranunitnum defaults to the treated counties of the whole data")
        let v3 = try XCTUnwrap(text.range(of: "(version 3) using both fake treatment units and times:"))
        XCTAssertTrue(text[v3.upperBound...].contains("[2004, 2007]"), "earliest adoption of the whole data")
        XCTAssertEqual(s.eResults.matrices["pbomix3"]?.rows, 1)
    }

    func testSaveGraph() throws {
        let (s, _) = try Self.mpdta()
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        s.workingDirectory = dir.path
        try s.run(source: "didplacebo twfe, treatvar(did) pbotime(1 2) pbounit rep(20) seed(3) saveg(fig, asis replace)")
        for g in ["pbotime", "pbounit"] {
            for ext in ["png", "pdf"] {
                let path = dir.appendingPathComponent("fig_\(g).\(ext)").path
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                XCTAssertGreaterThan(size ?? 0, 500, path)
            }
        }
        XCTAssertNotNil(s.graphs["pbotime"]); XCTAssertNotNil(s.graphs["pbounit"])
        XCTAssertThrowsError(try s.run(source: "didplacebo twfe, treatvar(did) pbounit rep(5) seed(3) savegraph(fig)")) {
            XCTAssertEqual(($0 as? StataError)?.code, 602)
        }
        // nofigure: nothing written.
        try s.run(source: "didplacebo twfe, treatvar(did) pbounit rep(5) seed(3) savegraph(other) nofigure")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("other_pbounit.png").path))
    }

    func testBadInputGivesReturnCodes() throws {
        let (s, _) = try DIDEventStudyTests.session("mpdta")
        func rc(_ line: String) -> Int? {
            do { try s.run(source: line); return 0 } catch let e as StataError { return e.code } catch { return -1 }
        }
        try s.run(source: """
        gen did = (first_treat > 0 & year >= first_treat)
        gen str3 sdid = "a"
        quietly reghdfe lemp did, absorb(countyreal year) vce(cluster countyreal)
        estimates store twfe
        """)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbounit rep(5) nofig"), 198)   // not xtset
        try s.run(source: "xtset countyreal year")
        XCTAssertEqual(rc("didplacebo nosuch, treatvar(did) pbounit rep(5) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, pbounit"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(sdid) pbounit rep(5) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbomix(4) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbotime(0) nofig"), 125)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbomix(1) ranunitnum(0) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbomix(1) ranunitnum(501) rep(5) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbomix(1) rantimescope(2005) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbomix(3) rantimescope(2006 2006) rep(5) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbounit frame(default) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbounit seed(-1) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(did) pbounit repeat(0) nofig"), 198)
        XCTAssertEqual(rc("didplacebo twfe, treatvar(lpop) pbounit rep(5) nofig"), 111)  // not a regressor
    }
}
