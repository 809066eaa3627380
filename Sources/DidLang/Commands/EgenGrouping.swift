// Grouping kernel for egen: observations → dense group codes → buckets.
//
// Dimensions: `rows_N` sample observations (dataset order), K key variables. Each key is coded
// once: equal values get the same dense code, numbered in Stata's sort order (numbers ascending, missing values last and `.` < `.a`;
// strings bytewise). Codes of several keys are combined in mixed radix (re-densified when the
// product would overflow). A counting pass then buckets the observations by combined code, which
// keeps dataset order inside each group — the order a stable sort by the keys gives.

import DidFrame
import Foundation

enum EgenGrouping {
    /// Groups of `rows` with equal values of `columns`, in sort order of the keys.
    static func groups(_ rows: [Int], columns: [Column]) -> [[Int]] {
        guard !rows.isEmpty else { return [] }
        guard !columns.isEmpty else { return [rows] }
        var code = [Int](repeating: 0, count: rows.count)
        var levels = 1
        for c in columns {
            let (k, m) = denseCodes(c, rows)
            if levels > Int.max / max(m, 1) / 2 {
                (code, levels) = redensify(code)
            }
            for i in code.indices { code[i] = code[i] * m + k[i] }
            levels *= m
        }
        if levels > 4 * rows.count + 16 { (code, levels) = redensify(code) }
        var buckets = [[Int]](repeating: [], count: levels)
        for (i, r) in rows.enumerated() { buckets[code[i]].append(r) }
        return buckets.filter { !$0.isEmpty }
    }

    /// Order-preserving dense codes 0..<m of one column over `rows`: values are first numbered
    /// in order of appearance through a hash table (one pass), then only the distinct values are
    /// sorted, so the cost is O(N + m log m).
    static func denseCodes(_ c: Column, _ rows: [Int]) -> ([Int], Int) {
        var code = [Int](repeating: 0, count: rows.count)
        if c.isString {
            var first: [String: Int] = [:]
            var distinct: [String] = []
            for (i, r) in rows.enumerated() {
                let v = c.strs[r]
                if let k = first[v] { code[i] = k } else { first[v] = distinct.count; code[i] = distinct.count; distinct.append(v) }
            }
            let order = distinct.indices.sorted { distinct[$0].utf8.lexicographicallyPrecedes(distinct[$1].utf8) }
            return (remap(code, order), distinct.count)
        }
        var first: [UInt64: Int] = [:]
        var distinct: [Double] = []
        c.nums.withUnsafeBufferPointer { p in
            for (i, r) in rows.enumerated() {
                let v = p[r] == 0 ? 0 : p[r]          // -0 and 0 are one value
                if let k = first[v.bitPattern] { code[i] = k }
                else { first[v.bitPattern] = distinct.count; code[i] = distinct.count; distinct.append(v) }
            }
        }
        let order = distinct.indices.sorted { distinct[$0] < distinct[$1] }
        return (remap(code, order), distinct.count)
    }

    /// Replaces provisional codes by their rank: `order[k]` is the provisional code of rank k.
    static func remap(_ code: [Int], _ order: [Int]) -> [Int] {
        var rank = [Int](repeating: 0, count: order.count)
        for (k, p) in order.enumerated() { rank[p] = k }
        return code.map { rank[$0] }
    }

    /// Renumbers arbitrary non-negative codes densely, keeping their order.
    static func redensify(_ code: [Int]) -> ([Int], Int) {
        let distinct = Array(Set(code)).sorted()
        var index: [Int: Int] = [:]
        for (k, v) in distinct.enumerated() { index[v] = k }
        return (code.map { index[$0]! }, distinct.count)
    }
}
