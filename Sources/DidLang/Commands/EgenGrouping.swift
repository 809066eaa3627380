// Grouping for egen: sample observations → dense group codes → groups as slices of one array.
//
// Dimensions: `rows_N` sample observations (dataset order), G groups. The keys are coded by
// Frame.groupCodes (a direct table for integer and string keys, the radix sort otherwise), so
// codes are numbered in Stata's sort order (numbers ascending, missing values last and
// `.` < `.a`; strings bytewise) and missing keys form groups of their own. A counting pass then
// buckets the observations by code, which keeps dataset order inside each group — the order a
// stable sort by the keys gives. Under a `by` prefix the data are sorted and the groups are the
// prefix's runs, so no coding is needed at all.
//
// Groups live in one flat array (`rows_N` plus `start_G+1` offsets) rather than an array per
// group: at millions of observations and hundreds of thousands of groups, the per-group arrays
// cost more than the statistics.

import DidFrame
import Foundation

/// Sample observations split into groups, each group a contiguous slice of `rows`.
struct EgenGroups: RandomAccessCollection {
    /// Observations, group by group, in dataset order inside a group.
    let rows: [Int]
    /// Group g is `rows[start[g]..<start[g + 1]]`; no group is empty.
    let start: [Int]

    var startIndex: Int { 0 }
    var endIndex: Int { start.count - 1 }
    subscript(g: Int) -> ArraySlice<Int> { rows[start[g]..<start[g + 1]] }

    /// No observations, no groups.
    static let empty = EgenGroups(rows: [], start: [0])
}

enum EgenGrouping {
    /// Groups of `rows` with equal values of `keys` (full variable names), in sort order of the keys.
    static func groups(_ rows: [Int], keys: [String], frame: Frame) throws -> EgenGroups {
        guard !rows.isEmpty else { return .empty }
        guard !keys.isEmpty else { return EgenGroups(rows: rows, start: [0, rows.count]) }
        let all = rows.count == frame.count      // sample rows are ascending, so this is 0..<n
        let (codes, g) = try frame.groupCodes(by: keys, rows: all ? nil : rows)
        let (start, pos) = Frame.bucket(codes, groups: g)
        return EgenGroups(rows: all ? pos : pos.map { rows[$0] }, start: start)
    }

    /// Splits ascending `rows` into the runs given by `bounds` (sorted, consecutive ranges of
    /// observations), keeping only non-empty groups — the groups `groups(_:keys:frame:)` gives
    /// for the by-variables of sorted data.
    static func groups(_ rows: [Int], bounds: [Range<Int>]) -> EgenGroups {
        var start: [Int] = [0]
        if let last = rows.last, rows.count == last + 1, bounds.last?.upperBound == rows.count {
            // Every observation: the runs are the bounds themselves.
            start.reserveCapacity(bounds.count + 1)
            for b in bounds where !b.isEmpty { start.append(b.upperBound) }
            return EgenGroups(rows: rows, start: start)
        }
        var k = 0
        for (i, r) in rows.enumerated() {
            while k < bounds.count && r >= bounds[k].upperBound {
                if start.last! < i { start.append(i) }
                k += 1
            }
        }
        if start.last! < rows.count { start.append(rows.count) }
        return EgenGroups(rows: rows, start: start)
    }
}
