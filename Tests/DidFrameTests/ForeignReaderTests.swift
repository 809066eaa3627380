// SPSS files (a fixture written by pyreadstat 1.3 from a small table:
// id 1 2 3, income 1000.5 . 250.25 labelled "Annual income", name ann bob cy, grp 1 2 1 with
// value labels control/treated).

@testable import DidFrame
import XCTest

final class ForeignReaderTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(".fixtures")

    func testSPSS() throws {
        let f = try ForeignReader.read(path: Self.fixtures.appendingPathComponent("sample.sav").path, kind: .spss)
        XCTAssertEqual(f.count, 3)
        XCTAssertEqual(f.columns.map(\.name), ["id", "income", "name", "grp"])
        XCTAssertEqual(f.column("id")?.nums, [1, 2, 3])
        let income = f.column("income")!
        XCTAssertEqual(income.nums[0], 1000.5)
        XCTAssertTrue(Missing.isMissing(income.nums[1]))
        XCTAssertEqual(income.label, "Annual income")
        XCTAssertEqual(f.column("name")?.strs, ["ann", "bob", "cy"])
        XCTAssertEqual(f.column("name")?.type, .str(3))
        let grp = f.column("grp")!
        let set = f.valueLabels[grp.valueLabel ?? ""]
        XCTAssertEqual(set?.mapping[1], "control")
        XCTAssertEqual(set?.mapping[2], "treated")
        XCTAssertFalse(income.format.contains("F"), income.format)
    }

    func testWrongFormatAndMissingFile() {
        let sav = Self.fixtures.appendingPathComponent("sample.sav").path
        XCTAssertThrowsError(try ForeignReader.read(path: sav, kind: .sas)) { e in XCTAssertEqual((e as? StataError)?.code, 610) }
        XCTAssertThrowsError(try ForeignReader.read(path: "/nonexistent/x.sav", kind: .spss)) { e in XCTAssertEqual((e as? StataError)?.code, 601) }
        XCTAssertEqual(ForeignReader.Kind(path: "a.SAV"), .spss)
        XCTAssertEqual(ForeignReader.Kind(path: "a.sas7bdat"), .sas)
        XCTAssertNil(ForeignReader.Kind(path: "a.dta"))
    }
}
