// tabstat's table, laid out as tabstat.ado 2.9.1 does. The stub holds the group label (by())
// and, in the long stub (no by(), `longstub` or `varwidth()`), the statistic name (8 columns)
// or the variable name (varwidth columns). Each cell is 10 columns: the value in its display
// format (%9.0g by default), right-aligned. Groups are separated by a rule when they have
// several rows; the Total always is. Columns that do not fit 80 characters go to further
// blocks. With by() and a short stub, a heading names the statistics (or variables) and the
// grouping variable, since the table does not show them.

import DidFrame
import Foundation

extension Tabstat {
    /// How one tabstat table is laid out; `display` reads only the computed blocks.
    struct Layout {
        var stats: [Stat]
        var vars: [String]
        var by: Column?
        var colStats: Bool
        var fmtArg: String?
        var useVarFormat: Bool
        var separators: Bool
        var longStub: Bool
        var labelWidth: Int
        var varWidth: Int

        func display(blocks: [Block], total: Block?, _ s: Session) {
            let all = blocks + (total.map { [$0] } ?? [])
            let byw = by.map { byWidth($0, total: total != nil, s) } ?? 0
            let lleft = (by != nil ? 1 + byw : 0) + (longStub ? (colStats ? varWidth + 1 : 9) : 0)
            let headers = colStats ? stats.map(\.key) : vars.map { OutText.abbrev($0, 8) }
            if let b = by, !longStub {
                s.line()
                s.line(colStats ? "Summary for variables: " + vars.joined(separator: " ")
                                : "Summary statistics: " + stats.map(\.key).joined(separator: ", "))
                let lbl = b.label.isEmpty ? "" : "(\(b.label))"
                s.line((colStats ? "     " : "  ") + "by categories of: \(b.name) \(lbl)")
            }
            s.line()
            // The group label is left-aligned when a second stub column follows it.
            func byCell(_ t: String) -> String {
                let cut = String(t.prefix(byw))
                return (longStub ? OutText.left(cut, byw) : OutText.right(cut, byw)) + " "
            }
            let perBlock = max(1, (80 - (lleft + 1)) / 10)
            let sepline = separators && (colStats ? vars.count > 1 : stats.count > 1)
            var start = 0
            while start < headers.count {
                let end = min(headers.count, start + perBlock)
                if start > 0 { s.line() }
                var head = by.map { byCell(OutText.abbrev($0.name, byw)) } ?? ""
                if longStub { head += colStats ? OutText.right("variable", varWidth) + " " : "   stats " }
                s.line(head + "|" + headers[start..<end].map { OutText.right($0, 10) }.joined())
                let ndash = 10 * (end - start)
                s.line(OutText.dashes(lleft) + "+" + OutText.dashes(ndash))
                for (k, b) in all.enumerated() {
                    let rowCount = colStats ? vars.count : stats.count
                    for i in 0..<rowCount {
                        var line = by == nil ? "" : (i == 0 ? byCell(b.label) : OutText.spaces(byw + 1))
                        if longStub {
                            line += colStats ? OutText.right(OutText.abbrev(vars[i], varWidth), varWidth) + " "
                                             : OutText.right(stats[i].key, 8) + " "
                        }
                        let cells = (start..<end).map { c -> String in
                            colStats ? cell(b.values[c][i], variable: vars[i], s) : cell(b.values[i][c], variable: vars[c], s)
                        }
                        s.line(line + "|" + cells.joined())
                    }
                    if k == all.count - 1 {
                        s.line(OutText.dashes(lleft + 1 + ndash))
                    } else if sepline || (k + 1 == all.count - 1 && total != nil) {
                        s.line(OutText.dashes(lleft) + "+" + OutText.dashes(ndash))
                    }
                }
                start = end
            }
        }

        /// Width of the group-label column: the value label's longest text (at most
        /// labelwidth) or 8; a string variable's width (at most labelwidth); never narrower than
        /// the variable's name, and at least 6 when "Total" is shown.
        func byWidth(_ b: Column, total: Bool, _ s: Session) -> Int {
            var w: Int
            if b.isString {
                if case .str(let n) = b.type { w = min(n, labelWidth) } else { w = labelWidth }
            } else if let vl = b.valueLabel, let set = s.frame.valueLabels[vl], !set.mapping.isEmpty {
                w = min(labelWidth, set.mapping.values.map(\.count).max() ?? 8)
            } else {
                w = 8
            }
            w = max(b.name.count, w)
            return total ? max(w, 6) : w
        }

        /// A value displayed in the table's format (format(%fmt), the variable's own for bare
        /// `format`, else %9.0g), right-aligned in 10 columns.
        func cell(_ x: Double, variable: String, _ s: Session) -> String {
            let f = fmtArg ?? (useVarFormat ? (s.frame.column(variable)?.format ?? "%9.0g") : "%9.0g")
            let text = (try? Fmt.format(x, f)) ?? OutText.num(x)
            return OutText.right(text, 10)
        }
    }
}
