// esttab/estout: table content (stars from the models' own p-values, SEs/t in parentheses, FE
// Yes/No rows from e(absvars), indicate(), keep/drop/order, stats) and the Markdown, LaTeX and
// CSV files with the replace rule.

import DidFrame
@testable import DidLang
import Foundation
import XCTest

final class EstimationEsttabTests: XCTestCase {
    func session() throws -> (Session, () -> String) {
        let s = Session()
        var log = ""
        s.output = { t, _ in log += t }
        let path = EstimationCommandTests.data.appendingPathComponent("mpdta.dta").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "reference dataset missing")
        try s.run(source: "use \"\(path)\", clear")
        try s.run(source: "gen treat_post = (first_treat > 0 & year >= first_treat)")
        try s.run(source: "eststo: quietly regress lemp treat_post lpop")
        try s.run(source: "eststo: quietly reghdfe lemp treat_post, absorb(countyreal year) vce(cluster countyreal)")
        try s.run(source: "eststo: quietly reghdfe lemp treat_post i.year, absorb(countyreal) vce(cluster countyreal)")
        return (s, { let l = log; log = ""; return l })
    }

    /// Stars as the brief defines them: * p < .10, ** p < .05, *** p < .01.
    func testStarsFollowPValues() {
        let levels = [("*", 0.10), ("**", 0.05), ("***", 0.01)]
        XCTAssertEqual(EsttabTable.star(0.2, levels), "")
        XCTAssertEqual(EsttabTable.star(0.09, levels), "*")
        XCTAssertEqual(EsttabTable.star(0.05, levels), "*")
        XCTAssertEqual(EsttabTable.star(0.049, levels), "**")
        XCTAssertEqual(EsttabTable.star(0.0099, levels), "***")
    }

    func testScreenTable() throws {
        let (s, log) = try session()
        _ = log()
        try s.run(source: "esttab, stats(N r2_within) indicate(\"Year dummies = *.year\") mtitles(\"OLS\" \"TWFE\" \"FE\")")
        let out = log()
        let lines = out.split(separator: "\n").map(String.init)
        // Coefficient and its SE, each model's stars from its own p-value.
        let b = s.storedEstimates[1].results
        let (coef, se, p) = try EsttabTable.estimate("treat_post", b)
        XCTAssertLessThan(p, 0.01)
        let row = try XCTUnwrap(lines.first { $0.hasPrefix("treat_post") })
        XCTAssertTrue(row.contains(String(format: "%.3f***", coef)), row)
        XCTAssertTrue(out.contains(String(format: "(%.3f)", se)), out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Year dummies") && $0.hasSuffix("No         No        Yes") }, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("countyreal FE") && $0.hasSuffix("No        Yes        Yes") }, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("year FE") && $0.hasSuffix("No        Yes         No") }, out)
        XCTAssertFalse(out.contains("2004.year"), "indicated coefficients are not listed")
        XCTAssertTrue(lines.contains { $0.hasPrefix("N ") && $0.hasSuffix("2500       2500       2500") }, out)
        XCTAssertTrue(out.contains("* p<0.1, ** p<0.05, *** p<0.01"))
        XCTAssertTrue(out.contains("OLS") && out.contains("TWFE"))
    }

    func testEstimatesTable() throws {
        let (s, log) = try session()
        _ = log()
        try s.run(source: "estimates table est1 est2, se stats(N r2)")
        let lines = log().split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("    Variable |") && $0.contains("est1") && $0.contains("est2") }, lines.joined(separator: "\n"))
        let b = try EsttabTable.estimate("treat_post", s.storedEstimates[0].results)
        let row = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("  treat_post |") })
        XCTAssertTrue(lines[row].contains(EsttabTable.fmt(b.0, "%9.0g")), lines[row])
        XCTAssertTrue(lines[row + 1].contains(EsttabTable.fmt(b.1, "%9.0g")), lines[row + 1])
        XCTAssertTrue(lines.contains { $0.hasPrefix("           N |") && $0.contains("2500") })
        XCTAssertTrue(lines.last?.hasSuffix("Legend: b/se") == true)
        try s.run(source: "estimates table, star keep(treat_post)")
        let out = log()
        XCTAssertTrue(out.contains("Legend: * p<0.05; ** p<0.01; *** p<0.001"), out)
        XCTAssertFalse(out.contains("_cons"))
        XCTAssertThrowsError(try s.run(source: "estimates table, star se")) { e in XCTAssertEqual((e as? StataError)?.code, 198) }
    }

    func testKeepDropOrderAndFiles() throws {
        let (s, log) = try session()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("esttab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let md = dir.appendingPathComponent("t.md").path, tex = dir.appendingPathComponent("t.tex").path
        let csv = dir.appendingPathComponent("t.csv").path
        try s.run(source: "esttab est1 est2 using \"\(md)\", keep(treat_post)")
        let mdText = try String(contentsOfFile: md, encoding: .utf8)
        XCTAssertTrue(mdText.hasPrefix("| | (1) | (2) |\n|---|---:|---:|"), mdText)
        XCTAssertFalse(mdText.contains("_cons"))
        XCTAssertTrue(log().contains("(output written to"))
        try s.run(source: "esttab using \"\(tex)\", t drop(_cons *.year)")
        let texText = try String(contentsOfFile: tex, encoding: .utf8)
        XCTAssertTrue(texText.contains("\\begin{tabular}{l*{3}{c}}"))
        XCTAssertTrue(texText.contains("treat\\_post &"))
        XCTAssertTrue(texText.contains("t statistics in parentheses"))
        try s.run(source: "esttab using \"\(csv)\", order(lpop) nostar")
        let csvLines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csvLines[0], "\"\",\"(1)\",\"(2)\",\"(3)\"")
        XCTAssertTrue(csvLines[2].hasPrefix("\"lpop\""), String(csvLines[2]))
        XCTAssertFalse(csvLines.joined().contains("*"))
        // Existing file without replace: r(602); with replace it is rewritten.
        XCTAssertThrowsError(try s.run(source: "esttab using \"\(csv)\"")) { e in XCTAssertEqual((e as? StataError)?.code, 602) }
        try s.run(source: "esttab using \"\(csv)\", replace keep(treat_post)")
        XCTAssertFalse(try String(contentsOfFile: csv, encoding: .utf8).contains("lpop"))
        XCTAssertThrowsError(try s.run(source: "esttab nosuch")) { e in XCTAssertEqual((e as? StataError)?.code, 111) }
    }
}
