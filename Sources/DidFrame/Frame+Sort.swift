// Sorting and grouping of a Frame (sort, gsort, by:, egen group(), fixed-effect codes).
// The ordering rules and the algorithm are described in RadixOrder.swift; KeyCodes.swift is the
// table path for integer and string keys, tried first because it is a few linear passes.
// Data that are already in order (a panel read from a file sorted by id and year, the usual
// case) are recognised in one pass, so `sort`/`bysort` move no data then.

import Dispatch

extension Frame {
    /// The named columns (r(111) for an unknown name).
    private func keyColumns(_ names: [String]) throws -> [Column] {
        try names.map { name in
            guard let col = column(name) else { throw StataError.varNotFound(name) }
            return col
        }
    }

    /// Sort keys of the named variables (r(111) for an unknown name).
    private func sortKeys(_ names: [String], descending: [Bool]?, rows: [Int]?) throws -> [[UInt64]] {
        if let d = descending, d.count != names.count { throw StataError.syntax("descending flags do not match the variables") }
        return try keyColumns(names).enumerated().map { k, col in
            let desc = descending?[k] ?? false
            return col.isString ? RadixOrder.keys(col.strs, rows: rows, descending: desc)
                                : RadixOrder.keys(col.nums, rows: rows, descending: desc)
        }
    }

    /// The stable permutation that sorts the data by `names` (`descending[k]` for gsort's `-`):
    /// numbers ascending with missing values last (`. < .a < … < .z`), strings bytewise; ties
    /// keep their current order. Entry i is the current index of the observation that goes to i.
    public func sortPermutation(by names: [String], descending: [Bool]? = nil) throws -> [Int] {
        if let d = descending, d.count != names.count { throw StataError.syntax("descending flags do not match the variables") }
        if !(descending ?? []).contains(true), let coded = KeyCodes.codes(try keyColumns(names), rows: nil) {
            return KeyCodes.permutation(coded.codes, levels: coded.levels).map(Int.init)
        }
        let keys = try sortKeys(names, descending: descending, rows: nil)
        return RadixOrder.permutation(keys, count: count).map(Int.init)
    }

    /// True when the observations are already in ascending order of `names` (ties in any
    /// order): one pass over the keys, no sort. A stable sort would then leave them unchanged.
    public func isSorted(by names: [String]) throws -> Bool {
        let cols = try keyColumns(names)
        guard count > 1, !cols.isEmpty else { return true }
        // Strings are compared through their bytewise ranks, exactly as the sort orders them.
        let ranks: [[UInt64]?] = cols.map { $0.isString ? RadixOrder.keys($0.strs, rows: nil, descending: false) : nil }
        var tied = [Bool](repeating: true, count: count - 1)   // rows i, i+1 equal on the keys so far
        for (k, col) in cols.enumerated() {
            var anyTie = false
            let ok: Bool = tied.withUnsafeMutableBufferPointer { t in
                if let r = ranks[k] {
                    return r.withUnsafeBufferPointer { p in Self.checkRuns(p, t, &anyTie) { $0 } }
                }
                return col.nums.withUnsafeBufferPointer { p in Self.checkRuns(p, t, &anyTie) { RadixOrder.key($0) } }
            }
            if !ok { return false }
            if !anyTie { return true }
        }
        return true
    }

    /// Checks that `p` does not decrease across the pairs still tied (`t[i]` for rows i, i+1),
    /// and narrows `t` to the pairs that stay tied on this key.
    @inline(__always)
    private static func checkRuns<T>(_ p: UnsafeBufferPointer<T>, _ t: UnsafeMutableBufferPointer<Bool>, _ anyTie: inout Bool,
                                     _ key: (T) -> UInt64) -> Bool {
        var prev = key(p[0])
        var tie = false
        for i in 1..<p.count {
            let cur = key(p[i])
            if t[i - 1] {
                if cur < prev { return false }
                let same = cur == prev
                t[i - 1] = same
                tie = tie || same
            }
            prev = cur
        }
        anyTie = tie
        return true
    }

    /// Consecutive runs of equal values of `names` (numbers by bit pattern, strings by value):
    /// the groups `by` works on once the data are sorted.
    public func runBounds(by names: [String]) throws -> [Range<Int>] {
        let cols = try keyColumns(names)
        let n = count
        guard n > 0 else { return [] }
        var cut = [Bool](repeating: false, count: n)      // a run starts at i
        cut[0] = true
        for col in cols {
            if col.isString {
                let v = col.strs
                for i in 1..<n where !cut[i] && v[i] != v[i - 1] { cut[i] = true }
            } else {
                col.nums.withUnsafeBufferPointer { p in
                    cut.withUnsafeMutableBufferPointer { c in
                        for i in 1..<n where p[i].bitPattern != p[i - 1].bitPattern { c[i] = true }
                    }
                }
            }
        }
        var bounds: [Range<Int>] = []
        var start = 0
        for i in 1..<n where cut[i] { bounds.append(start..<i); start = i }
        bounds.append(start..<n)
        return bounds
    }

    /// Sorts the observations (`sort`, `gsort`), stably; an all-ascending sort records `sortedBy`.
    public func sort(by names: [String], descending: [Bool]? = nil) throws {
        let ascending = !(descending ?? []).contains(true)
        if ascending, try isSorted(by: names) {
            sortedBy = names
            return
        }
        let perm = try sortPermutation(by: names, descending: descending)
        reorder(perm)
        sortedBy = ascending ? names : []
    }

    /// Puts the observations in the order `perm` (a permutation of 0..<count), as
    /// `select(rows:)` does, with the columns gathered in parallel.
    public func reorder(_ perm: [Int]) {
        precondition(perm.count == count, "reorder needs a permutation of the observations")
        columns = Frame.gather(columns, perm)
        changed = true
    }

    /// The columns' values at `index` (−1 gives a missing value, or "" for strings), each
    /// column gathered as its own task so both cores work on wide datasets.
    public static func gather(_ cols: [Column], _ index: [Int]) -> [Column] {
        let out = UnsafeMutablePointer<Column>.allocate(capacity: max(cols.count, 1))
        out.initialize(from: cols, count: cols.count)
        defer { out.deinitialize(count: cols.count); out.deallocate() }
        index.withUnsafeBufferPointer { ix in
            DispatchQueue.concurrentPerform(iterations: cols.count) { j in
                if out[j].isString {
                    let src = out[j].strs
                    out[j].strs = ix.map { $0 < 0 ? "" : src[$0] }
                } else {
                    out[j].nums = out[j].nums.withUnsafeBufferPointer { p in ix.map { $0 < 0 ? Missing.dot : p[$0] } }
                }
            }
        }
        return Array(UnsafeBufferPointer(start: out, count: cols.count))
    }

    /// Dense 0-based group codes of the rows (all rows, or those listed in `rows`, in that
    /// order), numbered in the sort order of the key values; `egen group()` is code + 1.
    /// Missing key values form groups of their own, as in Stata's `by`.
    public func groupCodes(by names: [String], rows: [Int]? = nil) throws -> (codes: [Int32], groups: Int) {
        if let rows, let bad = rows.first(where: { $0 < 0 || $0 >= count }) {
            throw StataError(198, "observation number \(bad + 1) out of range")
        }
        if let coded = KeyCodes.codes(try keyColumns(names), rows: rows) { return (coded.codes, coded.levels) }
        let keys = try sortKeys(names, descending: nil, rows: rows)
        return RadixOrder.groups(keys, count: rows?.count ?? count)
    }

    /// Dense codes for rows described by raw numeric key columns of equal length (the
    /// estimation layer's fixed effects), numbered in key order.
    public static func groupCodes(keys: [[Double]]) -> (codes: [Int32], groups: Int) {
        let n = keys.first?.count ?? 0
        precondition(keys.allSatisfy { $0.count == n }, "key columns of unequal length")
        if keys.isEmpty { return ([], 0) }
        return RadixOrder.groups(keys.map { RadixOrder.keys($0, rows: nil, descending: false) }, count: n)
    }

    /// Dense codes of one numeric key over two datasets at once (merge's master and using
    /// keys), numbered together in key order, when the values qualify for the table path
    /// (whole numbers of a modest range, standard missing values); nil otherwise.
    public static func jointCodes(_ a: [Double], _ b: [Double]) -> (a: [Int32], b: [Int32], groups: Int)? {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                KeyCodes.numeric([pa, pb]).map { ($0.codes[0], $0.codes[1], $0.levels) }
            }
        }
    }

    /// Rows grouped by dense `codes`: `rows[start[g]..<start[g+1]]` are group g's positions in
    /// `0..<codes.count`, in their original order (a counting sort, so stable).
    public static func bucket(_ codes: [Int32], groups: Int) -> (start: [Int], rows: [Int]) {
        var start = [Int](repeating: 0, count: groups + 1)
        for c in codes { start[Int(c) + 1] += 1 }
        for g in 0..<groups { start[g + 1] += start[g] }
        var rows = [Int](repeating: 0, count: codes.count)
        var next = Array(start.dropLast())
        rows.withUnsafeMutableBufferPointer { r in
            next.withUnsafeMutableBufferPointer { nx in
                for (i, c) in codes.enumerated() {
                    r[nx[Int(c)]] = i
                    nx[Int(c)] += 1
                }
            }
        }
        return (start, rows)
    }
}
