// The commands ported do-files need (PortCommands.swift and its family): ttest and pwcorr
// against scipy.stats, percentiles against numpy's definitions that coincide with Stata's,
// xtile against a slow count of cut points, tabstat against summarize-style sums, and the
// bookkeeping commands (postfile, levelsof, clonevar, compress, timer, ds) on their values,
// types and return codes. Reference data: nsw_mixtape from /work/shared/reference (the tests
// fail when it is missing).

import DidFrame
@testable import DidLang
import Foundation
import XCTest

final class PortCommandsTests: XCTestCase {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference").path

    /// A session with nsw_mixtape loaded; output goes to `out`.
    func nsw() throws -> (Session, () -> String) {
        let p = Self.reference + "/data/nsw_mixtape.dta"
        guard FileManager.default.fileExists(atPath: p) else {
            XCTFail("reference file missing: \(p)")
            throw StataError.fileNotFound(p)
        }
        let s = Session()
        let box = OutBox()
        s.output = { t, _ in box.text += t }
        try s.run(source: "use \"\(p)\", clear", file: "t.did")
        box.text = ""
        return (s, { box.text })
    }

    final class OutBox { var text = "" }

    func r(_ s: Session, _ name: String) -> Double { s.rResults.scalars[name] ?? .nan }

    /// |got − want| ≤ rel·|want| (+ a floor for values near zero).
    func close(_ got: Double, _ want: Double, rel: Double = 1e-10, floor: Double = 0, _ what: String, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(got - want), rel * abs(want) + floor, "\(what): got \(got), want \(want)", line: line)
    }

    func code(_ s: Session, _ src: String) -> Int? {
        do { try s.run(source: src, file: "t.did"); return nil } catch let e as StataError { return e.code } catch { return -1 }
    }

    // MARK: ttest (reference: scipy 1.17.1 on nsw_mixtape.csv, re78 by treat)

    func testTTestTwoSampleEqualVariancesMatchesScipy() throws {
        let (s, out) = try nsw()
        try s.run(source: "ttest re78, by(treat)", file: "t.did")
        // scipy.stats.ttest_ind(re78[treat==0], re78[treat==1], equal_var=True) (+ alternative less/greater)
        close(r(s, "t"), -2.835320792078875, "t")
        close(r(s, "p"), 0.00478753002103072, "p")
        close(r(s, "p_l"), 0.00239376501051536, "p_l")
        close(r(s, "p_u"), 0.9976062349894846, "p_u")
        XCTAssertEqual(r(s, "df_t"), 443)
        XCTAssertEqual(r(s, "N_1"), 260); XCTAssertEqual(r(s, "N_2"), 185)
        // numpy mean / std(ddof=1) of the two groups
        close(r(s, "mu_1"), 4554.801120215196, "mu_1"); close(r(s, "mu_2"), 6349.143502065298, "mu_2")
        close(r(s, "sd_1"), 5483.836001448118, "sd_1"); close(r(s, "sd_2"), 7867.4021825347045, "sd_2")
        close(r(s, "se"), (4554.801120215196 - 6349.143502065298) / -2.835320792078875, "se")
        let text = out()
        XCTAssertTrue(text.contains("Two-sample t test with equal variances"), text)
        XCTAssertTrue(text.contains("   Group |     Obs        Mean    Std. err.   Std. dev.   [95% conf. interval]"), text)
        XCTAssertTrue(text.contains("    diff = mean(0) - mean(1)                                      t =  -2.8353"), text)
        XCTAssertTrue(text.contains(" Pr(T < t) = 0.0024         Pr(|T| > |t|) = 0.0048          Pr(T > t) = 0.9976"), text)
    }

    func testTTestUnequalAndWelch() throws {
        let (s, out) = try nsw()
        try s.run(source: "ttest re78, by(treat) unequal", file: "t.did")
        // scipy.stats.ttest_ind(..., equal_var=False): Welch's test with Satterthwaite's df
        close(r(s, "t"), -2.6741454879988025, "t")
        close(r(s, "p"), 0.00789297830550186, "p")
        close(r(s, "p_l"), 0.00394648915275093, "p_l")
        close(r(s, "df_t"), 307.13249449670695, "df")
        XCTAssertTrue(out().contains("Satterthwaite's degrees of freedom =  307.132"), out())
        try s.run(source: "ttest re78, by(treat) welch", file: "t.did")
        // Welch's df from the same moments: (a+b)² / (a²/(n1+1) + b²/(n2+1)) − 2
        let a = 5483.836001448118 * 5483.836001448118 / 260, b = 7867.4021825347045 * 7867.4021825347045 / 185
        close(r(s, "df_t"), (a + b) * (a + b) / (a * a / 261 + b * b / 186) - 2, rel: 1e-12, "welch df")
        close(r(s, "t"), -2.6741454879988025, "t unchanged by welch")
        // Value labels name the groups, cut to 8 characters as Stata 17 prints them.
        try s.run(source: "label define tl 0 \"Never treated\" 1 \"Treated\"\nlabel values treat tl\nttest re78, by(treat)", file: "t.did")
        XCTAssertTrue(out().contains("Never tr |     260    4554.801    340.0931    5483.836    3885.102    5224.501\n"), out())
        XCTAssertTrue(out().contains("    diff = mean(Never tr) - mean(Treated)"), out())
    }

    func testTTestOneSampleAndPaired() throws {
        let (s, out) = try nsw()
        try s.run(source: "ttest re78 == 5000", file: "t.did")
        // scipy.stats.ttest_1samp(re78, 5000) (+ alternative='less')
        close(r(s, "t"), 0.9567405281712026, "t"); close(r(s, "p"), 0.3392188752863836, "p")
        close(r(s, "p_l"), 0.8303905623568082, "p_l")
        XCTAssertEqual(r(s, "df_t"), 444); XCTAssertEqual(r(s, "N_1"), 445)
        XCTAssertTrue(out().contains("H0: mean = 5000"), out())
        try s.run(source: "ttest re78 == re75", file: "t.did")
        // scipy.stats.ttest_rel(re78, re75) (+ alternative='greater')
        close(r(s, "t"), 11.662258234074573, "t")
        close(r(s, "p"), 1.3379691544694857e-27, rel: 1e-8, "p")
        close(r(s, "p_u"), 6.689845772347428e-28, rel: 1e-8, "p_u")
        XCTAssertEqual(r(s, "N_1"), 445); XCTAssertEqual(r(s, "N_2"), 445)
        XCTAssertTrue(out().contains("Paired t test"))
    }

    func testTTestErrors() throws {
        let (s, _) = try nsw()
        XCTAssertEqual(code(s, "ttest re78, by(educ)"), 420)
        XCTAssertEqual(code(s, "ttest data_id == 3"), 109)
        XCTAssertEqual(code(s, "ttest re78"), 198)
        XCTAssertEqual(code(s, "ttest re78 == 1 if treat > 5"), 2000)
        XCTAssertEqual(code(s, "ttest nosuch == 1"), 111)
    }

    // MARK: pwcorr (reference: scipy.stats.pearsonr on nsw_mixtape.csv)

    func testPwcorrMatchesScipyWithPairwiseDeletion() throws {
        let (s, out) = try nsw()
        try s.run(source: "pwcorr re78 re75 age educ, sig", file: "t.did")
        XCTAssertTrue(out().contains("""
                     |     re78     re75      age     educ
        -------------+------------------------------------
                re78 |   1.0000 
                     |
                     |
                re75 |   0.0846   1.0000 
                     |   0.0746
                     |

        """), out())
        let C = s.rResults.matrices["C"]!, P = s.rResults.matrices["sig"]!
        // pearsonr(re78, re75), (re78, age), (re75, age), (re78, educ): statistic, pvalue
        let ref: [(Int, Int, Double, Double)] = [(1, 0, 0.08459903540047924, 0.07461946931408554),
                                                 (2, 0, 0.057165667345539684, 0.22878147723845005),
                                                 (2, 1, 0.052625719561218955, 0.26795419685317057),
                                                 (3, 0, 0.11616561719533637, 0.014209221723314003)]
        for (i, j, rho, p) in ref {
            close(C[i, j], rho, "rho \(i)\(j)"); close(C[j, i], rho, "rho \(j)\(i)")
            close(P[i, j], p, rel: 1e-9, "p \(i)\(j)")
        }
        close(r(s, "rho"), 0.08459903540047924, "r(rho)")
        XCTAssertEqual(r(s, "N"), 445)
        // Pairwise deletion: hide re75 in 45 rows; pairs without re75 keep all 445 rows.
        try s.run(source: "replace re75 = . in 1/45\npwcorr re78 re75 age", file: "t.did")
        let N = s.rResults.matrices["Nobs"]!
        XCTAssertEqual(N[1, 0], 400); XCTAssertEqual(N[2, 0], 445); XCTAssertEqual(N[2, 1], 400)
        close(s.rResults.matrices["C"]![2, 0], 0.057165667345539684, "rho re78 age unaffected")
        // The slow path for the reduced pair: correlate on the complete rows.
        try s.run(source: "quietly correlate re78 re75", file: "t.did")
        let rhoListwise = r(s, "rho")
        try s.run(source: "pwcorr re78 re75", file: "t.did")
        close(r(s, "rho"), rhoListwise, rel: 1e-13, "pwcorr vs correlate")
        XCTAssertNil(s.rResults.matrices["sig"], "r(sig) only with sig")
        // star(5) means 5%: re78–educ (p = 0.0142) is starred, the diagonal never is.
        try s.run(source: "pwcorr re78 educ, star(5)", file: "t.did")
        XCTAssertTrue(out().hasSuffix("        educ |   0.1162*  1.0000 \n"), out())
        XCTAssertEqual(code(s, "pwcorr re78"), 102)
        XCTAssertEqual(code(s, "pwcorr re78 data_id"), 102)
        XCTAssertEqual(code(s, "pwcorr re78 re75 if treat > 5"), 2000)
    }

    // MARK: percentiles (numpy 2.4.6: method averaged_inverted_cdf = Stata's default, weibull = altdef)

    func testPctileMatchesNumpyDefinitions() throws {
        let (s, _) = try nsw()
        try s.run(source: "_pctile re78, nq(5)", file: "t.did")
        let q5 = [0.0, 1613.5304565429688, 5100.5, 9754.71875]
        for (k, v) in q5.enumerated() { close(r(s, "r\(k + 1)"), v, "nq5 r\(k + 1)") }
        try s.run(source: "_pctile re78, nq(5) altdef", file: "t.did")
        let alt5 = [0.0, 1605.709155273438, 5102.802832031251, 9765.257421875]
        for (k, v) in alt5.enumerated() { close(r(s, "r\(k + 1)"), v, "altdef r\(k + 1)") }
        try s.run(source: "_pctile re78, nq(10)", file: "t.did")
        let q10 = [0.0, 0.0, 0.0, 1613.5304565429688, 3701.81201171875, 5100.5, 7176.18701171875, 9754.71875, 12803.9697265625]
        for (k, v) in q10.enumerated() { close(r(s, "r\(k + 1)"), v, "nq10 r\(k + 1)") }
        try s.run(source: "_pctile re78, p(75)", file: "t.did")
        close(r(s, "r1"), 8124.71484375, "p75")
        // pctile: the same numbers in observations 1..q-1 of a new double variable.
        try s.run(source: "pctile double pc = re78, nq(5) genp(pp)", file: "t.did")
        let pc = s.frame.column("pc")!.nums
        for (k, v) in q5.enumerated() { close(pc[k], v, "pctile \(k)") }
        XCTAssertTrue(Missing.isMissing(pc[4]))
        XCTAssertEqual(Array(s.frame.column("pp")!.nums.prefix(4)), [20, 40, 60, 80])
        XCTAssertEqual(code(s, "pctile x1 = re78, nq(1)"), 198)
        XCTAssertEqual(code(s, "pctile x1 = re78, nq(447)"), 198)
        XCTAssertEqual(code(s, "pctile pc = re78"), 110)
    }

    func testXtileMatchesSlowCount() throws {
        let (s, _) = try nsw()
        try s.run(source: "xtile c5 = re78, nq(5)\nxtile c5b = re78 if treat == 1, nq(4)", file: "t.did")
        let x = s.frame.column("re78")!.nums, c = s.frame.column("c5")!.nums
        let cuts = [0.0, 1613.5304565429688, 5100.5, 9754.71875]
        for i in x.indices { XCTAssertEqual(c[i], Double(1 + cuts.filter { $0 < x[i] }.count), "row \(i)") }
        // The subsample's own quartiles, from a sorted copy with Stata's rule.
        let t = s.frame.column("treat")!.nums
        let sub = x.indices.filter { t[$0] == 1 }.map { x[$0] }.sorted()
        let n = sub.count
        let q = (1...3).map { k -> Double in
            let i = n * k / 4
            return (n * k) % 4 == 0 ? (sub[i - 1] + sub[i]) / 2 : sub[i]
        }
        XCTAssertEqual(s.frame.column("c5")!.type, .byte)
        XCTAssertEqual(s.frame.column("c5")!.label, "5 quantiles of re78")
        let cb = s.frame.column("c5b")!.nums
        for i in x.indices {
            if t[i] == 1 { XCTAssertEqual(cb[i], Double(1 + q.filter { $0 < x[i] }.count)) } else { XCTAssertTrue(Missing.isMissing(cb[i])) }
        }
        // cutpoints(): categories against a variable's values, duplicates counted (xtile.ado
        // numbers a category by its cut point's position in the sorted list).
        try s.run(source: "gen cp = 1000 * _n in 1/3\nreplace cp = 2000 in 4\nxtile c3 = re78 if treat == 1, cutpoints(cp)", file: "t.did")
        let c3 = s.frame.column("c3")!.nums
        for i in x.indices where t[i] == 1 { XCTAssertEqual(c3[i], Double(1 + [1000.0, 2000, 2000, 3000].filter { $0 < x[i] }.count)) }
        XCTAssertTrue(c3.contains(5) && c3.contains(4) && !c3.contains(3), "above every cut point: ncut + 1 = 5; category 3 is skipped")
        // nq(10) has three tied zero deciles: categories 2 and 3 are skipped.
        try s.run(source: "xtile c10 = re78, nq(10)", file: "t.did")
        let c10 = Set(s.frame.column("c10")!.nums)
        XCTAssertEqual(c10, [1, 4, 5, 6, 7, 8, 9, 10])
        XCTAssertEqual(code(s, "xtile c11 = re78 if age > 100"), 2000)
        XCTAssertEqual(code(s, "xtile c11 = re78, nq(3) cutpoints(cp)"), 198)
    }

    // MARK: tabstat

    func testTabstatSavedMatricesEqualDirectSums() throws {
        let (s, out) = try nsw()
        try s.run(source: "tabstat re78 age, by(treat) stat(n mean sd sum min max range cv semean p50 iqr) save", file: "t.did")
        let x = s.frame.column("re78")!.nums, age = s.frame.column("age")!.nums, t = s.frame.column("treat")!.nums
        for (g, name) in [(0.0, "Stat1"), (1.0, "Stat2")] {
            let m = s.rResults.matrices[name]!
            XCTAssertEqual(m.rowNames, ["N", "mean", "sd", "sum", "min", "max", "range", "cv", "se(mean)", "p50", "iqr"])
            XCTAssertEqual(m.colNames, ["re78", "age"])
            for (j, v) in [x, age].enumerated() {
                let y = v.indices.filter { t[$0] == g }.map { v[$0] }
                let n = Double(y.count), mean = y.reduce(0, +) / n
                let sd = (y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
                let sorted = y.sorted()
                XCTAssertEqual(m[0, j], n)
                close(m[1, j], mean, rel: 1e-14, "mean")
                close(m[2, j], sd, rel: 1e-13, "sd")
                close(m[3, j], y.reduce(0, +), rel: 1e-14, "sum")
                XCTAssertEqual(m[4, j], sorted.first!); XCTAssertEqual(m[5, j], sorted.last!)
                XCTAssertEqual(m[6, j], sorted.last! - sorted.first!)
                close(m[7, j], sd / mean, rel: 1e-13, "cv")
                close(m[8, j], sd / n.squareRoot(), rel: 1e-13, "semean")
                XCTAssertEqual(m[9, j], SummaryStats.percentile(sorted, p: 50))
                XCTAssertEqual(m[10, j], SummaryStats.percentile(sorted, p: 75) - SummaryStats.percentile(sorted, p: 25))
            }
        }
        XCTAssertEqual(s.rResults.macros["name1"], "0")
        XCTAssertEqual(s.rResults.matrices["StatTotal"]![0, 0], 445)
        XCTAssertTrue(out().contains("Summary statistics: N, mean, sd, sum, min, max, range, cv, se(mean), p50, iqr\n  by categories of: treat (In the"), out())
    }

    func testTabstatAnalyticWeights() throws {
        let (s, _) = try nsw()
        try s.run(source: "tabstat re78 [aw=age], stat(mean sd N) save", file: "t.did")
        let m = s.rResults.matrices["StatTotal"]!
        let x = s.frame.column("re78")!.nums, w = s.frame.column("age")!.nums
        let W = w.reduce(0, +), n = Double(x.count)
        let mean = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } / W
        // aweights rescaled to sum to n: Var = Σ (n w / W)(x − mean)² / (n − 1)
        let v = zip(x, w).reduce(0) { $0 + n * $1.1 / W * ($1.0 - mean) * ($1.0 - mean) } / (n - 1)
        close(m[0, 0], mean, rel: 1e-13, "weighted mean")
        close(m[1, 0], v.squareRoot(), rel: 1e-12, "weighted sd")
        XCTAssertEqual(m[2, 0], 445)
    }

    func testTabstatLayout() throws {
        let s = Session()
        var out = ""
        s.output = { t, _ in out += t }
        try s.run(source: """
        clear
        quietly set obs 3
        gen g = cond(_n < 3, 1, 2)
        gen x = 2 * _n - 1
        gen y = 10 * x
        tabstat x y, stat(mean max)
        tabstat x, by(g) nototal
        tabstat x y, stat(mean n) columns(statistics)
        """, file: "t.did")
        // Layout of tabstat.ado 2.9.1: long stub without by(); one variable puts the statistics
        // in columns; by() gets a heading (with a trailing blank where the variable has no label).
        XCTAssertEqual(out, """

           stats |         x         y
        ---------+--------------------
            mean |         3        30
             max |         5        50
        ------------------------------

        Summary for variables: x
             by categories of: g\u{20}

               g |      mean
        ---------+----------
               1 |         2
               2 |         5
        --------------------

            variable |      mean         N
        -------------+--------------------
                   x |         3         3
                   y |        30         3
        ----------------------------------

        """)
        XCTAssertEqual(code(s, "tabstat x, stat(foo)"), 198)
        XCTAssertEqual(code(s, "tabstat x if x > 100"), 2000)
        XCTAssertEqual(code(s, "tabstat x, columns(foo)"), 198)
        XCTAssertNil(s.rResults.matrices["StatTotal"], "r() is only posted with save")
    }

    // MARK: levelsof, clonevar, compress

    func testLevelsof() throws {
        let (s, out) = try nsw()
        try s.run(source: "levelsof educ if educ < 8, local(lv)", file: "t.did")
        XCTAssertEqual(s.local("lv"), "3 4 5 6 7")
        XCTAssertEqual(s.rResults.macros["levels"], "3 4 5 6 7")
        XCTAssertEqual(r(s, "r"), 5)
        XCTAssertEqual(out(), "3 4 5 6 7\n")
        try s.run(source: """
        gen str4 t = cond(treat == 1, "yes", "no")
        replace t = "" in 1
        levelsof t
        """, file: "t.did")
        XCTAssertEqual(s.rResults.macros["levels"], "`\"no\"' `\"yes\"'")
        try s.run(source: """
        levelsof t, clean separate(,) missing matcell(F)
        gen float tenth = 0.1 in 1/2
        levelsof tenth, missing matrow(V)
        """, file: "t.did")
        XCTAssertEqual(s.rResults.macros["levels"], ".10000000149011612 .")
        // Row 1 (blanked) is a treated unit: 1 empty, 260 "no", 184 "yes".
        let treat = s.frame.column("treat")!.nums
        XCTAssertEqual(treat[0], 1)
        XCTAssertEqual(s.matrices["F"]!.data, [1, Double(treat.filter { $0 == 0 }.count), Double(treat.filter { $0 == 1 }.count - 1)])
        XCTAssertEqual(s.matrices["V"]!.data[0], Double(Float(0.1)))
        XCTAssertEqual(code(s, "levelsof treat age"), 103)
        XCTAssertEqual(code(s, "levelsof t, matrow(M)"), 198)
        // Whole numbers in %21.0g (no exponent for 12 digits); a fraction anywhere switches
        // every level to macro text.
        try s.run(source: "gen double big = cond(_n == 1, 123456789012, 2.5)\nlevelsof big\nlocal b1 `r(levels)'\nlevelsof big if _n == 1", file: "t.did")
        XCTAssertEqual(s.local("b1"), "2.5 123456789012")
        XCTAssertEqual(s.rResults.macros["levels"], "123456789012")
        try s.run(source: "levelsof big if _n > 1000", file: "t.did")
        XCTAssertEqual(r(s, "r"), 0); XCTAssertEqual(r(s, "N"), 0)
    }

    func testClonevarCopiesTypeFormatAndLabels() throws {
        let (s, _) = try nsw()
        try s.run(source: """
        label define yn 0 "no" 1 "yes"
        label values treat yn
        format re78 %9.2f
        clonevar t2 = treat
        clonevar r2 = re78 if treat == 1
        """, file: "t.did")
        let a = s.frame.column("treat")!, b = s.frame.column("t2")!
        XCTAssertEqual(b.type, a.type); XCTAssertEqual(b.nums, a.nums); XCTAssertEqual(b.valueLabel, "yn")
        XCTAssertEqual(b.label, a.label)
        let r2 = s.frame.column("r2")!, re78 = s.frame.column("re78")!
        XCTAssertEqual(r2.format, "%9.2f")
        for i in 0..<s.frame.count { XCTAssertEqual(r2.nums[i], a.nums[i] == 1 ? re78.nums[i] : Missing.dot) }
        XCTAssertEqual(code(s, "clonevar t2 = age"), 110)
        XCTAssertEqual(code(s, "clonevar t3 = nosuch"), 111)
    }

    func testCompressNeverChangesValues() throws {
        let (s, out) = try nsw()
        let before = s.frame.columns.map { $0.isString ? $0.strs.map { _ in 0 } : $0.nums }
        try s.run(source: "gen double half = age / 2\ngen double third = age / 3\ngen str30 pad = \"ab\"\ncompress", file: "t.did")
        XCTAssertEqual(s.frame.column("age")!.type, .byte)
        XCTAssertEqual(s.frame.column("re78")!.type, .float, "re78 holds float values written as double")
        XCTAssertEqual(s.frame.column("half")!.type, .float)
        XCTAssertEqual(s.frame.column("third")!.type, .double)
        XCTAssertEqual(s.frame.column("pad")!.type, .str(2))
        XCTAssertEqual(s.frame.column("re78")!.format, "%10.0g", "compress keeps display formats")
        for (k, c) in s.frame.columns.prefix(before.count).enumerated() where !c.isString { XCTAssertEqual(c.nums, before[k]) }
        let text = out()
        XCTAssertTrue(text.contains("  variable age was long now byte\n"), text)
        XCTAssertTrue(text.contains("  variable half was double now float\n  variable pad was str30 now str2\n"), text)
        // 7 longs → byte (3 bytes each), 3 doubles → float (4), half double → float (4), pad str30 → str2 (28); 445 rows
        XCTAssertTrue(text.hasSuffix("  (\(DataCommands.fmtInt(445 * (7 * 3 + 3 * 4 + 4 + 28))) bytes saved)\n"), text)
        try s.run(source: "compress", file: "t.did")
        XCTAssertTrue(out().hasSuffix("  (0 bytes saved)\n"))
    }

    // MARK: postfile

    func testPostfileWritesDatasetAndChecksErrors() throws {
        let dir = NSTemporaryDirectory() + "did_post_\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = Session()
        s.output = { _, _ in }
        s.workingDirectory = dir
        try s.run(source: """
        tempname pf
        postfile `pf' int rep double(b se) str3 tag using results, replace every(2)
        forvalues i = 1/5 {
            post `pf' (`i') (`i' / 3) (sqrt(`i')) ("r`i'abc")
        }
        postclose `pf'
        use results, clear
        """, file: "t.did")
        XCTAssertEqual(s.frame.count, 5)
        XCTAssertEqual(s.frame.columns.map(\.type), [.int, .double, .double, .str(3)])
        XCTAssertEqual(s.frame.column("b")!.nums[2], 1.0, "3/3 in double")
        XCTAssertEqual(s.frame.column("b")!.nums[0], 1.0 / 3)
        XCTAssertEqual(s.frame.column("se")!.nums[4], 5.0.squareRoot())
        XCTAssertEqual(s.frame.column("tag")!.strs, ["r1a", "r2a", "r3a", "r4a", "r5a"])
        // Errors: file exists (602), handle in use (110), unknown handle (111), count (198), type (109).
        XCTAssertEqual(code(s, "postfile h x using results"), 602)
        XCTAssertEqual(code(s, "postfile h x using other\npostfile h y using other2"), 110)
        XCTAssertEqual(code(s, "post nosuch (1)"), 111)
        XCTAssertEqual(code(s, "post h (1) (2)"), 198)
        XCTAssertEqual(code(s, "post h (\"a\")"), 109)
        XCTAssertEqual(code(s, "postclose nosuch"), 111)
        XCTAssertEqual(code(s, "postfile h2 x x using third"), 110)
        try s.run(source: "post h (7)\npost h (8)\npostutil clear\nuse other, clear", file: "t.did")
        XCTAssertEqual(s.frame.column("x")!.nums, [7, 8], "postutil clear closes the file with its rows")
        XCTAssertEqual(s.frame.column("x")!.type, .float)
    }

    // MARK: timer, ds

    func testTimerAndDs() throws {
        let (s, out) = try nsw()
        try s.run(source: "timer clear\ntimer on 3\ntimer off 3\ntimer on 3\ntimer off 3\ntimer list 3", file: "t.did")
        XCTAssertEqual(r(s, "nt3"), 2)
        XCTAssertGreaterThanOrEqual(r(s, "t3"), 0)
        XCTAssertTrue(out().hasPrefix("   3:"), out())
        XCTAssertEqual(code(s, "timer on 101"), 198)
        try s.run(source: "ds re*", file: "t.did")
        XCTAssertEqual(s.rResults.macros["varlist"], "re74 re75 re78")
        try s.run(source: "ds, has(type string)", file: "t.did")
        XCTAssertEqual(s.rResults.macros["varlist"], "data_id")
        try s.run(source: "ds, not(type numeric)", file: "t.did")
        XCTAssertEqual(s.rResults.macros["varlist"], "data_id")
        try s.run(source: "ds data_id treat age educ black hisp marr nodegree, not", file: "t.did")
        XCTAssertEqual(s.rResults.macros["varlist"], "re74 re75 re78")
    }
}
