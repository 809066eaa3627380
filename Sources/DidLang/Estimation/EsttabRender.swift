// Lays an EsttabTable out in esttab's document formats. Every format walks the same skeleton
// (estout's prehead/posthead/body/prefoot/postfoot): a top separator, the header rows ((1) (2) …,
// model titles), a separator, coefficient blocks and indicator rows with gaps between them, a
// separator and the statistics, a bottom separator, then the notes. A separator is a rule when
// `lines` is on and a gap when only `gaps` is, as in esttab.ado. This file holds the skeleton,
// the notes and statistic labels of each format, and the fixed-width text, delimited (tab/CSV)
// and Markdown layouts; TeX, HTML and RTF are in their own files.

import Foundation

/// Renderers of an EsttabTable.
enum EsttabRender {
    /// Where a separator sits: above the header, below it, above the statistics, at the bottom.
    enum Sep { case top, mid, foot, bottom }
    /// One step of the layout skeleton.
    enum Piece {
        case sep(Sep)
        case header([String])
        case row(EsttabTable.Row)
        case gap
    }

    /// The table in `mode` (the screen uses `.smcl`, drawn as fixed-width text); `continuing`
    /// leaves out a document's opening when the table is appended inside an existing one.
    static func render(_ t: EsttabTable, _ st: EsttabSettings, mode: EsttabMode, continuing: Bool = false) -> String {
        switch mode {
        case .smcl, .fixed: return text(t, st)
        case .tab, .csv, .scsv: return delimited(t, st, mode)
        case .md: return markdown(t, st)
        case .tex, .booktabs: return latex(t, st, booktabs: mode == .booktabs, continuing: continuing)
        case .html: return html(t, st, continuing: continuing)
        case .rtf: return rtf(t, st, continuing: continuing)
        }
    }

    /// The skeleton shared by all formats.
    static func pieces(_ t: EsttabTable, _ st: EsttabSettings) -> [Piece] {
        var out: [Piece] = [.sep(.top)]
        if t.showNumbers { out.append(.header(t.titles.indices.map { "(\($0 + 1))" })) }
        if t.showTitles { out.append(.header(t.titles)) }
        if let c = t.columnLabel { out.append(.header(t.titles.map { _ in c })) }
        out.append(.sep(.mid))
        // A block is a coefficient with its parenthesised row, or one indicator row.
        var blocks: [[EsttabTable.Row]] = []
        for r in t.coefRows { if r.isAux, !blocks.isEmpty { blocks[blocks.count - 1].append(r) } else { blocks.append([r]) } }
        blocks += t.indicatorRows.map { [$0] }
        for (k, b) in blocks.enumerated() {
            if k > 0 && st.gaps && !t.isMatrix { out.append(.gap) }
            out += b.map { .row($0) }
        }
        if !t.statRows.isEmpty {
            out.append(.sep(.foot))
            out += t.statRows.map { .row($0) }
        }
        out.append(.sep(.bottom))
        return out
    }

    /// Formats whose markup is plain text (no italics, superscripts or escapes).
    static func isPlainText(_ mode: EsttabMode) -> Bool { [.smcl, .fixed, .tab, .csv, .scsv].contains(mode) }

    /// `x` in italics in `mode`.
    static func italic(_ x: String, _ mode: EsttabMode) -> String {
        switch mode {
        case .html: return "<i>\(x)</i>"
        case .rtf: return "{\\i \(x)}"
        case .tex, .booktabs: return "\\textit{\(x)}"
        case .md: return "*\(x)*"
        default: return x
        }
    }

    /// esttab's labels of its own footer statistics (`long` under `label`), marked up per format.
    static func statLabel(_ key: String, _ mode: EsttabMode, long: Bool) -> String {
        let plain = isPlainText(mode)
        let r2: String
        switch mode {
        case .html: r2 = "<i>R</i><sup>2</sup>"
        case .rtf: r2 = "{\\i R}{\\super 2}"
        case .tex, .booktabs: r2 = "\\(R^{2}\\)"
        case .md: r2 = "*R*<sup>2</sup>"
        default: r2 = "R-sq"
        }
        switch key {
        case "N": return long ? "Observations" : mode.isTeX ? "\\(N\\)" : italic("N", mode)
        case "r2": return plain && long ? "R-squared" : r2
        case "ar2": return plain ? (long ? "Adjusted R-squared" : "adj. R-sq") : (long ? "Adjusted " : "adj. ") + r2
        case "pr2": return plain ? (long ? "Pseudo R-squared" : "pseudo R-sq") : (long ? "Pseudo " : "pseudo ") + r2
        default: return italic(key.uppercased(), mode)
        }
    }

    /// A row's label as the format shows it: esttab's statistic labels marked up, others escaped.
    static func rowLabel(_ r: EsttabTable.Row, _ st: EsttabSettings, _ mode: EsttabMode, _ esc: (String) -> String) -> String {
        if let key = r.statKey { return statLabel(key, mode, long: st.useLabels) }
        return esc(r.label)
    }

    /// The notes under the table: what the parentheses hold, addnotes(), then the star legend.
    static func notes(_ t: EsttabTable, _ mode: EsttabMode, _ esc: (String) -> String) -> [String] {
        var out: [String] = []
        var lead = t.exponentiated ? "Exponentiated coefficients" : ""
        if let kind = t.auxNote {
            var what: String
            switch kind {
            case "se": what = "Standard errors"
            case "ci": what = t.levelText + (mode.isTeX ? "\\%" : "%") + " confidence intervals"
            case "p": what = italic("p", mode) + "-values"
            default: what = italic(kind, mode) + " statistics"
            }
            if t.auxAbs { what = "Absolute " + what }
            lead += (lead.isEmpty ? "" : "; ") + what + t.auxWhere
        }
        if !lead.isEmpty { out.append(lead) }
        out += t.addNotes.map(esc)
        if !t.starLegend.isEmpty {
            out.append(t.starLegend.map { sym, level in
                switch mode {
                case .html: return "<sup>\(esc(sym))</sup> <i>p</i> &lt; \(level)"
                case .rtf: return "{\\super \(esc(sym))} {\\i p} < \(level)"
                case .tex, .booktabs: return "\\sym{\(sym)} \\(p<\(level)\\)"
                case .md: return "<sup>\(esc(sym))</sup> *p* < \(level)"
                default: return "\(sym) p<\(level)"
                }
            }.joined(separator: ", "))
        }
        return out
    }

    /// Splits a cell into its number and its star symbol.
    static func split(_ cell: String, _ mark: String) -> String {
        mark.isEmpty || !cell.hasSuffix(mark) ? cell : String(cell.dropLast(mark.count))
    }

    /// The star symbol of cell `j` of a row ("" for none).
    static func mark(_ r: EsttabTable.Row, _ j: Int) -> String { j < r.marks.count ? r.marks[j] : "" }

    /// Fixed-width text (screen, .txt, .smcl): esttab's columns — labels in 12 (20 with `label`)
    /// characters, numbers right-aligned in 12 with the stars hanging in their own slot after them.
    /// Columns widen instead of abbreviating what does not fit.
    static func text(_ t: EsttabTable, _ st: EsttabSettings) -> String {
        let ps = pieces(t, st)
        let all = t.coefRows + t.indicatorRows + t.statRows
        let narrow = st.compress ? (st.useLabels ? 4 : 2) : 0
        let vw = max((st.varWidth ?? (st.useLabels ? 20 : 12)) - narrow,
                     all.map { rowLabel($0, st, .fixed, { $0 }).count }.max() ?? 0)
        var cores: [String] = []
        for p in ps {
            if case .header(let h) = p { cores += h }
            if case .row(let r) = p { cores += r.cells.indices.map { split(r.cells[$0], mark(r, $0)) } }
        }
        let mw = max((st.modelWidth ?? (st.aux == "ci" ? 22 : 12)) - (st.compress ? 3 : 0), cores.map(\.count).max() ?? 0)
        let sw = all.flatMap(\.marks).map(\.count).max() ?? 0
        let k = t.titles.count
        let rule = String(repeating: "-", count: vw + k * (1 + mw + sw))
        func line(_ label: String, _ cells: [(String, String)]) -> String {
            let body = cells.map { " " + EstimationTable.pad($0.0, mw) + $0.1.padding(toLength: sw, withPad: " ", startingAt: 0) }
            return (label.padding(toLength: vw, withPad: " ", startingAt: 0) + body.joined()).trimmingTrailingBlanks()
        }
        var out: [String] = []
        if let ti = st.title { out.append(ti) }
        for p in ps {
            switch p {
            case .sep: if st.lines { out.append(rule) } else if st.gaps { out.append("") }
            case .header(let h): out.append(line("", h.map { ($0, "") }))
            case .row(let r): out.append(line(rowLabel(r, st, .fixed, { $0 }), r.cells.indices.map { (split(r.cells[$0], mark(r, $0)), mark(r, $0)) }))
            case .gap: out.append("")
            }
        }
        out += notes(t, .fixed, { $0 })
        return out.joined(separator: "\n")
    }

    /// Tab- or comma-separated cells (esttab's tab, csv, scsv): no rules, gaps as empty lines; CSV
    /// cells as ="…" so spreadsheets keep "(2.10)" and "0.50**" as text, plain "…" under `plain`.
    static func delimited(_ t: EsttabTable, _ st: EsttabSettings, _ mode: EsttabMode) -> String {
        let sep = mode == .tab ? "\t" : mode == .scsv ? ";" : ","
        func cell(_ s: String) -> String {
            guard mode != .tab else { return s }
            return (st.plain ? "\"" : "=\"") + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        func line(_ cells: [String]) -> String { cells.map(cell).joined(separator: sep) }
        var out: [String] = []
        if let ti = st.title { out.append(cell(ti)) }
        for p in pieces(t, st) {
            switch p {
            case .sep: if st.gaps { out.append("") }
            case .header(let h): out.append(line([""] + h))
            case .row(let r): out.append(line([rowLabel(r, st, mode, { $0 })] + r.cells))
            case .gap: out.append("")
            }
        }
        out += notes(t, mode, { $0 }).map(cell)
        return out.joined(separator: "\n") + "\n"
    }

    /// Markdown: a GitHub/MultiMarkdown pipe table. The divider follows the first header row so
    /// GitHub renders it (esttab puts it after all header rows, which only MultiMarkdown reads);
    /// stars as <sup>, no rules or gaps, notes after an empty line joined by <br>.
    static func markdown(_ t: EsttabTable, _ st: EsttabSettings) -> String {
        func esc(_ s: String) -> String {
            var r = ""
            for ch in s { if "|*_\\".contains(ch) { r.append("\\") }; r.append(ch) }
            return r
        }
        func line(_ label: String, _ cells: [String]) -> String { "| " + ([label] + cells).joined(separator: " | ") + " |" }
        let k = t.titles.count
        var out: [String] = []
        if let ti = st.title { out += [esc(ti), ""] }
        var headerRows = 0
        for p in pieces(t, st) {
            switch p {
            case .header(let h):
                out.append(line("", h.map(esc)))
                headerRows += 1
                if headerRows == 1 { out.append("| --- |" + String(repeating: " :---: |", count: k)) }
            case .row(let r):
                if headerRows == 0 {
                    out.append(line("", Array(repeating: "", count: k)))
                    out.append("| --- |" + String(repeating: " :---: |", count: k))
                    headerRows = 1
                }
                out.append(line(rowLabel(r, st, .md, esc), r.cells.indices.map { j in
                    let m = mark(r, j), core = esc(split(r.cells[j], m))
                    return m.isEmpty ? core : core + "<sup>\(esc(m))</sup>"
                }))
            case .sep, .gap: break
            }
        }
        let n = notes(t, .md, esc)
        if !n.isEmpty { out.append(""); out += n.indices.map { n[$0] + ($0 < n.count - 1 ? "<br>" : "") } }
        return out.joined(separator: "\n") + "\n"
    }
}

fileprivate extension String {
    /// The string without trailing blanks (fixed-width lines end at their last character).
    func trimmingTrailingBlanks() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
