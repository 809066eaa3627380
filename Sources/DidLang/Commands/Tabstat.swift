// tabstat varlist [if] [in] [weight] [, statistics(names) by(var) columns(variables|statistics)
//                                       format[(%fmt)] casewise nototal missing noseparator
//                                       longstub save labelwidth(#) varwidth(#)]
//
// Parse → compute (one SummaryStats per group and variable, over the variable's own
// non-missing observations unless `casewise`) → post r() when `save` → display. Statistics
// follow summarize's definitions (OutputStats.swift): sd and variance with n − 1, skewness and
// kurtosis from the moments, percentiles by summarize's rule, cv = sd / mean, se(mean) =
// sd / √N, range = max − min, iqr = p75 − p25. Statistic names, the sample rules (observations
// with a missing by-value are dropped unless `missing`; no observations is r(2000)) and the
// layout follow tabstat.ado 2.9.1: a single variable puts the statistics in columns; by()
// without longstub prints a "Summary …" heading.

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

    /// A requested statistic: its name, used in r() matrices and the table.
    struct Stat: Equatable { var key: String }

    /// `word` abbreviates `full` to at least `min` letters.
    static func abbreviates(_ word: String, _ full: String, _ min: Int) -> Bool {
        word.count >= min && word.count <= full.count && full.hasPrefix(word)
    }

    /// Parses `statistics()` with tabstat's names and abbreviations; `q` is p25 p50 p75,
    /// `median` is p50, `count` is N; unknown names are r(198).
    static func parseStats(_ text: String?) throws -> [Stat] {
        guard let text = text else { return [Stat(key: "mean")] }
        let names: [(String, Int, [String])] = [
            ("n", 1, ["N"]), ("count", 2, ["N"]), ("mean", 2, ["mean"]), ("sd", 2, ["sd"]), ("variance", 1, ["variance"]),
            ("sum", 2, ["sum"]), ("min", 2, ["min"]), ("max", 2, ["max"]), ("range", 1, ["range"]),
            ("skewness", 2, ["skewness"]), ("kurtosis", 1, ["kurtosis"]), ("sdmean", 3, ["se(mean)"]),
            ("semean", 3, ["se(mean)"]), ("iqr", 3, ["iqr"]), ("q", 1, ["p25", "p50", "p75"]), ("median", 3, ["p50"]),
            ("cv", 2, ["cv"])] + [1, 5, 10, 25, 50, 75, 90, 95, 99].map { ("p\($0)", "p\($0)".count, ["p\($0)"]) }
        var out: [Stat] = []
        for w in Tokenizer.words(text.replacingOccurrences(of: ",", with: " ")) {
            let lw = w.lowercased()
            guard let hit = names.first(where: { abbreviates(lw, $0.0, $0.1) }) else {
                throw StataError(198, "unknown statistic: \(w)")
            }
            out += hit.2.map { Stat(key: $0) }
        }
        guard !out.isEmpty else { return [Stat(key: "mean")] }
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
        default: return pct(Int(stat.key.dropFirst()) ?? 50)
        }
    }

    /// One row of results: a group (or the total) with a value per statistic and variable.
    struct Block { var label: String; var values: [[Double]] }   // values[stat][variable]

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        if o.has("statistics") && o.has("stats") { throw StataError(198, "options statistics() and stats() may not be specified together") }
        let stats = try parseStats(o.string("statistics") ?? o.string("stats"))
        let vars = try s.varlist(call.head)
        for v in vars where s.frame.column(v)!.isString { throw StataError(109, "\(v) is a string variable; type mismatch") }
        if o.has("nototal") && o.string("by") == nil { s.line("nothing to display"); return }
        let colsText = (o.string("columns") ?? "").lowercased()
        let colStats: Bool
        if colsText.isEmpty { colStats = vars.count == 1 }
        else if "statistics".hasPrefix(colsText) || colsText == "stats" { colStats = true }
        else if "variables".hasPrefix(colsText) { colStats = false }
        else { throw StataError(198, "option columns(\(colsText)) invalid -- specify columns(variables) or columns(statistics)") }
        let fmtArg = o.string("format")
        if let f = fmtArg, DisplayFormat.Spec(f) == nil { throw StataError(120, "invalid %fmt in option format(): \(f)") }
        let varWidth = try width(o, "varwidth", s)
        let labelWidth = try width(o, "labelwidth", s)
        let weight = try WeightSpec.parse(call, s, allowed: [.aweight, .fweight], defaultKind: .aweight, command: "tabstat")
        var rows = try s.sampleRows(call)
        if let w = weight { rows = try w.filter(rows) }
        if o.has("casewise") {
            let cols = vars.map { s.frame.column($0)!.nums }
            rows = rows.filter { r in cols.allSatisfy { !Missing.isMissing($0[r]) } }
        }
        var byColumn: Column? = nil
        if let by = o.string("by") {
            let bv = try s.varlist(by)
            guard bv.count == 1 else { throw StataError(103, "too many variables specified") }
            let bc = s.frame.column(bv[0])!
            // The Total covers the same observations as the groups.
            if !o.has("missing") { rows = rows.filter { bc.isString ? !bc.strs[$0].isEmpty : !Missing.isMissing(bc.nums[$0]) } }
            byColumn = bc
        }
        guard !rows.isEmpty else { throw StataError.noObservations() }
        var blocks: [Block] = []
        if let bc = byColumn {
            for (label, groupRows) in groups(bc, rows, missing: true, s) {
                blocks.append(Block(label: label, values: compute(stats, vars, groupRows, weight, s)))
            }
        }
        let showTotal = !o.has("nototal")
        let total = showTotal ? Block(label: "Total", values: compute(stats, vars, rows, weight, s)) : nil
        if o.has("save") { post(stats, vars, blocks, total, s) }
        let layout = Layout(stats: stats, vars: vars, by: byColumn, colStats: colStats, fmtArg: fmtArg,
                            useVarFormat: o.has("format") && fmtArg == nil, separators: !o.has("noseparator"),
                            longStub: o.has("longstub") || byColumn == nil || o.has("varwidth"),
                            labelWidth: labelWidth, varWidth: varWidth)
        layout.display(blocks: blocks, total: total, s)
    }

    /// varwidth() / labelwidth(): default 12 / 16, clipped to 8…32 with a note, as tabstat does.
    static func width(_ o: Options, _ name: String, _ s: Session) throws -> Int {
        let d = name == "varwidth" ? 12 : 16
        let w = try OutText.integer(try o.number(name), name, default: d)
        guard w < 8 || w > 32 else { return w }
        let clipped = min(32, max(8, w))
        s.line("(option \(name)() outside valid range 8..32; \(clipped) assumed)")
        return clipped
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
