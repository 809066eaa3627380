// LaTeX output of esttab (`tex`, `booktabs`): a tabular with one centred column per model,
// \hline\hline / \hline rules (\toprule / \midrule / \bottomrule with booktabs), "[1em]" or
// \addlinespace between coefficients, stars through \sym{} (defined in a group around the table,
// as esttab does), a table float with \caption when there is a title, and the notes as
// \multicolumn rows. `fragment` leaves only the rows, for \input into a hand-written tabular;
// `page` wraps a whole document around the table, `width()` makes it a tabular*, `alignment()`
// sets the model columns' type, `float`/`nofloat` force or drop the table environment.

import Foundation

extension EsttabRender {
    /// Escapes LaTeX's specials that break compilation (_ % & #) unless already escaped; $, \, {
    /// and } pass through so titles and labels can carry math and commands, as in esttab.
    static func texEscape(_ s: String) -> String {
        var r = "", prev: Character = " "
        for ch in s {
            if "_%&#".contains(ch) && prev != "\\" { r.append("\\") }
            r.append(ch); prev = ch
        }
        return r
    }

    /// The table as LaTeX; `continuing` leaves out the preamble when appending into a page.
    static func latex(_ t: EsttabTable, _ st: EsttabSettings, booktabs: Bool, continuing: Bool = false) -> String {
        let k = t.titles.count
        // esttab defines \sym whenever stars are on, whether or not a coefficient earns one.
        let stars = st.stars
        let float = st.float ?? (st.title != nil)
        let columns = "l*{\(k)}{\(st.alignment ?? "c")}"
        var out: [String] = []
        if st.page && !continuing {
            out.append("\\documentclass{article}")
            if let pk = st.pagePackages { out.append("\\usepackage{\(pk)}") }
            if booktabs { out.append("\\usepackage{booktabs}") }
            out += ["\\begin{document}", ""]
        }
        if !st.fragment {
            if float { out.append("\\begin{table}[htbp]\\centering") } else if stars { out.append("{") }
            if stars { out.append("\\def\\sym#1{\\ifmmode^{#1}\\else\\(^{#1}\\)\\fi}") }
            if let ti = st.title { out.append("\\caption{\(texEscape(ti))}") }
            if let w = st.width {
                out.append("\\begin{tabular*}{\(w)}{@{\\hskip\\tabcolsep\\extracolsep\\fill}\(columns)}")
            } else {
                out.append("\\begin{tabular}{\(columns)}")
            }
        }
        func line(_ label: String, _ cells: [String]) -> String {
            label.padding(toLength: max(label.count, 20), withPad: " ", startingAt: 0) + cells.map { "&" + $0 }.joined() + "\\\\"
        }
        let gap = booktabs ? "\\addlinespace" : "[1em]"
        for p in pieces(t, st) {
            switch p {
            case .sep(let s):
                if st.fragment && (s == .top || s == .bottom) { continue }
                if st.lines {
                    switch s {
                    case .top: out.append(booktabs ? "\\toprule" : "\\hline\\hline")
                    case .bottom: out.append(booktabs ? "\\bottomrule" : "\\hline\\hline")
                    case .mid, .foot: out.append(booktabs ? "\\midrule" : "\\hline")
                    }
                } else if st.gaps && (s == .mid || s == .foot) { out.append(gap) }
            case .header(let h): out.append(line("", h.map { "\\multicolumn{1}{c}{\(texEscape($0))}" }))
            case .row(let r):
                out.append(line(rowLabel(r, st, .tex, texEscape), r.cells.indices.map { j in
                    let m = mark(r, j), core = texEscape(split(r.cells[j], m))
                    return m.isEmpty ? core : core + "\\sym{\(m)}"
                }))
            case .gap: out.append(gap)
            }
        }
        if !st.fragment {
            for n in notes(t, .tex, texEscape) { out.append("\\multicolumn{\(k + 1)}{l}{\\footnotesize \(n)}\\\\") }
            out.append(st.width == nil ? "\\end{tabular}" : "\\end{tabular*}")
            if float { out.append("\\end{table}") } else if stars { out.append("}") }
        }
        if st.page { out += ["", "\\end{document}"] }
        return out.joined(separator: "\n") + "\n"
    }
}
