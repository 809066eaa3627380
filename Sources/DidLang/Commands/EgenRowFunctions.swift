// egen functions across the variables of each observation: rowmean, rowtotal, rowmax, rowmin,
// rownonmiss, rowmiss, rowsd, concat. They may not be combined with by (r(190)), as in Stata.

import DidFrame
import Foundation

enum EgenRowFunctions {
    static let functions: [String: EgenCommand.Function] = [
        "rowmean": ([], { c in try rowStat(c, "rowmean") { v, _ in v.isEmpty ? Missing.dot : v.reduce(0, +) / Double(v.count) } }),
        "rowtotal": ([OptionSpec("missing", min: 1)], { c in
            let keepMissing = c.options.has("missing")
            return try rowStat(c, "rowtotal") { v, _ in v.isEmpty && keepMissing ? Missing.dot : v.reduce(0, +) }
        }),
        "rowmax": ([], { c in try rowStat(c, "rowmax") { v, _ in v.max() ?? Missing.dot } }),
        "rowmin": ([], { c in try rowStat(c, "rowmin") { v, _ in v.min() ?? Missing.dot } }),
        "rowsd": ([], { c in try rowStat(c, "rowsd") { v, _ in EgenStats.sd(v) } }),
        "rownonmiss": ([OptionSpec("strok")], { c in try rowStat(c, "rownonmiss", strings: c.options.has("strok")) { v, _ in Double(v.count) } }),
        "rowmiss": ([], { c in try rowStat(c, "rowmiss") { v, k in Double(k - v.count) } }),
        "concat": ([OptionSpec("punct", .required), OptionSpec("format", .required), OptionSpec("decode"),
                    OptionSpec("maxlength", min: 3, .required)], { c in try concat(c) }),
    ]

    /// Applies `stat(nonMissingValues, numberOfVariables)` to each sample observation.
    /// String variables are errors unless `strings` (rownonmiss's strok): then "" is missing.
    static func rowStat(_ c: EgenContext, _ fcn: String, strings: Bool = false,
                        _ stat: ([Double], Int) -> Double) throws -> EgenResult {
        try c.requireUngrouped(fcn)
        let cols = try c.variables().map { c.session.frame.column($0)! }
        for col in cols where col.isString && !strings { throw StataError(109, "\(col.name) is a string variable; type mismatch") }
        var out = [Double](repeating: Missing.dot, count: c.n)
        var buffer: [Double] = []
        for r in c.rows {
            buffer.removeAll(keepingCapacity: true)
            for col in cols {
                if col.isString { if !col.strs[r].isEmpty { buffer.append(0) } }
                else if !Missing.isMissing(col.nums[r]) { buffer.append(col.nums[r]) }
            }
            out[r] = Missing.clean(stat(buffer, cols.count))
        }
        return .numbers(out, defaultType: .float)
    }

    /// concat(varlist) [, punct() format() decode maxlength()]: the values as text, joined.
    static func concat(_ c: EgenContext) throws -> EgenResult {
        try c.requireUngrouped("concat")
        let s = c.session
        let cols = try c.variables().map { s.frame.column($0)! }
        let punct = c.options.string("punct").map(CommandCall.unquote) ?? ""
        let fmt = c.options.string("format")
        if let f = fmt, !DisplayFormat.isValid(f) { throw StataError(120, "invalid %format") }
        let decode = c.options.has("decode")
        let maxLength = try c.number("maxlength").map { try OutText.integer($0, "maxlength", default: 0) }
        var out = [String](repeating: "", count: c.n)
        for r in c.rows {
            let parts = cols.map { col -> String in
                if col.isString { return col.strs[r] }
                if decode, col.valueLabel != nil { return ValueText.display(col, row: r, frame: s.frame) }
                return OutText.num(col.nums[r], fmt ?? "%9.0g")
            }
            var text = parts.joined(separator: punct)
            if let m = maxLength, text.count > m { text = String(text.prefix(m)) }
            out[r] = text
        }
        return .strings(out)
    }
}
