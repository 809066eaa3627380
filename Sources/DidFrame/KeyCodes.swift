// Dense group codes without sorting, for the usual keys of data management: integer ids, years,
// codes and strings. The radix sort in RadixOrder.swift handles any key; this file handles the
// common case in a few linear passes and says "nil" when it cannot, so callers fall back.
//
// A numeric key qualifies when every value over the rows is a whole number (|x| < 2^53) or one
// of Stata's 27 missing encodings (`.`, `.a` … `.z`) and the whole numbers span at most
// `tableLimit(n)` values. Then a direct table over [lo, hi] plus 27 missing slots is marked,
// numbered in slot order — which is Stata's sort order, numbers ascending then `. < .a < … < .z`
// — and looked up once per row. A string key is ranked bytewise among its distinct values by
// RadixOrder.keys, which is already dense. Several keys are combined in mixed radix
// (code·m + next) and re-densified through a table while the product of level counts stays
// within the limit; past it, the radix sort numbers the combined codes.
//
// Codes come out numbered in the key order, exactly as RadixOrder.groups numbers them, so the
// two paths are interchangeable (SortGroupTests compares them on random keys).
// Dimension naming: `n` rows coded, `levels` distinct key tuples; codes are Int32 in 0..<levels.

/// Table-based dense codes of sort keys.
enum KeyCodes {
    /// Largest table the direct path allocates for `n` rows: a few times the rows, so marking
    /// and numbering stay linear in `n`, and never less than 64k slots.
    static func tableLimit(_ n: Int) -> Int { max(4 * n, 1 << 16) }

    /// Slots after the numbers: `.` then `.a` … `.z`.
    static let missingSlots = 27

    /// Index 0…26 of an exact Stata missing encoding, or nil (NaN, infinities, other bits).
    @inline(__always)
    static func missingIndex(_ x: Double) -> Int? {
        let d = x.bitPattern &- Missing.dot.bitPattern
        guard x.bitPattern >= Missing.dot.bitPattern, d & ((1 << 40) - 1) == 0, d >> 40 <= 26 else { return nil }
        return Int(d >> 40)
    }

    /// Dense codes of a numeric column's values `x` (already restricted to the rows), or nil
    /// when the values are not whole numbers of a modest range and standard missing values.
    static func numeric(_ x: UnsafeBufferPointer<Double>) -> (codes: [Int32], levels: Int)? {
        numeric([x]).map { ($0.codes[0], $0.levels) }
    }

    /// Codes of several value buffers numbered together (the master's and the using data's keys
    /// of a merge), one code array per buffer; nil as for `numeric(_:)`.
    static func numeric(_ parts: [UnsafeBufferPointer<Double>]) -> (codes: [[Int32]], levels: Int)? {
        let n = parts.reduce(0) { $0 + $1.count }
        guard n > 0 else { return (parts.map { _ in [] }, 0) }
        var lo = Double.infinity, hi = -Double.infinity
        for x in parts {
            for v in x {
                if v < Missing.dot {
                    // Truncation is one instruction; `rounded()` (half away from zero) is a call.
                    guard v.rounded(.towardZero) == v, abs(v) < 9.0e15 else { return nil }
                    lo = min(lo, v)
                    hi = max(hi, v)
                } else if missingIndex(v) == nil {
                    return nil
                }
            }
        }
        let span = hi >= lo ? Int(hi) - Int(lo) + 1 : 0
        guard span <= tableLimit(n) else { return nil }
        let base = hi >= lo ? Int(lo) : 0
        var table = [Int32](repeating: -1, count: span + missingSlots)
        @inline(__always) func slot(_ v: Double) -> Int {
            v < Missing.dot ? Int(v) - base : span + Int((v.bitPattern &- Missing.dot.bitPattern) >> 40)
        }
        var levels = 0
        let codes: [[Int32]] = table.withUnsafeMutableBufferPointer { t in
            for x in parts { for v in x { t[slot(v)] = 0 } }
            for s in 0..<t.count where t[s] == 0 { t[s] = Int32(levels); levels += 1 }
            return parts.map { x in
                [Int32](unsafeUninitializedCapacity: x.count) { c, done in
                    for i in 0..<x.count { c[i] = t[slot(x[i])] }
                    done = x.count
                }
            }
        }
        return (codes, levels)
    }

    /// Renumbers codes in 0..<bound densely, keeping their order; nil when `bound` is past the
    /// table limit.
    static func densify(_ codes: inout [Int32], bound: Int) -> Int? {
        guard bound <= tableLimit(codes.count) else { return nil }
        var table = [Int32](repeating: -1, count: bound)
        var levels = 0
        table.withUnsafeMutableBufferPointer { t in
            codes.withUnsafeMutableBufferPointer { c in
                for g in c { t[Int(g)] = 0 }
                for s in 0..<t.count where t[s] == 0 { t[s] = Int32(levels); levels += 1 }
                for i in 0..<c.count { c[i] = t[Int(c[i])] }
            }
        }
        return levels
    }

    /// The combined codes of two coded keys (first key major), dense and in key order.
    static func combine(_ a: (codes: [Int32], levels: Int), _ b: (codes: [Int32], levels: Int)) -> (codes: [Int32], levels: Int) {
        let n = a.codes.count
        let bound = a.levels.multipliedReportingOverflow(by: b.levels)
        if !bound.overflow, bound.partialValue <= tableLimit(n), bound.partialValue <= Int(Int32.max) {
            let m = Int32(b.levels)
            var joint = [Int32](unsafeUninitializedCapacity: n) { buf, c in
                a.codes.withUnsafeBufferPointer { pa in
                    b.codes.withUnsafeBufferPointer { pb in
                        for i in 0..<n { buf[i] = pa[i] * m + pb[i] }
                    }
                }
                c = n
            }
            let levels = densify(&joint, bound: bound.partialValue)!
            return (joint, levels)
        }
        // Too many combinations for a table: the radix sort numbers the pairs.
        let keys = [a.codes.map { UInt64($0) }, b.codes.map { UInt64($0) }]
        let g = RadixOrder.groups(keys, count: n)
        return (g.codes, g.groups)
    }

    /// Dense codes of one column over `rows` (all rows when nil), or nil when the numeric
    /// values do not qualify for the table.
    static func column(_ col: Column, rows: [Int]?) -> (codes: [Int32], levels: Int)? {
        if col.isString {
            let ranks = RadixOrder.keys(col.strs, rows: rows, descending: false)
            var levels = 0
            let codes = ranks.map { r -> Int32 in levels = max(levels, Int(r) + 1); return Int32(r) }
            return (codes, levels)
        }
        if let rows {
            let x = col.nums.withUnsafeBufferPointer { p in rows.map { p[$0] } }
            return x.withUnsafeBufferPointer { numeric($0) }
        }
        return col.nums.withUnsafeBufferPointer { numeric($0) }
    }

    /// Dense codes of several key columns (first key major), or nil when a numeric key does not
    /// qualify for the table path.
    static func codes(_ cols: [Column], rows: [Int]?) -> (codes: [Int32], levels: Int)? {
        guard var acc = cols.first.flatMap({ column($0, rows: rows) }) else { return nil }
        for c in cols.dropFirst() {
            guard let next = column(c, rows: rows) else { return nil }
            acc = combine(acc, next)
        }
        return acc
    }

    /// The stable permutation that orders rows by dense `codes` (a counting sort).
    static func permutation(_ codes: [Int32], levels: Int) -> [Int32] {
        let n = codes.count
        var next = [Int](repeating: 0, count: levels + 1)
        for g in codes { next[Int(g) + 1] += 1 }
        for g in 0..<levels { next[g + 1] += next[g] }
        var perm = [Int32](repeating: 0, count: n)
        perm.withUnsafeMutableBufferPointer { p in
            next.withUnsafeMutableBufferPointer { nx in
                codes.withUnsafeBufferPointer { c in
                    for i in 0..<n {
                        let g = Int(c[i])
                        p[nx[g]] = Int32(i)
                        nx[g] += 1
                    }
                }
            }
        }
        return perm
    }
}
