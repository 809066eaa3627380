// Language-level tests of the estimation commands: factor-variable expansion checked against
// regressions on hand-made dummies (an independent slow path), time-series operators against
// `gen` lags, predict against e(b) applied by hand, test vs lincom, stored estimates, replay and
// error codes. Data come from the shared reference bundle (the test fails if it is missing).

import DidFrame
@testable import DidLang
import Foundation
import XCTest

final class EstimationCommandTests: XCTestCase {
    static var data: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/reference/data").standardized
    }

    /// A session with `dataset` loaded; output collected in `log`.
    final class Run {
        let s = Session()
        var log = ""
        init(_ dataset: String) throws {
            s.output = { [unowned self] t, _ in self.log += t }
            let path = EstimationCommandTests.data.appendingPathComponent("\(dataset).dta").path
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), "reference dataset \(path) missing")
            try s.run(source: "use \"\(path)\", clear")
        }
        func run(_ lines: String...) throws { for l in lines { try s.run(source: l) } }
        func b(_ name: String) throws -> Double { try s.coefficient("b", name) }
        func se(_ name: String) throws -> Double { try s.coefficient("se", name) }
        func col(_ name: String) -> [Double] { s.frame.column(name)!.nums }
        var names: [String] { s.eResults.matrices["b"]?.colNames ?? [] }
    }

    func assertClose(_ a: Double, _ b: Double, rel: Double = 1e-10, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(a - b), rel * max(abs(a), abs(b)) + 1e-12, "\(what): \(a) vs \(b)", file: file, line: line)
    }

    func assertError(_ r: Run, _ line: String, code: Int, file: StaticString = #filePath, line l: UInt = #line) {
        do { try r.run(line); XCTFail("expected r(\(code)) from: \(line)", file: file, line: l) } catch let e as StataError {
            XCTAssertEqual(e.code, code, "\(line): \(e.message)", file: file, line: l)
        } catch { XCTFail("\(error)", file: file, line: l) }
    }

    // MARK: Factor variables

    func testFullFactorialNamesAndBaseColumns() throws {
        let r = try Run("mpdta")
        try r.run("gen post = (year >= 2006)", "regress lemp i.treat##i.post")
        XCTAssertEqual(r.names, ["0b.treat", "1.treat", "0b.post", "1.post", "0b.treat#0b.post", "0b.treat#1o.post",
                                 "1o.treat#0b.post", "1.treat#1.post", "_cons"])
        XCTAssertEqual(r.s.eResults.scalars["df_m"], 3)
        XCTAssertEqual(try r.b("0.treat"), 0)
        XCTAssertEqual(try r.se("0b.treat"), 0)
        // Base columns are not shown; the interaction group is.
        XCTAssertFalse(r.log.contains("(base)"))
        XCTAssertTrue(r.log.contains("  treat#post |"))
        // i.a#i.b alone estimates every cell but the all-base one.
        try r.run("regress lemp i.treat#i.post")
        XCTAssertEqual(r.names, ["0b.treat#0b.post", "0.treat#1.post", "1.treat#0.post", "1.treat#1.post", "_cons"])
        // Same fit from hand-made cell dummies.
        let full = try r.b("1.treat#1.post"), cons = try r.b("_cons")
        try r.run("gen c01 = (treat == 0 & post == 1)", "gen c10 = (treat == 1 & post == 0)", "gen c11 = (treat == 1 & post == 1)",
                  "regress lemp c01 c10 c11")
        assertClose(full, try r.b("c11"), "cell 1 1")
        assertClose(cons, try r.b("_cons"), "_cons")
    }

    func testBaseLevelChoicesMatchManualDummies() throws {
        let r = try Run("mpdta")
        try r.run("regress lemp ib2006.year lpop")
        XCTAssertEqual(Array(r.names.prefix(5)), ["2003.year", "2004.year", "2005.year", "2006b.year", "2007.year"])
        let fv = try ["2003", "2004", "2005", "2007"].map { try r.b("\($0).year") }
        let fvse = try ["2003", "2004", "2005", "2007"].map { try r.se("\($0).year") }
        try r.run("gen y3 = year == 2003", "gen y4 = year == 2004", "gen y5 = year == 2005", "gen y7 = year == 2007",
                  "regress lemp y3 y4 y5 y7 lpop")
        for (k, v) in ["y3", "y4", "y5", "y7"].enumerated() {
            assertClose(fv[k], try r.b(v), v)
            assertClose(fvse[k], try r.se(v), rel: 1e-8, v)
        }
        try r.run("regress lemp ib(last).year")
        XCTAssertTrue(r.names.contains("2007b.year"))
        try r.run("regress lemp ib(first).year")
        XCTAssertTrue(r.names.contains("2003b.year"))
        // A main effect keeps its base level under noconstant (Stata's rule; ibn. gives all levels).
        try r.run("regress lemp i.year, noconstant")
        XCTAssertEqual(r.names.first, "2003b.year")
        r.log = ""
        try r.run("regress lemp lpop, noheader")
        XCTAssertFalse(r.log.contains("Source |"))
        XCTAssertTrue(r.log.contains("Coefficient"))
        r.log = ""
        try r.run("regress lemp lpop, notable")
        XCTAssertTrue(r.log.contains("Source |"))
        XCTAssertFalse(r.log.contains("Coefficient"))
        // ibn without a constant: one coefficient per level = the level's mean of lemp.
        try r.run("regress lemp ibn.year, noconstant")
        XCTAssertEqual(r.names, ["2003.year", "2004.year", "2005.year", "2006.year", "2007.year"])
        let y = r.col("lemp"), yr = r.col("year")
        for level in [2003.0, 2005, 2007] {
            let vals = zip(y, yr).filter { $0.1 == level }.map(\.0)
            assertClose(try r.b("\(Int(level)).year"), vals.reduce(0, +) / Double(vals.count), "mean \(level)")
        }
    }

    func testContinuousInteractionsMatchGeneratedProducts() throws {
        let r = try Run("mpdta")
        try r.run("gen double lp2 = lpop*lpop", "gen double tl = treat*lpop",
                  "regress lemp c.lpop##c.lpop i.treat#c.lpop")
        XCTAssertEqual(r.names, ["lpop", "c.lpop#c.lpop", "0b.treat#co.lpop", "1.treat#c.lpop", "_cons"])
        let sq = try r.b("c.lpop#c.lpop"), slope1 = try r.b("1.treat#c.lpop")
        try r.run("regress lemp lpop lp2 tl")
        assertClose(sq, try r.b("lp2"), rel: 1e-8, "c.lpop#c.lpop")
        assertClose(slope1, try r.b("tl"), rel: 1e-8, "1.treat#c.lpop")
        try r.run("regress lemp i.treat##c.lpop")
        XCTAssertEqual(r.names, ["0b.treat", "1.treat", "lpop", "0b.treat#co.lpop", "1.treat#c.lpop", "_cons"])
        let inter = try r.b("1.treat#c.lpop")
        try r.run("regress lemp treat lpop tl")
        assertClose(inter, try r.b("tl"), rel: 1e-9, "i.treat##c.lpop slope")
        // Without the main effect every level gets its own slope.
        try r.run("regress lemp i.treat#c.lpop")
        XCTAssertEqual(r.names, ["0.treat#c.lpop", "1.treat#c.lpop", "_cons"])
    }

    func testMissingFactorLevelsDropRows() throws {
        let r = try Run("fx_missing")
        try r.run("regress y x1 i.year")
        let y = r.col("y"), x1 = r.col("x1"), yr = r.col("year")
        let complete = (0..<y.count).filter { !Missing.isMissing(y[$0]) && !Missing.isMissing(x1[$0]) && !Missing.isMissing(yr[$0]) }.count
        XCTAssertEqual(r.s.eResults.scalars["N"], Double(complete))
        XCTAssertLessThan(complete, y.count)
        XCTAssertEqual(r.s.eResults.sample?.filter { $0 }.count, complete)
    }

    func testTimeSeriesOperatorsMatchGeneratedLags() throws {
        let r = try Run("fx_threefe")
        try r.run("xtset id year", "regress y L(0/2).x1 F.x2 D.x2")
        XCTAssertEqual(r.names, ["x1", "L.x1", "L2.x1", "F.x2", "D.x2", "_cons"])
        let got = try ["x1", "L.x1", "L2.x1", "F.x2", "D.x2"].map { try r.b($0) }
        let n = r.s.eResults.scalars["N"]
        try r.run("gen double l1 = L.x1", "gen double l2 = L2.x1", "gen double f1 = F.x2", "gen double d1 = x2 - L.x2",
                  "regress y x1 l1 l2 f1 d1")
        XCTAssertEqual(r.s.eResults.scalars["N"], n)
        for (k, v) in ["x1", "l1", "l2", "f1", "d1"].enumerated() { assertClose(got[k], try r.b(v), v) }
        // Operators are put in canonical form and distribute over a parenthesised varlist;
        // L.x1 = LD.x1 + L2.x1 is then collinear, and the repeated L2.x1 too.
        try r.run("regress y LL.x1 FL.x2 ld.x1 L(1/2).(x1 x2)")
        XCTAssertEqual(r.names, ["L2.x1", "x2", "LD.x1", "oL.x1", "oL2.x1", "L.x2", "L2.x2", "_cons"])
        // Lags need xtset.
        let r2 = try Run("fx_threefe")
        assertError(r2, "regress y L.x1", code: 111)
    }

    func testFactorErrors() throws {
        let r = try Run("mpdta")
        try r.run("gen neg = -treat")
        assertError(r, "regress lemp i.neg", code: 452)
        try r.run("gen half = treat / 2")
        assertError(r, "regress lemp i.half", code: 452)
        assertError(r, "regress lemp nosuchvar", code: 111)
        assertError(r, "regress lemp lpop, vce(bootstrap)", code: 198)
        assertError(r, "reghdfe lemp lpop", code: 198)
        assertError(r, "regress lemp lpop if year > 3000", code: 2000)
        assertError(r, "regress", code: 301)
        // Factor of a near-continuous variable: refused before building the columns.
        try r.run("gen long big = _n * 1000")
        assertError(r, "regress lemp i.big#i.countyreal", code: 134)
        let ts = try Run("fx_threefe")
        try ts.run("xtset id year")
        assertError(ts, "regress y L99999999999999999999.x1", code: 198)
        assertError(ts, "regress y L(0/99999999).x1", code: 121)
        assertError(ts, "regress y Q.x1", code: 198)
    }

    /// Random varlists and option texts: every outcome is a result or a StataError, never a trap.
    func testGarbageInputGivesStataErrors() throws {
        let r = try Run("fx_threefe")
        // 10 ids x 20 years: interactions such as i.id#i.year stay small enough for the dense path.
        try r.run("keep if id <= 10", "xtset id year")
        let prefixes = ["", "", "i.", "c.", "ib3.", "ibn.", "L.", "F2.", "D.", "L(0/1).", "1.", "ib(freq).", "i(1 2).", "LD.",
                        "o.", "b.", "(", "ib(last).", "S2.", "i.L."]
        let vars = ["x1", "x2", "year", "period", "industry", "site", "nosuch", "x?", "x*", "id", "y", "x1-x2"]
        let joins = ["#", "##", " ", " ", " "]
        let options = ["", ", robust", ", vce(cluster id)", ", vce(cl)", ", absorb(id)", ", absorb()", ", level(200)",
                       ", vce(cluster id#year)", ", absorb(id#c.x1)", ", cluster(nosuch)", ", absorb(fe=id year)", ", keepsing"]
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var ok = 0, failed = 0
        for _ in 0..<1500 {
            var text = "y " + prefixes[next(prefixes.count)] + vars[next(vars.count)]
            for _ in 0..<next(4) {
                text += joins[next(joins.count)] + prefixes[next(prefixes.count)] + vars[next(vars.count)]
            }
            let cmd = ["regress", "reghdfe", "areg", "xtreg"][next(4)]
            let opt = options[next(options.count)]
            let line = "\(cmd) \(text)" + (cmd == "xtreg" ? (opt.isEmpty ? ", fe" : opt + " fe") : opt)
            do { try r.s.run(source: "capture drop fe\nquietly " + line); ok += 1 } catch is StataError { failed += 1 }
        }
        print("garbage varlists: \(ok) ran, \(failed) r() errors")
        XCTAssertEqual(ok + failed, 1500)
        XCTAssertGreaterThan(failed, 0)
    }

    // MARK: Commands

    func testAbsorbingCommandsAgree() throws {
        let r = try Run("fx_collinear")
        try r.run("reghdfe y x1 x2, absorb(id)")
        let b1 = try r.b("x1"), se1 = try r.se("x1")
        try r.run("areg y x1 x2, absorb(id)")
        assertClose(b1, try r.b("x1"), "areg")
        assertClose(se1, try r.se("x1"), rel: 1e-8, "areg se (unadjusted: same df)")
        try r.run("xtset id year", "xtreg y x1 x2, fe")
        assertClose(b1, try r.b("x1"), "xtreg")
        XCTAssertEqual(r.s.eResults.macros["cmd"], "xtreg")
        try r.run("regress y x1 x2 i.id")
        assertClose(b1, try r.b("x1"), rel: 1e-9, "dummy-variable regression")
        assertClose(se1, try r.se("x1"), rel: 1e-8, "dummy-variable se")
    }

    func testAbsorbedFTestsMatchDummyRegression() throws {
        let r = try Run("fx_collinear")
        try r.run("regress y x1 x2 i.id", "testparm i.id")
        let F = r.s.rResults.scalars["F"]!, df = r.s.rResults.scalars["df"]!
        XCTAssertEqual(df, 99)
        try r.run("areg y x1 x2, absorb(id)")
        assertClose(r.s.eResults.scalars["F_absorb"]!, F, rel: 1e-8, "areg F_absorb")
        XCTAssertTrue(r.log.contains("F test of absorbed indicators: F(99, 898)"), r.log)
        try r.run("xtset id year", "xtreg y x1 x2, fe")
        assertClose(r.s.eResults.scalars["F_f"]!, F, rel: 1e-8, "xtreg F_f")
        XCTAssertEqual(r.s.eResults.scalars["N_g"], 100)
        XCTAssertEqual(r.s.eResults.scalars["g_avg"], 10)
        assertClose(r.s.eResults.scalars["r2_w"]!, r.s.eResults.scalars["r2_within"]!, "r2_w")
        XCTAssertTrue(r.log.contains("F test that all u_i=0: F(99, 898)"), r.log)
        // Overall R2 = squared correlation of y and xb.
        try r.run("predict double xb")
        let y = r.col("y"), xb = r.col("xb")
        let corr = PanelStatistics.correlation(y, xb)
        assertClose(r.s.eResults.scalars["r2_o"]!, corr * corr, rel: 1e-12, "r2_o")
    }

    /// reghdfe (CG demeaning) against regress on explicit factor dummies (the slow path), over
    /// several fixed-effect layouts including an interaction absorbed as `id#period`.
    func testReghdfeMatchesDummyVariableRegression() throws {
        let r = try Run("fx_threefe")
        for (absorb, dummies) in [("id year", "i.id i.year"), ("id year site", "i.id i.year i.site"),
                                  ("year id#period", "i.year i.id#i.period")] {
            // 40 ids keep the dense slow path small (debug builds invert it in Swift loops).
            try r.run("reghdfe y x1 x2 if id <= 40, absorb(\(absorb)) keepsingletons")
            let b1 = try r.b("x1"), b2 = try r.b("x2"), rss = r.s.eResults.scalars["rss"]!
            try r.run("regress y x1 x2 \(dummies) if id <= 40")
            assertClose(b1, try r.b("x1"), rel: 1e-9, "x1 with absorb(\(absorb))")
            assertClose(b2, try r.b("x2"), rel: 1e-9, "x2 with absorb(\(absorb))")
            assertClose(rss, r.s.eResults.scalars["rss"]!, rel: 1e-9, "rss with absorb(\(absorb))")
        }
    }

    func testCollinearNoteSingletonsAndDofTable() throws {
        let r = try Run("fx_collinear")
        try r.run("regress y x1 x2 x3 x4")
        XCTAssertTrue(r.log.contains("note: x3 omitted because of collinearity."))
        XCTAssertTrue(r.names.contains("o.x3"))
        XCTAssertTrue(r.log.contains("(omitted)"))
        XCTAssertTrue(r.log.contains("Source |       SS           df       MS"))
        // reghdfe words a regressor the FEs absorb as reghdfe 6 does, before the MWFE line;
        // one collinear with the other regressors gets _rmcoll's note.
        try r.run("reghdfe y x1 x2 x3 x4 z, absorb(id year) vce(cluster id)")
        let zNote = "note: z is probably collinear with the fixed effects (all partialled-out values are close to zero; tol = 1.0e-09)"
        XCTAssertTrue(r.log.contains(zNote), r.log)
        XCTAssertFalse(r.log.contains("note: z omitted because of collinearity."), r.log)
        XCTAssertLessThan(try XCTUnwrap(r.log.range(of: zNote)).lowerBound,
                          try XCTUnwrap(r.log.range(of: "(MWFE estimator converged")).lowerBound)
        let s2 = try Run("fx_singletons")
        try s2.run("reghdfe y x1 x2, absorb(id firm)")
        XCTAssertTrue(s2.log.contains("(dropped 17 singleton observations)"), s2.log)
        XCTAssertTrue(s2.log.contains("HDFE Linear regression"))
        XCTAssertTrue(s2.log.contains(" Absorbed FE | Categories  - Redundant  = Num. Coefs |"))
        XCTAssertEqual(s2.s.eResults.scalars["num_singletons"], 17)
        XCTAssertEqual(s2.s.eResults.macros["absvars"], "id firm")
    }

    func testReplayPrintsTheSameTable() throws {
        let r = try Run("mpdta")
        try r.run("reghdfe lemp lpop, absorb(year) vce(cluster countyreal)")
        let first = r.log
        r.log = ""
        try r.run("reghdfe")
        XCTAssertEqual(r.log, first.components(separatedBy: "\n").filter { !$0.hasPrefix("(MWFE") }.joined(separator: "\n"))
        r.log = ""
        try r.run("estimates replay")
        XCTAssertTrue(r.log.contains("Number of clusters (countyreal) =        500"))
        assertError(r, "regress", code: 301)
    }

    func testPredictAfterRegressAndReghdfe() throws {
        let r = try Run("mpdta")
        try r.run("regress lemp lpop i.year", "predict double xb", "predict double e, residuals")
        let b0 = try r.b("_cons"), b1 = try r.b("lpop"), b5 = try r.b("2005.year")
        let lemp = r.col("lemp"), lpop = r.col("lpop"), year = r.col("year"), xb = r.col("xb"), e = r.col("e")
        for i in stride(from: 0, to: lemp.count, by: 97) {
            let hand = b0 + b1 * lpop[i] + (year[i] == 2005 ? b5 : 0) + (year[i] == 2004 ? try r.b("2004.year") : 0)
                + (year[i] == 2006 ? try r.b("2006.year") : 0) + (year[i] == 2007 ? try r.b("2007.year") : 0)
            assertClose(xb[i], hand, "xb row \(i)")
            assertClose(e[i], lemp[i] - hand, rel: 1e-9, "resid row \(i)")
        }
        try r.run("reghdfe lemp lpop, absorb(countyreal year) residuals(rr)",
                  "predict double res, residuals", "predict double xbd, xbd", "predict double dd, d")
        let rr = r.col("rr"), res = r.col("res"), xbd = r.col("xbd"), dd = r.col("dd")
        for i in stride(from: 0, to: lemp.count, by: 101) {
            assertClose(rr[i], res[i], rel: 1e-12, "residuals() vs predict")
            assertClose(lemp[i] - xbd[i], res[i], rel: 1e-9, "y - xbd")
            XCTAssertFalse(Missing.isMissing(dd[i]))
        }
        XCTAssertTrue(r.log.contains("(option xb assumed; fitted values)"))
        assertError(r, "predict xb", code: 110)
    }

    func testTestAndLincomAgree() throws {
        let r = try Run("fx_collinear")
        try r.run("regress y x1 x2 x4", "lincom x1 - x2")
        let t = r.s.rResults.scalars["t"]!, p = r.s.rResults.scalars["p"]!
        let est = r.s.rResults.scalars["estimate"]!
        assertClose(est, try r.b("x1") - r.b("x2"), "lincom estimate")
        try r.run("test x1 = x2")
        assertClose(r.s.rResults.scalars["F"]!, t * t, rel: 1e-9, "F = t^2")
        assertClose(r.s.rResults.scalars["p"]!, p, rel: 1e-8, "same p")
        XCTAssertEqual(r.s.rResults.scalars["df"], 1)
        // Joint test of all slopes is the model F.
        try r.run("test x1 x2 x4")
        assertClose(r.s.rResults.scalars["F"]!, r.s.eResults.scalars["F"]!, rel: 1e-9, "joint F")
        XCTAssertEqual(r.s.rResults.scalars["df"], 3)
        try r.run("test (x1 = 1) (x2 = 0.5)")
        XCTAssertEqual(r.s.rResults.scalars["df"], 2)
        try r.run("lincom 2*x1 + 3")
        assertClose(r.s.rResults.scalars["estimate"]!, 2 * (try r.b("x1")) + 3, "constant in lincom")
        assertClose(r.s.rResults.scalars["se"]!, 2 * (try r.se("x1")), rel: 1e-12, "scaled se")
        assertError(r, "lincom nosuch", code: 111)
    }

    func testEstimatesStoreRestoreDropAndEststo() throws {
        let r = try Run("mpdta")
        try r.run("regress lemp lpop", "estimates store a")
        let ba = try r.b("lpop")
        try r.run("reghdfe lemp lpop, absorb(year)", "estimates store b")
        XCTAssertEqual(r.s.eResults.macros["cmd"], "reghdfe")
        try r.run("estimates restore a")
        XCTAssertEqual(r.s.eResults.macros["cmd"], "regress")
        XCTAssertEqual(try r.b("lpop"), ba)
        r.log = ""
        try r.run("estimates dir")
        XCTAssertTrue(r.log.contains("           a | regress"), r.log)
        XCTAssertTrue(r.log.contains("           b | reghdfe"), r.log)
        try r.run("estimates drop a")
        assertError(r, "estimates restore a", code: 111)
        try r.run("eststo: regress lemp treat", "eststo: regress lemp lpop", "eststo named: regress lemp")
        XCTAssertEqual(r.s.storedEstimates.map(\.name), ["b", "est1", "est2", "named"])
        try r.run("estimates clear")
        XCTAssertTrue(r.s.storedEstimates.isEmpty)
        XCTAssertEqual(r.s.eResults.macros["cmd"], "regress")
        assertError(r, "estimates bogus", code: 198)
    }

    func testWeightsAndSavedFixedEffects() throws {
        let r = try Run("fx_weights")
        try r.run("regress y x1 x2 [fw=fw]")
        let fw = r.col("fw")
        XCTAssertEqual(r.s.eResults.scalars["N"], fw.reduce(0, +))
        XCTAssertEqual(r.s.eResults.macros["wtype"], "fweight")
        try r.run("reghdfe y x1 x2 [aw=w], absorb(fe_id=id year)")
        XCTAssertNotNil(r.s.frame.column("fe_id"))
        assertError(r, "regress y x1 [fw=w]", code: 401)
        try r.run("gen double negw = w - 100")
        assertError(r, "regress y x1 [aw=negw]", code: 402)
        // xtreg's predict names: u + e = ue.
        try r.run("xtset id year", "xtreg y x1 x2, fe", "predict double u, u", "predict double e, e", "predict double ue, ue")
        let u = r.col("u"), e = r.col("e"), ue = r.col("ue")
        for i in stride(from: 0, to: u.count, by: 37) { assertClose(ue[i], u[i] + e[i], rel: 1e-12, "ue row \(i)") }
    }
}
