// placebo through the command: the in-time placebo against the reference case
// placebo_mpdta_fake_timing (values/event_study.json; reghdfe 6.13.1 formulas, pyfixest agrees
// to 1e-14; with nodrop, whose sample drops treated rows only) and against the estimator run by
// hand on the shifted treatment and didplacebo's sample (default and nodrop); exact
// reproducibility for a seed; saving(); the mixed versions; and bad input with return codes.

import DidFrame
import DidLang
import Foundation
import XCTest

final class DIDPlaceboTests: XCTestCase {
    static func mpdta() throws -> (Session, () -> String) {
        let (s, out) = try DIDEventStudyTests.session("mpdta")
        try s.run(source: """
        gen did = (first_treat > 0 & year >= first_treat)
        quietly reghdfe lemp did, absorb(countyreal year) vce(cluster countyreal)
        """)
        return (s, out)
    }

    func testInTimeMatchesReferenceFakeTiming() throws {
        let (rb, rs, rn) = try DIDEventStudyTests.fakeTimingReference()
        let (s, out) = try Self.mpdta()
        let bReal = s.eResults.matrices["b"]![0, 0]
        try s.run(source: "placebo, treatvar(did) pbotime(2) nodrop nograph")   // the reference drops treated rows only
        let m = try XCTUnwrap(s.rResults.matrices["pbotime"])
        XCTAssertEqual(m.rows, 1)
        XCTAssertLessThanOrEqual(abs(m[0, 1] - rb), 1e-10 * abs(rb) + 1e-12, "b \(m[0, 1]) vs \(rb)")
        XCTAssertLessThanOrEqual(abs(m[0, 2] - rs), 1e-8 * abs(rs) + 1e-12, "se \(m[0, 2]) vs \(rs)")
        XCTAssertEqual(m[0, 7], rn)     // 2189: 20 singletons dropped after the if
        print("[placebo in-time vs reference] rel dev b \(abs(m[0, 1] - rb) / abs(rb)) se \(abs(m[0, 2] - rs) / rs)")
        // e() is the original estimate again; r(b_real) is it.
        XCTAssertEqual(s.eResults.matrices["b"]![0, 0], bReal)
        XCTAssertEqual(s.rResults.scalars["b_real"], bReal)
        XCTAssertTrue(out().contains("In-time placebo"))
    }

    func testInTimeEqualsEstimatorByHand() throws {
        // didplacebo's sample: treated rows always go; by default also every row from the latest
        // adoption (2007 in mpdta) on, control units' included.
        let (s, _) = try Self.mpdta()
        for (opt, keep) in [("nodrop", "did == 0"), ("", "did == 0 & year < 2007")] {
            try s.run(source: """
            quietly reghdfe lemp did, absorb(countyreal year) vce(cluster countyreal)
            placebo, treatvar(did) pbotime(1 3) \(opt) nograph
            """)
            let m = try XCTUnwrap(s.rResults.matrices["pbotime"])
            for (i, k) in [1, 3].enumerated() {
                try s.run(source: """
                capture drop fake
                gen fake = (first_treat > 0 & year >= first_treat - \(k))
                quietly reghdfe lemp fake if \(keep), absorb(countyreal year) vce(cluster countyreal)
                """)
                let b = s.eResults.matrices["b"]![0, 0], se = s.eResults.matrices["V"]![0, 0].squareRoot()
                XCTAssertEqual(m[i, 1], b, accuracy: 1e-10 * abs(b), "\(opt) shift \(k)")
                XCTAssertEqual(m[i, 2], se, accuracy: 1e-10 * se)
                XCTAssertEqual(m[i, 7], s.eResults.scalars["N"])
            }
        }
    }

    func testInSpaceReproducibleForSeedAndSaved() throws {
        let (s, _) = try Self.mpdta()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("didtools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pbo.dta").path
        try s.run(source: "placebo, treatvar(did) pbounit repeat(40) seed(2024) saving(\"\(file)\")")
        let first = try XCTUnwrap(s.rResults.matrices["pbo_unit"])
        let p1 = s.rResults.scalars["p_two"]
        XCTAssertEqual(first.rows, 40)
        XCTAssertNotNil(s.graphs["placebo_unit"])
        try s.run(source: "placebo, treatvar(did) pbounit repeat(40) seed(2024) nograph")
        XCTAssertEqual(s.rResults.matrices["pbo_unit"]?.data, first.data, "same seed, same draws")
        XCTAssertEqual(s.rResults.scalars["p_two"], p1)
        try s.run(source: "placebo, treatvar(did) pbounit repeat(40) seed(7) nograph")
        XCTAssertNotEqual(s.rResults.matrices["pbo_unit"]?.data, first.data)
        // saving() without replace refuses to overwrite; the file holds the 40 estimates.
        XCTAssertThrowsError(try s.run(source: "placebo, treatvar(did) pbounit repeat(5) saving(\"\(file)\") nograph")) {
            XCTAssertEqual(($0 as? StataError)?.code, 602)
        }
        try s.run(source: "use \"\(file)\", clear")
        XCTAssertEqual(s.frame.count, 40)
        let b = try XCTUnwrap(s.frame.column("b")?.nums)
        XCTAssertEqual(b, (0..<40).map { first[$0, 0] })
    }

    func testMixedPlaceboRunsAndStoresResults() throws {
        let (s, _) = try Self.mpdta()
        for m in 1...3 {
            try s.run(source: "placebo, treatvar(did) pbomix(\(m)) repeat(30) seed(5) nograph")
            let reps = try XCTUnwrap(s.rResults.scalars["mix_reps"])
            XCTAssertGreaterThan(reps, 20)
            let pl = try XCTUnwrap(s.rResults.scalars["mix_p_left"]), pr = try XCTUnwrap(s.rResults.scalars["mix_p_right"])
            XCTAssertGreaterThanOrEqual(pl + pr, 1 - 1e-12, "left and right shares cover everything")
            XCTAssertEqual(reps, 30, "didplacebo's versions never leave a replicate without a fake-treated unit")
        }
    }

    func testBadInputGivesReturnCodes() throws {
        let (s, _) = try DIDEventStudyTests.session("mpdta")
        func rc(_ line: String) -> Int? {
            do { try s.run(source: line); return 0 } catch let e as StataError { return e.code } catch { return -1 }
        }
        XCTAssertEqual(rc("placebo, treatvar(treat) pbounit"), 301)               // no estimates
        try s.run(source: """
        gen did = (first_treat > 0 & year >= first_treat)
        gen x = lpop * did
        quietly reghdfe lemp did x, absorb(countyreal year) vce(cluster countyreal)
        """)
        XCTAssertEqual(rc("placebo, treatvar(lpop) pbounit"), 111)                // not a regressor
        XCTAssertEqual(rc("placebo, treatvar(did)"), 198)                         // no kind of placebo
        XCTAssertEqual(rc("placebo, treatvar(did) pbomix(4)"), 198)
        XCTAssertEqual(rc("placebo, treatvar(did) pbotime(-1)"), 125)
        XCTAssertEqual(rc("placebo, treatvar(did) pbounit repeat(0)"), 198)
        XCTAssertEqual(rc("placebo, treatvar(x) pbounit"), 450)                   // not 0/1
        XCTAssertEqual(rc("placebo lemp, treatvar(did) pbounit"), 198)
        XCTAssertEqual(rc("placebo, pbounit"), 198)
        try s.run(source: "quietly reghdfe lemp did, absorb(countyreal year) vce(cluster countyreal)")
        try s.run(source: "replace lemp = lemp + (year - 2003)^2 / 10 in 1/300")
        XCTAssertEqual(rc("placebo, treatvar(did) pbounit repeat(3) nograph"), 459)  // data changed since estimation
    }
}
