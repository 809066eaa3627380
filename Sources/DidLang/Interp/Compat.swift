// Bridges to pieces other modules are still delivering: number formatting (Expr's
// DisplayFormat) and sorting (Frame's sortPermutation). Callers in DidLang use these names so the
// switch is one file.

import DidFrame
import Foundation

/// Display formatting used by commands.
enum Fmt {
    static func format(_ x: Double, _ fmt: String) throws -> String {
        if let m = Missing.text(x) { return pad(m, fmt) }
        let spec = try parse(fmt)
        var s: String
        switch spec.kind {
        case "f": s = String(format: "%.\(spec.d)f", x); s = dropLeadingZero(s)
        case "e": s = String(format: "%.\(spec.d)e", x)
        default:
            if x == x.rounded() && abs(x) < pow(10, Double(max(spec.w, 1))) && String(Int64(x)).count <= spec.w {
                s = String(Int64(x))
            } else {
                let sig = max(1, spec.d > 0 ? spec.d : spec.w - 2)
                s = dropLeadingZero(String(format: "%.\(sig)g", x))
                if s.count > spec.w {
                    s = String(format: "%.\(max(1, spec.w - 7))e", x)
                }
            }
        }
        if spec.comma { s = commas(s) }
        return pad(s, fmt)
    }

    static func format(_ s: String, _ fmt: String) throws -> String { pad(s, fmt) }

    struct Spec { var w: Int; var d: Int; var kind: Character; var left: Bool; var comma: Bool }

    static func parse(_ fmt: String) throws -> Spec {
        var f = Substring(fmt)
        guard f.first == "%" else { throw StataError(120, "invalid %format") }
        f = f.dropFirst()
        let left = f.first == "-"; if left { f = f.dropFirst() }
        let comma = f.hasSuffix("c")
        if comma { f = f.dropLast() }
        guard let kind = f.last, "gfes".contains(kind) else {
            if f.hasPrefix("t") { return Spec(w: 10, d: 0, kind: "g", left: left, comma: false) }
            throw StataError(120, "invalid %format")
        }
        let body = f.dropLast().split(separator: ".", omittingEmptySubsequences: false)
        let w = Int(body.first ?? "") ?? 9
        let d = body.count > 1 ? Int(body[1]) ?? 0 : 0
        return Spec(w: w, d: d, kind: kind, left: left, comma: comma)
    }

    static func dropLeadingZero(_ s: String) -> String {
        if s.hasPrefix("0.") { return String(s.dropFirst()) }
        if s.hasPrefix("-0.") { return "-" + s.dropFirst(2) }
        return s
    }

    static func commas(_ s: String) -> String {
        let neg = s.hasPrefix("-")
        let body = neg ? String(s.dropFirst()) : s
        let parts = body.split(separator: ".", maxSplits: 1)
        var intPart = String(parts.first ?? "")
        var out = ""
        while intPart.count > 3 { out = "," + intPart.suffix(3) + out; intPart = String(intPart.dropLast(3)) }
        out = intPart + out
        if parts.count > 1 { out += "." + parts[1] }
        return (neg ? "-" : "") + out
    }

    static func pad(_ s: String, _ fmt: String) -> String {
        let left = fmt.hasPrefix("%-")
        let digits = fmt.drop { !$0.isNumber }.prefix { $0.isNumber }
        let w = Int(digits) ?? 0
        if s.count >= w { return s }
        let p = String(repeating: " ", count: w - s.count)
        return left ? s + p : p + s
    }
}

extension Session {
    /// Stable order of observations by `names` (missing last, strings bytewise).
    public func sortPermutation(by names: [String], descending: [Bool]? = nil) throws -> [Int] {
        let cols = try names.map { frame.columns[try resolveVariable($0)] }
        let desc = descending ?? Array(repeating: false, count: names.count)
        let idx = Array(0..<frame.count)
        return idx.sorted { a, b in
            for (k, c) in cols.enumerated() {
                if c.isString {
                    let x = c.strs[a], y = c.strs[b]
                    if x != y { return (Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))) != desc[k] }
                } else {
                    let x = c.nums[a], y = c.nums[b]
                    if x != y { return (x < y) != desc[k] }
                }
            }
            return a < b
        }
    }

    /// Sorts the dataset by `names` and records it.
    public func sortData(by names: [String]) throws {
        let full = try names.map { frame.columns[try resolveVariable($0)].name }
        if frame.sortedBy.starts(with: full) { return }
        frame.select(rows: try sortPermutation(by: full))
        frame.sortedBy = full
    }
}

/// CSV reading/writing (DidFrame's CSVReader/CSVWriter once they land).
enum CSVBridge {
    static func read(path: String, delimiter: UInt8?, varnamesRow: Int?, asDouble: Bool) throws -> Frame {
        throw StataError(198, "import delimited is not available in this build yet")
    }
    static func write(_ frame: Frame, to path: String, delimiter: UInt8, header: Bool, replace: Bool, useDisplayFormat: Bool) throws {
        throw StataError(198, "export delimited is not available in this build yet")
    }
}
