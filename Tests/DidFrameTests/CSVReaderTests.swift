import Foundation
import XCTest
@testable import DidFrame

/// `import delimited`: values against the reference .dta twins, Stata's typing rules, quoting,
/// ragged rows, the parallel split, and a bounded fuzz run.
final class CSVReaderTests: XCTestCase {
    private func csv(_ text: String, _ options: CSVOptions = .init()) throws -> Frame {
        try CSVReader.read(bytes: Array(text.utf8), options: options)
    }

    /// Every reference CSV (asdouble) holds exactly the values of its .dta.
    func testReferenceCSVsMatchDTA() throws {
        try Reference.requireBundle()
        for name in try Reference.datasetNames() where name != "lalonde" {
            let c = try CSVReader.read(path: Reference.data(name + ".csv"), options: CSVOptions(asDouble: true))
            let d = try Reference.dta(name)
            XCTAssertEqual(c.columns.map(\.name), d.columns.map(\.name), name)
            XCTAssertEqual(c.count, d.count, name)
            for (x, y) in zip(c.columns, d.columns) {
                XCTAssertEqual(x.isString, y.isString, "\(name).\(x.name)")
                if x.isString { XCTAssertEqual(x.strs, y.strs, "\(name).\(x.name)"); continue }
                // .dta extended missings (.a/.b) are empty in the CSV.
                let want = y.nums.map { Missing.isMissing($0) ? Missing.dot : $0 }
                assertSameBits(x.nums, want, "\(name).\(x.name)")
            }
        }
        let l = try CSVReader.read(path: Reference.data("lalonde.csv"))
        XCTAssertEqual(l.column("race")?.type, .str(6))
        let (_, rows) = try Reference.naiveCSV("lalonde")
        XCTAssertEqual(l.column("race")?.strs, rows.map { $0[3] })
    }

    /// Storage types as Stata picks them: smallest integer type, float by default, str#.
    func testStataTypes() throws {
        let f = try csv("A,b,c,d,e,f,g,h\n1,100,32740,2147483620,1.5,x,,3000000000\n-127,-128,-32767,-2147483647,0.1,yy,,1\n")
        XCTAssertEqual(f.columns.map(\.name), ["a", "b", "c", "d", "e", "f", "g", "h"])
        XCTAssertEqual(f.columns.map(\.type), [.byte, .int, .int, .long, .float, .str(2), .byte, .double])
        XCTAssertEqual(f.column("e")?.nums[1], Double(Float(0.1)))
        XCTAssertEqual(f.column("g")?.nums, [Missing.dot, Missing.dot])
        let g = try csv("a,b\n101,0.1\n", CSVOptions(asDouble: true))
        XCTAssertEqual(g.columns.map(\.type), [.int, .double])
        XCTAssertEqual(g.column("b")?.nums, [0.1])
        let h = try csv("x\n.\n.a\n3\n \n")
        XCTAssertEqual(h.column("x")?.nums, [Missing.dot, Missing.extended(1), 3, Missing.dot])
        XCTAssertEqual(h.column("x")?.type, .byte)
    }

    func testQuotingCRLFBOMAndDelimiters() throws {
        let text = "\u{FEFF}name,\"note\"\r\n\"Smith, J\",\"said \"\"hi\"\"\r\nthen left\"\r\nplain,2\r\n"
        let f = try csv(text)
        XCTAssertEqual(f.columns.map(\.name), ["name", "note"])
        XCTAssertEqual(f.column("name")?.strs, ["Smith, J", "plain"])
        XCTAssertEqual(f.column("note")?.strs, ["said \"hi\"\r\nthen left", "2"])
        XCTAssertEqual(try csv("a\tb\n1\t2\n").columns.map(\.name), ["a", "b"])
        XCTAssertEqual(try csv("a;b\n1,5;2\n").column("a")?.strs, ["1,5"])
        XCTAssertEqual(try csv("a|b\n1|2\n", CSVOptions(delimiter: UInt8(ascii: "|"))).column("b")?.nums, [2])
        XCTAssertEqual(try csv("a,b\n\"1\",\"2.5\"\n").column("b")?.nums, [2.5])
    }

    /// Ragged rows: short rows are padded with missing; long rows add v# columns.
    func testRaggedRows() throws {
        let f = try csv("a,b\n1\n2,3,4\n\n5,6\n")
        XCTAssertEqual(f.columns.map(\.name), ["a", "b", "v3"])
        XCTAssertEqual(f.count, 3)
        XCTAssertEqual(f.column("b")?.nums, [Missing.dot, 3, 6])
        XCTAssertEqual(f.column("v3")?.nums, [Missing.dot, 4, Missing.dot])
        let s = try csv("a,b\nx\ny,z,w\n")
        XCTAssertEqual(s.column("b")?.strs, ["", "z"])
        XCTAssertEqual(s.column("v3")?.strs, ["", "w"])
    }

    func testNamesAndOptions() throws {
        let f = try csv("1x,Good Name,ok,OK,_n,a_b,first.treat,,é\n1,2,3,4,5,6,7,8,9\n")
        XCTAssertEqual(f.columns.map(\.name), ["v1", "goodname", "ok", "v4", "v5", "a_b", "firsttreat", "v8", "v9"])
        XCTAssertEqual(f.columns[1].label, "Good Name")
        XCTAssertEqual(f.columns[3].label, "OK")
        XCTAssertEqual(f.columns[6].label, "first.treat")
        XCTAssertEqual(f.columns[2].label, "")
        let long = String(repeating: "abcd", count: 10)
        XCTAssertEqual(try csv(long + "\n1\n").columns[0].name, String(long.prefix(32)))
        let n = try csv("1,2\n3,4\n", CSVOptions(varnamesRow: nil))
        XCTAssertEqual(n.columns.map(\.name), ["v1", "v2"]); XCTAssertEqual(n.count, 2)
        let p = try csv("Ab\n1\n", CSVOptions(lowercaseNames: false))
        XCTAssertEqual(p.columns.map(\.name), ["Ab"])
        let r = try csv("junk line\nx,y\n1,a\n2,b\n3,c\n4,d\n", CSVOptions(varnamesRow: 2, rowRange: 2...3))
        XCTAssertEqual(r.column("x")?.nums, [2, 3]); XCTAssertEqual(r.column("y")?.strs, ["b", "c"])
        let o = try csv("a,b,c\n1,2,x\n3,4,5\n", CSVOptions(stringColumns: [1], numericColumns: [3]))
        XCTAssertEqual(o.column("a")?.strs, ["1", "3"])
        XCTAssertEqual(o.column("c")?.nums, [Missing.dot, 5])
        let l = try CSVReader.read(bytes: [0x61, 0x0A, 0xE9, 0x0A], options: CSVOptions(encoding: .latin1))
        XCTAssertEqual(l.column("a")?.strs, ["é"])
        XCTAssertEqual(try csv("").width, 0)
        let h = try csv("a,b\n")
        XCTAssertEqual(h.columns.map(\.name), ["a", "b"]); XCTAssertEqual(h.count, 0)
        XCTAssertThrowsError(try CSVReader.read(path: "/nonexistent.csv")) { XCTAssertEqual(($0 as? StataError)?.code, 601) }
    }

    /// A split file gives the same frame with 1 and 2 threads, also when quoted newlines sit
    /// near the cut, and when a quoted field spans the cut (the second half is then redone).
    func testParallelSplitEqualsSequential() throws {
        let saved = CSVReader.parallelMinBytes
        CSVReader.parallelMinBytes = 1000
        defer { CSVReader.parallelMinBytes = saved }
        var rows: [String] = ["id,x,s"]
        for i in 0..<4000 { rows.append("\(i),\(Double(i) * 0.37 - 500),\(i % 7 == 0 ? "\"a\nb,\(i)\"" : "t\(i)")") }
        let bytes = Array((rows.joined(separator: "\n") + "\n").utf8)
        let one = try CSVReader.read(bytes: bytes, options: CSVOptions(asDouble: true, threads: 1))
        let two = try CSVReader.read(bytes: bytes, options: CSVOptions(asDouble: true, threads: 2))
        XCTAssertEqual(one.count, 4000)
        for (a, b) in zip(one.columns, two.columns) {
            XCTAssertEqual(a.type, b.type); assertSameBits(a.nums, b.nums, a.name); XCTAssertEqual(a.strs, b.strs)
        }
        XCTAssertEqual(one.column("id")?.type, .int)
        XCTAssertEqual(one.column("s")?.strs[7], "a\nb,7")
        // The split really happened: two chunks whose boundary is a row start.
        try bytes.withUnsafeBufferPointer { buf in
            let scanner = CSVScanner(base: buf.baseAddress!, end: buf.count, delim: 0x2C)
            let chunks = CSVReader.scanChunks(scanner, from: 7, maxRows: Int.max, header: 3, options: CSVOptions(threads: 2))
            defer { for c in chunks { c.sink.release() } }
            XCTAssertEqual(chunks.count, 2)
            XCTAssertEqual(chunks[0].stop, chunks[1].start)
            XCTAssertEqual(chunks[0].sink.rows + chunks[1].sink.rows, 4000)
            if chunks.count != 2 { throw StataError(198, "no split") }
        }
        // A quoted field spanning the whole middle forces the fallback.
        let big = "a,b\n1,\"" + String(repeating: "line\n", count: 2000) + "\"\n2,x\n"
        let f = try CSVReader.read(bytes: Array(big.utf8))
        XCTAssertEqual(f.count, 2)
        XCTAssertEqual(f.column("b")?.strs[1], "x")
        XCTAssertEqual(f.column("b")?.strs[0].count, 5 * 2000)
    }

    /// The in-scan number path gives what strtod gives for every numeric form, with CR/LF,
    /// blanks and quotes around the numbers (the slower general path).
    func testNumberFormsInFields() throws {
        let forms = ["0", "-0", "+5", "5.", ".5", "-.5", "1e5", "1E-5", "2.5e+3", "123456789012345678901234",
                     "0.12345678901234567", "-9.8765432109876543e-12", "00012", "1.0000000000000002",
                     "9007199254740993", "0.000000000000000000001", "4.9e-324", "1.7976931348623157e307"]
        for wrap in ["%@", " %@", "%@ ", "\"%@\""] {
            let text = "x,y\n" + forms.map { String(format: wrap, $0) + ",1\r\n" }.joined()
            let f = try csv(text, CSVOptions(asDouble: true))
            assertSameBits(f.column("x")?.nums, forms.map { strtod($0, nil) }, wrap)
        }
    }

    /// More fields in a row than Stata allows variables is r(900), not a memory blow-up.
    func testTooManyColumns() {
        let row = String(repeating: ",", count: CSVNumericSink.maxColumns + 5)
        XCTAssertThrowsError(try csv("a\n1" + row + "\n")) { XCTAssertEqual(($0 as? StataError)?.code, 900) }
        XCTAssertThrowsError(try csv(row + "\n1\n")) { XCTAssertEqual(($0 as? StataError)?.code, 900) }
    }

    /// Bounded fuzz: random, ragged and binary inputs give a Frame or a StataError, never a crash.
    func testFuzz() throws {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("0123456789.,;\t\"\r\n -+eEabc.".utf8) + [0, 0xFF, 0xC3, 0xA9]
        let start = processCPUSeconds()
        for k in 0..<3000 {
            let n = Int.random(in: 0...300, using: &rng)
            let bytes: [UInt8] = (0..<n).map { _ in
                k % 3 == 0 ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng)!
            }
            let opts = CSVOptions(varnamesRow: k % 5 == 0 ? nil : 1, rowRange: k % 7 == 0 ? 2...4 : nil)
            do {
                let f = try CSVReader.read(bytes: bytes, options: opts)
                for c in f.columns { XCTAssertEqual(c.count, f.count) }
            } catch is StataError {}
        }
        // CPU time, not wall time: the bound must hold on a machine shared with other builds.
        XCTAssertLessThan(processCPUSeconds() - start, 5)
    }
}
