// Layout of the estimation output against Stata's own: the ANOVA header and coefficient table of
// `regress mpg weight foreign` on Stata's auto data, as printed in the Stata 17 manual ([R] regress,
// example 1). The table is rendered from an e() filled with the published numbers, so the test
// checks the display layer only (column widths, %9.0g/%10.0g numbers, t and p).

import DidFrame
@testable import DidLang
import XCTest

final class EstimationDisplayTests: XCTestCase {
    func autoResults() -> StoredResults {
        var e = StoredResults()
        e.set("cmd", "regress"); e.set("vce", "ols"); e.set("depvar", "mpg")
        for (k, v) in [("N", 74.0), ("df_m", 2), ("df_r", 71), ("mss", 1619.287698), ("rss", 824.171761), ("F", 69.75),
                       ("F_p", 1.8e-17), ("r2", 0.66270), ("r2_a", 0.65320), ("rmse", 3.4071), ("level", 95)] { e.set(k, v) }
        let names = ["weight", "foreign", "_cons"]
        let b = [-0.0065879, -1.650029, 41.6797], se = [0.0006371, 1.075994, 2.165547]
        e.set("b", NamedMatrix(rows: 1, cols: 3, data: b, rowNames: ["mpg"], colNames: names))
        var V = NamedMatrix(rows: 3, cols: 3, rowNames: names, colNames: names)
        for i in 0..<3 { V[i, i] = se[i] * se[i] }
        e.set("V", V)
        return e
    }

    func render(_ e: StoredResults) throws -> [String] {
        let s = Session()
        var out = ""
        s.output = { t, _ in out += t }
        try EstimationTable.show(e, s)
        return out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Root MSE below 1: a Stata log of `reg tc vi` (N = 4,020; bbs.pinggu.org) shows the ANOVA
    /// rows `.642918735 / 96.8134192 / 97.4563379` and "Root MSE = .15523" (five significant
    /// digits, no leading zero), not %9.4f's 0.1552.
    func testRegressRootMSEHasFiveSignificantDigits() throws {
        var e = autoResults()
        for (k, v) in [("N", 4020.0), ("df_m", 1), ("df_r", 4018), ("mss", 0.642918735), ("rss", 96.8134192),
                       ("F", 26.68), ("F_p", 2.5e-7), ("r2", 0.0066), ("r2_a", 0.0063), ("rmse", (96.8134192 / 4018).squareRoot())] {
            e.set(k, v)
        }
        let lines = try render(e)
        XCTAssertTrue(lines.contains { $0.hasPrefix("       Model |  .642918735         1  .642918735") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("       Total |  97.4563379     4,019  .024248902   Root MSE        =    .15523") },
                      lines.joined(separator: "\n"))
    }

    /// xtreg, fe header against a Stata 17 log (an `xtreg ..., fe vce(cluster id)` whose model
    /// had no identified slope: F(0, 113) and its p missing), numbers set from that log.
    func testXtregHeaderMatchesStata17() throws {
        var e = StoredResults()
        e.set("cmd", "xtreg"); e.set("ivar", "id"); e.set("title", "Fixed-effects (within) regression")
        for (k, v) in [("N", 2257.0), ("N_g", 114), ("r2_w", 1), ("r2_b", 1), ("r2_o", 1), ("g_min", 1), ("g_avg", 19.8),
                       ("g_max", 26), ("df_m", 0), ("df_r", 113), ("corr", 0.7837)] { e.set(k, v) }
        e.set("F", Missing.dot); e.set("F_p", Missing.dot)
        let s = Session()
        var out = ""
        s.output = { t, _ in out += t }
        PanelStatistics.xtregHeader(e, s)
        XCTAssertEqual(out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), [
            "Fixed-effects (within) regression               Number of obs     =      2,257",
            "Group variable: id                              Number of groups  =        114",
            "",
            "R-squared:                                      Obs per group:",
            "     Within  = 1.0000                                         min =          1",
            "     Between = 1.0000                                         avg =       19.8",
            "     Overall = 1.0000                                         max =         26",
            "",
            "                                                F(0, 113)         =          .",
            "corr(u_i, Xb) = 0.7837                          Prob > F          =          .",
            "",
        ])
    }

    /// The robust header's Root MSE: regress keeps five significant digits (a Stata log of
    /// `reg winner red home goals, robust`, N = 760: "Root MSE = .35716"); areg prints four
    /// decimals (an areg log: "Root MSE = 0.4398").
    func testRobustHeaderRootMSE() throws {
        var e = autoResults()
        e.set("vce", "robust"); e.set("vcetype", "Robust"); e.set("rmse", 0.357163)
        let robust = try render(e)
        XCTAssertTrue(robust.contains { $0.hasSuffix("Root MSE          =     .35716") }, robust.joined(separator: "\n"))
        e.set("cmd", "areg"); e.set("absvars", "city_id"); e.set("rmse", 0.43981)
        let areg = try render(e)
        XCTAssertTrue(areg.contains { $0.hasSuffix("Root MSE          =     0.4398") }, areg.joined(separator: "\n"))
    }

    func testRegressAnovaHeaderMatchesStata() throws {
        let lines = try render(autoResults())
        let header = [
            "      Source |       SS           df       MS      Number of obs   =        74",
            "-------------+----------------------------------   F(2, 71)        =     69.75",
            "       Model |   1619.2877         2  809.643849   Prob > F        =    0.0000",
            "    Residual |  824.171761        71   11.608053   R-squared       =    0.6627",
            "-------------+----------------------------------   Adj R-squared   =    0.6532",
            "       Total |  2443.45946        73  33.4720474   Root MSE        =    3.4071",
        ]
        XCTAssertEqual(Array(lines[1...6]), header)
        let table = [
            "------------------------------------------------------------------------------",
            "         mpg | Coefficient  Std. err.      t    P>|t|     [95% conf. interval]",
            "-------------+----------------------------------------------------------------",
        ]
        XCTAssertEqual(Array(lines[8...10]), table)
        // Coefficient, SE, t and p exactly; the interval's last digit depends on the unrounded inputs.
        XCTAssertEqual(String(lines[11].prefix(53)), "      weight |  -.0065879   .0006371   -10.34   0.000")
        XCTAssertEqual(String(lines[12].prefix(53)), "     foreign |  -1.650029   1.075994    -1.53   0.130")
        XCTAssertEqual(String(lines[13].prefix(53)), "       _cons |    41.6797   2.165547    19.25   0.000")
        XCTAssertEqual(lines[12].count, 78)
        XCTAssertEqual(lines[14], String(repeating: "-", count: 78))
        XCTAssertTrue(lines.allSatisfy { $0.count <= 78 }, "lines wider than 78 columns")
    }

    func testRobustAndHdfeHeaderColumns() throws {
        var e = autoResults()
        e.set("vce", "robust"); e.set("vcetype", "Robust"); e.set("title", "Linear regression")
        var lines = try render(e)
        XCTAssertEqual(lines[1], "Linear regression                               Number of obs     =         74")
        XCTAssertEqual(lines[2], "                                                F(2, 71)          =      69.75")
        XCTAssertTrue(lines.contains("             |               Robust"))
        XCTAssertTrue(lines.contains("         mpg | Coefficient  std. err.      t    P>|t|     [95% conf. interval]"))
        e.set("cmd", "reghdfe"); e.set("N_hdfe", 2); e.set("r2_within", 0.1928); e.set("absvars", "a b")
        lines = try render(e)
        XCTAssertEqual(lines[1], "HDFE Linear regression                            Number of obs   =         74")
        XCTAssertEqual(lines[2], "Absorbing 2 HDFE groups                           F(   2,     71) =      69.75")
        XCTAssertTrue(lines.contains("                                                  Within R-sq.    =     0.1928"))
    }

    func testFactorRowsAreGrouped() {
        XCTAssertEqual(EstimationTable.RowLabel("2004.year").group, "year")
        XCTAssertEqual(EstimationTable.RowLabel("2004.year").label, "2004")
        XCTAssertTrue(EstimationTable.RowLabel("0b.treat").hidden)
        XCTAssertTrue(EstimationTable.RowLabel("0b.treat#1o.post").hidden)
        XCTAssertEqual(EstimationTable.RowLabel("1.treat#1.post").label, "1 1")
        XCTAssertEqual(EstimationTable.RowLabel("1.treat#1.post").group, "treat#post")
        XCTAssertTrue(EstimationTable.RowLabel("o.x3").omitted)
        XCTAssertEqual(EstimationTable.RowLabel("o.x3").label, "x3")
        XCTAssertEqual(EstimationTable.RowLabel("L2.x").label, "L2.")
        XCTAssertEqual(EstimationTable.RowLabel("c.x#c.z").label, "c.x#c.z")
        XCTAssertEqual(FactorVarlist.omittedName("2007.year"), "2007o.year")
        XCTAssertEqual(FactorVarlist.omittedName("x"), "o.x")
        XCTAssertEqual(FactorVarlist.omittedName("1.a#c.x"), "1o.a#co.x")
    }
}
