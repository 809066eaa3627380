// esttab's document formats: HTML (a <table> with the same rows, text escaped), RTF (checked as a
// document: balanced groups, one \trowd … \row per table row with one \cell per column and rising
// \cellx edges, and appending inside the one document), LaTeX (tex, booktabs, fragment, title
// float), Markdown, CSV/scsv/tab, the format options overriding the file suffix, default suffixes,
// and replace/append. No word processor is installed here, so the RTF is checked structurally.

import DidFrame
@testable import DidLang
import Foundation
import XCTest

final class EsttabFormatsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("esttab-fmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    func testHTMLTableRowsAndEscaping() throws {
        let (s, _) = try EstimationEsttabTests.session()
        try s.run(source: "label variable lpop \"Pop < 5 & more\"")
        try s.run(source: "esttab using \"\(path("t.html"))\", label title(\"A & B <x>\") addnotes(\"a<b\")")
        let html = try read("t.html")
        let lines = html.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "<table border=\"0\" width=\"*\">")
        XCTAssertEqual(lines.last, "</table>")
        XCTAssertEqual(lines[1], "<caption>A &amp; B &lt;x&gt;</caption>")
        XCTAssertTrue(html.contains("<tr><td>Pop &lt; 5 &amp; more</td><td>1.096<sup>***</sup></td><td></td><td></td></tr>"), html)
        XCTAssertFalse(html.contains("Pop < 5"))
        // Every row is one <tr> with a label cell and three model cells, or one spanning cell.
        let rows = lines.filter { $0.hasPrefix("<tr>") }
        for r in rows {
            XCTAssertTrue(r.hasSuffix("</tr>"), r)
            let tds = r.components(separatedBy: "<td").count - 1
            XCTAssertTrue(tds == 4 || (tds == 1 && r.contains("colspan=\"4\"")), r)
        }
        XCTAssertEqual(rows.filter { $0.contains("<hr>") }.count, 4, "top, below the header, above the stats, bottom")
        XCTAssertTrue(html.contains("<tr><td></td><td>(1)</td><td>(2)</td><td>(3)</td></tr>"))
        XCTAssertTrue(html.contains("<tr><td>treat_post</td>") && html.contains("<td>-0.0365<sup>***</sup></td>"))
        XCTAssertTrue(html.contains("<tr><td>Observations</td><td>2500</td><td>2500</td><td>2500</td></tr>"))
        XCTAssertTrue(html.contains("<tr><td colspan=\"4\"><i>t</i> statistics in parentheses<br />a&lt;b<br /><sup>*</sup> <i>p</i> &lt; 0.10"), html)
        // fragment: only rows, no table, caption or notes.
        try s.run(source: "esttab using \"\(path("f.html"))\", fragment title(x)")
        let frag = try read("f.html")
        XCTAssertFalse(frag.contains("<table") || frag.contains("<caption>") || frag.contains("statistics in"))
        XCTAssertTrue(frag.split(separator: "\n").allSatisfy { $0.hasPrefix("<tr>") && $0.hasSuffix("</tr>") })
    }

    /// Walks an RTF text: groups must balance (escaped braces do not count) and close at the end.
    func assertBalanced(_ rtf: String, file: StaticString = #filePath, line: UInt = #line) {
        var depth = 0, escaped = false, minDepth = 0
        for ch in rtf {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "{" { depth += 1 }
            if ch == "}" { depth -= 1; minDepth = min(minDepth, depth) }
        }
        XCTAssertEqual(depth, 0, "unbalanced braces", file: file, line: line)
        XCTAssertEqual(minDepth, 0, "a group closes before it opens", file: file, line: line)
    }

    /// The table rows of an RTF text with their \cell counts and \cellx edges.
    func rtfRows(_ rtf: String) -> [(text: String, cells: Int, edges: [Int])] {
        rtf.split(separator: "\n").map(String.init).filter { $0.hasPrefix("{\\trowd") }.map { r in
            let cells = r.components(separatedBy: "\\cell").count - 1 - (r.components(separatedBy: "\\cellx").count - 1)
            let edges = r.components(separatedBy: "\\cellx").dropFirst().map { Int($0.prefix { $0.isNumber || $0 == "-" }) ?? -1 }
            return (r, cells, edges)
        }
    }

    func testRTFIsAWellFormedTableDocument() throws {
        let (s, _) = try EstimationEsttabTests.session()
        try s.run(source: "esttab using \"\(path("t.rtf"))\", title(\"Effects {1}\") indicate(\"Year FE = *.year\") nofe")
        let rtf = try read("t.rtf")
        XCTAssertTrue(rtf.hasPrefix("{\\rtf1\\ansi\\deff0 {\\fonttbl\\f0\\fnil Times New Roman;}"))
        XCTAssertTrue(rtf.hasSuffix("}\n"))
        assertBalanced(rtf)
        XCTAssertTrue(rtf.contains("{\\pard\\keepn\\ql Effects \\{1\\}\\par}"), "title escaped")
        let rows = rtfRows(rtf)
        // Header 2 + treat_post, lpop, _cons (2 rows each) + Year FE + N, and a gap row between blocks.
        XCTAssertEqual(rows.filter { !$0.text.contains("\\pard\\intbl\\ql\\cell") }.count, 2 + 6 + 1 + 1)
        XCTAssertEqual(rows.filter { $0.text.contains("\\pard\\intbl\\ql\\cell") }.count, 3, "gaps after each coefficient block")
        for r in rows {
            XCTAssertTrue(r.text.hasSuffix("\\row}"), r.text)
            XCTAssertEqual(r.cells, 4, r.text)
            XCTAssertEqual(r.edges, [1548, 3564, 5580, 7596], "12 + 3 characters a column at 120 twips, gaps of 216")
        }
        XCTAssertEqual(rtf.components(separatedBy: "\\trowd").count - 1, rtf.components(separatedBy: "\\row}").count - 1)
        XCTAssertTrue(rtf.contains("\\pard\\intbl\\ql {treat_post}\\cell \\pard\\intbl\\qc {0.0711{\\super **}}\\cell \\pard\\intbl\\qc {-0.0365{\\super ***}}\\cell"), rtf)
        XCTAssertTrue(rtf.contains("\\pard\\intbl\\ql {Year FE}\\cell \\pard\\intbl\\qc {No}\\cell \\pard\\intbl\\qc {No}\\cell \\pard\\intbl\\qc {Yes}\\cell"))
        XCTAssertTrue(rtf.contains("{\\pard\\ql\\fs20 {\\i t} statistics in parentheses\\par}"))
        XCTAssertTrue(rtf.contains("{\\pard\\ql\\fs20 {\\super *} {\\i p} < 0.10, {\\super **} {\\i p} < 0.05, {\\super ***} {\\i p} < 0.01\\par}"))
        // Rules are borders: top on the first header row, the first coefficient and N; bottom on N.
        XCTAssertEqual(rows.filter { $0.text.contains("\\clbrdrt") }.count, 3)
        XCTAssertEqual(rows.filter { $0.text.contains("\\clbrdrb") }.map { $0.text.contains("{{\\i N}}") }, [true])
        // append: the second table goes inside the same document, before its closing brace.
        try s.run(source: "esttab est2 using \"\(path("t.rtf"))\", append keep(treat_post) compress")
        let both = try read("t.rtf")
        assertBalanced(both)
        XCTAssertEqual(both.components(separatedBy: "{\\rtf1").count - 1, 1, "one document header")
        XCTAssertEqual(both.components(separatedBy: "{\\pard \\par}").count - 1, 2, "two tables")
        let added = rtfRows(both).suffix(3)
        XCTAssertEqual(added.first?.edges, [1308, 2964], "compress: 10 + 9 + 3 characters")
        XCTAssertTrue(both.hasSuffix("}\n"))
        // fragment: rows only.
        try s.run(source: "esttab using \"\(path("f.rtf"))\", fragment")
        let frag = try read("f.rtf")
        assertBalanced(frag)
        XCTAssertFalse(frag.contains("\\rtf1") || frag.contains("statistics"))
        XCTAssertTrue(frag.split(separator: "\n").allSatisfy { $0.hasPrefix("{\\trowd") })
    }

    func testRTFEscapesNonASCII() {
        XCTAssertEqual(EsttabRender.rtfEscape("a\\b{c}"), "a\\\\b\\{c\\}")
        XCTAssertEqual(EsttabRender.rtfEscape("Bev\u{F6}lkerung"), "Bev\\u246?lkerung")
        XCTAssertEqual(EsttabRender.rtfEscape("\u{20AC}"), "\\u8364?")
        XCTAssertEqual(EsttabRender.rtfEscape("\u{FFFD}"), "\\u-3?", "units above 32767 are negative")
    }

    func testLaTeXBooktabsFragmentAndFloat() throws {
        let (s, _) = try EstimationEsttabTests.session()
        try s.run(source: "label variable lpop \"Population (%)\"")
        try s.run(source: "esttab using \"\(path("t.tex"))\", booktabs label")
        let tex = try read("t.tex").split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(tex.prefix(4)), ["{", "\\def\\sym#1{\\ifmmode^{#1}\\else\\(^{#1}\\)\\fi}", "\\begin{tabular}{l*{3}{c}}", "\\toprule"])
        XCTAssertEqual(Array(tex.suffix(2)), ["\\end{tabular}", "}"])
        XCTAssertEqual(tex.filter { $0 == "\\midrule" }.count, 2)
        XCTAssertTrue(tex.contains("\\bottomrule") && !tex.contains { $0.contains("\\hline") })
        XCTAssertTrue(tex.contains { $0.hasPrefix("Population (\\%)") }, "percent escaped")
        XCTAssertTrue(tex.contains { $0.hasPrefix("treat\\_post") && $0.contains("&-0.0365\\sym{***}&") })
        XCTAssertTrue(tex.contains { $0.hasPrefix("Observations") && $0.hasSuffix("&2500&2500&2500\\\\") })
        XCTAssertEqual(tex.filter { $0 == "\\addlinespace" }.count, 9, "between 10 blocks: 3 + 5 years (2003 the base) + 2 FE rows")
        XCTAssertTrue(tex.contains("\\multicolumn{4}{l}{\\footnotesize \\sym{*} \\(p<0.10\\), \\sym{**} \\(p<0.05\\), \\sym{***} \\(p<0.01\\)}\\\\"))
        try s.run(source: "esttab using \"\(path("f.tex"))\", fragment nostar")
        let frag = try read("f.tex").split(separator: "\n").map(String.init)
        XCTAssertTrue(frag[0].hasPrefix(" ") && frag[0].contains("\\multicolumn{1}{c}{(1)}"), frag[0])
        XCTAssertFalse(frag.contains { $0.contains("tabular") || $0.contains("\\hline\\hline") || $0.contains("footnotesize") || $0.contains("\\sym") })
        XCTAssertEqual(frag.filter { $0 == "\\hline" }.count, 2)
        XCTAssertTrue(frag.contains("[1em]"))
        try s.run(source: "esttab using \"\(path("ti.tex"))\", title(\"Main results\\label{tab:main}\")")
        let ti = try read("ti.tex").split(separator: "\n").map(String.init)
        XCTAssertEqual(ti[0], "\\begin{table}[htbp]\\centering")
        XCTAssertEqual(ti[2], "\\caption{Main results\\label{tab:main}}")
        XCTAssertEqual(ti.last, "\\end{table}")
    }

    func testMarkdownIsAPipeTable() throws {
        let (s, _) = try EstimationEsttabTests.session()
        try s.run(source: "esttab using \"\(path("t.md"))\", title(\"Table 1\") se")
        let md = try read("t.md").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(md.prefix(4)), ["Table 1", "", "|  | (1) | (2) | (3) |", "| --- | :---: | :---: | :---: |"])
        let table = md.filter { $0.hasPrefix("|") }
        for l in table { XCTAssertEqual(l.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count, 5, l) }
        XCTAssertTrue(table.contains("| treat\\_post | 0.0711<sup>\\*\\*</sup> | -0.0365<sup>\\*\\*\\*</sup> | -0.0365<sup>\\*\\*\\*</sup> |"))
        XCTAssertTrue(table.contains("|  | (0.0343) | (0.0133) | (0.0133) |"), "SE 0.013265155 of the reference TWFE in a3")
        XCTAssertTrue(table.contains("| *N* | 2500 | 2500 | 2500 |"))
        let notes = Array(md.filter { !$0.isEmpty }.suffix(2))
        XCTAssertEqual(md[md.count - 4], "", "an empty line before the notes")
        XCTAssertEqual(notes, ["Standard errors in parentheses<br>", "<sup>\\*</sup> *p* < 0.10, <sup>\\*\\*</sup> *p* < 0.05, <sup>\\*\\*\\*</sup> *p* < 0.01"])
    }

    func testDelimitedFormats() throws {
        let (s, _) = try EstimationEsttabTests.session()
        try s.run(source: "esttab est1 est2 using \"\(path("t.csv"))\", keep(treat_post) nofe")
        let csv = try read("t.csv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // esttab: ="…" cells, gaps as empty lines (no rules in CSV).
        XCTAssertEqual(Array(csv.prefix(7)), ["", "=\"\",=\"(1)\",=\"(2)\"", "=\"\",=\"lemp\",=\"lemp\"", "",
                                              "=\"treat_post\",=\"0.0711**\",=\"-0.0365***\"", "=\"\",=\"(2.07)\",=\"(-2.76)\"", ""])
        XCTAssertTrue(csv.contains("=\"N\",=\"2500\",=\"2500\""))
        XCTAssertTrue(csv.contains("=\"* p<0.10, ** p<0.05, *** p<0.01\""))
        try s.run(source: "esttab est1 est2 using \"\(path("p.csv"))\", keep(treat_post) nofe plain")
        let plain = try read("p.csv").split(separator: "\n").map(String.init)
        XCTAssertEqual(plain[0], "\"\",\"est1\",\"est2\"")
        XCTAssertTrue(plain[2].hasPrefix("\"treat_post\",\".0711"), plain[2])
        try s.run(source: "esttab est1 est2 using \"\(path("s.csv"))\", keep(treat_post) nofe scsv nogaps")
        let scsv = try read("s.csv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(scsv[0], "=\"\";=\"(1)\";=\"(2)\"", "semicolons; nogaps: no empty lines")
        XCTAssertFalse(scsv.dropLast().contains(""))
        try s.run(source: "esttab est1 est2 using \"\(path("t.txt"))\", keep(treat_post) nofe tab")
        XCTAssertTrue(try read("t.txt").contains("treat_post\t0.0711**\t-0.0365***"))
    }

    /// page (a whole document; appending goes into its body), width(), alignment(), float/nofloat.
    func testPageWidthAlignmentFloat() throws {
        let (s, _) = try EstimationEsttabTests.session()
        try s.run(source: "esttab est2 using \"\(path("p.tex"))\", page(amsmath) booktabs width(\\hsize) alignment(r) float")
        try s.run(source: "esttab est1 using \"\(path("p.tex"))\", page booktabs append nofloat")
        let tex = try read("p.tex").split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(tex.prefix(4)), ["\\documentclass{article}", "\\usepackage{amsmath}", "\\usepackage{booktabs}", "\\begin{document}"])
        XCTAssertEqual(tex.filter { $0 == "\\begin{document}" }.count, 1)
        XCTAssertEqual(tex.filter { $0 == "\\end{document}" }.count, 1)
        XCTAssertEqual(tex.last, "\\end{document}")
        XCTAssertTrue(tex.contains("\\begin{tabular*}{\\hsize}{@{\\hskip\\tabcolsep\\extracolsep\\fill}l*{1}{r}}"))
        XCTAssertTrue(tex.contains("\\end{tabular*}") && tex.contains("\\begin{tabular}{l*{1}{c}}"))
        XCTAssertEqual(tex.filter { $0 == "\\begin{table}[htbp]\\centering" }.count, 1, "float without a title; nofloat")
        XCTAssertLessThan(try XCTUnwrap(tex.lastIndex(of: "\\end{tabular}")), try XCTUnwrap(tex.lastIndex(of: "\\end{document}")))
        try s.run(source: "esttab est2 using \"\(path("p.html"))\", page width(100%) alignment(center)")
        try s.run(source: "esttab est1 using \"\(path("p.html"))\", page append")
        let html = try read("p.html").split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(html.prefix(6)), ["<html>", "<head>", "<title>estimates table</title>", "</head>", "<body>", "<table border=\"0\" width=\"100%\">"])
        XCTAssertEqual(Array(html.suffix(3)), ["</table>", "</body>", "</html>"])
        XCTAssertEqual(html.filter { $0.hasPrefix("<table") }.count, 2)
        XCTAssertEqual(html.filter { $0 == "<body>" || $0 == "</body>" }.count, 2)
        XCTAssertTrue(html.contains("<tr><td>treat_post</td><td align=\"center\">-0.0365<sup>***</sup></td></tr>"))
        try s.run(source: "esttab est2 using \"\(path("a.rtf"))\", alignment(r)")
        XCTAssertTrue(try read("a.rtf").contains("\\pard\\intbl\\qr {-0.0365{\\super ***}}\\cell"))
        XCTAssertThrowsError(try s.run(source: "esttab using \"\(path("z.tex"))\", page fragment")) { e in XCTAssertEqual((e as? StataError)?.code, 198) }
    }

    /// A format option wins over the suffix; a bare name gets the format's suffix; replace/append.
    func testFormatOptionsAndFileRules() throws {
        let (s, log) = try EstimationEsttabTests.session()
        try s.run(source: "esttab using \"\(path("x.txt"))\", html")
        XCTAssertTrue(try read("x.txt").hasPrefix("<table"))
        try s.run(source: "esttab using \"\(path("bare"))\", rtf")
        XCTAssertTrue(try read("bare.rtf").hasPrefix("{\\rtf1"))
        _ = log()
        try s.run(source: "esttab using \"\(path("m.html"))\", markdown")
        XCTAssertTrue(try read("m.html").hasPrefix("|  | (1)"))
        XCTAssertTrue(log().contains("(output written to"))
        try s.run(source: "esttab using \"\(path("b.md"))\", tex")
        XCTAssertTrue(try read("b.md").contains("\\begin{tabular}"))
        try s.run(source: "esttab using \"\(path("any.dat"))\"")
        XCTAssertTrue(try read("any.dat").hasPrefix("-----"), "fixed-format text for other suffixes")
        // Screen output in a document format, as esttab does.
        _ = log()
        try s.run(source: "esttab, html keep(treat_post)")
        XCTAssertTrue(log().hasPrefix("<table"))
        // The file exists: r(602) without replace; append adds; replace rewrites; not both.
        XCTAssertThrowsError(try s.run(source: "esttab using \"\(path("any.dat"))\"")) { e in XCTAssertEqual((e as? StataError)?.code, 602) }
        let once = try read("any.dat")
        try s.run(source: "esttab using \"\(path("any.dat"))\", append")
        XCTAssertEqual(try read("any.dat"), once + once)
        try s.run(source: "esttab using \"\(path("any.dat"))\", replace keep(treat_post)")
        XCTAssertFalse(try read("any.dat").contains("lpop"))
        try s.run(source: "esttab using \"\(path("new.tex"))\", append")
        XCTAssertTrue(try read("new.tex").contains("\\begin{tabular}"), "append creates a missing file")
        for bad in ["replace append", "html rtf", "tex md"] {
            XCTAssertThrowsError(try s.run(source: "esttab using \"\(path("z.txt"))\", \(bad)"), bad) { e in XCTAssertEqual((e as? StataError)?.code, 198, bad) }
        }
    }
}
