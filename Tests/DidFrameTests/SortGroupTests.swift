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
}
