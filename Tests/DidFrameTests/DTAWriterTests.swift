import Foundation
import XCTest
@testable import DidFrame

/// `.dta` writing: round trips through our reader, the overwrite rule and atomic replacement.
final class DTAWriterTests: XCTestCase {
    /// A frame with every storage type, extended missings, labels and a strL.
    static func sampleFrame() -> Frame {
        let f = Frame(columns: [
            Column(name: "b", type: .byte, values: [-127, 100, Missing.dot, Missing.extended(1), 0]),
            Column(name: "i", type: .int, values: [-32767, 32740, Missing.extended(26), 7, 1]),
            Column(name: "l", type: .long, values: [-2_147_483_647, 2_147_483_620, 3, Missing.dot, Missing.extended(2)]),
            Column(name: "f", type: .float, values: [0.1, -1.5e30, Missing.extended(3), 3.25, 1e-20]),
            Column(name: "d", type: .double, values: [0.1, 8.988465674311579e307, -2.2250738585072014e-308, Missing.dot, 1.0 / 3.0]),
            Column(name: "s", strings: ["a", "", "héllo wörld", "x,y\"z", "last"]),
            Column(name: "big", strings: ["short", String(repeating: "é", count: 3000), "", "c", "d"], type: .strL),
        ])
        f.columns[0].label = "a byte"
        f.columns[1].valueLabel = "yesno"
        f.columns[4].format = "%12.4f"
        f.valueLabels["yesno"] = ValueLabelSet(name: "yesno", mapping: [0: "no", 1: "yes", -5: "négatif"])
        f.valueLabels["unused"] = ValueLabelSet(name: "unused", mapping: [100000: "big"])
        f.label = "sample dataset"
        return f
    }

    static func assertSame(_ a: Frame, _ b: Frame, strL: Bool = true, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        XCTAssertEqual(a.columns.map(\.name), b.columns.map(\.name), file: file, line: line)
        XCTAssertEqual(a.label, b.label, file: file, line: line)
        XCTAssertEqual(a.valueLabels, b.valueLabels, file: file, line: line)
        for (x, y) in zip(a.columns, b.columns) {
            XCTAssertEqual(x.type, y.type, x.name, file: file, line: line)
            assertSameBits(x.nums, y.nums, x.name, file: file, line: line)
            XCTAssertEqual(x.strs, y.strs, x.name, file: file, line: line)
            XCTAssertEqual(x.label, y.label, file: file, line: line)
            XCTAssertEqual(x.format, y.format, file: file, line: line)
            XCTAssertEqual(x.valueLabel, y.valueLabel, file: file, line: line)
        }
    }

    func testRoundTripEveryTypeAndVersion() throws {
        let f = Self.sampleFrame()
        for v in [117, 118, 119] {
            let path = scratchPath(".dta"); defer { unlink(path) }
            try DTAWriter.write(f, to: path, version: v, replace: false)
            Self.assertSame(f, try DTAReader.read(path: path))
        }
    }

    /// Old formats (saveold): no strL, strings up to 244 bytes, so long text is cut there.
    func testOldFormats() throws {
        let f = Self.sampleFrame()
        for v in [114, 115] {
            let path = scratchPath(".dta"); defer { unlink(path) }
            try DTAWriter.write(f, to: path, version: v, replace: false)
            let g = try DTAReader.read(path: path)
            XCTAssertEqual(g.column("big")?.type, .str(244))
            // 244 bytes of Windows-1252: 244 é, read back as UTF-8.
            XCTAssertEqual(g.column("big")?.strs[1], String(repeating: "é", count: 244))
            XCTAssertEqual(g.column("s")?.strs, f.column("s")?.strs)
            XCTAssertEqual(g.valueLabels, f.valueLabels)
            XCTAssertEqual(g.column("big")?.strs[0], "short")
            assertSameBits(g.column("f")?.nums, f.column("f")?.nums)
            XCTAssertEqual(g.column("b")?.nums[3], Missing.extended(1))
        }
    }

    func testEmptyFrames() throws {
        let path = scratchPath(".dta"); defer { unlink(path) }
        let zeroObs = Frame(columns: [Column(name: "x", type: .float, values: []), Column(name: "s", strings: [], type: .str(5))])
        try DTAWriter.write(zeroObs, to: path, replace: false)
        Self.assertSame(zeroObs, try DTAReader.read(path: path))
        try DTAWriter.write(Frame(), to: path, replace: true)
        let g = try DTAReader.read(path: path)
        XCTAssertEqual(g.width, 0); XCTAssertEqual(g.count, 0)
    }

    /// Every reference dataset survives write + read bit for bit.
    func testReferenceRoundTrip() throws {
        try Reference.requireBundle()
        for name in try Reference.datasetNames() {
            let f = try Reference.dta(name)
            let path = scratchPath(".dta"); defer { unlink(path) }
            try DTAWriter.write(f, to: path, replace: false)
            Self.assertSame(f, try DTAReader.read(path: path))
        }
    }

    func testRefusesOverwriteWithoutReplace() throws {
        let path = scratchPath(".dta"); defer { unlink(path) }
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try DTAWriter.write(Self.sampleFrame(), to: path, replace: false)) {
            XCTAssertEqual(($0 as? StataError)?.code, 602)
            XCTAssertEqual(($0 as? StataError)?.message, "file \(path) already exists")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "keep me")
        try DTAWriter.write(Self.sampleFrame(), to: path, replace: true)
        XCTAssertEqual(try DTAReader.read(path: path).count, 5)
    }

    /// A write that fails part-way (invalid variable name) leaves the old file and no temp files.
    func testFailedWriteLeavesOldFile() throws {
        let dir = scratchPath("-dir")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/d.dta"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let bad = Frame(columns: [Column(name: "1 bad name", values: [1])])
        XCTAssertThrowsError(try DTAWriter.write(bad, to: path, replace: true)) { XCTAssertTrue($0 is StataError) }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["d.dta"])
        XCTAssertThrowsError(try DTAWriter.write(Self.sampleFrame(), to: "/nonexistent-dir/x.dta", replace: true)) {
            XCTAssertEqual(($0 as? StataError)?.code, 603)
        }
    }

    /// A value outside its declared integer type is widened to double instead of corrupted.
    func testOutOfRangeIntegerIsWidened() throws {
        let path = scratchPath(".dta"); defer { unlink(path) }
        var c = Column(name: "x", type: .double, values: [1, 300.5])
        c.type = .byte
        try DTAWriter.write(Frame(columns: [c]), to: path, replace: false)
        let g = try DTAReader.read(path: path)
        XCTAssertEqual(g.columns[0].type, .double)
        XCTAssertEqual(g.columns[0].nums, [1, 300.5])
    }
}
