// tabstat's table. The stub column holds statistic labels (no by(), columns(variables)),
// variable names (columns(statistics)) or group labels (by()); each cell is a 10-column field
// with the value right-aligned in `%9.0g` (or the format asked for). Groups with several rows
// are separated by rules; the Total block always is. Columns that do not fit 80 characters go
// to further blocks, each with its own header.

import DidFrame
import Foundation

extension Tabstat {
    /// How one tabstat table is laid out; `display` reads only the computed blocks.
    struct Layout {
        var stats: [Stat]
        var vars: [String]
        var byName: String?
        var colStats: Bool
        var fmtArg: String?
        var useVarFormat: Bool
        var separators: Bool
        var labelWidth: Int
        var varWidth: Int

        /// One printed row: stub text and a value per column.
        struct Row { var stub: String; var cells: [String] }

        func display(blocks: [Block], total: Block?, _ s: Session) {
            let all = blocks + (total.map { [$0] } ?? [])
            let headers = colStats ? stats.map(\.label) : vars.map { OutText.abbrev($0, 8) }
            let multiVarByStats = byName != nil && colStats && vars.count > 1
            let labelW = max(8, min(labelWidth, (all.map(\.label) + [byName ?? ""]).map(\.count).max() ?? 8))
            let sw: Int
            if byName != nil { sw = multiVarByStats ? labelW + 1 + varWidth : labelW } else { sw = colStats ? varWidth : 8 }
            // Rows of each block.
            let blockRows: [[Row]] = all.map { b in rows(of: b, labelW: labelW, multiVar: multiVarByStats, s) }
            s.line()
            if let by = byName {
                if colStats || stats.count == 1 {
                    s.line("Summary for variables: " + vars.joined(separator: ", "))
                } else {
                    s.line("Summary statistics: " + stats.map(\.label).joined(separator: ", "))
                }
                let lbl = s.frame.column(by)?.label ?? ""
                s.line("Group variable: " + by + (lbl.isEmpty ? "" : " (\(lbl))"))
                s.line()
            }
            let stubHeader: String
            if let by = byName {
                stubHeader = multiVarByStats ? OutText.right(OutText.abbrev(by, labelW), labelW) + " " + OutText.right("Variable", varWidth)
                                             : OutText.abbrev(by, sw)
            } else { stubHeader = colStats ? "Variable" : "Stats" }
            let perBlock = max(1, (80 - sw - 2) / 10)
            var start = 0
            while start < headers.count {
                let end = min(headers.count, start + perBlock)
                if start > 0 { s.line() }
                let rule = OutText.dashes(sw + 1) + "+" + OutText.dashes(10 * (end - start))
                s.line(OutText.right(stubHeader, sw) + " |" + headers[start..<end].map { OutText.right($0, 10) }.joined())
                s.line(rule)
                for (k, rowsOfBlock) in blockRows.enumerated() {
                    let isTotal = total != nil && k == all.count - 1
                    if k > 0 && (isTotal || (separators && rowsOfBlock.count > 1)) { s.line(rule) }
                    for row in rowsOfBlock {
                        s.line(OutText.right(row.stub, sw) + " |" + row.cells[start..<end].map { " " + OutText.right($0, 9) }.joined())
                    }
                }
                s.line(OutText.dashes(sw + 2 + 10 * (end - start)))
                start = end
            }
        }

        /// The printed rows of one block (a group or the total, or the whole sample without by()).
        func rows(of b: Block, labelW: Int, multiVar: Bool, _ s: Session) -> [Row] {
            let label = String(b.label.prefix(labelW))
            if colStats {
                return vars.indices.map { j in
                    let stub: String
                    if byName == nil { stub = OutText.abbrev(vars[j], varWidth) }
                    else if multiVar { stub = OutText.right(j == 0 ? label : "", labelW) + " " + OutText.right(OutText.abbrev(vars[j], varWidth), varWidth) }
                    else { stub = label }
                    return Row(stub: stub, cells: stats.indices.map { cell(b.values[$0][j], variable: vars[j], s) })
                }
            }
            return stats.indices.map { i in
                let stub = byName == nil ? stats[i].label : (i == 0 ? label : "")
                return Row(stub: stub, cells: vars.indices.map { cell(b.values[i][$0], variable: vars[$0], s) })
            }
        }

        /// A value in the table's format: format(%fmt), the variable's own (bare `format`), or %9.0g.
        func cell(_ x: Double, variable: String, _ s: Session) -> String {
            let f = fmtArg ?? (useVarFormat ? (s.frame.column(variable)?.format ?? "%9.0g") : "%9.0g")
            return OutText.num(x, f)
        }
    }
}
