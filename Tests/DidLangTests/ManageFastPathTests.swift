// The fast paths of collapse and merge against general ones, on random data with ties, missing
// keys (`.`, `.a`, "") and string keys: collapse's one-pass sums against its grouped path (the
// same statistics through frequency weights of 1), and merge's unique-key lookup against a
// pairing written out here from Stata's rules (master rows in stable key order, each with its
// using row, then the using-only rows in key order; `_merge` 1/2/3).

import DidFrame
@testable import DidLang
import Foundation
import XCTest

final class ManageFastPathTests: XCTestCase {
    /// Deterministic random integers (SplitMix64), so a failure replays.
    struct Rand {
        var state: UInt64
        mutating func callAsFunction(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }

    static let strings = ["", "a", "B", "b", "ab", "zz"]
    static let missing = [Missing.dot, Missing.extended(1), Missing.extended(26)]

    func session() -> Session {
        let s = Session()
        s.output = { _, _ in }
        return s
    }

    /// Master data: numeric key `id` (ties, missing), string key `k`, values `x` (some missing).
    func master(_ n: Int, _ r: inout Rand) -> [Column] {
        [Column(name: "id", values: (0..<n).map { _ in r(8) == 0 ? Self.missing[r(3)] : Double(r(12) - 3) }),
         Column(name: "k", strings: (0..<n).map { _ in Self.strings[r(6)] }),
         Column(name: "x", values: (0..<n).map { _ in r(6) == 0 ? Missing.dot : Double(r(10_000)) / 16 })]
    }

    // MARK: collapse

    func testSummedStatisticsEqualTheGroupedPath() throws {
        for seed in 1...4 as ClosedRange<UInt64> {
            var r = Rand(state: seed)
            for by in ["id", "k", "id k", "k id"] {
                let a = session(), b = session()
                for c in master(900, &r) { a.frame.add(c); b.frame.add(c) }
                b.frame.add(Column(name: "one", type: .byte, values: Array(repeating: 1, count: 900)))
                let clist = "(mean) m=x (sum) t=x (count) n=x (rawsum) rs=x"
                try a.run(source: "collapse \(clist) if id != 2, by(\(by))")
                try b.run(source: "collapse \(clist) if id != 2 [fw=one], by(\(by))")
                XCTAssertEqual(a.frame.count, b.frame.count)
                for v in ["id", "k", "m", "t", "n", "rs"] {
                    guard let p = a.frame.column(v), let q = b.frame.column(v) else {
                        XCTAssertFalse(by.contains(v), "\(v) missing from the result"); continue
                    }
                    if p.isString { XCTAssertEqual(p.strs, q.strs, "\(by) \(v)") }
                    else { XCTAssertEqual(p.nums.map(\.bitPattern), q.nums.map(\.bitPattern), "\(by) \(v) seed \(seed)") }
                }
                XCTAssertEqual(a.frame.sortedBy, by.split(separator: " ").map(String.init))
                // Output sorted by the by-variables, missing keys as groups of their own.
                XCTAssertEqual(try a.frame.sortPermutation(by: a.frame.sortedBy), Array(0..<a.frame.count))
                if let id = a.frame.column("id")?.nums { XCTAssertEqual(Set(id.filter(Missing.isMissing)).count, 3, "., .a, .z are groups") }
            }
        }
    }

    // MARK: merge

    /// Stata's order of two key tuples (numbers ascending, missing last; strings bytewise).
    func less(_ a: (Double, String), _ b: (Double, String)) -> Bool {
        if a.0 != b.0 { return a.0 < b.0 }
        return a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
    }

    func testMergeManyToOneEqualsThePairingRules() throws {
        let dir = NSTemporaryDirectory() + "mergefast_\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for seed in 1...6 as ClosedRange<UInt64> {
            var r = Rand(state: seed)
            let cols = master(700, &r)
            // Using: a random half of all key pairs (some never in the master), each once.
            var uid: [Double] = [], uk: [String] = [], uval: [Double] = []
            for id in (-3...9).map(Double.init) + Self.missing {
                for k in Self.strings where r(2) == 0 { uid.append(id); uk.append(k); uval.append(Double(r(100))) }
            }
            let shuffle = (0..<uid.count).map { ($0 * 37) % uid.count }
            let using = Frame(columns: [Column(name: "id", values: shuffle.map { uid[$0] }),
                                        Column(name: "k", strings: shuffle.map { uk[$0] }),
                                        Column(name: "uval", values: shuffle.map { uval[$0] })])
            let path = dir + "/u\(seed).dta"
            try DTAWriter.write(using, to: path, replace: true)
            for presort in [false, true] {
                let s = session()
                for c in cols { s.frame.add(c) }
                if presort { try s.run(source: "sort id k") }
                let mid = s.frame.column("id")!.nums, mk = s.frame.column("k")!.strs, mx = s.frame.column("x")!.nums
                try s.run(source: "merge m:1 id k using \"\(path)\"")
                // Expected, from the rules.
                let order = (0..<mid.count).sorted { a, b in
                    less((mid[a], mk[a]), (mid[b], mk[b])) || (!less((mid[b], mk[b]), (mid[a], mk[a])) && a < b)
                }
                var lookup: [String: Int] = [:]
                for u in 0..<using.count { lookup["\(using.columns[0].nums[u].bitPattern)|\(using.columns[1].strs[u])"] = u }
                var seen = Set<Int>()
                var eid: [Double] = [], ek: [String] = [], ex: [Double] = [], eu: [Double] = [], code: [Double] = []
                for m in order {
                    let u = lookup["\(mid[m].bitPattern)|\(mk[m])"]
                    if let u { seen.insert(u) }
                    eid.append(mid[m]); ek.append(mk[m]); ex.append(mx[m])
                    eu.append(u.map { using.columns[2].nums[$0] } ?? Missing.dot); code.append(u == nil ? 1 : 3)
                }
                let only = (0..<using.count).filter { !seen.contains($0) }.sorted { a, b in
                    less((using.columns[0].nums[a], using.columns[1].strs[a]), (using.columns[0].nums[b], using.columns[1].strs[b]))
                }
                for u in only {
                    eid.append(using.columns[0].nums[u]); ek.append(using.columns[1].strs[u]); ex.append(Missing.dot)
                    eu.append(using.columns[2].nums[u]); code.append(2)
                }
                let tag = "seed \(seed) presort \(presort)"
                XCTAssertEqual(s.frame.column("id")!.nums.map(\.bitPattern), eid.map(\.bitPattern), tag)
                XCTAssertEqual(s.frame.column("k")!.strs, ek, tag)
                XCTAssertEqual(s.frame.column("x")!.nums.map(\.bitPattern), ex.map(\.bitPattern), tag)
                XCTAssertEqual(s.frame.column("uval")!.nums, eu, tag)
                XCTAssertEqual(s.frame.column("_merge")!.nums, code, tag)
                XCTAssertEqual(s.frame.variableNames, ["id", "k", "x", "uval", "_merge"])
            }
        }
    }

    func testMergeOneToOneAndUniquenessOnRandomKeys() throws {
        let dir = NSTemporaryDirectory() + "mergefast11_\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Unique integer keys on both sides, in scrambled order, partly overlapping.
        let m = Frame(columns: [Column(name: "id", values: (0..<300).map { Double(($0 * 97) % 300) }),
                                Column(name: "a", values: (0..<300).map { Double($0) })])
        let u = Frame(columns: [Column(name: "id", values: (0..<200).map { Double(150 + ($0 * 31) % 200) }),
                                Column(name: "b", values: (0..<200).map { Double(-$0) })])
        try DTAWriter.write(u, to: dir + "/u.dta", replace: true)
        let s = session()
        s.frame.replaceContents(with: m)
        try s.run(source: "merge 1:1 id using \"\(dir)/u.dta\"")
        let id = s.frame.column("id")!.nums, code = s.frame.column("_merge")!.nums
        XCTAssertEqual(id, (0..<350).map(Double.init), "master in key order, then using-only in key order")
        XCTAssertEqual(code, (0..<350).map { $0 < 150 ? 1 : ($0 < 300 ? 3 : 2) })
        XCTAssertEqual(s.frame.column("a")!.nums[0..<300].map { ($0 * 97).truncatingRemainder(dividingBy: 300) }, Array(id[0..<300]))
        // Duplicates in the master: r(459) for 1:1, fine for m:1.
        let d = session()
        d.frame.add(Column(name: "id", values: [1, 2, 2, Missing.dot, Missing.dot]))
        XCTAssertThrowsError(try d.run(source: "merge 1:1 id using \"\(dir)/u.dta\"")) { XCTAssertEqual(($0 as? StataError)?.code, 459) }
        try d.run(source: "merge m:1 id using \"\(dir)/u.dta\", keep(master match) nogenerate")
        XCTAssertEqual(d.frame.column("id")!.nums.map(\.bitPattern), [1, 2, 2, Missing.dot, Missing.dot].map(\.bitPattern))
    }
}
