// tabulate var1 [var2] [if] [in] [weight] [, missing nolabel row column cell expected chi2 nofreq]
// and tab1 varlist.
//
// Parse → count (levels coded once, one pass over the sample) → post r() → display. One-way:
// `Freq. Percent Cum.` with a stub at least 11 wide. Two-way: cells of 11 columns (`%9.0gc`
// frequencies, `%9.2f` percentages), a Total column and row, a Key box when a cell holds more
// than the frequency, and Pearson's chi2 with its p-value.

import DidFrame
import Foundation

enum Tabulate {
    static let options = [OptionSpec("missing", min: 1), OptionSpec("nolabel", min: 3), OptionSpec("row", min: 1),
                          OptionSpec("column", min: 2), OptionSpec("cell", min: 2), OptionSpec("expected", min: 3),
                          OptionSpec("chi2", min: 2), OptionSpec("nofreq", min: 3), OptionSpec("nokey"), OptionSpec("key"),
                          OptionSpec("sort"), OptionSpec("wrap", min: 1),
                          OptionSpec("matcell", .required), OptionSpec("matrow", .required), OptionSpec("matcol", .required)]

    /// The distinct values of one variable over the sample, sorted as Stata sorts them.
    struct Levels {
        /// Level index of each sample row.
        var code: [Int]
        /// Display text of each level.
        var text: [String]
        /// Numeric value of each level (missing for string variables).
        var value: [Double]
    }

    /// tabulate: one or two variables.
    static func run(_ call: CommandCall, _ s: Session) throws {
        let vars = try s.varlist(call.head)
        guard vars.count <= 2 else { throw StataError(103, "too many variables specified") }
        try tabulate(vars, call, s)
    }

    /// tab1: a one-way table for each variable.
    static func runTab1(_ call: CommandCall, _ s: Session) throws {
        for v in try s.varlist(call.head) {
            s.line()
            // tab1 echoes the variable and the if/in text, each after one space.
            s.line("-> tabulation of \(v) " + (call.ifExp.map { "if " + $0 } ?? "") + " " + (call.inRange.map { "in " + $0 } ?? ""))
            try tabulate([v], call, s)
        }
    }

    static func tabulate(_ vars: [String], _ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: options)
        let weight = try WeightSpec.parse(call, s, allowed: [.fweight, .aweight, .iweight], defaultKind: .fweight, command: "tabulate")
        var rows = try s.sampleRows(call)
        if let w = weight { rows = try w.filter(rows) }
        let cols = vars.map { s.frame.column($0)! }
        if !o.has("missing") {
            rows = rows.filter { r in cols.allSatisfy { c in c.isString ? !c.strs[r].isEmpty : !Missing.isMissing(c.nums[r]) } }
        }
        let weights = weightsFor(rows, weight)
        let levels = cols.map { levelsOf($0, rows: rows, frame: s.frame, labels: !o.has("nolabel")) }
        guard !rows.isEmpty else {
            s.rResults = StoredResults(); s.rResults.set("N", 0); s.rResults.set("r", 0)
            if vars.count == 2 { s.rResults.set("c", 0) }
            s.line("no observations")
            return
        }
        let title = { (c: Column) in c.label.isEmpty ? c.name : c.label }
        if vars.count == 1 {
            var freq = [Double](repeating: 0, count: levels[0].text.count)
            for (k, code) in levels[0].code.enumerated() { freq[code] += weights[k] }
            let total = freq.reduce(0, +)
            var r = StoredResults()
            r.set("N", total); r.set("r", Double(freq.count))
            s.rResults = r
            var order = Array(freq.indices)
            // `sort`: descending frequency, ties in value order.
            if o.has("sort") { order.sort { freq[$0] > freq[$1] || (freq[$0] == freq[$1] && $0 < $1) } }
            try saveMatrices(o, s, cells: order.map { [freq[$0]] }, rows: order.map { levels[0].value[$0] }, cols: [])
            oneWay(title(cols[0]), order.map { levels[0].text[$0] }, order.map { freq[$0] }, total, s)
            return
        }
        let nr = levels[0].text.count, nc = levels[1].text.count
        var table = [[Double]](repeating: [Double](repeating: 0, count: nc), count: nr)
        for k in rows.indices { table[levels[0].code[k]][levels[1].code[k]] += weights[k] }
        let twoWay = TwoWayTable(rowTitle: title(cols[0]), colTitle: title(cols[1]), rowText: levels[0].text,
                                 colText: levels[1].text, freq: table)
        try saveMatrices(o, s, cells: table, rows: levels[0].value, cols: levels[1].value)
        var r = StoredResults()
        r.set("N", twoWay.total); r.set("r", Double(nr)); r.set("c", Double(nc))
        let (chi2, df) = twoWay.pearson()
        let p = ChiSquared.tail(df: Double(df), chi2)
        if o.has("chi2") { r.set("chi2", chi2); r.set("p", p) }
        s.rResults = r
        var stats: [TwoWayTable.Stat] = []
        if !o.has("nofreq") { stats.append(.freq) }
        if o.has("expected") { stats.append(.expected) }
        if o.has("row") { stats.append(.row) }
        if o.has("column") { stats.append(.column) }
        if o.has("cell") { stats.append(.cell) }
        twoWay.display(stats: stats, key: !o.has("nokey"), s)
        if o.has("chi2") {
            s.line()
            let lead = OutText.spaces(10 - (String(df).count - 1))
            s.line(lead + "Pearson chi2(\(df)) = " + OutText.right(String(format: "%.4f", chi2), 8) + "   Pr = " + String(format: "%5.3f", p))
        }
    }

    /// matcell(), matrow(), matcol(): the frequencies and the row/column values as matrices
    /// (a string variable's values are saved as missing).
    static func saveMatrices(_ o: Options, _ s: Session, cells: [[Double]], rows: [Double], cols: [Double]) throws {
        if let name = o.string("matcell") {
            let nc = cells.first?.count ?? 0
            var m = NamedMatrix(rows: cells.count, cols: nc)
            for i in cells.indices { for j in 0..<nc { m[i, j] = cells[i][j] } }
            s.matrices[name] = m
        }
        for (opt, values, asRow) in [("matrow", rows, false), ("matcol", cols, true)] {
            guard let name = o.string(opt) else { continue }
            var m = NamedMatrix(rows: asRow ? 1 : values.count, cols: asRow ? values.count : 1)
            for (k, v) in values.enumerated() { m.data[k] = v }
            s.matrices[name] = m
        }
    }

    /// Per-row weights: 1 without weights, aweights rescaled to sum to the number of rows.
    static func weightsFor(_ rows: [Int], _ w: WeightSpec?) -> [Double] {
        guard let w = w else { return [Double](repeating: 1, count: rows.count) }
        var v = rows.map { w.values[$0] }
        if w.kind == .aweight {
            let sum = v.reduce(0, +)
            v = v.map { $0 * Double(rows.count) / sum }
        }
        return v
    }

    /// Codes the values of `c` over `rows`: levels sorted (numbers ascending with missing last,
    /// strings bytewise), shown with value labels unless `labels` is false.
    static func levelsOf(_ c: Column, rows: [Int], frame: Frame, labels: Bool) -> Levels {
        if c.isString {
            let distinct = Array(Set(rows.map { c.strs[$0] })).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            let index = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
            return Levels(code: rows.map { index[c.strs[$0]]! }, text: distinct, value: distinct.map { _ in Missing.dot })
        }
        let distinct = Array(Set(rows.map { c.nums[$0].bitPattern })).map { Double(bitPattern: $0) }.sorted()
        var index: [UInt64: Int] = [:]
        for (k, v) in distinct.enumerated() { index[v.bitPattern] = k }
        let set = labels ? c.valueLabel.flatMap { frame.valueLabels[$0] } : nil
        let text = distinct.map { v -> String in
            if let set = set, !Missing.isMissing(v), v == v.rounded(), let t = set.mapping[Int(v)] { return t }
            return OutText.num(v, c.format)
        }
        return Levels(code: rows.map { index[c.nums[$0].bitPattern]! }, text: text, value: distinct)
    }

    /// One-way table.
    static func oneWay(_ title: String, _ text: [String], _ freq: [Double], _ total: Double, _ s: Session) {
        let w = max(11, text.reduce(0) { max($0, $1.count) })
        let titleLines = OutText.wrap(title, w)
        s.line()
        for (k, t) in titleLines.enumerated() {
            let head = OutText.right(t, w) + " |"
            s.line(k == titleLines.count - 1 ? head + "      Freq.     Percent        Cum." : head)
        }
        let rule = OutText.dashes(w + 1) + "+" + OutText.dashes(35)
        s.line(rule)
        var cum = 0.0
        for (k, f) in freq.enumerated() {
            cum += f
            let pct = String(format: "%.2f", 100 * f / total), cpct = String(format: "%.2f", 100 * cum / total)
            s.line(OutText.right(text[k], w) + " |" + OutText.count(f, width: 11) + OutText.right(pct, 12) + OutText.right(cpct, 12))
        }
        s.line(rule)
        s.line(OutText.right("Total", w) + " |" + OutText.count(total, width: 11) + "      100.00")
    }
}
