// list [varlist] [if] [in] [, noobs clean separator(#) abbreviate(#) nolabel]
//
// Stata's boxed table: each column is as wide as its widest shown value or its (abbreviated)
// name, columns three spaces apart inside `| … |`, a `|---|` rule after every 5 observations,
// observation numbers in a right-aligned margin. Strings are left-aligned, numbers (and their
// value labels) right-aligned. `clean` drops the box and rules; `noobs` the numbers.

import DidFrame
import Foundation

enum ListCommand {
    static let options = [OptionSpec("noobs"), OptionSpec("clean"), OptionSpec("separator", min: 3, .required),
                          OptionSpec("abbreviate", min: 2, .required), OptionSpec("nolabel"), OptionSpec("table"),
                          OptionSpec("sepby", .required), OptionSpec("string", min: 3, .required)]

    struct ListColumn {
        var header: String
        var cells: [String]
        var width: Int
        var leftAligned: Bool
        func cell(_ k: Int) -> String { pad(cells[k]) }
        func pad(_ t: String) -> String { leftAligned ? OutText.left(t, width) : OutText.right(t, width) }
    }

    /// list: the command body.
    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: options)
        let vars = call.head.isEmpty ? s.frame.columns.map(\.name) : try s.varlist(call.head)
        let rows = try s.sampleRows(call)
        guard !rows.isEmpty else { return }
        let ab = try OutText.integer(try o.number("abbreviate"), "abbreviate", default: 8)
        guard ab >= 1 else { throw StataError(198, "abbreviate() must be positive") }
        let sep = try OutText.integer(try o.number("separator"), "separator", default: 5)
        let labels = !o.has("nolabel")
        let columns = vars.map { v -> ListColumn in
            let c = s.frame.column(v)!
            let cells = rows.map { ValueText.display(c, row: $0, frame: s.frame, useLabels: labels) }
            let valueWidth = cells.reduce(0) { max($0, $1.count) }
            let room = max(ab, valueWidth)
            let header = c.name.count <= room ? c.name : OutText.abbrev(c.name, room)
            return ListColumn(header: header, cells: cells, width: max(header.count, valueWidth), leftAligned: c.isString)
        }
        render(columns, rows: rows, noobs: o.has("noobs"), clean: o.has("clean"), separator: sep, s)
    }

    static func render(_ cols: [ListColumn], rows: [Int], noobs: Bool, clean: Bool, separator: Int, _ s: Session) {
        let digits = max(3, String(rows.last! + 1).count)
        let margin = noobs ? "  " : OutText.spaces(digits + 2)
        let inner = cols.reduce(0) { $0 + $1.width } + 3 * (cols.count - 1) + 2
        let bar = clean ? " " : "|"
        func body(_ texts: [String]) -> String { bar + " " + texts.joined(separator: "   ") + " " + bar }
        s.line()
        if !clean { s.line(margin + "+" + OutText.dashes(inner) + "+") }
        s.line(margin + body(cols.map { $0.pad($0.header) }))
        if !clean { s.line(margin + "|" + OutText.dashes(inner) + "|") }
        for k in rows.indices {
            if !clean && separator > 0 && k > 0 && k % separator == 0 {
                s.line(margin + "|" + OutText.dashes(inner) + "|")
            }
            let obs = noobs ? margin : OutText.right("\(rows[k] + 1).", digits + 1) + " "
            s.line(obs + body(cols.map { $0.cell(k) }))
        }
        if !clean { s.line(margin + "+" + OutText.dashes(inner) + "+") }
    }
}
