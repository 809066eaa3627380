// A two-way frequency table and its Stata layout.
//
// Dimensions: nr row levels × nc column levels; `freq[i][j]` is the (weighted) count. The stub
// is at least 10 wide; each column cell is 11 wide (` %9s` for the first, `  %9s` after); the
// Total column follows ` |`. Column titles are centred over the cells (leading spaces =
// (width - length + 1) / 2) and word-wrapped to that width; the row title is wrapped to the stub
// and its last line sits on the line of column values.

import DidFrame
import Foundation

struct TwoWayTable {
    /// What a cell shows, in Stata's order.
    enum Stat { case freq, expected, row, column, cell }

    let rowTitle: String
    let colTitle: String
    let rowText: [String]
    let colText: [String]
    let freq: [[Double]]
    /// Margins, computed once (every cell's percentages need them).
    let rowTotals: [Double]
    let colTotals: [Double]
    let total: Double

    init(rowTitle: String, colTitle: String, rowText: [String], colText: [String], freq: [[Double]]) {
        self.rowTitle = rowTitle; self.colTitle = colTitle
        self.rowText = rowText; self.colText = colText; self.freq = freq
        rowTotals = freq.map { $0.reduce(0, +) }
        var ct = [Double](repeating: 0, count: colText.count)
        for row in freq { for j in row.indices { ct[j] += row[j] } }
        colTotals = ct
        total = rowTotals.reduce(0, +)
    }

    /// Pearson's chi2 over all cells and its degrees of freedom (r-1)(c-1).
    func pearson() -> (Double, Int) {
        let rt = rowTotals, ct = colTotals, n = total
        var chi2 = 0.0
        for i in rt.indices {
            for j in ct.indices {
                let e = rt[i] * ct[j] / n
                if e > 0 { chi2 += (freq[i][j] - e) * (freq[i][j] - e) / e }
            }
        }
        return (chi2, (rt.count - 1) * (ct.count - 1))
    }

    /// The text of one statistic for cell (i, j); `nil` indices mean the Total row/column.
    func text(_ stat: Stat, _ i: Int?, _ j: Int?) -> String {
        let rt = rowTotals, ct = colTotals, n = total
        let f: Double = {
            switch (i, j) {
            case let (i?, j?): return freq[i][j]
            case let (i?, nil): return rt[i]
            case let (nil, j?): return ct[j]
            default: return n
            }
        }()
        let r = i.map { rt[$0] } ?? n
        let c = j.map { ct[$0] } ?? n
        switch stat {
        case .freq: return OutText.count(f, width: 9)
        case .expected: return OutText.right(String(format: "%.1f", r * c / n), 9)
        case .row: return OutText.right(String(format: "%.2f", 100 * f / r), 9)
        case .column: return OutText.right(String(format: "%.2f", 100 * f / c), 9)
        case .cell: return OutText.right(String(format: "%.2f", 100 * f / n), 9)
        }
    }

    static func keyLine(_ stat: Stat) -> String {
        switch stat {
        case .freq: return "frequency"
        case .expected: return "expected frequency"
        case .row: return "row percentage"
        case .column: return "column percentage"
        case .cell: return "cell percentage"
        }
    }

    /// Writes the table.
    func display(stats: [Stat], key: Bool, _ s: Session) {
        let w = max(10, rowText.reduce(0) { max($0, $1.count) })
        let cw = 11 * colText.count
        if key && stats != [.freq] && !stats.isEmpty {
            let lines = stats.map(Self.keyLine)
            let inner = lines.reduce(3) { max($0, $1.count) } + 2
            s.line()
            s.line("+" + OutText.dashes(inner) + "+")
            s.line("| " + OutText.left("Key", inner - 1) + "|")
            s.line("|" + OutText.dashes(inner) + "|")
            for l in lines {
                let lead = (inner - l.count) / 2
                s.line("|" + OutText.spaces(lead) + l + OutText.spaces(inner - lead - l.count) + "|")
            }
            s.line("+" + OutText.dashes(inner) + "+")
        }
        // Header: row title lines on the left, column title lines above the column values.
        let rowLines = OutText.wrap(rowTitle, w)
        let colLines = OutText.wrap(colTitle, cw)
        let height = max(rowLines.count, colLines.count + 1)
        s.line()
        for k in 0..<height {
            let ri = k - (height - rowLines.count)
            let stub = OutText.right(ri >= 0 ? rowLines[ri] : "", w) + " |"
            if k == height - 1 {
                let heads = colText.enumerated().map { (j, t) in (j == 0 ? " " : "  ") + OutText.right(String(t.prefix(9)), 9) }
                s.line(stub + heads.joined() + " |     Total")
            } else {
                let ci = k - (height - 1 - colLines.count)
                if ci >= 0 {
                    let t = colLines[ci]
                    s.line(stub + OutText.spaces((cw - t.count + 1) / 2) + t)
                } else {
                    s.line(stub)
                }
            }
        }
        let rule = OutText.dashes(w + 1) + "+" + OutText.dashes(cw) + "+" + OutText.dashes(10)
        s.line(rule)
        let blockRules = stats.count > 1
        for i in rowText.indices {
            if blockRules && i > 0 { s.line(rule) }
            block(stats, i, label: OutText.right(rowText[i], w), w: w, s)
        }
        s.line(rule)
        block(stats, nil, label: OutText.right("Total", w), w: w, s)
    }

    /// The lines of one row (or the Total row): one line per statistic.
    private func block(_ stats: [Stat], _ i: Int?, label: String, w: Int, _ s: Session) {
        for (k, st) in stats.enumerated() {
            let stub = k == 0 ? label : OutText.spaces(w)
            let cells = colText.indices.map { j in (j == 0 ? " " : "  ") + text(st, i, j) }
            s.line(stub + " |" + cells.joined() + " | " + text(st, i, nil) + " ")
        }
    }
}
