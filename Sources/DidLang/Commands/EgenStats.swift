// egen functions that summarize an expression within groups: mean, total (sum), count, min,
// max, sd, median, pctile, std, mode, rank, seq.
//
// Each takes the expression evaluated once over the sample (`x_N`, one value per observation,
// missing outside the sample) and the groups (lists of observation indices), and writes one
// result per observation. Missing values of the expression are ignored, as Stata's egen does.

import DidFrame
import Foundation

enum EgenStats {
    static let functions: [String: EgenCommand.Function] = [
        "mean": ([], { c in try summed(c) { sum, n in n == 0 ? Missing.dot : sum / Double(n) } }),
        "total": ([OptionSpec("missing", min: 1)], { c in
            let keepMissing = c.options.has("missing")
            return try summed(c) { sum, n in n == 0 && keepMissing ? Missing.dot : sum }
        }),
        "count": ([], { c in try summed(c) { _, n in Double(n) } }),
        "min": ([], { c in try constant(c) { v in v.min() ?? Missing.dot } }),
        "max": ([], { c in try constant(c) { v in v.max() ?? Missing.dot } }),
        "sd": ([], { c in try constant(c) { v in sd(v) } }),
        "median": ([], { c in try constant(c) { v in pctile(v.sorted(), 50) } }),
        "pctile": ([OptionSpec("p", .required)], { c in
            let p = try c.number("p") ?? 50
            guard p > 0 && p < 100 else { throw StataError(198, "p(\(OutText.num(p))) must be between 0 and 100") }
            return try constant(c) { v in pctile(v.sorted(), p) }
        }),
        "std": ([OptionSpec("mean", .required), OptionSpec("sd", .required)], { c in try std(c) }),
        "mode": ([OptionSpec("minmode"), OptionSpec("maxmode"), OptionSpec("nummode", .required), OptionSpec("missing", min: 1)],
                 { c in try mode(c) }),
        "rank": ([OptionSpec("field"), OptionSpec("track"), OptionSpec("unique")], { c in try rank(c) }),
        "seq": ([OptionSpec("from", .required), OptionSpec("to", .required), OptionSpec("block", .required)], { c in try seq(c) }),
    ]

    /// A statistic of each group's non-missing values, copied to every sample observation of
    /// the group. Groups without values get `stat([])` (or `emptyGroups`).
    static func constant(_ c: EgenContext, emptyGroups: Double? = nil, _ stat: ([Double]) -> Double) throws -> EgenResult {
        let x = try c.numericArgument()
        var out = [Double](repeating: Missing.dot, count: c.n)
        var buffer: [Double] = []
        for g in c.groups {
            buffer.removeAll(keepingCapacity: true)
            for r in g where !Missing.isMissing(x[r]) { buffer.append(x[r]) }
            let v = buffer.isEmpty && emptyGroups != nil ? emptyGroups! : Missing.clean(stat(buffer))
            for r in g { out[r] = v }
        }
        return .numbers(out, defaultType: .float)
    }

    /// A statistic of each group's sum and count of non-missing values (summed in observation
    /// order, as `constant` would), copied to every sample observation of the group. One pass
    /// over plain buffers: the hot path of `egen mean()` on large panels.
    static func summed(_ c: EgenContext, _ stat: (Double, Int) -> Double) throws -> EgenResult {
        let x = try c.numericArgument()
        var out = [Double](repeating: Missing.dot, count: c.n)
        let start = c.groups.start
        x.withUnsafeBufferPointer { xp in
            c.groups.rows.withUnsafeBufferPointer { rp in
                out.withUnsafeMutableBufferPointer { op in
                    for g in 0..<(start.count - 1) {
                        var sum = 0.0, n = 0
                        for k in start[g]..<start[g + 1] {
                            let v = xp[rp[k]]
                            if v < Missing.dot { sum += v; n += 1 }
                        }
                        let value = Missing.clean(stat(sum, n))
                        for k in start[g]..<start[g + 1] { op[rp[k]] = value }
                    }
                }
            }
        }
        return .numbers(out, defaultType: .float)
    }

    /// Sample standard deviation (divisor n - 1); missing with fewer than two values.
    static func sd(_ v: [Double]) -> Double {
        guard v.count > 1 else { return Missing.dot }
        let m = v.reduce(0, +) / Double(v.count)
        let ss = v.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (ss / Double(v.count - 1)).squareRoot()
    }

    /// Percentile with summarize's definition (P = n p / 100; whole P averages two values).
    static func pctile(_ sorted: [Double], _ p: Double) -> Double {
        let n = sorted.count
        guard n > 0 else { return Missing.dot }
        let P = Double(n) * p / 100
        let i = Int(P.rounded(.down))
        if P == Double(i) {
            if i == 0 { return sorted[0] }
            if i >= n { return sorted[n - 1] }
            return (sorted[i - 1] + sorted[i]) / 2
        }
        return sorted[min(i, n - 1)]
    }

    /// std(exp) [, mean(#) sd(#)]: (x - mean) / sd within the group, rescaled.
    static func std(_ c: EgenContext) throws -> EgenResult {
        let x = try c.numericArgument()
        let m0 = try c.number("mean") ?? 0, s0 = try c.number("sd") ?? 1
        guard s0 > 0 else { throw StataError(198, "sd() must be positive") }
        var out = [Double](repeating: Missing.dot, count: c.n)
        for g in c.groups {
            let v = g.compactMap { Missing.isMissing(x[$0]) ? nil : x[$0] }
            guard !v.isEmpty else { continue }
            let m = v.reduce(0, +) / Double(v.count), sdv = sd(v)
            for r in g where !Missing.isMissing(x[r]) {
                out[r] = Missing.isMissing(sdv) || sdv == 0 ? Missing.dot : (x[r] - m) / sdv * s0 + m0
            }
        }
        return .numbers(out, defaultType: .float)
    }

    /// mode(varname) [, minmode maxmode nummode(#) missing]: the most frequent value of the
    /// group; several modes give missing unless a tie-break option says which.
    static func mode(_ c: EgenContext) throws -> EgenResult {
        let s = c.session
        let name = c.argument.trimmingCharacters(in: .whitespaces)
        let isString = (try? s.resolveVariable(name)).map { s.frame.columns[$0].isString } ?? false
        let keepMissing = c.options.has("missing")
        let nummode = try c.number("nummode").map { try OutText.integer($0, "nummode", default: 1) }
        // Values are compared as text for strings and as bit patterns for numbers.
        let textOf: (Int) -> String
        let numbers: [Double]
        if isString {
            let col = s.frame.columns[try s.resolveVariable(name)]
            textOf = { col.strs[$0] }; numbers = []
        } else {
            numbers = try c.numericArgument()
            textOf = { _ in "" }
        }
        var numOut = [Double](repeating: Missing.dot, count: c.n)
        var strOut = [String](repeating: "", count: c.n)
        for g in c.groups {
            var counts: [String: Int] = [:], firstSeen: [String: Int] = [:]
            for r in g {
                let key: String
                if isString {
                    key = textOf(r); if key.isEmpty && !keepMissing { continue }
                } else {
                    if Missing.isMissing(numbers[r]) && !keepMissing { continue }
                    key = String(numbers[r].bitPattern)
                }
                counts[key, default: 0] += 1
                if firstSeen[key] == nil { firstSeen[key] = r }
            }
            guard let best = counts.values.max() else { continue }
            var modes = counts.filter { $0.value == best }.map(\.key)
            let value: (String) -> Double = { Double(bitPattern: UInt64($0)!) }
            if isString { modes.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
            else { modes.sort { value($0) < value($1) } }
            var chosen: String? = nil
            if modes.count == 1 { chosen = modes[0] }
            else if c.options.has("minmode") { chosen = modes.first }
            else if c.options.has("maxmode") { chosen = modes.last }
            else if let k = nummode, k >= 1, k <= modes.count { chosen = modes[k - 1] }
            guard let m = chosen else { continue }
            for r in g {
                if isString { strOut[r] = m } else { numOut[r] = value(m) }
            }
        }
        return isString ? .strings(strOut) : .numbers(numOut, defaultType: .float)
    }

    /// rank(exp) [, field track unique]: ranks within the group; ties share the mean rank by
    /// default, the best rank with `field` (largest = 1) or `track` (smallest = 1), and are
    /// broken by observation order with `unique`.
    static func rank(_ c: EgenContext) throws -> EgenResult {
        let x = try c.numericArgument()
        let field = c.options.has("field"), track = c.options.has("track"), unique = c.options.has("unique")
        guard [field, track, unique].filter({ $0 }).count <= 1 else {
            throw StataError(198, "options field, track and unique are mutually exclusive")
        }
        var out = [Double](repeating: Missing.dot, count: c.n)
        for g in c.groups {
            let v = g.filter { !Missing.isMissing(x[$0]) }.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
            let m = v.count
            var i = 0
            while i < m {
                var j = i
                while j + 1 < m && x[v[j + 1]] == x[v[i]] { j += 1 }
                for k in i...j {
                    let r: Double
                    if unique { r = Double(k + 1) }
                    else if field { r = Double(m - j) }
                    else if track { r = Double(i + 1) }
                    else { r = Double(i + j + 2) / 2 }
                    out[v[k]] = r
                }
                i = j + 1
            }
        }
        return .numbers(out, defaultType: .float)
    }

    /// seq() [, from(#) to(#) block(#)]: from, from+1, … within each group (in data order),
    /// each repeated `block` times and wrapping after `to`.
    static func seq(_ c: EgenContext) throws -> EgenResult {
        guard c.argument.isEmpty else { throw StataError(198, "seq() takes no arguments") }
        let from = try OutText.integer(try c.number("from"), "from", default: 1)
        let block = try OutText.integer(try c.number("block"), "block", default: 1)
        let to = try c.number("to").map { try OutText.integer($0, "to", default: 1) }
        guard block >= 1 else { throw StataError(198, "block() must be positive") }
        var out = [Double](repeating: Missing.dot, count: c.n)
        for g in c.groups {
            for (k, r) in g.enumerated() {
                var step = k / block
                if let t = to {
                    let span = abs(t - from) + 1
                    step %= span
                    out[r] = Double(t >= from ? from + step : from - step)
                } else {
                    out[r] = Double(from + step)
                }
            }
        }
        return .numbers(out, defaultType: .float)
    }
}
