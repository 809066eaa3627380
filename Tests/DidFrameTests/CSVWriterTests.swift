import Foundation
import XCTest
@testable import DidFrame

/// `export delimited`: exact round trips through the reader, quoting, formats, overwrite rule.
final class CSVWriterTests: XCTestCase {
    /// Every reference dataset written as CSV reads back to the same values (bit for bit).
    func testReferenceRoundTrip() throws {
        try Reference.requireBundle()
        for name in try Reference.datasetNames() {
            let d = try Reference.dta(name)
            let path = scratchPath(".csv"); defer { unlink(path) }
            try CSVWriter.write(d, to: path, replace: false)
            let c = try CSVReader.read(path: path, options: CSVOptions(asDouble: true))
            XCTAssertEqual(c.columns.map(\.name), d.columns.map(\.name))
            for (x, y) in zip(c.columns, d.columns) {
                if y.isString { XCTAssertEqual(x.strs, y.strs); continue }
                let want = y.nums.map { Missing.isMissing($0) ? Missing.dot : $0 }
                assertSameBits(x.nums, want, "\(name).\(x.name)")
            }
        }
        // The reference CSVs are themselves shortest round-trip text: ours is byte-identical.
        let m = try Reference.dta("mpdta")
        let path = scratchPath(".csv"); defer { unlink(path) }
        try CSVWriter.write(m, to: path, replace: false)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), try Data(contentsOf: URL(fileURLWithPath: Reference.data("mpdta.csv"))))
    }

    func testFloatsQuotingAndMissing() throws {
        let f = Frame(columns: [
            Column(name: "f", type: .float, values: [0.1, 1e-7, 3, Missing.extended(1), 16777217, -2.5e20]),
            Column(name: "d", type: .double, values: [0.1, 1e-300, -0.0, Missing.dot, 1e15, 123456.789]),
            Column(name: "s", strings: ["a,b", "say \"x\"", "two\nlines", "", " pad", "plain"]),
        ])
        let path = scratchPath(".csv"); defer { unlink(path) }
        try CSVWriter.write(f, to: path, replace: false)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("f,d,s\n0.1,0.1,\"a,b\"\n"), text)
        XCTAssertTrue(text.contains("\"say \"\"x\"\"\""))
        let g = try CSVReader.read(path: path)
        XCTAssertEqual(g.column("f")?.type, .float)
        XCTAssertEqual(g.column("f")?.nums.map(\.bitPattern), f.column("f")?.nums.map { Missing.isMissing($0) ? Missing.dot.bitPattern : $0.bitPattern })
        XCTAssertEqual(g.column("s")?.strs, f.column("s")?.strs)
        let h = try CSVReader.read(path: path, options: CSVOptions(asDouble: true))
        assertSameBits(h.column("d")?.nums, [0.1, 1e-300, -0.0, Missing.dot, 1e15, 123456.789])
    }

    func testDisplayFormatsLabelsAndOptions() throws {
        var c = Column(name: "x", type: .double, values: [1234.5678, 0, 14610])
        c.format = "%9.2f"
        var d = Column(name: "day", type: .long, values: [0, 14610, -1])
        d.format = "%td"
        var l = Column(name: "lab", type: .byte, values: [1, 2, 3])
        l.valueLabel = "yn"
        let f = Frame(columns: [c, d, l])
        f.valueLabels["yn"] = ValueLabelSet(name: "yn", mapping: [1: "yes", 2: "no"])
        let path = scratchPath(".csv"); defer { unlink(path) }
        try CSVWriter.write(f, to: path, delimiter: 9, header: false, replace: false, useDisplayFormat: true, valueLabels: true)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8),
                       "1234.57\t01jan1960\tyes\n0.00\t01jan2000\tno\n14610.00\t31dec1959\t3\n")
        XCTAssertEqual(DisplayFormat.format(1234567.5, "%12.1fc"), "1,234,567.5")
        XCTAssertEqual(DisplayFormat.format(3.14159265358979, "%9.0g"), "3.1415927")
        XCTAssertEqual(DisplayFormat.format(123456789012, "%9.0g"), "1.235e+11")
    }

    func testReplaceRule() throws {
        let path = scratchPath(".csv"); defer { unlink(path) }
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let f = Frame(columns: [Column(name: "x", values: [1])])
        XCTAssertThrowsError(try CSVWriter.write(f, to: path, replace: false)) { XCTAssertEqual(($0 as? StataError)?.code, 602) }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        try CSVWriter.write(f, to: path, replace: true)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "x\n1\n")
    }
}
