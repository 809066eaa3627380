import Foundation
import XCTest
@testable import DidFrame

/// `.dta` reading checked against the bundle's CSV twins and manifest (labels).
final class DTAReaderTests: XCTestCase {
    /// Every reference .dta holds exactly the values of its CSV (read by the naive parser).
    func testEveryDatasetMatchesItsCSV() throws {
        try Reference.requireBundle()
        let names = try Reference.datasetNames()
        XCTAssertGreaterThanOrEqual(names.count, 13)
        for name in names {
            let f = try Reference.dta(name)
            let (header, rows) = try Reference.naiveCSV(name)
            XCTAssertEqual(f.columns.map(\.name), header, name)
            XCTAssertEqual(f.count, rows.count, name)
            for (j, col) in f.columns.enumerated() {
                if name == "lalonde" && col.name == "race" {
                    let set = try XCTUnwrap(f.valueLabels[col.valueLabel ?? ""], "race label set")
                    for i in 0..<f.count { XCTAssertEqual(set.mapping[Int(col.nums[i])], rows[i][j]) }
                    continue
                }
                if col.isString {
                    for i in 0..<f.count where col.strs[i] != rows[i][j] {
                        XCTFail("\(name).\(col.name)[\(i)] \(col.strs[i]) != \(rows[i][j])"); break
                    }
                } else {
                    for i in 0..<f.count {
                        let want = rows[i][j].isEmpty ? nil : Double(rows[i][j])
                        let got = Missing.isMissing(col.nums[i]) ? nil : col.nums[i]
                        if got != want { XCTFail("\(name).\(col.name)[\(i)] \(String(describing: got)) != \(rows[i][j])"); break }
                    }
                }
            }
        }
    }

    /// The 117 and 119 variants of mpdta are identical to the 118 file.
    func testMpdtaVersionsAgree() throws {
        try Reference.requireBundle()
        let base = try DTAReader.read(path: Reference.data("mpdta.dta"))
        for v in ["mpdta_v117.dta", "mpdta_v119.dta"] {
            let f = try DTAReader.read(path: Reference.data(v))
            XCTAssertEqual(f.columns.map(\.name), base.columns.map(\.name))
            XCTAssertEqual(f.columns.map(\.type), base.columns.map(\.type))
            for (a, b) in zip(f.columns, base.columns) {
                assertSameBits(a.nums, b.nums, "\(v) \(a.name)")
            }
        }
        XCTAssertEqual(base.columns.map(\.type), [.long, .long, .double, .double, .long, .long])
    }

    /// fx_missing's x2 keeps `.a` and `.b` where the CSV is empty.
    func testExtendedMissing() throws {
        try Reference.requireBundle()
        let f = try DTAReader.read(path: Reference.data("fx_missing.dta"))
        let x2 = try XCTUnwrap(f.column("x2")).nums
        let (_, rows) = try Reference.naiveCSV("fx_missing")
        let a = x2.filter { $0 == Missing.extended(1) }.count
        let b = x2.filter { $0 == Missing.extended(2) }.count
        XCTAssertGreaterThan(a, 0); XCTAssertGreaterThan(b, 0)
        XCTAssertEqual(a + b, rows.filter { $0[3].isEmpty }.count)
        XCTAssertEqual(x2.filter { $0 == Missing.dot }.count, 0)
        XCTAssertEqual(Missing.text(x2.first { $0 == Missing.extended(2) }!), ".b")
    }

    /// Variable labels, value labels and their attachment as listed in the manifest.
    func testLabelsMatchManifest() throws {
        try Reference.requireBundle()
        for name in try Reference.datasetNames() {
            let f = try Reference.dta(name)
            let entry = try Reference.manifestEntry(name)
            let vl = entry["variable_labels"] as? [String: String] ?? [:]
            for col in f.columns { XCTAssertEqual(col.label, vl[col.name] ?? "", "\(name).\(col.name)") }
            // The manifest keys value labels by variable; the set's own name is whatever the
            // writer chose (pyreadstat calls lalonde's set `race0`).
            let sets = entry["value_labels"] as? [String: [String: String]] ?? [:]
            XCTAssertEqual(f.valueLabels.count, sets.count, name)
            for (variable, m) in sets {
                let want = Dictionary(uniqueKeysWithValues: m.map { (Int($0.key)!, $0.value) })
                let setName = try XCTUnwrap(f.column(variable)?.valueLabel, "\(name).\(variable)")
                XCTAssertEqual(f.valueLabels[setName]?.mapping, want)
            }
            for col in f.columns where sets[col.name] == nil { XCTAssertNil(col.valueLabel) }
        }
        let lalonde = try DTAReader.read(path: Reference.data("lalonde.dta"))
        XCTAssertEqual(lalonde.column("race")?.valueLabel, "race0")
        XCTAssertEqual(lalonde.valueLabels["race0"]?.mapping[2], "hispan")
        let nsw = try DTAReader.read(path: Reference.data("nsw_mixtape.dta"))
        XCTAssertEqual(nsw.column("re78")?.label, "Real earnings 1978")
        XCTAssertEqual(nsw.column("re78")?.format.hasPrefix("%"), true)
    }

    /// `use varlist using`: only the named variables, in file order; unknown names are r(111).
    func testVariableSubset() throws {
        try Reference.requireBundle()
        let f = try DTAReader.read(path: Reference.data("mpdta.dta"), variables: ["lemp", "year"])
        XCTAssertEqual(f.columns.map(\.name), ["year", "lemp"])
        XCTAssertEqual(f.count, 2500)
        XCTAssertThrowsError(try DTAReader.read(path: Reference.data("mpdta.dta"), variables: ["nope"])) {
            XCTAssertEqual(($0 as? StataError)?.code, 111)
        }
    }

    /// `use … in f/l using`: a slice of the observations, identical to the full read's slice.
    func testRowSubset() throws {
        try Reference.requireBundle()
        let all = try Reference.dta("nsw_mixtape")
        let part = try DTAReader.read(path: Reference.data("nsw_mixtape.dta"), variables: ["data_id", "re78"], rows: 100..<150)
        XCTAssertEqual(part.count, 50)
        XCTAssertEqual(part.column("data_id")?.strs, Array(all.column("data_id")!.strs[100..<150]))
        assertSameBits(part.column("re78")?.nums, Array(all.column("re78")!.nums[100..<150]))
        XCTAssertEqual(try DTAReader.read(path: Reference.data("nsw_mixtape.dta"), rows: 0..<0).count, 0)
        XCTAssertEqual(try DTAReader.read(path: Reference.data("nsw_mixtape.dta"), rows: 440..<500).count, 5)
    }

    func testMissingFileIs601() {
        XCTAssertThrowsError(try DTAReader.read(path: "/nonexistent/x.dta")) {
            XCTAssertEqual(($0 as? StataError)?.code, 601)
        }
    }

    /// Garbage bytes and every kind of truncation give r(610), never a crash.
    func testGarbageAndTruncatedFiles() throws {
        try Reference.requireBundle()
        let good = try Data(contentsOf: URL(fileURLWithPath: Reference.data("mpdta_v117.dta")))
        let good118 = try Data(contentsOf: URL(fileURLWithPath: Reference.data("lalonde.dta")))
        let path = scratchPath(".dta")
        defer { unlink(path) }
        var rng = SystemRandomNumberGenerator()
        var inputs: [Data] = [Data(), Data("hello, world\n".utf8)]
        for _ in 0..<30 { inputs.append(Data((0..<Int.random(in: 1...4000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })) }
        for cut in [1, 10, 100, 500, 1000, 2000, 5000, good.count / 2, good.count - 1] { inputs.append(good.prefix(cut)) }
        for cut in [300, 1500, 3000, good118.count - 10] { inputs.append(good118.prefix(cut)) }
        // DID_FUZZ_N raises the number of mutated files for a longer local run.
        let mutants = Int(ProcessInfo.processInfo.environment["DID_FUZZ_N"] ?? "") ?? 30
        // A file of ours with strL, value labels and extended missings, to reach those sections.
        let ours = scratchPath(".dta"); defer { unlink(ours) }
        try DTAWriter.write(DTAWriterTests.sampleFrame(), to: ours, version: 118, replace: false)
        let rich = try Data(contentsOf: URL(fileURLWithPath: ours))
        for m in 0..<mutants {   // flipped bytes in the header/map region, or anywhere
            var d = m % 3 == 2 ? rich : good118
            let span = m % 2 == 0 ? min(d.count, 4000) : d.count
            for _ in 0..<8 { let k = Int.random(in: 0..<span, using: &rng); d[k] = UInt8.random(in: 0...255, using: &rng) }
            inputs.append(d)
        }
        var rejected = 0
        for d in inputs {
            try d.write(to: URL(fileURLWithPath: path))
            do { _ = try DTAReader.read(path: path) } catch let e as StataError {
                XCTAssertTrue([610, 603].contains(e.code), e.message); rejected += 1
            }
        }
        XCTAssertGreaterThanOrEqual(rejected, 40)
    }
}
