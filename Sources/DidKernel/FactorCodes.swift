// Dense integer group codes for categorical keys (fixed effects, clusters).
//
// The kernel sees only `Int32` codes 0..<G (G = number of levels), assigned in ascending order of
// the key values (lexicographic for interactions), so results never depend on hashing order.
// Dimension naming: N = rows encoded, G = levels.
//
// Why two paths: integer keys with a modest range (ids, years: the usual case) are coded through a
// direct lookup table, which is several times faster than hashing; anything else goes through a
// dictionary of the distinct values, sorted afterwards.

/// Dense group codes (0..<levels, ascending in the key values) for one categorical variable or interaction.
public struct FactorCodes: Sendable {
    /// Code of each row (length N), in 0..<levels.
    public var codes: [Int32]
    /// Number of distinct levels G.
    public var levels: Int

    /// Codes from already dense values (each in 0..<levels); the caller guarantees the range.
    public init(codes: [Int32], levels: Int) {
        self.codes = codes; self.levels = levels
    }

    /// Encodes the interaction of one or more key columns (all of length N, no missing values).
    /// A single column gives its distinct values; several give their distinct combinations.
    public init(keys: [[Double]]) {
        precondition(!keys.isEmpty, "FactorCodes needs at least one key column")
        var acc = FactorCodes.encode(keys[0])
        for k in keys.dropFirst() {
            let next = FactorCodes.encode(k)
            acc = FactorCodes.combine(acc, next)
        }
        self = acc
    }

    /// Encodes the rows `rows` of each key column (keys indexed by original row number).
    public init(keys: [[Double]], rows: [Int]) {
        // All rows in order (the common case): no copy.
        if let first = keys.first, rows.count == first.count, rows.last == first.count - 1 {
            self.init(keys: keys)
        } else {
            self.init(keys: keys.map { col in rows.map { col[$0] } })
        }
    }

    /// Number of rows in each level (length G).
    public func counts() -> [Int] {
        var c = [Int](repeating: 0, count: levels)
        for g in codes { c[Int(g)] += 1 }
        return c
    }

    /// Keeps only the rows where `keep` is true and renumbers the levels densely (order preserved).
    public func subset(_ keep: [Bool]) -> FactorCodes {
        precondition(keep.count == codes.count, "subset mask length")
        var used = [Int32](repeating: -1, count: levels)
        for i in 0..<codes.count where keep[i] { used[Int(codes[i])] = 0 }
        var next: Int32 = 0
        for g in 0..<levels where used[g] == 0 { used[g] = next; next += 1 }
        var out = [Int32]()
        out.reserveCapacity(codes.count)
        for i in 0..<codes.count where keep[i] { out.append(used[Int(codes[i])]) }
        return FactorCodes(codes: out, levels: Int(next))
    }

    /// True when every level of `self` occurs together with a single level of `outer` (nesting).
    public func isNested(within outer: FactorCodes) -> Bool {
        precondition(outer.codes.count == codes.count, "isNested: different row counts")
        var seen = [Int32](repeating: -1, count: levels)
        for i in 0..<codes.count {
            let g = Int(codes[i]), h = outer.codes[i]
            if seen[g] < 0 { seen[g] = h } else if seen[g] != h { return false }
        }
        return true
    }

    /// Number of connected components of the bipartite graph linking levels of `a` and `b` that
    /// occur on the same row (reghdfe's "mobility groups" between two fixed effects).
    public static func connectedComponents(_ a: FactorCodes, _ b: FactorCodes) -> Int {
        precondition(a.codes.count == b.codes.count, "connectedComponents: different row counts")
        var parent = [Int32](0..<Int32(a.levels + b.levels))
        func find(_ x: Int32) -> Int32 {
            var r = x
            while parent[Int(r)] != r { r = parent[Int(r)] }
            var y = x
            while parent[Int(y)] != r { let nx = parent[Int(y)]; parent[Int(y)] = r; y = nx }
            return r
        }
        let off = Int32(a.levels)
        for i in 0..<a.codes.count {
            let ra = find(a.codes[i]), rb = find(b.codes[i] + off)
            if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
        }
        var count = 0
        for x in 0..<(a.levels + b.levels) where find(Int32(x)) == Int32(x) { count += 1 }
        return count
    }

    /// Codes for one column of doubles.
    static func encode(_ x: [Double]) -> FactorCodes {
        let n = x.count
        if n == 0 { return FactorCodes(codes: [], levels: 0) }
        var lo = x[0], hi = x[0], integral = true
        for v in x {
            if v < lo { lo = v }
            if v > hi { hi = v }
            if integral && v != v.rounded() { integral = false }
        }
        if integral, hi - lo < Double(max(4 * n, 1 << 16)), hi - lo < 1e9 {
            // Direct table: mark used values, number them in ascending order, then look up.
            let base = Int(lo)
            var table = [Int32](repeating: -1, count: Int(hi - lo) + 1)
            var codes = [Int32](repeating: 0, count: n)
            x.withUnsafeBufferPointer { xp in
                table.withUnsafeMutableBufferPointer { tp in
                    for i in 0..<n { tp[Int(xp[i]) - base] = 0 }
                    var next: Int32 = 0
                    for k in 0..<tp.count where tp[k] == 0 { tp[k] = next; next += 1 }
                    codes.withUnsafeMutableBufferPointer { cp in
                        for i in 0..<n { cp[i] = tp[Int(xp[i]) - base] }
                    }
                }
            }
            var levels = 0
            for t in table where t >= 0 { levels += 1 }
            return FactorCodes(codes: codes, levels: levels)
        }
        var dict = [Double: Int32]()
        var provisional = [Int32](repeating: 0, count: n)
        var values = [Double]()
        for i in 0..<n {
            let v = x[i] == 0 ? 0 : x[i] // -0 and +0 are one level
            if let c = dict[v] { provisional[i] = c } else {
                let c = Int32(values.count); dict[v] = c; values.append(v); provisional[i] = c
            }
        }
        let order = values.indices.sorted { values[$0] < values[$1] }
        var rank = [Int32](repeating: 0, count: values.count)
        for (r, k) in order.enumerated() { rank[k] = Int32(r) }
        return FactorCodes(codes: provisional.map { rank[Int($0)] }, levels: values.count)
    }

    /// The interaction of two coded factors, renumbered densely in lexicographic order.
    static func combine(_ a: FactorCodes, _ b: FactorCodes) -> FactorCodes {
        let n = a.codes.count
        let lb = Int64(b.levels)
        var joint = [Double](repeating: 0, count: n)
        for i in 0..<n { joint[i] = Double(Int64(a.codes[i]) * lb + Int64(b.codes[i])) }
        return encode(joint)
    }
}
