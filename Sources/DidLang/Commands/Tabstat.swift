// tabstat varlist [if] [in] [weight] [, statistics(names) by(var) columns(variables|statistics)
//                                       format[(%fmt)] casewise nototal missing noseparator save
//                                       labelwidth(#) varwidth(#)]
//
// Parse → compute (one SummaryStats per group and variable, over the variable's own
// non-missing observations unless `casewise`) → post r() when `save` → display. Statistics
// follow summarize's definitions (OutputStats.swift): sd and variance with n − 1, skewness and
// kurtosis from the moments, percentiles by summarize's rule, cv = sd / mean, semean =
// sd / √N, range = max − min, iqr = p75 − p25. The table has a stub column (statistics, groups
// or variables) and 10-column cells in `%9.0g`; wide tables are split into blocks that fit 80
// columns.

import DidFrame
import Foundation

/// The tabstat command.
enum Tabstat {
    static let specs = [OptionSpec("statistics", min: 1, .required), OptionSpec("stats", min: 5, .required),
                        OptionSpec("by", .required), OptionSpec("columns", min: 1, .required),
                        OptionSpec("format", min: 1, .optional), OptionSpec("casewise", min: 4), OptionSpec("nototal", min: 4),
                        OptionSpec("missing", min: 1), OptionSpec("noseparator", min: 6), OptionSpec("longstub", min: 5),
                        OptionSpec("save"), OptionSpec("labelwidth", min: 3, .required), OptionSpec("varwidth", min: 4, .required)]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("tabstat", options: specs) { call, s in try run(call, s) })
    }

    /// A requested statistic: its name in r() matrices and its table label.
    struct Stat: Equatable { var key: String; var label: String }

    /// Parses `statistics()`: names, their abbreviations, `p#` and `q` (= p25 p50 p75).
    static func parseStats(_ text: String?) throws -> [Stat] {
        guard let text = text else { return [Stat(key: "mean", label: "Mean")] }
        var out: [Stat] = []
        for w in Tokenizer.words(text) {
            let lw = w.lowercased()
            let stats: [Stat]
            switch lw {
            case "mean", "me", "mea": stats = [Stat(key: "mean", label: "Mean")]
            case "n", "count", "co", "cou", "coun": stats = [Stat(key: "N", label: "N")]
            case "sum", "su": stats = [Stat(key: "sum", label: "Sum")]
            case "max", "ma": stats = [Stat(key: "max", label: "Max")]
            case "min", "mi": stats = [Stat(key: "min", label: "Min")]
            case "range", "r", "ra", "ran", "rang": stats = [Stat(key: "range", label: "Range")]
            case "sd": stats = [Stat(key: "sd", label: "SD")]
            case "variance", "v", "var", "vari", "varia", "varian", "varianc": stats = [Stat(key: "variance", label: "Variance")]
            case "cv": stats = [Stat(key: "cv", label: "CV")]
            case "semean", "sem", "sem", "seme", "semea": stats = [Stat(key: "se(mean)", label: "SE(mean)")]
            case "skewness", "sk", "ske", "skew", "skewn", "skewne", "skewnes": stats = [Stat(key: "skewness", label: "Skewness")]
            case "kurtosis", "k", "ku", "kur", "kurt", "kurto", "kurtos", "kurtosi": stats = [Stat(key: "kurtosis", label: "Kurtosis")]
            case "median", "med", "medi", "media": stats = [Stat(key: "p50", label: "p50")]
            case "iqr": stats = [Stat(key: "iqr", label: "IQR")]
            case "q": stats = ["p25", "p50", "p75"].map { Stat(key: $0, label: $0) }
            default:
                guard lw.hasPrefix("p"), let p = Int(lw.dropFirst()), (1...99).contains(p) else {
                    throw StataError(198, "\(w) not allowed in statistics()")
                }
                stats = [Stat(key: "p\(p)", label: "p\(p)")]
            }
            out += stats
        }
        guard !out.isEmpty else { throw StataError(198, "statistics() empty") }
        return out
    }

    /// The value of `stat` for sorted values `x` with weights `w` (same order).
    static func value(_ stat: Stat, _ st: SummaryStats, _ x: [Double], _ w: [Double]?) -> Double {
        let dot = Missing.dot
        func pct(_ p: Int) -> Double {
            guard !x.isEmpty else { return dot }
            if let w = w { return SummaryStats.weightedPercentile(x, w, total: st.sumW, p: Double(p)) }
            return SummaryStats.percentile(x, p: p)
        }
        switch stat.key {
        case "mean": return st.n > 0 ? st.mean : dot
        case "N": return st.N
        case "sum": return st.sum
        case "max": return st.max
        case "min": return st.min
        case "range": return st.n > 0 ? st.max - st.min : dot
        case "sd": return st.sd
        case "variance": return st.variance
        case "cv": return Missing.isMissing(st.sd) || st.mean == 0 ? dot : Missing.clean(st.sd / st.mean)
        case "se(mean)": return Missing.isMissing(st.sd) ? dot : st.sd / st.N.squareRoot()
        case "skewness": return st.skewness
        case "kurtosis": return st.kurtosis
        case "iqr": return x.isEmpty ? dot : pct(75) - pct(25)
        default: return pct(Int(stat.key.dropFirst())!)
        }
    }

    /// One row of results: a group (or the total) with a value per statistic and variable.
    struct Block { var label: String; var values: [[Double]] }   // values[stat][variable]

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        let stats = try parseStats(o.string("statistics") ?? o.string("stats"))
        let vars = try s.varlist(call.head)
        for v in vars where s.frame.column(v)!.isString { throw StataError(109, "\(v) is a string variable; type mismatch") }
        let colsText = (o.string("columns") ?? "variables").lowercased()
        let colStats: Bool
        if "statistics".hasPrefix(colsText) && !colsText.isEmpty { colStats = true }
        else if "variables".hasPrefix(colsText) && !colsText.isEmpty { colStats = false }
        else { throw StataError(198, "columns(\(colsText)) invalid") }
        let fmtArg = o.string("format")
        if let f = fmtArg, DisplayFormat.Spec(f) == nil { throw StataError(120, "invalid %format") }
        let weight = try WeightSpec.parse(call, s, allowed: [.aweight, .fweight], defaultKind: .aweight, command: "tabstat")
        var rows = try s.sampleRows(call)
        if let w = weight { rows = try w.filter(rows) }
        if o.has("casewise") {
            let cols = vars.map { s.frame.column($0)!.nums }
            rows = rows.filter { r in cols.allSatisfy { !Missing.isMissing($0[r]) } }
        }
        var blocks: [Block] = []
        var byName: String? = nil
        if let by = o.string("by") {
            let bv = try s.varlist(by)
            guard bv.count == 1 else { throw StataError(103, "too many variables specified") }
            byName = bv[0]
            let bc = s.frame.column(bv[0])!
            for (label, groupRows) in groups(bc, rows, missing: o.has("missing"), s) {
                blocks.append(Block(label: label, values: compute(stats, vars, groupRows, weight, s)))
            }
        }
        let total = Block(label: "Total", values: compute(stats, vars, rows, weight, s))
        let showTotal = byName == nil || !o.has("nototal")
        if o.has("save") { post(stats, vars, blocks, showTotal ? total : nil, s) }
        let layout = Layout(stats: stats, vars: vars, byName: byName, colStats: colStats, fmtArg: fmtArg,
                            useVarFormat: o.has("format") && fmtArg == nil, separators: !o.has("noseparator"),
                            labelWidth: try OutText.integer(try o.number("labelwidth"), "labelwidth", default: 16),
                            varWidth: try OutText.integer(try o.number("varwidth"), "varwidth", default: 12))
        layout.display(blocks: blocks, total: showTotal ? total : nil, s)
    }

    /// Observations per distinct value of the by-variable, in sorted order, with their labels.
    static func groups(_ c: Column, _ rows: [Int], missing: Bool, _ s: Session) -> [(String, [Int])] {
        let levels = Levelsof.distinct(c, rows: rows, missing: missing)
        if c.isString {
            var idx: [String: Int] = [:]
            for (k, l) in levels.enumerated() { idx[l.text!] = k }
            var members = [[Int]](repeating: [], count: levels.count)
            for r in rows { if let k = idx[c.strs[r]] { members[k].append(r) } }
            return zip(levels, members).map { ($0.0.text!, $0.1) }
        }
        var idx: [Double: Int] = [:]
        for (k, l) in levels.enumerated() { idx[l.number] = k }
        var members = [[Int]](repeating: [], count: levels.count)
        for r in rows { if let k = idx[c.nums[r]] { members[k].append(r) } }
        let mapping = c.valueLabel.flatMap { s.frame.valueLabels[$0]?.mapping }
        return zip(levels, members).map { l, m in
            let x = l.number
            if let t = mapping?[Int(exactly: x) ?? Int.min] { return (t, m) }
            return (Missing.text(x) ?? OutText.num(x, "%9.0g"), m)
        }
    }

    /// values[stat][variable] over `rows`.
    static func compute(_ stats: [Stat], _ vars: [String], _ rows: [Int], _ weight: WeightSpec?, _ s: Session) -> [[Double]] {
        let detail = stats.contains { ["skewness", "kurtosis"].contains($0.key) }
        var perVar: [[Double]] = []
        for v in vars {
            let c = s.frame.column(v)!
            let kept = rows.filter { !Missing.isMissing(c.nums[$0]) }.sorted { c.nums[$0] < c.nums[$1] || (c.nums[$0] == c.nums[$1] && $0 < $1) }
            let x = kept.map { c.nums[$0] }
            let w = weight.map { ws in kept.map { ws.values[$0] } }
            let st = SummaryStats.compute(x, weights: w, kind: weight?.kind, detail: detail)
            perVar.append(stats.map { value($0, st, x, w) })
        }
        return stats.indices.map { k in perVar.map { $0[k] } }
    }

    /// r(StatTotal), r(Stat1) … (statistics × variables) and r(name1) … for `save`.
    static func post(_ stats: [Stat], _ vars: [String], _ blocks: [Block], _ total: Block?, _ s: Session) {
        var r = StoredResults()
        func matrix(_ b: Block) -> NamedMatrix {
            var m = NamedMatrix(rows: stats.count, cols: vars.count, rowNames: stats.map(\.key), colNames: vars)
            for i in stats.indices { for j in vars.indices { m[i, j] = b.values[i][j] } }
            return m
        }
        for (k, b) in blocks.enumerated() {
            r.set("name\(k + 1)", b.label)
            r.set("Stat\(k + 1)", matrix(b))
        }
        if let t = total { r.set("StatTotal", matrix(t)) }
        s.rResults = r
    }
}
