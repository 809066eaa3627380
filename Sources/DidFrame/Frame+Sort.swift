// Sorting and grouping of a Frame (sort, gsort, by:, egen group(), fixed-effect codes).
// The ordering rules and the algorithm are described in RadixOrder.swift.

extension Frame {
    /// Sort keys of the named variables (r(111) for an unknown name).
    private func sortKeys(_ names: [String], descending: [Bool]?, rows: [Int]?) throws -> [[UInt64]] {
        if let d = descending, d.count != names.count { throw StataError.syntax("descending flags do not match the variables") }
        return try names.enumerated().map { k, name in
            guard let col = column(name) else { throw StataError.varNotFound(name) }
            let desc = descending?[k] ?? false
            return col.isString ? RadixOrder.keys(col.strs, rows: rows, descending: desc)
                                : RadixOrder.keys(col.nums, rows: rows, descending: desc)
        }
    }

    /// The stable permutation that sorts the data by `names` (`descending[k]` for gsort's `-`):
    /// numbers ascending with missing values last (`. < .a < … < .z`), strings bytewise; ties
    /// keep their current order. Entry i is the current index of the observation that goes to i.
    public func sortPermutation(by names: [String], descending: [Bool]? = nil) throws -> [Int] {
        let keys = try sortKeys(names, descending: descending, rows: nil)
        return RadixOrder.permutation(keys, count: count).map(Int.init)
    }

    /// Sorts the observations (`sort`, `gsort`), stably; an all-ascending sort records `sortedBy`.
    public func sort(by names: [String], descending: [Bool]? = nil) throws {
        let perm = try sortPermutation(by: names, descending: descending)
        select(rows: perm)
        sortedBy = (descending ?? []).contains(true) ? [] : names
    }

    /// Dense 0-based group codes of the rows (all rows, or those listed in `rows`, in that
    /// order), numbered in the sort order of the key values; `egen group()` is code + 1.
    /// Missing key values form groups of their own, as in Stata's `by`.
    public func groupCodes(by names: [String], rows: [Int]? = nil) throws -> (codes: [Int32], groups: Int) {
        if let rows, let bad = rows.first(where: { $0 < 0 || $0 >= count }) {
            throw StataError(198, "observation number \(bad + 1) out of range")
        }
        let keys = try sortKeys(names, descending: nil, rows: rows)
        return RadixOrder.groups(keys, count: rows?.count ?? count)
    }

    /// Dense 0-based codes for rows described by raw numeric key columns of equal length (the
    /// estimation layer's fixed effects), numbered in key order.
    public static func groupCodes(keys: [[Double]]) -> (codes: [Int32], groups: Int) {
        let n = keys.first?.count ?? 0
        precondition(keys.allSatisfy { $0.count == n }, "key columns of unequal length")
        if keys.isEmpty { return ([], 0) }
        return RadixOrder.groups(keys.map { RadixOrder.keys($0, rows: nil, descending: false) }, count: n)
    }
}
