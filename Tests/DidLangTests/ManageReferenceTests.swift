// Data-management commands against the reference bundle (/work/shared/reference, see its
// README): `encode race` must give lalonde.dta's race codes and labels; the Mixtape recipe
// `use nsw_mixtape; drop if treat==0; append using cps_mixtape` must give nsw_cps.dta value for
// value; reshape wide/long on mpdta must round-trip exactly; collapse means by year on mpdta
// must equal a slow per-year sum. Missing reference files fail the tests (never skip).

import DidFrame
@testable import DidLang
import Foundation
import XCTest

final class ManageReferenceTests: XCTestCase {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference").path

    func data(_ name: String) throws -> String {
        let p = Self.reference + "/data/" + name
        guard FileManager.default.fileExists(atPath: p) else {
            XCTFail("reference file missing: \(p)")
            throw StataError.fileNotFound(p)
        }
        return p
    }

    func run(_ s: Session, _ text: String) throws {
        s.output = { _, _ in }
        try s.run(source: text, file: "ref.did")
    }

    func testEncodeGivesLalondeCodes() throws {
        let csv = try data("lalonde.csv"), dta = try data("lalonde.dta")
        let s = Session()
        try run(s, "import delimited \"\(csv)\", clear\nencode race, gen(racen)")
        let want = try DTAReader.read(path: dta)
        XCTAssertEqual(s.frame.column("racen")!.nums, want.column("race")!.nums)
        let wantLabel = want.valueLabels[want.column("race")!.valueLabel ?? "race"]
        XCTAssertEqual(s.frame.valueLabels["racen"]?.mapping, wantLabel?.mapping)
        XCTAssertEqual(s.frame.valueLabels["racen"]?.mapping, [1: "black", 2: "hispan", 3: "white"])
    }

    func testAppendGivesNswCps() throws {
        let nsw = try data("nsw_mixtape.dta"), cps = try data("cps_mixtape.dta"), both = try data("nsw_cps.dta")
        let s = Session()
        try run(s, "use \"\(nsw)\", clear\ndrop if treat == 0\nappend using \"\(cps)\"")
        let want = try DTAReader.read(path: both)
        XCTAssertEqual(s.frame.count, 16177)
        XCTAssertEqual(s.frame.variableNames, want.variableNames)
        for c in want.columns {
            let got = s.frame.column(c.name)!
            if c.isString { XCTAssertEqual(got.strs, c.strs, c.name); continue }
            let firstDiff = zip(got.nums, c.nums).enumerated().first { $0.element.0.bitPattern != $0.element.1.bitPattern }
            XCTAssertNil(firstDiff, "\(c.name): row \((firstDiff?.offset ?? 0) + 1) differs")
        }
    }

    func testReshapeRoundTripOnMpdta() throws {
        let path = try data("mpdta.dta")
        let s = Session()
        try run(s, "use \"\(path)\", clear\nkeep countyreal year lemp lpop first_treat\nsort countyreal year")
        let before = s.frame.copy()
        try run(s, "reshape wide lemp, i(countyreal) j(year)")
        XCTAssertEqual(s.frame.count, 500)
        XCTAssertEqual(Array(s.frame.variableNames.prefix(6)), ["countyreal", "lemp2003", "lemp2004", "lemp2005", "lemp2006", "lemp2007"])
        try run(s, "reshape long")
        XCTAssertEqual(s.frame.count, before.count)
        for name in ["countyreal", "year", "lemp", "lpop", "first_treat"] {
            let a = s.frame.column(name)!.nums, b = before.column(name)!.nums
            XCTAssertEqual(a.count, b.count)
            XCTAssertTrue(zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(name) changed in the round trip")
        }
    }

    func testCollapseMeansOnMpdta() throws {
        let path = try data("mpdta.dta")
        let s = Session()
        try run(s, "use \"\(path)\", clear")
        let year = s.frame.column("year")!.nums, lemp = s.frame.column("lemp")!.nums
        try run(s, "collapse (mean) lemp (sd) sd=lemp (count) n=lemp, by(year)")
        XCTAssertEqual(s.frame.column("year")!.nums, [2003, 2004, 2005, 2006, 2007])
        for (k, y) in [2003.0, 2004, 2005, 2006, 2007].enumerated() {
            let v = zip(year, lemp).filter { $0.0 == y }.map(\.1)
            let mean = v.reduce(0, +) / Double(v.count)
            var ss = 0.0
            for x in v { ss += (x - mean) * (x - mean) }
            XCTAssertEqual(s.frame.column("lemp")!.nums[k], mean, accuracy: 1e-13 * abs(mean))
            XCTAssertEqual(s.frame.column("sd")!.nums[k], (ss / Double(v.count - 1)).squareRoot(), accuracy: 1e-12)
            XCTAssertEqual(s.frame.column("n")!.nums[k], 500)
        }
    }
}
