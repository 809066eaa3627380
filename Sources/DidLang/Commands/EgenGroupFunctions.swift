// egen functions that code groups of values: group (1…K over the sorted distinct values),
// tag (1 on the first observation of each distinct value, byte), cut (interval codes from
// at() breakpoints or group() quantiles).

import DidFrame
import Foundation

enum EgenGroupFunctions {
    static let functions: [String: EgenCommand.Function] = [
        "group": ([OptionSpec("missing", min: 1), OptionSpec("label", min: 1, .optional), OptionSpec("autotype"), OptionSpec("truncate", min: 2, .required)],
                  { c in try group(c) }),
        "tag": ([OptionSpec("missing", min: 1)], { c in try tag(c) }),
        "cut": ([OptionSpec("at", .required), OptionSpec("group", .required), OptionSpec("icodes"), OptionSpec("label")],
                { c in try cut(c) }),
    ]

    /// The distinct-value runs of `vars` over the sample (missing keys dropped unless
    /// `keepMissing`), within the by-groups, in sort order.
    static func runs(_ c: EgenContext, _ vars: [String], keepMissing: Bool, _ fcn: String) throws -> EgenGroups {
        try c.requireUngrouped(fcn)
        let s = c.session
        let cols = vars.map { s.frame.column($0)! }
        let rows = keepMissing ? c.rows : c.rows.filter { r in
            cols.allSatisfy { $0.isString ? !$0.strs[r].isEmpty : !Missing.isMissing($0.nums[r]) }
        }
        return try EgenCommand.groupRows(rows, by: vars, s)
    }

    /// group(varlist) [, missing label[(name)]]: consecutive integers for the distinct values;
    /// `label` attaches a value label (named after the new variable unless a name is given)
    /// holding the values' text.
    static func group(_ c: EgenContext) throws -> EgenResult {
        let vars = try c.variables()
        let s = c.session
        let runs = try runs(c, vars, keepMissing: c.options.has("missing"), "group")
        var out = [Double](repeating: Missing.dot, count: c.n)
        var labels: [Int: String] = [:]
        let cols = vars.map { s.frame.column($0)! }
        for (k, g) in runs.enumerated() {
            for r in g { out[r] = Double(k + 1) }
            if c.options.has("label") {
                labels[k + 1] = cols.map { ValueText.display($0, row: g.first!, frame: s.frame) }.joined(separator: " ")
            }
        }
        let type: StorageType = c.options.has("autotype") ? StorageType.smallestHolding([Double(runs.count)]) : .float
        if c.options.has("label") {
            let labelName = c.options.string("label").map { $0.split(separator: ",").first.map(String.init) ?? $0 }?
                .trimmingCharacters(in: .whitespaces)
            return .labeled(out, defaultType: type, labels: labels, name: labelName?.isEmpty == false ? labelName : nil)
        }
        return .numbers(out, defaultType: type)
    }

    /// tag(varlist) [, missing]: 1 on the first observation of each distinct value, else 0.
    static func tag(_ c: EgenContext) throws -> EgenResult {
        let runs = try runs(c, try c.variables(), keepMissing: c.options.has("missing"), "tag")
        var out = [Double](repeating: 0, count: c.n)
        for g in runs { if let first = g.min() { out[first] = 1 } }
        return .numbers(out, defaultType: .byte)
    }

    /// cut(varname), at(numlist) | group(#) [icodes label]: the left breakpoint of the interval
    /// holding each value (or its 0-based index with icodes); values outside are missing.
    static func cut(_ c: EgenContext) throws -> EgenResult {
        try c.requireUngrouped("cut")
        let s = c.session
        let name = try c.variables()
        guard name.count == 1, let col = s.frame.column(name[0]), !col.isString else { throw StataError(109, "type mismatch") }
        var breaks: [Double]
        if let at = c.options.string("at") {
            breaks = try numlist(at)
        } else if let gtext = c.options.string("group"), let ng = Int(gtext.trimmingCharacters(in: .whitespaces)), ng >= 1, ng <= 10_000 {
            let v = c.rows.map { col.nums[$0] }.filter { !Missing.isMissing($0) }.sorted()
            guard let lo = v.first, let hi = v.last else { return .numbers([Double](repeating: Missing.dot, count: c.n), defaultType: .float) }
            breaks = [lo] + (1..<ng).map { EgenStats.pctile(v, 100 * Double($0) / Double(ng)) } + [hi + 1]
            breaks = breaks.reduce(into: [Double]()) { acc, b in if acc.last != b { acc.append(b) } }
        } else {
            throw StataError(198, "cut() requires at() or group()")
        }
        guard breaks.count >= 2, zip(breaks, breaks.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw StataError(198, "at() must be increasing")
        }
        let icodes = c.options.has("icodes")
        var out = [Double](repeating: Missing.dot, count: c.n)
        for r in c.rows {
            let x = col.nums[r]
            guard !Missing.isMissing(x), x >= breaks[0], x < breaks[breaks.count - 1] else { continue }
            var k = 0
            while k + 1 < breaks.count - 1 && x >= breaks[k + 1] { k += 1 }
            out[r] = icodes ? Double(k) : breaks[k]
        }
        if c.options.has("label") {
            var labels: [Int: String] = [:]
            for k in 0..<(breaks.count - 1) where icodes {
                labels[k] = OutText.num(breaks[k]) + "-"
            }
            if icodes { return .labeled(out, defaultType: .float, labels: labels, name: nil) }
        }
        return .numbers(out, defaultType: .float)
    }

    /// A numlist: numbers separated by spaces or commas, and `a(step)b` ranges.
    static func numlist(_ text: String) throws -> [Double] {
        var out: [Double] = []
        for tok in text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init) {
            if let open = tok.firstIndex(of: "("), let close = tok.firstIndex(of: ")"), open < close {
                guard let a = Double(tok[..<open]), let step = Double(tok[tok.index(after: open)..<close]),
                      let b = Double(tok[tok.index(after: close)...]), step != 0 else { throw StataError(121, "invalid numlist") }
                guard abs((b - a) / step) < 1e6 else { throw StataError(121, "invalid numlist: too many elements") }
                var v = a
                while step > 0 ? v <= b + 1e-9 * abs(step) : v >= b - 1e-9 * abs(step) { out.append(v); v += step }
            } else {
                guard let v = Double(tok) else { throw StataError(121, "invalid numlist") }
                out.append(v)
            }
        }
        return out
    }
}
