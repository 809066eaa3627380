import Foundation
import XCTest
@testable import DidFrame

/// Sorting and grouping: the radix path against a comparison sort written independently.
final class SortGroupTests: XCTestCase {
    /// Stata's order for one cell, by plain comparison: numbers by `<` (missing encodings are the
    /// largest doubles), strings bytewise; descending reverses non-missing values only.
    private func less(_ a: Column, _ i: Int, _ j: Int, desc: Bool) -> Int {
        if a.isString {
            let x = a.strs[i], y = a.strs[j]
            if x == y { return 0 }
            if desc {
                if x.isEmpty { return 1 }; if y.isEmpty { return -1 }
                return y.utf8.lexicographicallyPrecedes(x.utf8) ? -1 : 1
            }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        }
        let x = a.nums[i], y = a.nums[j]
        if x == y { return 0 }
        let mx = Missing.isMissing(x), my = Missing.isMissing(y)
        if desc && !mx && !my { return x > y ? -1 : 1 }
        if desc && mx != my { return mx ? 1 : -1 }
        return x < y ? -1 : 1
    }

    private func slowPermutation(_ f: Frame, _ names: [String], _ desc: [Bool]) -> [Int] {
        let cols = names.map { f.column($0)! }
        return (0..<f.count).sorted { i, j in
            for (k, c) in cols.enumerated() { let r = less(c, i, j, desc: desc[k]); if r != 0 { return r < 0 } }
            return i < j
        }
    }

    private func randomFrame(_ n: Int) -> Frame {
        var rng = SystemRandomNumberGenerator()
        let pool: [Double] = [-3.5, -1, -0.0, 0, 1, 2, 2.5, 1e300, -1e300, Missing.dot, Missing.extended(1), Missing.extended(26)]
        let strs = ["", "a", "B", "b", "ab", "é", "e", "zz", "a\u{0}b"]
        return Frame(columns: [
            Column(name: "x", values: (0..<n).map { _ in pool.randomElement(using: &rng)! }),
            Column(name: "y", values: (0..<n).map { _ in Double(Int.random(in: -2...2, using: &rng)) }),
            Column(name: "s", strings: (0..<n).map { _ in strs.randomElement(using: &rng)! }),
            Column(name: "z", values: (0..<n).map { _ in Double.random(in: -1e6...1e6, using: &rng) }),
        ])
    }

    func testSortPermutationMatchesComparisonSort() throws {
        let f = randomFrame(3000)
        for (names, desc) in [(["x"], [false]), (["x"], [true]), (["s"], [false]), (["s"], [true]), (["z"], [false]),
                              (["y", "x"], [false, false]), (["s", "y"], [true, false]), (["y", "s", "x"], [false, true, true]),
                              (["x", "z"], [true, false])] {
            XCTAssertEqual(try f.sortPermutation(by: names, descending: desc), slowPermutation(f, names, desc), "\(names) \(desc)")
        }
        XCTAssertThrowsError(try f.sortPermutation(by: ["nope"])) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
    }

    func testSortAppliesAndRecordsOrder() throws {
        let f = Frame(columns: [Column(name: "k", values: [3, Missing.extended(2), 1, Missing.dot, 1, Missing.extended(1)]),
                                Column(name: "v", strings: ["a", "b", "c", "d", "e", "f"])])
        try f.sort(by: ["k"])
        XCTAssertEqual(f.column("v")?.strs, ["c", "e", "a", "d", "f", "b"])
        XCTAssertEqual(f.sortedBy, ["k"])
        try f.sort(by: ["k"], descending: [true])
        XCTAssertEqual(f.column("v")?.strs, ["a", "c", "e", "d", "f", "b"])
        XCTAssertEqual(f.sortedBy, [])
    }

    func testGroupCodesMatchSlowPath() throws {
        let f = randomFrame(2000)
        for names in [["x"], ["s"], ["y", "s"], ["x", "y", "s"], ["z"]] {
            let (codes, groups) = try f.groupCodes(by: names)
            // Slow path: distinct tuples in sorted order, then look each row up.
            let perm = slowPermutation(f, names, names.map { _ in false })
            let cols = names.map { f.column($0)! }
            func same(_ i: Int, _ j: Int) -> Bool { cols.allSatisfy { less($0, i, j, desc: false) == 0 } }
            var want = [Int32](repeating: -1, count: f.count)
            var g: Int32 = -1
            for (k, i) in perm.enumerated() { if k == 0 || !same(perm[k - 1], i) { g += 1 }; want[i] = g }
            XCTAssertEqual(codes, want, "\(names)")
            XCTAssertEqual(groups, Int(g) + 1)
        }
        let rows = [5, 1, 1, 7]
        let (sub, _) = try f.groupCodes(by: ["y"], rows: rows)
        let (all, _) = try f.groupCodes(by: ["y"])
        let y = f.column("y")!.nums
        XCTAssertEqual(sub.count, 4)
        for a in 0..<4 { for b in 0..<4 { XCTAssertEqual(sub[a] < sub[b], y[rows[a]] < y[rows[b]]) } }
        XCTAssertEqual(sub[1], sub[2])
        _ = all
        XCTAssertThrowsError(try f.groupCodes(by: ["y"], rows: [5000]))
    }

    func testRawKeysAndMissingGroups() {
        let (c, g) = Frame.groupCodes(keys: [[2, 1, 2, Missing.dot, 1, Missing.extended(1), -0.0, 0]])
        XCTAssertEqual(c, [2, 1, 2, 3, 1, 4, 0, 0]); XCTAssertEqual(g, 5)
        let (c2, g2) = Frame.groupCodes(keys: [[1, 1, 2, 2], [5, 6, 5, 5]])
        XCTAssertEqual(c2, [0, 1, 2, 2]); XCTAssertEqual(g2, 3)
        XCTAssertEqual(Frame.groupCodes(keys: [[]]).groups, 0)
    }

    /// Reference data: mpdta has 500 counties x 5 years, first_treat has 4 cohorts.
    func testReferenceGroups() throws {
        try Reference.requireBundle()
        let f = try Reference.dta("mpdta")
        XCTAssertEqual(try f.groupCodes(by: ["countyreal"]).groups, 500)
        XCTAssertEqual(try f.groupCodes(by: ["year"]).groups, 5)
        XCTAssertEqual(try f.groupCodes(by: ["first_treat"]).groups, 4)
        XCTAssertEqual(try f.groupCodes(by: ["countyreal", "year"]).groups, 2500)
        try f.sort(by: ["year", "countyreal"])
        let y = f.column("year")!.nums
        XCTAssertTrue(zip(y, y.dropFirst()).allSatisfy { $0 <= $1 })
    }
    // MARK: table path (KeyCodes) against the radix path

    /// Integer-valued keys with ties, `.`/`.a`/`.z`, -0, a wide-range id and strings.
    private func keyFrame(_ n: Int, seed: UInt64) -> Frame {
        var rng = SplitMix64(seed: seed)
        let miss = [Missing.dot, Missing.extended(1), Missing.extended(26)]
        func small() -> Double { rng.next() % 7 == 0 ? miss[Int(rng.next() % 3)] : Double(Int(rng.next() % 9) - 4) }
        let strs = ["", "a", "B", "b", "ab", "é", "zz"]
        return Frame(columns: [
            Column(name: "a", values: (0..<n).map { _ in small() }),
            Column(name: "b", values: (0..<n).map { _ in rng.next() % 11 == 0 ? -0.0 : Double(rng.next() % 3) }),
            Column(name: "s", strings: (0..<n).map { _ in strs[Int(rng.next() % 7)] }),
            Column(name: "id", values: (0..<n).map { _ in Double(Int(rng.next() % 60_000) - 30_000) }),
            Column(name: "f", values: (0..<n).map { _ in Double(rng.next() % 5) + 0.5 }),
        ])
    }

    /// Radix codes computed directly (the general path the table path must reproduce).
    private func radixCodes(_ f: Frame, _ names: [String], rows: [Int]? = nil) -> (codes: [Int32], groups: Int) {
        let keys = names.map { name -> [UInt64] in
            let c = f.column(name)!
            return c.isString ? RadixOrder.keys(c.strs, rows: rows, descending: false) : RadixOrder.keys(c.nums, rows: rows, descending: false)
        }
        return RadixOrder.groups(keys, count: rows?.count ?? f.count)
    }

    func testTableCodesEqualRadixCodes() throws {
        for seed in 1...4 as ClosedRange<UInt64> {
            let f = keyFrame(3000, seed: seed)
            for names in [["a"], ["b"], ["s"], ["id"], ["a", "b"], ["s", "a"], ["a", "s", "b"], ["id", "a", "s"]] {
                let table = KeyCodes.codes(names.map { f.column($0)! }, rows: nil)
                XCTAssertNotNil(table, "\(names) should take the table path")
                let radix = radixCodes(f, names)
                XCTAssertEqual(table?.codes, radix.codes, "\(names) seed \(seed)")
                XCTAssertEqual(table?.levels, radix.groups, "\(names) seed \(seed)")
                XCTAssertEqual(try f.groupCodes(by: names).codes, radix.codes)
            }
            // A subset of rows, repeated and out of order.
            let rows = (0..<500).map { ($0 * 7919 + Int(seed)) % 3000 } + [5, 5, 0]
            for names in [["a"], ["s", "b"], ["id"]] {
                XCTAssertEqual(try f.groupCodes(by: names, rows: rows).codes, radixCodes(f, names, rows: rows).codes, "\(names) rows")
            }
        }
    }

    func testTableCodesDeclineOrCombineThroughRadix() {
        let f = keyFrame(2000, seed: 9)
        // Non-integers, NaN or a huge range are not table keys: nil, so the caller sorts.
        XCTAssertNil(KeyCodes.codes([f.column("f")!], rows: nil))
        XCTAssertNil(KeyCodes.column(Column(name: "x", values: [1, .nan, 2]), rows: nil))
        XCTAssertNil(KeyCodes.column(Column(name: "x", values: [0, 1e12]), rows: nil))
        // Two ids whose level product passes the table limit are combined by the radix sort.
        let id2 = Column(name: "id2", values: f.column("id")!.nums.reversed())
        f.add(id2)
        let combined = KeyCodes.codes([f.column("id")!, id2], rows: nil)
        XCTAssertEqual(combined?.codes, radixCodes(f, ["id", "id2"]).codes)
        // groupCodes falls back transparently for the non-integer key.
        XCTAssertEqual(try f.groupCodes(by: ["f", "a"]).codes, radixCodes(f, ["f", "a"]).codes)
    }

    func testCountingSortPermutationMatchesComparisonSort() throws {
        let f = keyFrame(2500, seed: 3)
        for names in [["a"], ["s"], ["a", "s"], ["b", "id"], ["s", "a", "b"]] {
            XCTAssertEqual(try f.sortPermutation(by: names), slowPermutation(f, names, names.map { _ in false }), "\(names)")
        }
    }

    func testIsSortedAgreesWithThePermutation() throws {
        for seed in 1...3 as ClosedRange<UInt64> {
            let f = keyFrame(1500, seed: seed)
            for names in [["a"], ["s"], ["a", "s"], ["b", "a"], ["f"], ["s", "b", "a"]] {
                let perm = try f.sortPermutation(by: names)
                XCTAssertEqual(try f.isSorted(by: names), perm == Array(0..<f.count), "\(names) unsorted")
                let g = f.copy()
                g.select(rows: perm)
                XCTAssertTrue(try g.isSorted(by: names), "\(names) after sorting")
                // Sorted on a prefix is not sorted on more keys unless the extra keys also agree.
                XCTAssertEqual(try g.isSorted(by: names + ["id"]), try g.sortPermutation(by: names + ["id"]) == Array(0..<g.count))
            }
        }
        let one = Frame(columns: [Column(name: "k", values: [1])])
        XCTAssertTrue(try one.isSorted(by: ["k"]))
        XCTAssertThrowsError(try one.isSorted(by: ["nope"])) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
    }

    func testSortOfSortedDataMovesNothingAndRecordsOrder() throws {
        let f = Frame(columns: [Column(name: "k", values: [1, 1, 2, Missing.dot, Missing.extended(3)]),
                                Column(name: "v", strings: ["e", "d", "c", "b", "a"])])
        f.changed = false
        try f.sort(by: ["k"])
        XCTAssertEqual(f.column("v")?.strs, ["e", "d", "c", "b", "a"], "stable: ties keep their order")
        XCTAssertEqual(f.sortedBy, ["k"])
        XCTAssertFalse(f.changed, "nothing moved")
        try f.sort(by: ["v"])
        XCTAssertEqual(f.column("k")?.nums.prefix(3), [Missing.extended(3), Missing.dot, 2])
        XCTAssertTrue(f.changed)
    }

    func testRunBoundsAreTheRunsOfEqualKeys() throws {
        let f = keyFrame(1200, seed: 7)
        try f.sort(by: ["s", "a"])
        let a = f.column("a")!.nums, s = f.column("s")!.strs
        var want: [Range<Int>] = [], start = 0
        for i in 1..<f.count where a[i].bitPattern != a[i - 1].bitPattern || s[i] != s[i - 1] { want.append(start..<i); start = i }
        want.append(start..<f.count)
        XCTAssertEqual(try f.runBounds(by: ["s", "a"]), want)
        XCTAssertEqual(try f.runBounds(by: ["s"]).count, Set(s).count)
        XCTAssertEqual(try Frame().runBounds(by: []), [])
    }

    func testJointCodesEqualCodesOfTheConcatenation() {
        let f = keyFrame(1000, seed: 11), g = keyFrame(300, seed: 12)
        for k in ["a", "b", "id"] {
            let x = f.column(k)!.nums, y = g.column(k)!.nums
            let joint = Frame.jointCodes(x, y)
            let whole = Frame.groupCodes(keys: [x + y])
            XCTAssertEqual(joint.map { $0.a + $0.b }, whole.codes, k)
            XCTAssertEqual(joint?.groups, whole.groups, k)
        }
        XCTAssertNil(Frame.jointCodes([1.5], [2]))
        XCTAssertEqual(Frame.jointCodes([], [])?.groups, 0)
    }

    func testParallelGatherEqualsSelect() {
        let f = keyFrame(1000, seed: 5)
        let index = (0..<1200).map { $0 % 7 == 0 ? -1 : ($0 * 31) % 1000 }
        let got = Frame.gather(f.columns, index)
        for (c, g) in zip(f.columns, got) {
            if c.isString { XCTAssertEqual(g.strs, index.map { $0 < 0 ? "" : c.strs[$0] }) }
            else { XCTAssertEqual(g.nums.map(\.bitPattern), index.map { $0 < 0 ? Missing.dot.bitPattern : c.nums[$0].bitPattern }) }
        }
    }
}
