// estadd: results added to the active estimates reach their stored copy, `: names` reaches only
// the named sets, existing entries need `replace`, and ysumm equals summarize over e(sample).

import XCTest
@testable import DidLang
import DidFrame

final class EstaddTests: XCTestCase {
    static let mpdta = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference/data/mpdta.dta").path

    func testLocalScalarReachStoredCopyAndEsttab() throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.mpdta), "reference data missing: \(Self.mpdta)")
        let (out, s) = try runScript("""
        use "\(Self.mpdta)", clear
        gen did = treat * (year >= first_treat)
        eststo m1: quietly reghdfe lemp did, absorb(countyreal year) vce(cluster countyreal)
        estadd local FE "Yes"
        estadd scalar r2pct = e(r2)*100
        eststo m2: quietly regress lemp did lpop
        estadd local FE "No" : m2
        esttab m1 m2, stats(FE r2pct N)
        """)
        XCTAssertTrue(out.contains("                 e(FE) : \"Yes\""), out)
        let m1 = try XCTUnwrap(s.storedEstimates.first { $0.name == "m1" }).results
        let m2 = try XCTUnwrap(s.storedEstimates.first { $0.name == "m2" }).results
        XCTAssertEqual(m1.macros["FE"], "Yes")
        XCTAssertEqual(m2.macros["FE"], "No")
        XCTAssertEqual(try XCTUnwrap(m1.scalars["r2pct"]), try XCTUnwrap(m1.scalars["r2"]) * 100, accuracy: 1e-12)
        XCTAssertNil(m2.scalars["r2pct"])
        // m2 is active: the `: m2` change shows in e() as well.
        XCTAssertEqual(s.eResults.macros["FE"], "No")
        // The macro row of esttab's stats() prints the text.
        let feRow = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("FE ") })
        XCTAssertTrue(feRow.contains("Yes") && feRow.contains("No"), String(feRow))
    }

    func testReplaceAndErrors() throws {
        let (_, s) = try runScript("""
        set obs 20
        gen x = _n
        gen y = 2*x + mod(_n, 3)
        quietly regress y x
        estadd local tag "a"
        capture estadd local tag "b"
        local rc1 = _rc
        estadd local tag "b", replace
        capture estadd bogus z
        local rc2 = _rc
        capture estadd local z "q" : nosuchset
        local rc3 = _rc
        """)
        XCTAssertEqual(s.local("rc1"), "110")
        XCTAssertEqual(s.eResults.macros["tag"], "b")
        XCTAssertEqual(s.local("rc2"), "199")
        XCTAssertEqual(s.local("rc3"), "111")
        let (_, s2) = try runScript("clear\ncapture estadd local a \"x\"\nlocal rc = _rc")
        XCTAssertEqual(s2.local("rc"), "301")
    }

    func testYSummaryMatchesSummarizeOnTheEstimationSample() throws {
        let (out, s) = try runScript("""
        set obs 50
        gen x = _n
        gen y = sqrt(_n) + mod(_n, 7)
        gen w = 1 + mod(_n, 4)
        replace y = . in 3
        quietly regress y x if _n > 10 [aw=w]
        estadd ysumm
        quietly summarize y if _n > 10 [aw=w]
        """)
        XCTAssertTrue(out.contains("added scalars:"), out)
        for (e, r) in [("ymean", "mean"), ("ysd", "sd"), ("ymin", "min"), ("ymax", "max")] {
            XCTAssertEqual(try XCTUnwrap(s.eResults.scalars[e]), try XCTUnwrap(s.rResults.scalars[r]), accuracy: 1e-12, e)
        }
        // Only the 40 rows of the if (none of them missing) are in e(sample): min is y[14] = sqrt(14).
        XCTAssertEqual(s.rResults.scalars["N"], 40)
        XCTAssertEqual(try XCTUnwrap(s.eResults.scalars["ymin"]), 14.0.squareRoot(), accuracy: 1e-6)
    }
}
