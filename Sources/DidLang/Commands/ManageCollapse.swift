// collapse clist [if] [in] [weight] [, by(varlist) cw fast]
//
// Parse: the clist becomes (stat, target, source) triples. Compute: the sample's rows are coded
// by the by-variables (Frame.groupCodes: dense codes in sort order, from a direct table for
// integer and string keys). Unweighted mean/sum/rawsum/count need only each group's sum and
// count, accumulated in one pass over the codes (targets in parallel); every other statistic
// buckets the rows with a counting sort, so each group's rows are a contiguous slice, and makes
// one pass over that slice (order statistics sort the slice's values). Storage types follow collapse: count → long, sum/rawsum →
// double, min/max/first/last keep the source type, the rest float unless the source is double.

import DidFrame
import Foundation

/// The collapse command.
enum ManageCollapse {
    static let specs = [OptionSpec("by", .required), OptionSpec("cw"), OptionSpec("fast"), OptionSpec("labelformat", min: 6, .required)]

    /// One requested result.
    struct Target { var stat: String; var name: String; var source: String }

    static let plainStats: Set<String> = ["mean", "median", "sum", "rawsum", "count", "min", "max", "sd", "semean", "sebinomial",
                                          "sepoisson", "iqr", "first", "last", "firstnm", "lastnm"]

    /// clist: [(stat)] varlist | [(stat)] target=var … ; the default statistic is mean.
    static func parseClist(_ text: String, _ s: Session) throws -> [Target] {
        var out: [Target] = [], stat = "mean"
        var t = text.replacingOccurrences(of: "=", with: " = ")
        t = t.replacingOccurrences(of: "(", with: " ( ").replacingOccurrences(of: ")", with: " ) ")
        var w = ManageKeys.words(t)[...]
        while let first = w.first {
            w.removeFirst()
            if first == "(" {
                guard w.count >= 2, w[w.startIndex + 1] == ")" else { throw StataError(198, "invalid syntax") }
                stat = w.removeFirst(); w.removeFirst()
                guard isStat(stat) else { throw StataError(198, "(\(stat)) invalid statistic") }
                continue
            }
            if w.first == "=" {
                w.removeFirst()
                guard let src = w.first else { throw StataError(198, "invalid syntax") }
                w.removeFirst()
                let v = try s.varlist(src)
                guard v.count == 1 else { throw StataError(198, "invalid syntax") }
                out.append(Target(stat: stat, name: first, source: v[0]))
            } else {
                for v in try s.varlist(first) { out.append(Target(stat: stat, name: v, source: v)) }
            }
        }
        guard !out.isEmpty else { throw StataError(198, "invalid syntax") }
        var seen = Set<String>()
        for t in out where !seen.insert(t.name).inserted { throw StataError(198, "\(t.name) = (\(t.stat)) \(t.source): name conflict") }
        return out
    }

    static func isStat(_ st: String) -> Bool {
        if plainStats.contains(st) { return true }
        if st.hasPrefix("p"), let k = Double(st.dropFirst()), k > 0, k < 100 { return true }
        return false
    }

    /// collapse clist [if] [in] [weight] [, by() cw fast]
    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        let targets = try parseClist(call.head, s)
        let byVars = try o.string("by").map { try s.varlist($0) } ?? []
        for t in targets {
            if s.frame.column(t.source)!.isString { throw StataError(109, "\(t.source) is a string variable; type mismatch") }
            if byVars.contains(t.name) { throw StataError(198, "\(t.name) is both a by variable and a result") }
        }
        // Without if/in/weights/cw the sample is every observation: no row list is built
        // unless a statistic needs the grouped slices (`wholeData`, rows stay empty).
        let wholeData = call.ifExp == nil && call.inRange == nil && call.weight == nil && !o.has("cw") && s.byRestriction == nil
        var rows = wholeData ? [] : try s.sampleRows(call)
        var weights: [Double]? = nil
        var aweight = false
        if let wt = call.weight {
            let kind = wt.kind
            aweight = kind.hasPrefix("a") || kind.hasPrefix("p") || kind.hasPrefix("i")
            guard kind.hasPrefix("a") || kind.hasPrefix("f") || kind.hasPrefix("p") || kind.hasPrefix("i") else {
                throw StataError(101, "weights not allowed")
            }
            guard case .numbers(let w) = try Evaluator.evaluate(try ExprParser.parse(wt.exp), in: s, rows: s.rowSet(rows)) else {
                throw StataError.typeMismatch()
            }
            var keep: [Int] = [], kw: [Double] = []
            for (k, r) in rows.enumerated() where !Missing.isMissing(w[k]) && w[k] != 0 {
                if w[k] < 0 { throw StataError(402, "negative weights encountered") }
                if kind.hasPrefix("f") && w[k] != w[k].rounded() { throw StataError(401, "may not use noninteger frequency weights") }
                keep.append(r); kw.append(w[k])
            }
            rows = keep; weights = kw
        }
        if o.has("cw") {
            let srcs = Array(Set(targets.map(\.source)))
            let cols = srcs.map { s.frame.column($0)! }
            var keep: [Int] = [], kw: [Double] = []
            for (k, r) in rows.enumerated() where !cols.contains(where: { Missing.isMissing($0.nums[r]) }) {
                keep.append(r); if let w = weights { kw.append(w[k]) }
            }
            rows = keep; if weights != nil { weights = kw }
        }
        guard wholeData ? s.frame.count > 0 : !rows.isEmpty else { throw StataError.noObservations() }
        // The whole dataset (sample rows are ascending, so the count says it) is coded in place.
        let all = wholeData || rows.count == s.frame.count
        if all && rows.isEmpty && !targets.allSatisfy({ summedStats.contains($0.stat) }) { rows = Array(0..<s.frame.count) }
        let (codes, ng): ([Int32], Int) = byVars.isEmpty ? ([Int32](repeating: 0, count: all ? s.frame.count : rows.count), 1)
                                                         : try s.frame.groupCodes(by: byVars, rows: all ? nil : rows)
        // Positions within `rows`, grouped (built only for statistics that need the slices);
        // weights are indexed by position.
        var grouped: ManageKeys.Groups? = nil
        func groups() -> ManageKeys.Groups {
            if let g = grouped { return g }
            let g = ManageKeys.group(codes, groups: ng)
            grouped = g
            return g
        }
        var cols: [Column] = []
        let firsts = firstPositions(codes, groups: ng).map { all ? $0 : rows[$0] }
        for b in byVars { cols.append(ManageKeys.take(s.frame.column(b)!, firsts)) }
        // The summed statistics, one target per task on both cores.
        let fast = targets.filter { weights == nil && summedStats.contains($0.stat) }
        let sources = fast.map { s.frame.column($0.source)!.nums }
        let fastValues = UnsafeMutablePointer<[Double]>.allocate(capacity: max(fast.count, 1))
        fastValues.initialize(repeating: [], count: max(fast.count, 1))
        defer { fastValues.deinitialize(count: max(fast.count, 1)); fastValues.deallocate() }
        DispatchQueue.concurrentPerform(iterations: fast.count) { k in
            fastValues[k] = summed(fast[k].stat, sources[k], rows: all ? nil : rows, codes: codes, groups: ng)
        }
        var nextFast = 0
        for t in targets {
            let src = s.frame.column(t.source)!
            let values: [Double]
            if weights == nil && summedStats.contains(t.stat) {
                values = fastValues[nextFast]; nextFast += 1
            } else {
                values = compute(t.stat, src.nums, rows: rows, groups: groups(), weights: weights, aweight: aweight)
            }
            var c = Column(name: t.name, type: resultType(t.stat, src.type), values: values)
            c.label = "(\(t.stat)) " + (src.label.isEmpty ? t.source : src.label)
            // Results keep the source's display format (a mean of a %8.0gc price still shows
            // commas); counts are new numbers and keep their own.
            if t.stat != "count" { c.format = src.format }
            if ["min", "max", "first", "last", "firstnm", "lastnm"].contains(t.stat) { c.valueLabel = src.valueLabel }
            cols.append(c)
        }
        let labels = s.frame.valueLabels
        let dataLabel = s.frame.label
        // The old observations (the whole dataset) are released on another thread: freeing
        // gigabytes is the kernel unmapping pages, which need not hold up the next command.
        let old = s.frame.columns
        s.frame.replaceContents(with: Frame(columns: cols))
        DispatchQueue.global().async { withExtendedLifetime(old) {} }
        ManageKeys.dropStaleTimeSettings(s)
        s.frame.valueLabels = labels
        s.frame.label = dataLabel
        s.frame.sortedBy = byVars
        s.frame.changed = true
    }

    /// Statistics that need only each group's sum and count (unweighted).
    static let summedStats: Set<String> = ["mean", "sum", "rawsum", "count"]

    /// Position of each group's first row (codes in 0..<groups, every group present).
    static func firstPositions(_ codes: [Int32], groups: Int) -> [Int] {
        var first = [Int](repeating: -1, count: groups)
        var left = groups
        for (p, g) in codes.enumerated() where first[Int(g)] < 0 {
            first[Int(g)] = p
            left -= 1
            if left == 0 { break }
        }
        return first
    }

    /// An unweighted summed statistic (`summedStats`) of every group in one pass over the rows:
    /// each group's non-missing values are added in row order, as `statistic` adds them, so
    /// the results are the same to the last bit. `rows` nil means every observation in order.
    static func summed(_ stat: String, _ x: [Double], rows: [Int]?, codes: [Int32], groups: Int) -> [Double] {
        var sum = [Double](repeating: 0, count: groups)
        var n = [Int](repeating: 0, count: groups)
        sum.withUnsafeMutableBufferPointer { sp in
            n.withUnsafeMutableBufferPointer { np in
                x.withUnsafeBufferPointer { xp in
                    codes.withUnsafeBufferPointer { cp in
                        for p in 0..<cp.count {
                            let v = xp[rows?[p] ?? p]
                            if v < Missing.dot { let g = Int(cp[p]); sp[g] += v; np[g] += 1 }
                        }
                    }
                }
            }
        }
        switch stat {
        case "count": return n.map(Double.init)
        case "mean": return (0..<groups).map { n[$0] == 0 ? Missing.dot : sum[$0] / Double(n[$0]) }
        default: return sum
        }
    }

    /// The storage type collapse gives a statistic of a source of type `t`.
    static func resultType(_ stat: String, _ t: StorageType) -> StorageType {
        switch stat {
        case "count": return .long
        case "sum", "rawsum": return .double
        case "min", "max", "first", "last", "firstnm", "lastnm": return t
        default: return t == .double ? .double : .float
        }
    }

    /// One statistic for every group. `weights` (by position in `rows`) are normalised per group
    /// for aweights, as collapse does.
    static func compute(_ stat: String, _ x: [Double], rows: [Int], groups: ManageKeys.Groups,
                        weights: [Double]?, aweight: Bool) -> [Double] {
        var out = [Double](repeating: Missing.dot, count: groups.count)
        var vals: [(Double, Double)] = []
        for g in 0..<groups.count {
            let members = groups.members(g)
            switch stat {
            case "first": out[g] = x[rows[members.first!]]; continue
            case "last": out[g] = x[rows[members.last!]]; continue
            case "firstnm": out[g] = members.lazy.map { x[rows[$0]] }.first { !Missing.isMissing($0) } ?? Missing.dot; continue
            case "lastnm": out[g] = members.reversed().lazy.map { x[rows[$0]] }.first { !Missing.isMissing($0) } ?? Missing.dot; continue
            default: break
            }
            vals.removeAll(keepingCapacity: true)
            for p in members where !Missing.isMissing(x[rows[p]]) { vals.append((x[rows[p]], weights?[p] ?? 1)) }
            out[g] = statistic(stat, &vals, weighted: weights != nil, aweight: aweight)
        }
        return out
    }

    /// A statistic of (value, weight) pairs with missing values already removed.
    static func statistic(_ stat: String, _ v: inout [(Double, Double)], weighted: Bool, aweight: Bool) -> Double {
        let n = Double(v.count)
        var sw = 0.0, swx = 0.0, sx = 0.0
        for (x, w) in v { sw += w; swx += w * x; sx += x }
        switch stat {
        case "count": return aweight ? n : sw
        case "rawsum": return sx
        case "sum": return aweight && sw > 0 ? swx * n / sw : swx
        default: break
        }
        if v.isEmpty { return Missing.dot }
        let mean = swx / sw
        switch stat {
        case "mean": return mean
        case "min": return v.map(\.0).min()!
        case "max": return v.map(\.0).max()!
        case "sd", "semean":
            // aweights are rescaled to sum to n; fweights count as that many observations.
            let obs = aweight ? n : sw
            var ss = 0.0
            for (x, w) in v { ss += (aweight ? w * n / sw : w) * (x - mean) * (x - mean) }
            guard obs > 1 else { return Missing.dot }
            let sd = (ss / (obs - 1)).squareRoot()
            return stat == "sd" ? sd : sd / obs.squareRoot()
        case "sebinomial":
            let obs = aweight ? n : sw
            guard mean >= 0 && mean <= 1 else { return Missing.dot }
            return (mean * (1 - mean) / obs).squareRoot()
        case "sepoisson":
            let obs = aweight ? n : sw
            return mean >= 0 ? (mean / obs).squareRoot() : Missing.dot
        case "median": return percentile(&v, 50, total: sw)
        case "iqr": return percentile(&v, 75, total: sw) - percentile(&v, 25, total: sw)
        default:
            return percentile(&v, Double(stat.dropFirst())!, total: sw)
        }
    }

    /// Stata's percentile rule (as `summarize, detail` and `_pctile`): with cumulative weight W_i
    /// over sorted values and P = W·p/100, the first x_i with W_i > P, averaging with the next
    /// value when W_i equals P exactly.
    static func percentile(_ v: inout [(Double, Double)], _ p: Double, total: Double) -> Double {
        v.sort { $0.0 < $1.0 }
        let target = total * p / 100
        var cum = 0.0
        for i in v.indices {
            cum += v[i].1
            if cum > target { return v[i].0 }
            if cum == target { return i + 1 < v.count ? (v[i].0 + v[i + 1].0) / 2 : v[i].0 }
        }
        return v[v.count - 1].0
    }
}
