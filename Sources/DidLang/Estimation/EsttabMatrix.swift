// esttab/estout tabulating a matrix instead of stored estimates, as estout does:
//   esttab matrix(name[, fmt(fmtlist) transpose]) [using file] [, options]
//   esttab r(name[, subopts])   esttab e(name[, subopts])
// One table row per matrix row, one column per matrix column, headed by the column names.
// fmt(): one format per column, recycled; a quoted list gives the cells of a column one by one,
// its last format serving the remaining cells. A format is a Stata format (%9.3f), estout's
// adaptive a#, or a bare # meaning %9.#f. Default %9.0g (estout's example output shows it).
// This is how balance tables (pstest's r(balance)) and hand-made matrices reach .md/.tex/.csv.

import DidFrame
import Foundation

extension EsttabTable {
    /// The matrix named by `spec` ("name", "r(name)", "e(name)", each with optional ", subopts").
    static func matrixTable(_ spec: String, _ s: Session) throws -> EsttabTable {
        var body = spec.trimmingCharacters(in: .whitespaces), subopts = ""
        var source: Character? = nil
        if let f = body.first, (f == "r" || f == "e"), body.dropFirst().first == "(", body.hasSuffix(")") {
            source = f
            body = String(body.dropFirst(2).dropLast())
        }
        if let comma = body.firstIndex(of: ",") {
            subopts = String(body[body.index(after: comma)...]); body = String(body[..<comma])
        }
        let name = body.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw StataError(198, "matrix name required") }
        var m: NamedMatrix
        switch source {
        case "r": guard let x = s.rResults.matrices[name] else { throw StataError(111, "matrix r(\(name)) not found") }; m = x
        case "e": guard let x = s.eResults.matrices[name] else { throw StataError(111, "matrix e(\(name)) not found") }; m = x
        default: m = try s.matrix(named: name)
        }
        var formats: [[String]] = [["%9.0g"]]
        for o in try CommandCall.parseOptions(subopts) {
            if o.name == "fmt" { formats = try parseFormats(o.argument ?? "") }
            else if "transpose".hasPrefix(o.name) && o.name.count >= 1 { m = transposed(m) }
            else { throw StataError(198, "matrix suboption \(o.name) not allowed") }
        }
        var table = EsttabTable(titles: m.colNames)
        table.showNumbers = false
        table.showTitles = true
        table.isMatrix = true
        for i in 0..<m.rows {
            let cells = (0..<m.cols).map { j -> String in
                let column = formats[j % formats.count]
                return fmt(m[i, j], column[min(i, column.count - 1)])
            }
            table.coefRows.append(Row(label: i < m.rowNames.count ? m.rowNames[i] : "r\(i + 1)", cells: cells))
        }
        return table
    }

    /// fmt(2 3 "%9.2f a3"): one entry per column, each a list of per-cell formats.
    static func parseFormats(_ text: String) throws -> [[String]] {
        var columns: [[String]] = []
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        while !rest.isEmpty {
            if rest.first == "\"" {
                guard let close = rest.dropFirst().firstIndex(of: "\"") else { throw StataError(198, "unmatched quote in fmt()") }
                columns.append(try rest[rest.index(after: rest.startIndex)..<close].split(separator: " ").map { try format(String($0)) })
                rest = rest[rest.index(after: close)...]
            } else {
                let word = rest.prefix { $0 != " " }
                columns.append([try format(String(word))])
                rest = rest.dropFirst(word.count)
            }
            rest = rest.drop { $0 == " " }
        }
        guard !columns.isEmpty, !columns.contains(where: \.isEmpty) else { throw StataError(198, "fmt() requires formats") }
        return columns
    }

    /// One estout format: %fmt, a#, or # (= %9.#f).
    static func format(_ f: String) throws -> String {
        if let d = Int(f), d >= 0, d <= 20 { return "%9.\(d)f" }
        if f.hasPrefix("a"), Int(f.dropFirst()) != nil { return f }
        guard DisplayFormat.isValid(f) else { throw StataError(120, "invalid format \(f)") }
        return f
    }

    static func transposed(_ m: NamedMatrix) -> NamedMatrix {
        var t = NamedMatrix(rows: m.cols, cols: m.rows, rowNames: m.colNames, colNames: m.rowNames)
        for i in 0..<m.rows { for j in 0..<m.cols { t[j, i] = m[i, j] } }
        return t
    }
}
