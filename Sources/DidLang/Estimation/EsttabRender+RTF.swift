// RTF output of esttab (`rtf`, .rtf files), laid out as esttab.ado/estout.ado write it so Word
// and LibreOffice open it as a real table: a document header ({\rtf1\ansi\deff0 font table, info,
// page-number footer), the title as a kept-with-next paragraph, then one \trowd … \cell … \row
// group per table row inside a group of its own, and the notes as small paragraphs. Column edges
// are \cellx positions in twips, 120 per character of esttab's widths (12 for a model column plus
// 3 for its stars, 12 or 20 for the labels; `compress` narrows them). Rules are cell borders:
// a top border on the first row after each separator and a bottom border on the last row; gaps
// are empty rows. User text is escaped (\ { } and non-ASCII as \uN?) so it cannot unbalance the
// document.

import Foundation

extension EsttabRender {
    /// Escapes RTF's control characters; characters beyond ASCII become \uN? (N a signed UTF-16 unit).
    static func rtfEscape(_ s: String) -> String {
        var r = ""
        for u in s.utf16 {
            switch u {
            case 0x5C: r += "\\\\"
            case 0x7B: r += "\\{"
            case 0x7D: r += "\\}"
            case 0..<0x80: r.append(Character(Unicode.Scalar(UInt8(u))))
            default: r += "\\u\(Int(Int16(bitPattern: u)))?"
            }
        }
        return r
    }

    /// The document's opening lines (esttab's rtf_open).
    static func rtfHeader(_ date: Date = Date()) -> [String] {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: date)
        let stamp = "\\yr\(c.year ?? 2000)\\mo\(c.month ?? 1)\\dy\(c.day ?? 1)\\hr\(c.hour ?? 0)\\min\(c.minute ?? 0)"
        return ["{\\rtf1\\ansi\\deff0 {\\fonttbl\\f0\\fnil Times New Roman;}",
                "{\\info {\\author .}{\\company .}{\\title .}{\\creatim\(stamp)}}",
                "\\deflang1033\\plain\\fs24",
                "{\\footer\\pard\\qc\\plain\\f0\\fs24\\chpgn\\par}"]
    }

    /// The table; `continuing` leaves out the document header (appending to an existing document).
    static func rtf(_ t: EsttabTable, _ st: EsttabSettings, continuing: Bool = false) -> String {
        let k = t.titles.count
        // alignment(l|c|r|j) of the model columns; centred by default.
        let align = ["l", "c", "r", "j"].contains(st.alignment ?? "") ? st.alignment! : "c"
        let narrow = st.compress ? (st.useLabels ? 4 : 2) : 0
        let vw = max(1, (st.varWidth ?? (st.useLabels ? 20 : 12)) - narrow)
        // esttab doubles a model column (less 2) for confidence intervals.
        let mw = max(1, (st.modelWidth ?? (st.aux == "ci" ? 22 : 12)) - (st.compress ? 3 : 0))
        let starSlot = st.stars ? 3 : 0
        // estout's MakeRtfRowdefs: trgaph 108, trleft -108, 120 twips per character.
        var edges = [vw * 120 + 108]
        for _ in 0..<k { edges.append(edges[edges.count - 1] + mw * 120 + 216 + starSlot * 120) }
        func rowDef(top: Bool, bottom: Bool) -> String {
            let border = (top ? "\\clbrdrt\\brdrw10\\brdrs" : "") + (bottom ? "\\clbrdrb\\brdrw10\\brdrs" : "")
            return edges.map { border + "\\cellx\($0)" }.joined()
        }
        func row(_ label: String, _ cells: [String], top: Bool, bottom: Bool) -> String {
            "{\\trowd\\trgaph108\\trleft-108" + rowDef(top: top, bottom: bottom) + "\\pard\\intbl\\ql {\(label)}\\cell"
                + cells.map { " \\pard\\intbl\\q\(align) {\($0)}\\cell" }.joined() + "\\row}"
        }
        let emptyRow = "{\\trowd\\trgaph108\\trleft-108" + rowDef(top: false, bottom: false)
            + String(repeating: "\\pard\\intbl\\ql\\cell", count: k + 1) + "\\row}"
        // Which rows carry borders: the first after a rule, and the last one.
        let ps = pieces(t, st)
        let lastRow = ps.lastIndex { if case .sep = $0 { return false }; if case .gap = $0 { return false }; return true }
        var out: [String] = []
        if !st.fragment {
            if !continuing { out += rtfHeader() }
            if let ti = st.title { out.append("{\\pard\\keepn\\ql \(rtfEscape(ti))\\par}") }
            out.append("{")
        }
        var pendingTop = false
        for (i, p) in ps.enumerated() {
            let bottom = st.lines && !st.fragment && i == lastRow
            switch p {
            case .sep(let s):
                if st.lines { if !(st.fragment && s == .top) { pendingTop = true } }
                else if st.gaps && (s == .mid || s == .foot) { out.append(emptyRow) }
            case .header(let h):
                out.append(row("", h.map(rtfEscape), top: pendingTop, bottom: bottom)); pendingTop = false
            case .row(let r):
                out.append(row(rowLabel(r, st, .rtf, rtfEscape), r.cells.indices.map { j in
                    let m = mark(r, j), core = rtfEscape(split(r.cells[j], m))
                    return m.isEmpty ? core : core + "{\\super \(rtfEscape(m))}"
                }, top: pendingTop, bottom: bottom))
                pendingTop = false
            case .gap: out.append(emptyRow)
            }
        }
        if !st.fragment {
            out += notes(t, .rtf, rtfEscape).map { "{\\pard\\ql\\fs20 \($0)\\par}" }
            out += ["}", "{\\pard \\par}", "}"]
        }
        return out.joined(separator: "\n") + "\n"
    }
}
