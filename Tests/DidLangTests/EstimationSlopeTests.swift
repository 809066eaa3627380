// reghdfe with heterogeneous slopes through the language, on mpdta (county-specific linear trends in
// a staggered DiD): the three spellings of the same column space agree, the case that used to stop
// with r(430) converges, the absorb() syntax for several slopes, reghdfe's e() and footnote for
// slopes, and the errors. The numerical grid against explicit dummy columns is in
// Tests/DidStatsTests/SlopeAbsorbTests.swift.

import DidFrame
@testable import DidLang
import Foundation
import XCTest

final class EstimationSlopeTests: XCTestCase {
    typealias Run = EstimationCommandTests.Run

    func assertClose(_ a: Double, _ b: Double, rel: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(a - b), rel * max(abs(a), abs(b)), "\(what): \(a) vs \(b)", file: file, line: line)
    }

    /// `countyreal year countyreal#c.year` (r(430) after 192 CG iterations before the blocks were
    /// merged), `year countyreal##c.year` and `countyreal##c.year year` span the same columns:
    /// same b, and, since reghdfe's df_a is the same (500 + 4 + 500 = 5 + 499 + 500), same SEs.
    func testThreeSpellingsOfCountyTrendsAgree() throws {
        let r = try Run("mpdta")
        try r.run("gen byte d = treat * (year >= first_treat) * (first_treat > 0)")
        for vce in ["", "vce(robust)", "vce(cluster countyreal)"] {
            var b = [Double](), se = [Double](), dfa = [Double]()
            for absorb in ["countyreal year countyreal#c.year", "year countyreal##c.year", "countyreal##c.year year"] {
                try r.run("quietly reghdfe lemp d, absorb(\(absorb)) \(vce)")
                b.append(try r.b("d")); se.append(try r.se("d"))
                dfa.append(r.s.eResults.scalars["df_a"] ?? .nan)
                XCTAssertEqual(r.s.eResults.scalars["converged"], 1)
                XCTAssertLessThanOrEqual(r.s.eResults.scalars["ic"] ?? .infinity, 10, "\(absorb): iterations")
            }
            for k in 1..<3 {
                assertClose(b[k], b[0], rel: 1e-10, "b \(vce) #\(k)")
                assertClose(se[k], se[0], rel: 1e-8, "se \(vce) #\(k)")
                XCTAssertEqual(dfa[k], dfa[0], "df_a \(vce)")
            }
            XCTAssertEqual(dfa[0], vce.contains("cluster") ? 504 : 1004, "df_a \(vce)")
        }
    }

    /// The slope estimate against `regress` with the county dummies, county x year slopes and year
    /// dummies written out (100 counties, to keep the dense solve small).
    func testAgainstRegressWithInteractionColumns() throws {
        let r = try Run("mpdta")
        try r.run("gen byte d = treat * (year >= first_treat) * (first_treat > 0)", "keep in 1/500",
                  "quietly regress lemp d i.countyreal i.countyreal#c.year i.year")
        let bRegress = try r.b("d")
        try r.run("quietly reghdfe lemp d, absorb(countyreal year countyreal#c.year)")
        assertClose(try r.b("d"), bRegress, rel: 1e-10, "b[d]")
    }

    /// reghdfe's e() for slopes: N_hdfe counts absvars, N_hdfe_extended intercept and slope rows;
    /// dof_table rows named as ms_parse_absvars does, column 4 "Inexact" set for slopes.
    func testReghdfeResultsForSlopes() throws {
        let r = try Run("mpdta")
        try r.run("quietly reghdfe lemp lpop, absorb(year countyreal#c.year)")
        XCTAssertEqual(r.s.eResults.scalars["N_hdfe"], 2)
        XCTAssertEqual(r.s.eResults.scalars["N_hdfe_extended"], 2)
        XCTAssertEqual(r.s.eResults.scalars["df_a"], 505)
        try r.run("gen double y2 = (year - 2000)^2",
                  "reghdfe lemp, absorb(year countyreal##c.(year y2))")
        XCTAssertEqual(r.s.eResults.scalars["N_hdfe"], 2)
        XCTAssertEqual(r.s.eResults.scalars["N_hdfe_extended"], 4)
        XCTAssertEqual(r.s.eResults.macros["extended_absvars"], "year countyreal countyreal#c.year countyreal#c.y2")
        XCTAssertEqual(r.s.eResults.macros["absvars"], "year countyreal##c.(year y2)")
        let t = try XCTUnwrap(r.s.eResults.matrices["dof_table"])
        XCTAssertEqual((0..<4).map { t[$0, 1] }, [0, 1, 0, 0])
        XCTAssertEqual((0..<4).map { t[$0, 3] }, [0, 0, 1, 1], "Inexact? column")
        XCTAssertEqual(r.s.eResults.scalars["df_a"], 5 + 499 + 500 + 500)
        // The footnote: full names (not abbreviated), "?" on slope rows and its explanation.
        XCTAssertTrue(r.log.contains("Absorbing 2 HDFE groups"))
        XCTAssertTrue(r.log.contains("countyreal#c.year |       500           0         500    ?|"), r.log)
        XCTAssertTrue(r.log.contains("? = number of redundant parameters may be higher"))
    }

    /// Only slope terms: no constant is spanned, so no _cons (reghdfe.ado: report_constant =
    /// has_intercept) and R-squared is against the uncentred TSS.
    func testSlopeOnlyModelHasNoConstant() throws {
        let r = try Run("mpdta")
        try r.run("gen byte d = treat * (year >= first_treat) * (first_treat > 0)",
                  "quietly reghdfe lemp d, absorb(countyreal#c.year)")
        XCTAssertEqual(r.names, ["d"])
        let e = r.s.eResults.scalars
        let y = r.col("lemp")
        XCTAssertEqual(e["tss"]!, y.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-9 * e["tss"]!)
        XCTAssertEqual(e["df_r"], 2500 - 500 - 1)
        XCTAssertEqual(e["r2"]!, 1 - e["rss"]! / e["tss"]!, accuracy: 1e-12)
    }

    /// absorb(newvar=a##c.x) saves newvar and newvarSlope1 (reghdfe's names); with predict's xb
    /// and the residuals they rebuild the depvar; an existing newvarSlope1 is r(110).
    func testSavingInterceptsAndSlopes() throws {
        let r = try Run("mpdta")
        try r.run("gen byte d = treat * (year >= first_treat) * (first_treat > 0)",
                  "quietly reghdfe lemp d, absorb(fy=year fc=countyreal fs=countyreal#c.year) resid",
                  "predict double xb, xb")
        let y = r.col("lemp"), xb = r.col("xb"), e = r.col("_reghdfe_resid"), year = r.col("year")
        let fy = r.col("fy"), fc = r.col("fc"), fs = r.col("fsSlope1")
        XCTAssertNil(r.s.frame.column("fs"), "a slope-only term saves no intercept")
        for i in 0..<y.count {
            XCTAssertEqual(fy[i] + fc[i] + fs[i] * year[i] + xb[i] + e[i], y[i], accuracy: 1e-9 * abs(y[i]))
        }
        // One slope per county: constant within countyreal.
        let county = r.col("countyreal")
        var slope = [Double: Double]()
        for i in 0..<y.count { if let v = slope[county[i]] { XCTAssertEqual(v, fs[i]) } else { slope[county[i]] = fs[i] } }
        try r.run("quietly reghdfe lemp d, absorb(year gc=countyreal##c.year)")
        XCTAssertNotNil(r.s.frame.column("gc"))
        XCTAssertNotNil(r.s.frame.column("gcSlope1"))
        for code in ["absorb(year gc2=countyreal##c.year gcSlope1=year)", "absorb(year hc=countyreal fs=countyreal#c.year)"] {
            do { try r.run("reghdfe lemp d, \(code)"); XCTFail("\(code) should fail") } catch let e as StataError {
                XCTAssertEqual(e.code, 110, "\(code): \(e.message)")
            }
        }
    }

    /// `a##c.(x z)` and `a##(c.x c.z)` are one term; errors are Stata's r(198) and r(111).
    func testAbsorbSyntaxForSeveralSlopes() throws {
        let r = try Run("mpdta")
        try r.run("gen double t = year - 2000", "gen double t2 = t^2", "gen byte d = treat * (year >= first_treat) * (first_treat > 0)",
                  "quietly reghdfe lemp d, absorb(year countyreal##c.(t t2))")
        let b1 = try r.b("d")
        try r.run("quietly reghdfe lemp d, absorb(year i.countyreal##(c.t c.t2))")
        assertClose(try r.b("d"), b1, rel: 1e-12, "b")
        try r.run("quietly reghdfe lemp d, absorb(year countyreal##c.t countyreal#c.t2)")
        assertClose(try r.b("d"), b1, rel: 1e-10, "b split")
        // As in ms_parse_absvars the order of the parts does not matter; the label puts factors first.
        try r.run("quietly reghdfe lemp d, absorb(year c.(t t2)##i.countyreal)")
        assertClose(try r.b("d"), b1, rel: 1e-12, "b reordered")
        XCTAssertEqual(r.s.eResults.macros["absvars"], "year countyreal##c.(t t2)")
        for bad in ["absorb(countyreal##c.(t t))", "absorb(countyreal##c.(t t2)", "absorb(c.t)", "absorb(countyreal#c.(t d) year c.t)",
                    "absorb(countyreal##)", "absorb(countyreal##c.())", "absorb(countyreal#c.)",
                    "absorb(#c.t)", "absorb(countyreal#c.(t t2)#c.t)"] {
            do { try r.run("reghdfe lemp d, \(bad)"); XCTFail("\(bad) should fail") } catch let e as StataError {
                XCTAssertEqual(e.code, 198, "\(bad): \(e.message)")
            }
        }
        do { try r.run("reghdfe lemp d, absorb(countyreal##c.nosuchvar)"); XCTFail("should fail") } catch let e as StataError {
            XCTAssertEqual(e.code, 111, e.message)
        }
    }
}
