// Stable ordering and dense grouping of rows by several keys, for sort/gsort/by/egen and the
// fixed-effect codes of the estimators.
//
// Every key column is first mapped to UInt64 "sort keys" whose unsigned order is the Stata order:
//   numbers  — IEEE bits with the sign bit flipped for positives and all bits flipped for
//              negatives, -0 folded into +0; Stata's missing values are the largest doubles, so
//              they sort last, `. < .a < … < .z`;
//   strings  — the rank of the string among the column's distinct values, compared bytewise;
//   descending (gsort -x) — non-missing keys complemented, missing keys left as they are, so
//              numbers run high to low and missing values still come last (gsort's default).
// Rows are then ordered by LSD radix sort, last key first, one byte per pass (passes in which
// every key has the same byte are skipped, which is most of them for integer-valued data). LSD
// radix sort is stable, so ties keep their row order and the result is reproducible.
// Dimension naming: `n` rows, `k` keys, `perm` a permutation of 0..<n.

/// Sort keys and the radix sort over them.
enum RadixOrder {
    /// Order-preserving UInt64 image of a double (Stata missing values largest).
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let b = (x == 0 ? 0.0 : x).bitPattern
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
    }

    /// Sort keys of a numeric column.
    static func keys(_ values: [Double], rows: [Int]?, descending: Bool) -> [UInt64] {
        func one(_ x: Double) -> UInt64 {
            let k = key(x)
            return descending && !Missing.isMissing(x) ? ~k : k
        }
        if let rows { return rows.map { one(values[$0]) } }
        return values.map(one)
    }

    /// Sort keys of a string column: bytewise rank among its distinct values ("" sorts first
    /// ascending and, like a missing value, last descending).
    static func keys(_ strings: [String], rows: [Int]?, descending: Bool) -> [UInt64] {
        var ids: [String: Int] = [:]
        var uniq: [String] = []
        let src = rows.map { r in r.map { strings[$0] } } ?? strings
        var raw = [Int](repeating: 0, count: src.count)
        for (i, s) in src.enumerated() {
            if let id = ids[s] { raw[i] = id } else { ids[s] = uniq.count; raw[i] = uniq.count; uniq.append(s) }
        }
        let order = uniq.indices.sorted { uniq[$0].utf8.lexicographicallyPrecedes(uniq[$1].utf8) }
        var rank = [UInt64](repeating: 0, count: uniq.count)
        for (r, u) in order.enumerated() {
            if descending { rank[u] = uniq[u].isEmpty ? UInt64.max : UInt64(uniq.count - r) } else { rank[u] = UInt64(r) }
        }
        return raw.map { rank[$0] }
    }

    /// The stable permutation that orders rows by `keys[0]`, then `keys[1]`, ….
    static func permutation(_ keys: [[UInt64]], count n: Int) -> [Int32] {
        var perm = [Int32](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n { b[i] = Int32(i) }
            c = n
        }
        guard n > 1 else { return perm }
        var cur = [UInt64](repeating: 0, count: n)
        var tmpKeys = [UInt64](repeating: 0, count: n)
        var tmpPerm = [Int32](repeating: 0, count: n)
        for key in keys.reversed() {
            // Keys of the current order, then byte-wise passes.
            key.withUnsafeBufferPointer { k in
                perm.withUnsafeBufferPointer { p in for i in 0..<n { cur[i] = k[Int(p[i])] } }
            }
            var counts = [Int](repeating: 0, count: 8 * 256)
            cur.withUnsafeBufferPointer { c in
                for i in 0..<n {
                    var v = c[i]
                    for b in 0..<8 { counts[b * 256 + Int(v & 0xFF)] += 1; v >>= 8 }
                }
            }
            for b in 0..<8 {
                let base = b * 256
                if counts[base + Int((cur[0] >> UInt64(8 * b)) & 0xFF)] == n { continue }   // all equal
                var offsets = [Int](repeating: 0, count: 256)
                var sum = 0
                for d in 0..<256 { offsets[d] = sum; sum += counts[base + d] }
                let shift = UInt64(8 * b)
                cur.withUnsafeBufferPointer { ck in
                    perm.withUnsafeBufferPointer { cp in
                        tmpKeys.withUnsafeMutableBufferPointer { tk in
                            tmpPerm.withUnsafeMutableBufferPointer { tp in
                                offsets.withUnsafeMutableBufferPointer { off in
                                    for i in 0..<n {
                                        let d = Int((ck[i] >> shift) & 0xFF)
                                        let at = off[d]
                                        off[d] = at + 1
                                        tk[at] = ck[i]; tp[at] = cp[i]
                                    }
                                }
                            }
                        }
                    }
                }
                swap(&cur, &tmpKeys)
                swap(&perm, &tmpPerm)
            }
        }
        return perm
    }

    /// Dense 0-based codes, numbered in key order, for rows `0..<n` described by `keys`.
    static func groups(_ keys: [[UInt64]], count n: Int) -> (codes: [Int32], groups: Int) {
        guard n > 0 else { return ([], 0) }
        let perm = permutation(keys, count: n)
        var codes = [Int32](repeating: 0, count: n)
        var g: Int32 = 0
        for i in 1..<n {
            let a = Int(perm[i - 1]), b = Int(perm[i])
            if keys.contains(where: { $0[a] != $0[b] }) { g += 1 }
            codes[b] = g
        }
        codes[Int(perm[0])] = 0
        return (codes, Int(g) + 1)
    }
}
