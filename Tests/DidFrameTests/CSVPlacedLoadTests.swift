import Foundation
import XCTest
@testable import DidFrame

/// The direct-placement reader (CSVPlacedLoad) against the general reader: both must give the
/// same frame bit for bit, with chunks forced tiny so every boundary case is crossed; inputs the
/// placed path cannot take (quotes, wide rows) must fall back and still give the same frame.
final class CSVPlacedLoadTests: XCTestCase {
    private var savedMin = 0, savedChunk = 0

    override func setUp() {
        savedMin = CSVReader.placedMinBytes
        savedChunk = CSVPlacedLoad.chunkBytes
    }

    override func tearDown() {
        CSVReader.placedMinBytes = savedMin
        CSVPlacedLoad.chunkBytes = savedChunk
    }

    /// Reads `text` with the placed path forced (chunks of `chunk` bytes) and with the general
    /// reader, asserts the two frames are identical, and returns the placed one.
    @discardableResult
    private func both(_ text: String, chunk: Int, _ options: CSVOptions = .init(), file: StaticString = #filePath, line: UInt = #line) throws -> Frame {
        let bytes = Array(text.utf8)
        CSVReader.placedMinBytes = Int.max
        let general = try CSVReader.read(bytes: bytes, options: options)
        CSVReader.placedMinBytes = 0
        CSVPlacedLoad.chunkBytes = chunk
        let placed = try CSVReader.read(bytes: bytes, options: options)
        CSVReader.placedMinBytes = savedMin
        CSVPlacedLoad.chunkBytes = savedChunk
        XCTAssertEqual(placed.count, general.count, "rows", file: file, line: line)
        XCTAssertEqual(placed.columns.map(\.name), general.columns.map(\.name), file: file, line: line)
        XCTAssertEqual(placed.columns.map(\.type), general.columns.map(\.type), file: file, line: line)
        XCTAssertEqual(placed.columns.map(\.label), general.columns.map(\.label), file: file, line: line)
        for (a, b) in zip(placed.columns, general.columns) {
            assertSameBits(a.nums, b.nums, a.name, file: file, line: line)
            XCTAssertEqual(a.strs, b.strs, a.name, file: file, line: line)
        }
        return placed
    }

    /// True when CSVPlacedLoad itself takes `text` (rather than handing it back).
    private func placedTakes(_ text: String, chunk: Int, ncols: Int, from pos: Int) -> Bool {
        CSVPlacedLoad.chunkBytes = chunk
        defer { CSVPlacedLoad.chunkBytes = savedChunk }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            let s = CSVScanner(base: b.baseAddress!, end: b.count, delim: 0x2C)
            return CSVPlacedLoad.run(s, from: pos, ncols: ncols, options: CSVOptions(), mapped: false) != nil
        }
    }

    /// Fixed-width rows, so chunk cuts can be aimed at a newline or just past one.
    func testChunkBoundaryAtNewline() throws {
        let rows = (0..<50).map { String(format: "%07d,%d", $0 * 3 + 1_000_000, $0 % 7) }   // 10 bytes with "\n"
        let text = "a,b\n" + rows.joined(separator: "\n") + "\n"
        // The data start at 4; row k's newline is at 13 + 10k. 29 aims a cut at a newline,
        // 30 just after one, 31 inside a row.
        for chunk in [1, 9, 10, 29, 30, 31, 1000] {
            let f = try both(text, chunk: chunk)
            XCTAssertEqual(f.count, 50)
            XCTAssertEqual(f.column("a")?.nums.last, 1_000_147)
            XCTAssertTrue(placedTakes(text, chunk: chunk, ncols: 2, from: 4), "chunk \(chunk)")
        }
        let bounds = Array(text.utf8).withUnsafeBufferPointer { b -> [Int] in
            CSVPlacedLoad.chunkBytes = 29
            defer { CSVPlacedLoad.chunkBytes = savedChunk }
            return CSVPlacedLoad.chunkStarts(CSVScanner(base: b.baseAddress!, end: b.count, delim: 0x2C), from: 4)
        }
        XCTAssertEqual(bounds.first, 4); XCTAssertEqual(bounds.last, text.utf8.count)
        for k in bounds.dropFirst().dropLast() { XCTAssertEqual(Array(text.utf8)[k - 1], 0x0A, "cut \(k) is a row start") }
        XCTAssertEqual(bounds[1], 34)   // the cut aimed at the newline at 33 starts the next row
    }

    func testCRLFBlankLinesAndMissingLastNewline() throws {
        let crlf = "x,y\r\n" + (0..<40).map { "\($0),\(Double($0) / 8)\r\n" }.joined()
        for chunk in [1, 7, 16, 64] {
            let f = try both(crlf, chunk: chunk)
            XCTAssertEqual(f.count, 40)
            XCTAssertEqual(f.column("y")?.nums[3], 0.375)
        }
        // Blank lines (LF and CRLF), a lone CR line, and no newline after the last row.
        let blanks = "x,y\n1,2\n\n3,4\r\n\r\n5,6\n\r\n\n7,8\n9,10\r"
        for chunk in [1, 3, 5, 8, 100] {
            let f = try both(blanks, chunk: chunk)
            XCTAssertEqual(f.column("x")?.nums, [1, 3, 5, 7, 9])
            XCTAssertEqual(f.column("y")?.nums, [2, 4, 6, 8, 10])
        }
        try both("x,y\n1,2\n3,4", chunk: 2)
        try both("x,y\n1,2\n3,4\n\r", chunk: 2)
    }

    func testSmallFilesAndOneRow() throws {
        let one = try both("a,b,c\n1.5,-2,x\n", chunk: 1 << 20)
        XCTAssertEqual(one.count, 1)
        XCTAssertEqual(one.columns.map(\.type), [.float, .byte, .str(1)])
        XCTAssertEqual(try both("a\n7", chunk: 1).column("a")?.nums, [7])
        XCTAssertEqual(try both("a,b\n", chunk: 1).count, 0)
        let nonames = try both("1,2\n3,4\n", chunk: 1, CSVOptions(varnamesRow: nil))
        XCTAssertEqual(nonames.columns.map(\.name), ["v1", "v2"])
        XCTAssertTrue(placedTakes("a\n1\n", chunk: 1 << 20, ncols: 1, from: 2))
    }

    /// Short rows are padded in place; text turns a column into a string column read by the
    /// second pass over every chunk.
    func testRaggedShortRowsAndStringColumns() throws {
        var text = "id,v,s\n"
        for i in 0..<200 { text += i % 9 == 0 ? "\(i)\n" : "\(i),\(i % 5 == 0 ? "." : String(i * 7)),\(i % 13 == 0 ? "t\(i)" : "\(i)")\n" }
        let f = try both(text, chunk: 37)
        XCTAssertEqual(f.column("s")?.type, .str(4))
        XCTAssertEqual(f.column("s")?.strs[13], "t13")
        XCTAssertEqual(f.column("s")?.strs[9], "")
        XCTAssertEqual(f.column("v")?.nums[9], Missing.dot)
        XCTAssertEqual(f.column("v")?.type, .int)
        try both(text, chunk: 37, CSVOptions(stringColumns: [2], numericColumns: [3]))
    }

    /// What the placed path cannot read goes back to the general reader, with the same result:
    /// quotes (a quoted newline may sit across a cut) and rows wider than the names row.
    func testFallbacks() throws {
        var quoted = "a,b\n"
        for i in 0..<60 { quoted += i == 30 ? "\(i),\"multi\nline, \"\"q\"\"\"\n" : "\(i),\(i)\n" }
        XCTAssertFalse(placedTakes(quoted, chunk: 16, ncols: 2, from: 4))
        for chunk in [1, 16, 300, 10_000] {
            let f = try both(quoted, chunk: chunk)
            XCTAssertEqual(f.count, 60)
            XCTAssertEqual(f.column("b")?.strs[30], "multi\nline, \"q\"")
        }
        let wide = "a,b\n1,2\n3,4,5\n6,7\n"
        XCTAssertFalse(placedTakes(wide, chunk: 1, ncols: 2, from: 4))
        XCTAssertEqual(try both(wide, chunk: 1).columns.map(\.name), ["a", "b", "v3"])
    }

    /// Float columns are rounded chunk by chunk: chunks that held only integers are rounded at
    /// the end, and a column that turns out double (a magnitude beyond float) after some chunks
    /// were rounded is handed back to the general reader.
    func testFloatRoundingAcrossChunks() throws {
        var text = "a,b\n"
        for i in 0..<30 { text += "\(16_777_217 + 2 * i),1\n" }   // not floats: 2^24 + 1 rounds
        for i in 0..<30 { text += "\(Double(i) + 0.1),\(i % 2 == 0 ? "0.3" : "2")\n" }
        let f = try both(text, chunk: 16)
        XCTAssertEqual(f.columns.map(\.type), [.float, .float])
        XCTAssertEqual(f.column("a")?.nums[0], Double(Float(16_777_217)))
        XCTAssertEqual(f.column("a")?.nums[31], Double(Float(1.1)))
        XCTAssertTrue(placedTakes(text, chunk: 16, ncols: 2, from: 4))
        let huge = "a\n" + (0..<40).map { "\(Double($0) + 0.1)\n" }.joined() + "1e39\n"
        let g = try both(huge, chunk: 16)
        XCTAssertEqual(g.columns[0].type, .double)
        XCTAssertEqual(g.columns[0].nums[1], 1.1)
        XCTAssertFalse(placedTakes(huge, chunk: 16, ncols: 1, from: 2))
        XCTAssertEqual(try both(huge, chunk: 16, CSVOptions(asDouble: true)).columns[0].nums[1], 1.1)
    }

    /// The memchr row count equals the scanner's own count on random quote-free text
    /// with blank lines, CRs and ragged rows.
    func testCountRowsMatchesScanner() {
        var rng = SplitMix64(seed: 7)
        let alphabet: [UInt8] = Array("0123456789.,,\n\n\r -e".utf8)
        for _ in 0..<2000 {
            let n = Int(rng.next() % 120) + 1
            let bytes = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            bytes.withUnsafeBufferPointer { b in
                let s = CSVScanner(base: b.baseAddress!, end: n, delim: 0x2C)
                // Chunks end after a newline or at the end of the data, as chunkStarts cuts them.
                var cuts = [0] + (0..<n).filter { b[$0] == 0x0A && rng.next() % 3 == 0 }.map { $0 + 1 }
                if cuts.last != n { cuts.append(n) }
                for k in 0..<(cuts.count - 1) where cuts[k] < cuts[k + 1] {
                    var sink = CountSink(remaining: Int.max)
                    _ = s.scan(from: cuts[k], limit: cuts[k + 1], into: &sink)
                    XCTAssertEqual(CSVPlacedLoad.countRows(s, cuts[k], cuts[k + 1]), Int.max - sink.remaining,
                                   String(decoding: bytes[cuts[k]..<cuts[k + 1]], as: UTF8.self).debugDescription)
                }
            }
        }
    }

    /// Every number form parses to strtod's double through the placed path, and random panels
    /// (integers, 17-digit floats, missings, blank lines) agree with the general reader.
    func testNumbersExactAndRandomPanels() throws {
        let forms = ["0", "-0", "+5", "5.", ".5", "-.5", "1e5", "1E-5", "2.5e+3", "123456789012345678901234",
                     "0.12345678901234567", "-9.8765432109876543e-12", "00012", "1.0000000000000002",
                     "9007199254740993", "0.000000000000000000001", "4.9e-324", "1.7976931348623157e307"]
        let text = "x,y\n" + forms.map { " \($0),1\r\n" }.joined()
        let f = try both(text, chunk: 5, CSVOptions(asDouble: true))
        assertSameBits(f.column("x")?.nums, forms.map { strtod($0, nil) })

        var rng = SplitMix64(seed: 20261123)
        for trial in 0..<40 {
            var t = "unit,year,x1,x2\n"
            for i in 0..<Int(rng.next() % 300) {
                if rng.next() % 50 == 0 { t += rng.next() % 2 == 0 ? "\n" : "\r\n" }
                let u = Double(rng.next() >> 11) / 9007199254740992.0
                let x = (u - 0.5) * pow(10, Double(rng.next() % 9) - 6)
                let miss = rng.next() % 40 == 0
                t += "\(i / 20 + 1),\(2001 + i % 20),\(miss ? "" : String(format: "%.17g", x)),\(String(format: "%.17g", -x * 3))\n"
            }
            try both(t, chunk: Int(rng.next() % 200) + 1, CSVOptions(asDouble: trial % 2 == 0))
        }
    }
}
