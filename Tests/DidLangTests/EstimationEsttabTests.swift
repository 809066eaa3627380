// esttab/estout: table content against esttab's rules — the adaptive a3 format (pinned to the
// examples in estout's esttab.hlp), t statistics in parentheses by default, stars from each
// model's own p-value, cells pinned to the reghdfe reference values of mpdta
// (reference/values/reghdfe.json, case reghdfe_mpdta_2fe_cluster), FE Yes/No rows from
// e(absvars), indicate(), keep/drop/order, the footer (stats(), scalars(), r2, label) and header
// options; `estimates table` built on the same content.

import DidFrame
import DidStats
@testable import DidLang
import Foundation
import XCTest

final class EstimationEsttabTests: XCTestCase {
    /// mpdta with three stored models: OLS, TWFE (county and year FE), county FE + year dummies.
    static func session() throws -> (Session, () -> String) {
        let s = Session()
        var log = ""
        s.output = { t, _ in log += t }
        let path = EstimationCommandTests.data.appendingPathComponent("mpdta.dta").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "reference dataset missing")
        try s.run(source: "use \"\(path)\", clear")
        try s.run(source: "gen treat_post = (first_treat > 0 & year >= first_treat)")
        try s.run(source: "label variable lpop \"Log population\"")
        try s.run(source: "label variable lemp \"Log employment\"")
        try s.run(source: "eststo: quietly regress lemp treat_post lpop")
        try s.run(source: "eststo: quietly reghdfe lemp treat_post, absorb(countyreal year) vce(cluster countyreal)")
        try s.run(source: "eststo: quietly reghdfe lemp treat_post i.year, absorb(countyreal) vce(cluster countyreal)")
        return (s, { let l = log; log = ""; return l })
    }

    func session() throws -> (Session, () -> String) { try Self.session() }

    /// Output lines of one esttab call.
    func lines(_ s: Session, _ log: () -> String, _ cmd: String) throws -> [String] {
        _ = log()
        try s.run(source: cmd)
        var out = log().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if out.last == "" { out.removeLast() }
        return out
    }

    /// A line of esttab's fixed layout, restated from esttab.ado/estout.ado: the label left-aligned
    /// in `vw`, then per model a blank, the number right-aligned in `mw` and its stars in `sw`.
    func fixedLine(_ label: String, _ cells: [String], vw: Int, mw: Int = 12, sw: Int = 3) -> String {
        var s = label.padding(toLength: max(vw, label.count), withPad: " ", startingAt: 0)
        for c in cells {
            let stars = c.reversed().prefix { $0 == "*" }.count
            let core = String(c.dropLast(stars))
            s += " " + String(repeating: " ", count: max(0, mw - core.count)) + core
                + String(c.suffix(stars)).padding(toLength: sw, withPad: " ", startingAt: 0)
        }
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    /// Stars as the brief defines them: * p < .10, ** p < .05, *** p < .01.
    func testStarsFollowPValues() {
        let levels = [("*", 0.10), ("**", 0.05), ("***", 0.01)]
        XCTAssertEqual(EsttabTable.star(0.2, levels), "")
        XCTAssertEqual(EsttabTable.star(0.09, levels), "*")
        XCTAssertEqual(EsttabTable.star(0.05, levels), "*")
        XCTAssertEqual(EsttabTable.star(0.049, levels), "**")
        XCTAssertEqual(EsttabTable.star(0.0099, levels), "***")
        XCTAssertEqual(EsttabTable.star(Missing.dot, levels), "")
    }

    /// estout's a3 format, pinned to esttab.hlp's examples (auto data: `esttab, ar2` next to the
    /// same numbers in `esttab, ar2 plain`) and the rules the help states.
    func testAdaptiveFormatMatchesEsttabHelp() throws {
        let pinned: [(Double, String)] = [(1.746559, "1.747"), (3.464706, "3.465"), (-49.51222, "-49.51"), (21.8536, "21.85"),
                                          (3673.06, "3673.1"), (1946.069, "1946.1"), (-5853.696, "-5853.7"), (74, "74"),
                                          (0.00123456, "0.00123"), (1.23456, "1.235"), (12.3456, "12.35"), (1234.56, "1234.6"),
                                          (-0.0974, "-0.0974"), (0.5, "0.500")]
        for (x, want) in pinned { XCTAssertEqual(EsttabTable.fmt(x, "a3"), want, "\(x)") }
        XCTAssertEqual(EsttabTable.fmt(0.2734846, try EsttabCommand.format("3")), "0.273")
        XCTAssertEqual(EsttabTable.fmt(2.723238, try EsttabCommand.format("2")), "2.72")
        XCTAssertEqual(EsttabTable.fmt(0.0123456, "a2"), "0.012")
        XCTAssertEqual(EsttabTable.fmt(3.464706, try EsttabCommand.format("%9.0g")), "3.464706")
        XCTAssertEqual(try EsttabCommand.format("a"), "a3")
        XCTAssertEqual(try EsttabCommand.format("g"), "%9.0g")
        XCTAssertThrowsError(try EsttabCommand.format("x7")) { e in XCTAssertEqual((e as? StataError)?.code, 198) }
    }

    /// Default table: esttab's layout (12-character label column, 12-character number columns with
    /// the stars in a 3-character slot), b in a3, t with two decimals, N, both notes.
    func testScreenTableDefaults() throws {
        let (s, log) = try session()
        let out = try lines(s, log, "esttab")
        // The label column widens from 12 to the longest label, "countyreal FE".
        let vw = 13
        XCTAssertEqual(out[0], String(repeating: "-", count: vw + 3 * (1 + 12 + 3)))
        XCTAssertEqual(out[1], fixedLine("", ["(1)", "(2)", "(3)"], vw: vw))
        XCTAssertEqual(out[2], fixedLine("", ["lemp", "lemp", "lemp"], vw: vw))
        // Model 2 is the reference case reghdfe_mpdta_2fe_cluster: b -0.036548937, t -2.7552588, p 0.00608.
        let row = try XCTUnwrap(out.firstIndex { $0.hasPrefix("treat_post") })
        let (b1, se1, p1) = try EsttabTable.estimate("treat_post", s.storedEstimates[0].results)
        let star1 = EsttabTable.star(p1, [("*", 0.10), ("**", 0.05), ("***", 0.01)])
        XCTAssertEqual(out[row], fixedLine("treat_post", [EsttabTable.fmt(b1, "a3") + star1, "-0.0365***", "-0.0365***"], vw: vw))
        XCTAssertEqual(out[row + 1], fixedLine("", [String(format: "(%.2f)", b1 / se1), "(-2.76)", "(-2.76)"], vw: vw))
        XCTAssertEqual(out[row + 2], "", "gap between coefficients")
        let cons = try XCTUnwrap(out.firstIndex { $0.hasPrefix("_cons") })
        XCTAssertTrue(out[cons + 1].contains("(3741.28)"), "t of _cons 3741.276448743067")
        // estout merges the models' coefficients with _cons last: model 3's year dummies come before it.
        XCTAssertLessThan(try XCTUnwrap(out.firstIndex { $0.hasPrefix("2007.year") }), cons)
        XCTAssertLessThan(try XCTUnwrap(out.firstIndex { $0.hasPrefix("lpop") }), try XCTUnwrap(out.firstIndex { $0.hasPrefix("2004.year") }))
        XCTAssertTrue(out.contains(fixedLine("N", ["2500", "2500", "2500"], vw: vw)), out.joined(separator: "\n"))
        XCTAssertEqual(Array(out.suffix(2)), ["t statistics in parentheses", "* p<0.10, ** p<0.05, *** p<0.01"])
        // FE rows from e(absvars), one block each.
        XCTAssertTrue(out.contains(fixedLine("countyreal FE", ["No", "Yes", "Yes"], vw: vw)), out.joined(separator: "\n"))
        XCTAssertTrue(out.contains(fixedLine("year FE", ["No", "Yes", "No"], vw: vw)))
        XCTAssertTrue(out.contains(fixedLine("2004.year", ["", "", "-0.0531***"], vw: vw)))
    }

    func testIndicateAndMtitles() throws {
        let (s, log) = try session()
        var out = try lines(s, log, "esttab, stats(N r2_within) indicate(\"Year dummies = *.year\") mtitles(\"OLS\" \"TWFE\" \"FE\")")
        XCTAssertTrue(out.contains(fixedLine("Year dummies", ["No", "No", "Yes"], vw: 13)), out.joined(separator: "\n"))
        XCTAssertFalse(out.contains { $0.contains("2004.year") }, "indicated coefficients are not listed")
        XCTAssertEqual(out[2], fixedLine("", ["OLS", "TWFE", "FE"], vw: 13))
        // stats(): the coefficients' format (a3) when no fmt(); names as labels. r2_within of the
        // reference TWFE is 0.00416920516061281.
        XCTAssertTrue(out.contains { $0.hasPrefix("r2_within") && $0.contains("0.00417") }, out.joined(separator: "\n"))
        // One unquoted group may have blanks in its name; labels() changes Yes/No.
        out = try lines(s, log, "esttab, indicate(year effects = *.year, labels(Y N)) nofe")
        XCTAssertTrue(out.contains(fixedLine("year effects", ["N", "N", "Y"], vw: 12)), out.joined(separator: "\n"))
        XCTAssertFalse(out.contains { $0.hasPrefix("countyreal FE") }, "nofe")
        // mtitles without a list: the stored sets' titles, else names; nodepvars: names.
        out = try lines(s, log, "esttab, mtitles")
        XCTAssertEqual(out[2], fixedLine("", ["est1", "est2", "est3"], vw: 13))
        out = try lines(s, log, "esttab, nodepvars nonumbers")
        XCTAssertEqual(out[1], fixedLine("", ["est1", "est2", "est3"], vw: 13))
        out = try lines(s, log, "esttab, nomtitles nonumbers")
        XCTAssertEqual(out[1], out[0], "no header rows: the two rules meet")
        XCTAssertThrowsError(try s.run(source: "esttab, mtitles nomtitles")) { e in XCTAssertEqual((e as? StataError)?.code, 198) }
        for bad in ["indicate(= )", "indicate(\"a=\")", "indicate(\"a = x\" \"b =\")", "coeflabels(a)", "rename(a)", "level(5)", "b(a0)"] {
            XCTAssertThrowsError(try s.run(source: "esttab, \(bad)"), bad) { e in XCTAssertEqual((e as? StataError)?.code, 198, bad) }
        }
    }

    /// se/p/z/not/abs/brackets/noparentheses and star(): what is in parentheses and the notes.
    func testAuxiliaryStatisticsAndStars() throws {
        let (s, log) = try session()
        var out = try lines(s, log, "esttab est2, se keep(treat_post)")
        XCTAssertTrue(out.contains { $0.hasPrefix("      ") && $0.contains("(0.0133)") }, "SE 0.013265155 in a3")
        XCTAssertEqual(out.suffix(2).first, "Standard errors in parentheses")
        out = try lines(s, log, "esttab est2, se(4) b(%9.5f) keep(treat_post)")
        XCTAssertTrue(out.contains { $0.contains("-0.03655***") } && out.contains { $0.contains("(0.0133)") }, out.joined(separator: "\n"))
        out = try lines(s, log, "esttab est2, p keep(treat_post) brackets")
        XCTAssertTrue(out.contains { $0.contains("[0.006]") }, "p 0.006078952 in three decimals")
        XCTAssertTrue(out.contains("p-values in brackets"))
        out = try lines(s, log, "esttab est2, abs t(3) keep(treat_post) noparentheses")
        XCTAssertTrue(out.contains { $0.trimmingCharacters(in: .whitespaces) == "2.755" }, out.joined(separator: "\n"))
        XCTAssertTrue(out.contains("Absolute t statistics in second row"))
        out = try lines(s, log, "esttab est2, z keep(treat_post)")
        XCTAssertTrue(out.contains("z statistics in parentheses"))
        out = try lines(s, log, "esttab est2, not keep(treat_post)")
        XCTAssertFalse(out.contains { $0.contains("(-2.76)") })
        XCTAssertFalse(out.contains { $0.contains("statistics in") })
        // Own star levels: esttab prints them as typed; p = 0.00608 is below .01 but not .001.
        out = try lines(s, log, "esttab est2, star(+ 0.10 * 0.05 ** 0.01 *** 0.001) keep(treat_post)")
        XCTAssertTrue(out.contains { $0.hasSuffix("-0.0365**") }, out.joined(separator: "\n"))
        XCTAssertEqual(out.last, "+ p<0.10, * p<0.05, ** p<0.01, *** p<0.001")
        out = try lines(s, log, "esttab est2, nostar keep(treat_post)")
        XCTAssertTrue(out.contains { $0.hasSuffix("-0.0365") })
        XCTAssertFalse(out.contains { $0.contains("p<") })
        for bad in ["star(* 0.01 ** 0.05)", "star(* 0.1 **)", "star(* 1.5)", "se p", "star nostar", "b(%q)"] {
            XCTAssertThrowsError(try s.run(source: "esttab, \(bad)"), bad) { e in XCTAssertEqual((e as? StataError)?.code, 198, bad) }
        }
    }

    /// esttab's footer without stats(): N first (Observations under label), r2/ar2 in three
    /// decimals, scalars() with their labels and sfmt(), noobs, obslast; addnotes before the legend.
    func testFooterLabelsAndNotes() throws {
        let (s, log) = try session()
        var out = try lines(s, log, "esttab est2, r2 ar2 scalars(\"r2_within Within R2\" N_clust) sfmt(4 0) keep(treat_post) addnotes(\"Clustered by county.\" \"Second note\")")
        let foot = try XCTUnwrap(out.firstIndex { $0.hasPrefix("N ") })
        XCTAssertEqual(out[foot], fixedLine("N", ["2500"], vw: 13))
        XCTAssertEqual(out[foot + 1], fixedLine("R-sq", ["0.993"], vw: 13), "r2 0.9932184859396558")
        XCTAssertTrue(out[foot + 2].hasPrefix("adj. R-sq"))
        XCTAssertEqual(out[foot + 3], fixedLine("Within R2", ["0.0042"], vw: 13), "r2_within 0.00416920516061281")
        XCTAssertEqual(out[foot + 4], fixedLine("N_clust", ["500"], vw: 13))
        XCTAssertEqual(Array(out.suffix(4)), ["t statistics in parentheses", "Clustered by county.", "Second note", "* p<0.10, ** p<0.05, *** p<0.01"])
        out = try lines(s, log, "esttab est2, r2 obslast label keep(treat_post) nonotes")
        XCTAssertTrue(out[out.count - 3].hasPrefix("R-squared"), out.joined(separator: "\n"))
        XCTAssertTrue(out[out.count - 2].hasPrefix("Observations"))
        XCTAssertTrue(out[2].hasSuffix("Log employment"), "label: depvar label as title")
        out = try lines(s, log, "esttab est2, noobs keep(treat_post)")
        XCTAssertFalse(out.contains { $0.hasPrefix("N ") })
        out = try lines(s, log, "esttab est2, stats(N r2 r2_within, labels(\"Obs.\" \"R2\") fmt(%9.0fc 2)) keep(treat_post)")
        XCTAssertTrue(out.contains(fixedLine("Obs.", ["2,500"], vw: 13)), out.joined(separator: "\n"))
        XCTAssertTrue(out.contains(fixedLine("R2", ["0.99"], vw: 13)))
        XCTAssertTrue(out.contains(fixedLine("r2_within", ["0.00"], vw: 13)), "last fmt() for the remaining rows, the name as label")
        // aic/bic as `estimates table` computes them (-2 ll + 2k, -2 ll + ln(N) k); e() macros as text.
        let e1 = s.storedEstimates[0].results
        let ll = try XCTUnwrap(e1.scalars["ll"]), k = 3.0, n = 2500.0
        out = try lines(s, log, "esttab est1, aic bic(%9.2f) keep(treat_post) nofe")
        XCTAssertTrue(out.contains(fixedLine("AIC", [EsttabTable.fmt(-2 * ll + 2 * k, "a3")], vw: 12)), out.joined(separator: "\n"))
        XCTAssertTrue(out.contains(fixedLine("BIC", [String(format: "%.2f", -2 * ll + Foundation.log(n) * k)], vw: 12)))
        out = try lines(s, log, "esttab est1 est2, stats(cmd rank) keep(treat_post) nofe")
        XCTAssertTrue(out.contains(fixedLine("cmd", ["regress", "reghdfe"], vw: 12)), out.joined(separator: "\n"))
    }

    func testLabelsCoeflabelsCompressPlain() throws {
        let (s, log) = try session()
        var out = try lines(s, log, "esttab est1, label coeflabels(treat_post \"Treated x post\") noconstant title(\"Table 1\")")
        XCTAssertEqual(out[0], "Table 1")
        XCTAssertEqual(out[1].count, 20 + 1 + 14 + 3, "20-character labels with label; the column widens to the title Log employment")
        XCTAssertTrue(out.contains { $0.hasPrefix("Treated x post      ") })
        XCTAssertTrue(out.contains { $0.hasPrefix("Log population") })
        XCTAssertFalse(out.contains { $0.hasPrefix("Constant") || $0.hasPrefix("_cons") })
        out = try lines(s, log, "esttab, compress")
        XCTAssertEqual(out[0].count, 13 + 3 * (1 + 9 + 3), "compress: 9-character columns (labels widen to countyreal FE)")
        out = try lines(s, log, "esttab est1 est2, plain keep(treat_post) nofe")
        // As esttab.hlp's `esttab, ar2 plain`: names and b/t over the columns, %9.0g, no star slot.
        XCTAssertEqual(out[0], "                     est1         est2")
        XCTAssertEqual(out[1], "                      b/t          b/t")
        XCTAssertTrue(out[2].hasPrefix("treat_post") && out[2].contains("-.0365489"), out[2])
        XCTAssertTrue(out[3].contains("-2.755259"), out[3])
        XCTAssertEqual(out.count, 5, "no rules, gaps or notes")
    }

    /// Interactions print with estout's " # " (" $\times$ " in LaTeX), or interaction(); label
    /// labels each continuous part; varlabels() is coeflabels().
    func testInteractionLabels() throws {
        let (s, log) = try session()
        try s.run(source: "gen treated = first_treat > 0")
        try s.run(source: "gen post = year >= 2006")
        try s.run(source: "label variable treated \"Treated\"")
        try s.run(source: "quietly reghdfe lemp c.treated#c.post, absorb(countyreal year)")
        var out = try lines(s, log, "esttab ., nofe")
        XCTAssertTrue(out.contains { $0.hasPrefix("c.treated # c.post ") }, out.joined(separator: "\n"))
        out = try lines(s, log, "esttab ., nofe label interaction(\" x \")")
        XCTAssertTrue(out.contains { $0.hasPrefix("Treated x c.post ") }, out.joined(separator: "\n"))
        out = try lines(s, log, "esttab ., tex nonotes")
        XCTAssertTrue(out.contains { $0.hasPrefix("c.treated $\\times$ c.post&") }, out.joined(separator: "\n"))
        out = try lines(s, log, "esttab ., varlabels(c.treated#c.post \"DiD\") nofe")
        XCTAssertTrue(out.contains { $0.hasPrefix("DiD ") })
    }

    /// ci: the interval in brackets, pinned to reghdfe_mpdta_2fe_cluster's 95% bounds
    /// (-0.06261137742210898, -0.010486495926024977; _cons 5.773736954553014, 5.779804290759158);
    /// eform: exp(b) with SE exp(b)·se, t and stars from b; rename() merges rows across models.
    func testConfidenceIntervalsEformRename() throws {
        let (s, log) = try session()
        var out = try lines(s, log, "esttab est2, ci nofe")
        XCTAssertTrue(out.contains(fixedLine("", ["[-0.0626,-0.0105]"], vw: 12, mw: 22)), out.joined(separator: "\n"))
        XCTAssertTrue(out.contains(fixedLine("", ["[5.774,5.780]"], vw: 12, mw: 22)))
        XCTAssertTrue(out.contains("95% confidence intervals in brackets"))
        let e2 = s.storedEstimates[1].results
        let (b, se, _) = try EsttabTable.estimate("treat_post", e2)
        let lo90 = b - Distributions.invttail(499, 0.05) * se
        out = try lines(s, log, "esttab est2, ci(4) level(90) keep(treat_post) nofe")
        XCTAssertTrue(out.contains { $0.contains("[\(String(format: "%.4f", lo90)),") }, out.joined(separator: "\n"))
        XCTAssertTrue(out.contains("90% confidence intervals in brackets"))
        out = try lines(s, log, "esttab est1, eform se nofe")
        let (b1, se1, _) = try EsttabTable.estimate("lpop", s.storedEstimates[0].results)
        XCTAssertTrue(out.contains(fixedLine("lpop", [EsttabTable.fmt(Foundation.exp(b1), "a3") + "***"], vw: 12)), out.joined(separator: "\n"))
        XCTAssertTrue(out.contains(fixedLine("", ["(" + EsttabTable.fmt(Foundation.exp(b1) * se1, "a3") + ")"], vw: 12)))
        XCTAssertFalse(out.contains { $0.hasPrefix("_cons") }, "eform drops the constant")
        XCTAssertEqual(out.suffix(2).first, "Exponentiated coefficients; Standard errors in parentheses")
        out = try lines(s, log, "esttab est1, eform constant nofe")
        XCTAssertTrue(out.contains { $0.hasPrefix("_cons") })
        try s.run(source: "gen did = treat_post")
        try s.run(source: "eststo: quietly reghdfe lemp did, absorb(countyreal year)")
        out = try lines(s, log, "esttab est2 est4, rename(did treat_post) nofe")
        XCTAssertFalse(out.contains { $0.hasPrefix("did") })
        XCTAssertTrue(out.contains(fixedLine("treat_post", ["-0.0365***", "-0.0365***"], vw: 12)), out.joined(separator: "\n"))
        // reghdfe_mpdta_2fe_unadjusted: t -2.8900496727337304.
        XCTAssertTrue(out.contains(fixedLine("", ["(-2.76)", "(-2.89)"], vw: 12)))
    }

    /// esttab lists base levels and omitted coefficients as 0 with (.) (estout's
    /// estout_omitted_and_base), names without their b/o markers; nobaselevels/noomitted drop them.
    func testBaseLevelsAndOmitted() throws {
        let (s, log) = try session()
        try s.run(source: "quietly regress lemp lpop lpop")
        var out = try lines(s, log, "esttab est3, se keep(*.year) nofe")
        let base = try XCTUnwrap(out.firstIndex { $0.hasPrefix("2003.year") }, out.joined(separator: "\n"))
        XCTAssertEqual(out[base], fixedLine("2003.year", ["0"], vw: 12))
        XCTAssertEqual(out[base + 1], fixedLine("", ["(.)"], vw: 12), "no standard error where e(V) is 0")
        XCTAssertFalse(out.contains { $0.contains("2003b") })
        out = try lines(s, log, "esttab est3, nobaselevels keep(*.year) nofe")
        XCTAssertFalse(out.contains { $0.hasPrefix("2003.year") })
        XCTAssertTrue(out.contains { $0.hasPrefix("2004.year") })
        // o.lpop shares the row of the estimated lpop.
        out = try lines(s, log, "esttab ., nofe")
        XCTAssertEqual(out.filter { $0.hasPrefix("lpop") }.count, 1)
        XCTAssertTrue(EsttabTable.markers("1o.treated#0b.post") == (true, true))
        XCTAssertTrue(EsttabTable.markers("2003bn.year") == (false, false), "bn: no base, an estimate")
        XCTAssertTrue(EsttabTable.markers("co.x#c.z") == (false, true))
        XCTAssertThrowsError(try s.run(source: "esttab, baselevels nobaselevels")) { e in XCTAssertEqual((e as? StataError)?.code, 198) }
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

    func testKeepDropOrderAndModels() throws {
        let (s, log) = try session()
        var out = try lines(s, log, "esttab est1 est3, keep(treat_post lpop) order(lpop)")
        let lp = try XCTUnwrap(out.firstIndex { $0.hasPrefix("lpop") })
        let tp = try XCTUnwrap(out.firstIndex { $0.hasPrefix("treat_post") })
        XCTAssertLessThan(lp, tp)
        XCTAssertFalse(out.contains { $0.hasPrefix("_cons") })
        XCTAssertEqual(out[1], fixedLine("", ["(1)", "(2)"], vw: 13), "two models")
        out = try lines(s, log, "esttab est*, drop(_cons *.year)")
        XCTAssertFalse(out.contains { $0.hasPrefix("_cons") || $0.contains(".year") })
        XCTAssertTrue(out[1].hasSuffix("(3)"))
        out = try lines(s, log, "esttab _all, keep(treat_post)")
        XCTAssertTrue(out[1].hasSuffix("(3)"))
        XCTAssertThrowsError(try s.run(source: "esttab nosuch")) { e in XCTAssertEqual((e as? StataError)?.code, 111) }
        XCTAssertThrowsError(try s.run(source: "esttab, replace")) { e in XCTAssertEqual((e as? StataError)?.code, 198) }
        XCTAssertThrowsError(try s.run(source: "esttab, bogus")) { e in XCTAssertEqual((e as? StataError)?.code, 198) }
    }
}
