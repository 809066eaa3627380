// The content of an esttab/estout table, independent of the output format: one column per stored
// model, coefficient rows (b with stars, then the SE, t or p in parentheses), indicator rows
// (`indicate()` groups and FE Yes/No rows from e(absvars)) and statistics rows (`stats()`).
// Rendering to screen/txt, Markdown, LaTeX and CSV is in EsttabCommand.swift.

import DidStats
import DidFrame
import Foundation

/// Settings of one esttab call (already parsed and checked).
struct EsttabSettings {
    var bFormat = "%9.3f"
    var auxFormat = "%9.3f"
    /// What goes in parentheses: "se", "t", "p" or "none".
    var aux = "se"
    var stars = true
    /// (symbol, threshold) from the loosest to the strictest.
    var starLevels: [(String, Double)] = [("*", 0.10), ("**", 0.05), ("***", 0.01)]
    var keep: [String]? = nil
    var drop: [String] = []
    var order: [String] = []
    var useLabels = false
    var mtitles: [String]? = nil
    var stats: [String] = ["N"]
    var statLabels: [String] = []
    var indicate: [(label: String, patterns: [String])] = []
    var feRows = true
    /// Format of non-integer statistics rows.
    var statFormat = "%9.3f"
}

/// A table ready to render: header, body rows (cells per model) and notes.
struct EsttabTable {
    struct Row { var label: String; var cells: [String]; var isAux = false }
    var titles: [String]
    var coefRows: [Row] = []
    var indicatorRows: [Row] = []
    var statRows: [Row] = []
    var notes: [String] = []

    /// Builds the table from (name, e()) pairs.
    static func build(_ models: [(name: String, e: StoredResults)], _ o: EsttabSettings, _ s: Session) throws -> EsttabTable {
        var table = EsttabTable(titles: models.enumerated().map { k, m in o.mtitles.map { $0.indices.contains(k) ? $0[k] : "" } ?? (m.e.macros["depvar"] ?? m.name) })
        // Coefficient names in order of first appearance; hidden base cells and omitted ones left out.
        var names: [String] = []
        for m in models {
            guard let b = m.e.matrices["b"] else { throw StataError(301, "estimation result \(m.name) has no e(b)") }
            for n in b.colNames where !isHidden(n) {
                let key = Session.stripBase(n)
                if !names.contains(key) { names.append(key) }
            }
        }
        // indicate(): coefficients matching a group become one Yes/No row.
        var indicated = Set<String>()
        for grp in o.indicate {
            let members = names.filter { n in grp.patterns.contains { Session.wildcardMatch($0, n) } }
            indicated.formUnion(members)
            table.indicatorRows.append(Row(label: grp.label, cells: models.map { m in
                let have = (m.e.matrices["b"]?.colNames ?? []).contains { members.contains(Session.stripBase($0)) && !isHidden($0) }
                return have ? "Yes" : "No"
            }))
        }
        names.removeAll { n in indicated.contains(n) }
        if let keep = o.keep { names = names.filter { n in keep.contains { Session.wildcardMatch($0, n) } } }
        names.removeAll { n in o.drop.contains { Session.wildcardMatch($0, n) } }
        if !o.order.isEmpty {
            var first: [String] = []
            for p in o.order { for n in names where Session.wildcardMatch(p, n) && !first.contains(n) { first.append(n) } }
            names = first + names.filter { !first.contains($0) }
        }
        for n in names {
            var cells: [String] = [], aux: [String] = []
            for m in models {
                guard let (b, se, p) = try? estimate(n, m.e) else { cells.append(""); aux.append(""); continue }
                cells.append(fmt(b, o.bFormat) + (o.stars ? star(p, o.starLevels) : ""))
                switch o.aux {
                case "t": aux.append("(" + fmt(se > 0 ? b / se : Missing.dot, "%9.2f") + ")")
                case "p": aux.append("(" + fmt(p, o.auxFormat) + ")")
                case "none": aux.append("")
                default: aux.append("(" + fmt(se, o.auxFormat) + ")")
                }
            }
            table.coefRows.append(Row(label: label(n, o.useLabels, s), cells: cells))
            if o.aux != "none" { table.coefRows.append(Row(label: "", cells: aux, isAux: true)) }
        }
        // FE Yes/No rows from e(absvars).
        if o.feRows {
            var absvars: [String] = []
            for m in models { for a in (m.e.macros["absvars"] ?? "").split(separator: " ").map(String.init) where !absvars.contains(a) { absvars.append(a) } }
            for a in absvars {
                table.indicatorRows.append(Row(label: "\(a) FE", cells: models.map { m in
                    (m.e.macros["absvars"] ?? "").split(separator: " ").contains(Substring(a)) ? "Yes" : "No"
                }))
            }
        }
        for (k, st) in o.stats.enumerated() {
            let lab = k < o.statLabels.count ? o.statLabels[k] : st
            table.statRows.append(Row(label: lab, cells: models.map { m in
                // A macro (`estadd local FE "Yes"`) prints as its text.
                guard let v = m.e.scalars[st], !Missing.isMissing(v) else { return m.e.macros[st] ?? "" }
                return ["N", "N_clust", "df_m", "df_r", "df_a", "rank", "num_singletons"].contains(st) ? String(Int(v)) : fmt(v, o.statFormat)
            }))
        }
        if o.aux != "none" {
            table.notes.append(["se": "Standard errors", "t": "t statistics", "p": "p-values"][o.aux]! + " in parentheses")
        }
        if o.stars {
            table.notes.append(o.starLevels.map { "\($0.0) p<\(trimNumber($0.1))" }.joined(separator: ", "))
        }
        return table
    }

    /// Base cells and cells held at zero by construction (`0b.x`, `0b.a#1o.b`) are not reported.
    static func isHidden(_ name: String) -> Bool {
        if name.hasPrefix("o.") { return true }
        return name.split(separator: "#").contains { part in
            guard let dot = part.firstIndex(of: ".") else { return false }
            let head = part[..<dot]
            return head.first?.isNumber == true && (head.hasSuffix("b") || head.hasSuffix("o")) || head == "co"
        }
    }

    /// (b, se, p) of coefficient `name` in `e` (p from t with e(df_r), normal without it).
    static func estimate(_ name: String, _ e: StoredResults) throws -> (Double, Double, Double) {
        guard let b = e.matrices["b"], let V = e.matrices["V"],
              let j = b.colNames.firstIndex(where: { Session.stripBase($0) == name && !isHidden($0) }) else {
            throw StataError(111, "\(name) not found")
        }
        let coef = b[0, j], se = V[j, j] > 0 ? V[j, j].squareRoot() : 0
        guard se > 0 else { return (coef, se, Missing.dot) }
        let t = abs(coef / se)
        let p: Double
        if let dfr = e.scalars["df_r"], !Missing.isMissing(dfr) { p = 2 * Distributions.ttail(dfr, t) } else { p = 2 * Distributions.normal(-t) }
        return (coef, se, p)
    }

    static func star(_ p: Double, _ levels: [(String, Double)]) -> String {
        guard !Missing.isMissing(p) else { return "" }
        var out = ""
        for (sym, th) in levels where p < th { out = sym }
        return out
    }

    static func label(_ name: String, _ useLabels: Bool, _ s: Session) -> String {
        guard useLabels else { return name }
        if name == "_cons" { return "Constant" }
        if let c = s.frame.column(name), !c.label.isEmpty { return c.label }
        return name
    }

    static func fmt(_ x: Double, _ f: String) -> String {
        guard !Missing.isMissing(x), x.isFinite else { return "." }
        return ((try? Fmt.format(x, f)) ?? "\(x)").trimmingCharacters(in: .whitespaces)
    }

    static func trimNumber(_ x: Double) -> String {
        var t = String(format: "%.4f", x)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}
