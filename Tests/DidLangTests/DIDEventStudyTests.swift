// eventstudy against the event-study cases of the shared reference bundle (values/event_study.json:
// reghdfe 6.13.1 formulas with exact partialling-out, cross-checked by pyfixest to <= 7e-14),
// through the command itself: coefficients at 1e-10 relative, SEs at 1e-8 (+ the case's
// abs_floor). The joint pre-trend F is checked against the Wald statistic computed here from the
// reference coefficients and VCE (an independent path).

import DidFrame
import DidLang
import Foundation
import XCTest

final class DIDEventStudyTests: XCTestCase {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/reference").standardized
    }

    static func referenceCase(_ id: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("values/event_study.json"))  // missing bundle = failure
        let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let cases = try XCTUnwrap(obj?["cases"] as? [[String: Any]])
        return try XCTUnwrap(cases.first { $0["id"] as? String == id }, "case \(id) missing")
    }

    /// b, SE and N of `fake_post` in placebo_mpdta_fake_timing (the in-time placebo reference).
    static func fakeTimingReference() throws -> (b: Double, se: Double, n: Double?) {
        let res = try XCTUnwrap(try referenceCase("placebo_mpdta_fake_timing")["results"] as? [String: Any])
        return (try XCTUnwrap((res["coef"] as? [String: Double])?["fake_post"]),
                try XCTUnwrap((res["se"] as? [String: Double])?["fake_post"]), res["N"] as? Double)
    }

    static func session(_ dataset: String) throws -> (Session, () -> String) {
        let s = Session()
        final class Box: @unchecked Sendable { var text = "" }
        let box = Box()
        s.output = { t, _ in box.text += t }
        let path = root.appendingPathComponent("data/\(dataset).dta").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "dataset \(path) missing")
        try s.run(source: "use \"\(path)\", clear")
        return (s, { box.text })
    }

    /// Compares e(b)/e(V) with a case's coef/se under the name map (ours -> reference).
    func compare(_ s: Session, _ c: [String: Any], names: [String: String], file: StaticString = #filePath, line: UInt = #line) throws -> (Double, Double) {
        let res = try XCTUnwrap(c["results"] as? [String: Any])
        let coef = try XCTUnwrap(res["coef"] as? [String: Double]), se = try XCTUnwrap(res["se"] as? [String: Double])
        let tol = try XCTUnwrap(c["tolerance"] as? [String: Double])
        let b = try XCTUnwrap(s.eResults.matrices["b"]), V = try XCTUnwrap(s.eResults.matrices["V"])
        var devB = 0.0, devS = 0.0
        XCTAssertEqual(names.count, coef.count, "every reference coefficient is mapped", file: file, line: line)
        for (ours, ref) in names {
            let j = try XCTUnwrap(b.colNames.firstIndex(of: ours), "\(ours) not in e(b) \(b.colNames)", file: file, line: line)
            let rb = try XCTUnwrap(coef[ref]), rs = try XCTUnwrap(se[ref])
            let gotSE = V[j, j].squareRoot()
            XCTAssertLessThanOrEqual(abs(b[0, j] - rb), tol["coef_rel"]! * abs(rb) + tol["abs_floor"]!, "\(ours) coef", file: file, line: line)
            XCTAssertLessThanOrEqual(abs(gotSE - rs), tol["se_rel"]! * abs(rs) + tol["abs_floor"]!, "\(ours) se", file: file, line: line)
            devB = max(devB, abs(b[0, j] - rb) / abs(rb)); devS = max(devS, abs(gotSE - rs) / abs(rs))
        }
        XCTAssertEqual(s.eResults.scalars["N"], res["N"] as? Double, file: file, line: line)
        XCTAssertEqual(s.eResults.scalars["df_r"], res["df_r"] as? Double, file: file, line: line)
        return (devB, devS)
    }

    /// Wald F of `refNames` = 0 from the reference coefficients and vcov (Gauss–Jordan solve).
    static func referenceF(_ c: [String: Any], _ refNames: [String]) throws -> Double {
        let res = try XCTUnwrap(c["results"] as? [String: Any])
        let coef = try XCTUnwrap(res["coef"] as? [String: Double])
        let vc = try XCTUnwrap(res["vcov"] as? [String: Any])
        let vn = try XCTUnwrap(vc["names"] as? [String]), vm = try XCTUnwrap(vc["matrix"] as? [[Double]])
        let idx = try refNames.map { try XCTUnwrap(vn.firstIndex(of: $0)) }
        let k = idx.count
        var a = idx.map { i in idx.map { vm[i][$0] } + [coef[vn[i]]!] }
        for p in 0..<k {
            let piv = a[p][p]
            for j in 0...k { a[p][j] /= piv }
            for r in 0..<k where r != p { let f = a[r][p]; for j in 0...k { a[r][j] -= f * a[p][j] } }
        }
        var w = 0.0
        for i in 0..<k { w += coef[refNames[i]]! * a[i][k] }
        return w / Double(k)
    }

    func testMpdtaLeadsLagsMatchReference() throws {
        let c = try Self.referenceCase("event_mpdta_twfe")
        for window in ["", " window(-4 3)"] {
            let (s, out) = try Self.session("mpdta")
            try s.run(source: "eventstudy lemp, id(countyreal) time(year) gvar(first_treat) vce(cluster countyreal)\(window)")
            let names = ["ev_m4": "lead4", "ev_m3": "lead3", "ev_m2": "lead2", "ev_p0": "lag0", "ev_p1": "lag1",
                         "ev_p2": "lag2", "ev_p3": "lag3", "_cons": "_cons"]
            let (db, ds) = try compare(s, c, names: names)
            print("[eventstudy mpdta] max rel dev coef \(db) se \(ds)")
            // Pre-trend test: F(3, 499) of the leads, against the reference vcov.
            let F = try Self.referenceF(c, ["lead4", "lead3", "lead2"])
            let got = try XCTUnwrap(s.rResults.scalars["F_pre"])
            XCTAssertLessThanOrEqual(abs(got - F), 1e-8 * F)
            XCTAssertEqual(s.rResults.scalars["df_pre"], 3)
            let p = try XCTUnwrap(s.rResults.scalars["p_pre"])
            XCTAssertTrue(p > 0 && p < 1)
            XCTAssertTrue(out().contains("F(  3,   499) ="), out())
            // e(event_b): -4..3 with the base period at 0; the graph exists.
            let eb = try XCTUnwrap(s.eResults.matrices["event_b"])
            XCTAssertEqual(eb.colNames, ["ev_m4", "ev_m3", "ev_m2", "ev_m1", "ev_p0", "ev_p1", "ev_p2", "ev_p3"])
            XCTAssertEqual(eb[0, 3], 0)
            XCTAssertEqual(eb[0, 0], s.eResults.matrices["b"]![0, 0])
            XCTAssertEqual(s.eResults.matrices["event_V"]?.rows, 8)
            XCTAssertNotNil(s.graphs["eventstudy"])
            XCTAssertEqual(s.currentGraphName, "eventstudy")
            XCTAssertEqual(s.eResults.macros["cmd"], "reghdfe")
        }
    }

    func testDfhetBinnedMatchesReference() throws {
        let c = try Self.referenceCase("event_dfhet_binned")
        let (s, _) = try Self.session("df_het")
        try s.run(source: "eventstudy dep_var, id(unit) time(year) gvar(g) window(-6 6) bin vce(cluster state) nograph")
        var names = ["ev_m6": "lead6p", "ev_p6": "lag6p", "_cons": "_cons"]
        for k in 2...5 { names["ev_m\(k)"] = "lead\(k)" }
        for k in 0...5 { names["ev_p\(k)"] = "lag\(k)" }
        let (db, ds) = try compare(s, c, names: names)
        print("[eventstudy df_het binned] max rel dev coef \(db) se \(ds)")
        XCTAssertNil(s.graphs["eventstudy"], "nograph draws nothing")
        let F = try Self.referenceF(c, ["lead6p", "lead5", "lead4", "lead3", "lead2"])
        XCTAssertLessThanOrEqual(abs(s.rResults.scalars["F_pre"]! - F), 1e-8 * F)
    }

    /// Without `bin`, treated observations outside the window leave the sample: same numbers as
    /// reghdfe by hand on that sample with hand-made dummies.
    func testWindowWithoutBinDropsOutsideObservations() throws {
        let (s, out) = try Self.session("mpdta")
        try s.run(source: "eventstudy lemp, id(countyreal) time(year) gvar(first_treat) window(-2 2) base(-1) vce(cluster countyreal) nograph")
        let b1 = try XCTUnwrap(s.eResults.matrices["b"]), n1 = s.eResults.scalars["N"]
        XCTAssertTrue(out().contains("outside window(-2 2) excluded"))
        try s.run(source: """
        gen rel = year - first_treat if first_treat > 0
        gen m2 = (rel == -2)
        gen p0 = (rel == 0)
        gen p1 = (rel == 1)
        gen p2 = (rel == 2)
        reghdfe lemp m2 p0 p1 p2 if first_treat == 0 | inrange(rel, -2, 2), absorb(countyreal year) vce(cluster countyreal)
        """)
        let b2 = try XCTUnwrap(s.eResults.matrices["b"])
        XCTAssertEqual(n1, s.eResults.scalars["N"])
        XCTAssertEqual(b1.cols, b2.cols)
        for j in 0..<b1.cols { XCTAssertEqual(b1[0, j], b2[0, j], accuracy: 1e-12 * max(1, abs(b2[0, j]))) }
        XCTAssertLessThan(n1 ?? 0, 2500)
    }

    func testBadInputGivesReturnCodes() throws {
        let (s, _) = try Self.session("mpdta")
        func rc(_ line: String) -> Int? {
            do { try s.run(source: line); return 0 } catch let e as StataError { return e.code } catch { return -1 }
        }
        XCTAssertEqual(rc("eventstudy lemp, time(year) gvar(first_treat)"), 198)           // no id, no xtset
        XCTAssertEqual(rc("eventstudy lemp, id(countyreal) time(year) gvar(nosuchvar)"), 111)
        XCTAssertEqual(rc("eventstudy lemp, id(countyreal) time(year) gvar(first_treat) window(3 -3)"), 198)
        XCTAssertEqual(rc("eventstudy lemp, id(countyreal) time(year) gvar(first_treat) window(-2 2) base(-5)"), 198)
        XCTAssertEqual(rc("eventstudy lemp, id(countyreal) time(year) gvar(first_treat) window(a b)"), 198)
        XCTAssertEqual(rc("eventstudy lemp, id(countyreal) time(year) gvar(year)"), 459)   // varies within id
        XCTAssertEqual(rc("eventstudy lemp if first_treat == 0, id(countyreal) time(year) gvar(first_treat)"), 459)
        XCTAssertEqual(rc("eventstudy lemp, id(countyreal) time(year) gvar(first_treat) bogus"), 198)
    }
}
