// Shared pieces of the data-management commands: dense key codes across two datasets (merge,
// joinby), rows grouped by code (a counting sort, so groups come out in key order and rows keep
// their order inside a group), gathering columns by row index, and Stata's word lists.
//
// Naming: `codes_N` has one entry per row, `start_G` one per group (+1); code −1 never occurs.

import DidFrame
import Foundation

/// Row grouping helpers for merge, joinby, collapse, reshape and duplicates.
enum ManageKeys {
    /// Rows grouped by dense code: `rows[start[g]..<start[g+1]]` are group g's rows in order.
    struct Groups {
        var start: [Int]
        var rows: [Int]
        /// Number of groups.
        var count: Int { start.count - 1 }
        /// Rows of group `g`.
        func members(_ g: Int) -> ArraySlice<Int> { rows[start[g]..<start[g + 1]] }
        /// Size of group `g`.
        func size(_ g: Int) -> Int { start[g + 1] - start[g] }
    }

    /// Counting sort of `rowIDs` (default 0..<codes.count) by `codes` (stable).
    static func group(_ codes: [Int32], groups: Int, rowIDs: [Int]? = nil) -> Groups {
        var start = [Int](repeating: 0, count: groups + 1)
        for c in codes { start[Int(c) + 1] += 1 }
        for g in 0..<groups { start[g + 1] += start[g] }
        var next = Array(start.dropLast())
        var rows = [Int](repeating: 0, count: codes.count)
        for (i, c) in codes.enumerated() {
            rows[next[Int(c)]] = rowIDs?[i] ?? i
            next[Int(c)] += 1
        }
        return Groups(start: start, rows: rows)
    }

    /// Dense codes of `keys` over the master's rows followed by the using data's rows, numbered in
    /// sort order (missing last, strings bytewise). A key that is string on one side and numeric
    /// on the other is r(106), as merge reports it.
    static func codes(master: Frame, using: Frame, keys: [String], masterRows: [Int]? = nil) throws
        -> (m: [Int32], u: [Int32], groups: Int) {
        // One integer key over all master rows (ids, years): coded in place, no combined copy.
        if keys.count == 1, masterRows == nil, let a = master.column(keys[0]), let b = using.column(keys[0]),
           !a.isString, !b.isString, let joint = Frame.jointCodes(a.nums, b.nums) {
            return (joint.a, joint.b, joint.groups)
        }
        var cols: [Column] = []
        let nm = masterRows?.count ?? master.count
        for k in keys {
            guard let a = master.column(k) else { throw StataError.varNotFound(k) }
            guard let b = using.column(k) else { throw StataError(111, "variable \(k) not found in using data") }
            if a.isString != b.isString {
                throw StataError(106, "key variable \(k) is \(a.type) in master but \(b.type) in using data")
            }
            // All master rows (the merge case) are copied whole rather than gathered.
            if a.isString { cols.append(Column(name: k, strings: (masterRows.map { r in r.map { a.strs[$0] } } ?? a.strs) + b.strs)) }
            else { cols.append(Column(name: k, type: .double, values: (masterRows.map { r in r.map { a.nums[$0] } } ?? a.nums) + b.nums)) }
        }
        let both = Frame(columns: cols)
        let (codes, g) = try both.groupCodes(by: keys)
        return (Array(codes[..<nm]), Array(codes[nm...]), g)
    }

    /// Values of `c` at `index` (−1 gives missing / "").
    static func take(_ c: Column, _ index: [Int]) -> Column {
        var out = c
        if c.isString { out.strs = index.map { $0 < 0 ? "" : c.strs[$0] } }
        else { out.nums = c.nums.withUnsafeBufferPointer { p in index.map { $0 < 0 ? Missing.dot : p[$0] } } }
        return out
    }

    /// Values from `a` where `ia` ≥ 0, else from `b` at `ib`; the type holds both.
    static func take(_ a: Column, _ ia: [Int], _ b: Column, _ ib: [Int]) -> Column {
        var out = a
        if let t = StorageType.promoted(a.type, b.type), t != a.type {
            out.type = t
            if a.format == a.type.defaultFormat { out.format = t.defaultFormat }
        }
        if a.isString {
            out.strs = (0..<ia.count).map { r in ia[r] >= 0 ? a.strs[ia[r]] : (ib[r] >= 0 ? b.strs[ib[r]] : "") }
        } else {
            let t = out.type
            out.nums = (0..<ia.count).map { r in ia[r] >= 0 ? a.nums[ia[r]] : (ib[r] >= 0 ? t.store(b.nums[ib[r]]) : Missing.dot) }
        }
        return out
    }

    /// Forgets `xtset` when the data no longer hold its variables (after collapse, reshape …).
    static func dropStaleTimeSettings(_ s: Session) {
        guard let ts = s.timeSettings else { return }
        if s.frame.index(of: ts.time) == nil || ts.panel.map({ s.frame.index(of: $0) == nil }) == true { s.timeSettings = nil }
    }

    /// True when observation `i` of `c` is missing (`.`…`.z`, or "" for strings).
    @inline(__always) static func isMissing(_ c: Column, _ i: Int) -> Bool {
        c.isString ? c.strs[i].isEmpty : Missing.isMissing(c.nums[i])
    }

    /// "variable id does not" / "variables id year do not", as Stata words it.
    static func subject(_ vars: [String]) -> String {
        vars.count == 1 ? "variable \(vars[0]) does not" : "variables \(vars.joined(separator: " ")) do not"
    }

    /// `(a b) (c d)` → [["a","b"],["c","d"]]; text outside parentheses is r(198).
    static func parenGroups(_ text: String) throws -> [String] {
        var out: [String] = [], depth = 0, cur = ""
        for ch in text {
            if ch == "(" { depth += 1; if depth == 1 { cur = ""; continue } }
            if ch == ")" {
                depth -= 1
                if depth == 0 { out.append(cur.trimmingCharacters(in: .whitespaces)); continue }
                if depth < 0 { throw StataError(198, "unmatched parenthesis") }
            }
            if depth > 0 { cur.append(ch) } else if ch != " " && ch != "\t" { throw StataError(198, "invalid syntax") }
        }
        guard depth == 0 else { throw StataError(198, "unmatched parenthesis") }
        return out
    }

    /// Words of a space-separated list.
    static func words(_ s: String) -> [String] { s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }

    /// A number as Stata's `%9.0g` shows it, trimmed.
    static func num(_ x: Double) -> String {
        (try? Fmt.format(x, "%9.0g"))?.trimmingCharacters(in: .whitespaces) ?? "\(x)"
    }
}
