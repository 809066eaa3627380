// Which observations a command works on: `if`, `in`, the current by-group, and markout of
// missing values (Stata's marksample/markout).

import DidFrame
import Foundation

extension Session {
    /// Observation indices selected by `in`, `if` and the by-group, in order.
    public func sampleRows(_ call: CommandCall, requireIf: Bool = false) throws -> [Int] {
        var range = 0..<frame.count
        if let r = byRestriction { range = r }
        if let inText = call.inRange {
            let r = try parseInRange(inText)
            range = max(range.lowerBound, r.lowerBound)..<min(range.upperBound, r.upperBound)
            if range.isEmpty { range = 0..<0 }
        }
        var rows = Array(range)
        if let cond = call.ifExp {
            let e = try ExprParser.parse(cond)
            let v = try Evaluator.evaluate(e, in: self, rows: rowSet(rows))
            guard case .numbers(let t) = v else { throw StataError.typeMismatch() }
            rows = zip(rows, t).compactMap { $1 != 0 ? $0 : nil }
        }
        return rows
    }

    /// `touse` as a mask over all observations: if/in, by-group, and no missing in `variables`
    /// (strings count as missing when empty, as marksample's `strok` does).
    public func markSample(_ call: CommandCall, variables: [String]) throws -> [Bool] {
        var mask = [Bool](repeating: false, count: frame.count)
        for r in try sampleRows(call) { mask[r] = true }
        for v in variables {
            let c = frame.columns[try resolveVariable(v)]
            if c.isString {
                for i in 0..<mask.count where mask[i] && c.strs[i].isEmpty { mask[i] = false }
            } else {
                c.nums.withUnsafeBufferPointer { p in
                    for i in 0..<mask.count where mask[i] && Missing.isMissing(p[i]) { mask[i] = false }
                }
            }
        }
        return mask
    }

    /// RowSet for `rows`, grouped by the current by-prefix when one is in force.
    public func rowSet(_ rows: [Int]) -> RowSet {
        if let by = currentBy { return RowSet.grouped(rows: rows, bounds: by.groups) }
        return RowSet(rows: rows, count: frame.count)
    }

    /// `in` range: `#`, `#/#`, `f/l`, negative numbers count from the end.
    func parseInRange(_ text: String) throws -> Range<Int> {
        let n = frame.count
        func pos(_ s: String) throws -> Int {
            let t = s.trimmingCharacters(in: .whitespaces).lowercased()
            if t == "f" || t == "first" { return 1 }
            if t == "l" || t == "last" { return n }
            guard let v = Int(t) else { throw StataError(198, "'\(s)' invalid observation number") }
            return v < 0 ? n + v + 1 : v
        }
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let a = try pos(parts[0])
        let b = parts.count > 1 ? try pos(parts[1]) : a
        guard a >= 1, b >= a else {
            if a >= 1 && b < a { return 0..<0 }
            throw StataError(198, "Obs. nos. out of range")
        }
        if a > n { throw StataError(198, "Obs. nos. out of range") }
        return (a - 1)..<min(b, n)
    }
}
