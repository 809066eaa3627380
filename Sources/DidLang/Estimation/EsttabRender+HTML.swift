// HTML output of esttab (`html`, .htm/.html files): a <table> with the same rows as every other
// format — rules as <hr> rows spanning the table, gaps as &nbsp; rows, stars as <sup>, esttab's
// italic N and R<sup>2</sup> labels, the title as <caption> and the notes in one spanning cell
// separated by <br />. Text from the user and the data (labels, titles, notes) is escaped, so a
// label such as "x < 5 & y" cannot break the document. `fragment` leaves only the <tr> rows;
// `page` wraps a whole document around the table; `width()` and `alignment()` as in esttab.

import Foundation

extension EsttabRender {
    /// Escapes the characters HTML reads as markup.
    static func htmlEscape(_ s: String) -> String {
        var r = ""
        for ch in s {
            switch ch {
            case "&": r += "&amp;"
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            case "\"": r += "&quot;"
            default: r.append(ch)
            }
        }
        return r
    }

    /// The table as HTML; `continuing` leaves out the page opening when appending into a page.
    static func html(_ t: EsttabTable, _ st: EsttabSettings, continuing: Bool = false) -> String {
        let span = t.titles.count + 1
        let spanning = "<tr><td colspan=\"\(span)\">"
        var out: [String] = []
        if st.page && !continuing {
            out += ["<html>", "<head>", "<title>\(htmlEscape(st.title ?? "estimates table"))</title>", "</head>", "<body>"]
        }
        if !st.fragment {
            out.append("<table border=\"0\" width=\"\(htmlEscape(st.width ?? "*"))\">")
            if let ti = st.title { out.append("<caption>\(htmlEscape(ti))</caption>") }
        }
        let td = st.alignment.map { "<td align=\"\(htmlEscape($0))\">" } ?? "<td>"
        func line(_ label: String, _ cells: [String]) -> String {
            "<tr><td>\(label)</td>" + cells.map { td + $0 + "</td>" }.joined() + "</tr>"
        }
        for p in pieces(t, st) {
            switch p {
            case .sep(let s):
                if st.fragment && (s == .top || s == .bottom) { continue }
                if st.lines { out.append(spanning + "<hr></td></tr>") }
                else if st.gaps && (s == .mid || s == .foot) { out.append(spanning + "&nbsp;</td></tr>") }
            case .header(let h): out.append(line("", h.map(htmlEscape)))
            case .row(let r):
                out.append(line(rowLabel(r, st, .html, htmlEscape), r.cells.indices.map { j in
                    let m = mark(r, j), core = htmlEscape(split(r.cells[j], m))
                    return m.isEmpty ? core : core + "<sup>\(htmlEscape(m))</sup>"
                }))
            case .gap: out.append(spanning + "&nbsp;</td></tr>")
            }
        }
        if !st.fragment {
            let n = notes(t, .html, htmlEscape)
            if !n.isEmpty { out.append(spanning + n.joined(separator: "<br />") + "</td></tr>") }
            out.append("</table>")
        }
        if st.page { out += ["</body>", "</html>"] }
        return out.joined(separator: "\n") + "\n"
    }
}
