// `estimates table [names] [, b(fmt) se t p star stats(list) keep() drop()]`: Stata's own
// side-by-side table of stored estimates (b in %9.0g by default, optional se/t/p rows below, stars
// at .05/.01/.001, scalar rows), built on the same table content as esttab.

import DidFrame
import Foundation

enum EstimatesTable {
    static let specs: [OptionSpec] = [
        OptionSpec("b", .optional), OptionSpec("se", .optional), OptionSpec("t", .optional), OptionSpec("p", .optional),
        OptionSpec("star", .optional), OptionSpec("stats", .required), OptionSpec("keep", .required),
        OptionSpec("drop", .required), OptionSpec("varwidth", min: 4, .required), OptionSpec("modelwidth", min: 6, .required),
    ]

    static func run(_ names: [String], _ optionText: String, _ s: Session) throws {
        let o = try Options(try CommandCall.parseOptions(optionText), specs: specs)
        let models = try EsttabCommand.selectModels(names.joined(separator: " "), s)
        var st = EsttabSettings()
        st.bFormat = try o.string("b").map(EsttabCommand.format) ?? "%9.0g"
        st.auxFormat = "%9.0g"
        st.aux = "none"
        if o.has("se") { st.aux = "se"; if let f = o.string("se") { st.auxFormat = try EsttabCommand.format(f) } }
        if o.has("t") { st.aux = "t" }
        if o.has("p") { st.aux = "p"; if let f = o.string("p") { st.auxFormat = try EsttabCommand.format(f) } }
        st.stars = o.has("star")
        if let levels = o.string("star") {
            let v = try LinearModelOptions.words(levels).map { w -> Double in
                guard let x = Double(w), x > 0, x < 1 else { throw StataError(198, "star(): \(w) invalid level") }
                return x
            }.sorted(by: >)
            st.starLevels = v.enumerated().map { (String(repeating: "*", count: $0.offset + 1), $0.element) }
        } else {
            st.starLevels = [("*", 0.05), ("**", 0.01), ("***", 0.001)]
        }
        if st.stars && st.aux != "none" { throw StataError(198, "option star not allowed with se, t or p") }
        if let k = o.string("keep") { st.keep = LinearModelOptions.words(k) }
        if let d = o.string("drop") { st.drop = LinearModelOptions.words(d) }
        st.stats = o.string("stats").map(LinearModelOptions.words) ?? []
        st.feRows = false
        st.statFormat = "%9.0g"
        let table = try EsttabTable.build(models, st, s)
        let vw = Int(try o.number("varwidth") ?? 12), mw = Int(try o.number("modelwidth") ?? 12)
        render(table, titles: models.map { $0.name == "." ? "Active" : $0.name }, legend: legend(st), varWidth: vw, modelWidth: mw,
               starWidth: st.stars ? 3 : 0, s)
    }

    static func legend(_ st: EsttabSettings) -> String? {
        if st.stars {
            return "Legend: " + st.starLevels.map { "\($0.0) p<\(EsttabTable.trimNumber($0.1))" }.joined(separator: "; ")
        }
        switch st.aux {
        case "se": return "Legend: b/se"
        case "t": return "Legend: b/t"
        case "p": return "Legend: b/p"
        default: return nil
        }
    }

    static func render(_ t: EsttabTable, titles: [String], legend: String?, varWidth: Int, modelWidth: Int, starWidth: Int,
                       _ s: Session) {
        let width = varWidth + 2 + (modelWidth + 1 + starWidth) * titles.count
        let rule = String(repeating: "-", count: width)
        let mid = String(repeating: "-", count: varWidth + 1) + "+" + String(repeating: "-", count: width - varWidth - 2)
        func row(_ label: String, _ cells: [String]) -> String {
            EstimationTable.pad(EstimationTable.abbreviate(label, varWidth), varWidth) + " |"
                + cells.map { cell -> String in
                    // Stars sit in their own space after the number.
                    let stars = String(cell.reversed().prefix { $0 == "*" })
                    let core = String(cell.dropLast(stars.count))
                    return " " + EstimationTable.pad(core, modelWidth - 2) + stars.padding(toLength: starWidth, withPad: " ", startingAt: 0) + "  "
                }.joined()
        }
        s.line()
        s.line(rule)
        s.line(row("Variable", titles.map { EstimationTable.abbreviate($0, modelWidth - 2) }))
        s.line(mid)
        for r in t.coefRows {
            // Stata prints the se/t/p row without parentheses.
            let cells = r.isAux ? r.cells.map { $0.hasPrefix("(") ? String($0.dropFirst().dropLast()) : $0 } : r.cells
            s.line(row(r.label, cells))
        }
        if !t.statRows.isEmpty {
            s.line(mid)
            for r in t.statRows { s.line(row(r.label, r.cells)) }
        }
        s.line(rule)
        if let l = legend { s.line(EstimationTable.pad(l, width)) }
    }
}
