// Edge cases of the data-management commands: merge keys (non-unique r(459), strings, missing
// values, update/replace codes), append type promotion, reshape with string j and its errors,
// collapse statistics against a slow independent computation, and the small commands' codes.

import DidFrame
@testable import DidLang
import Foundation
import XCTest

final class ManageTests: XCTestCase {
    /// Runs `text` in `s` and returns what it printed.
    @discardableResult
    func run(_ s: Session, _ text: String) throws -> String {
        var out = ""
        s.output = { t, _ in out += t }
        try s.run(source: text, file: "test.did")
        return out
    }

    /// The return code `text` stops with (nil when it runs through).
    func code(_ s: Session, _ text: String) -> Int? {
        do { try run(s, text); return nil } catch let e as StataError { return e.code } catch { return -1 }
    }

    func message(_ s: Session, _ text: String) -> String? {
        do { try run(s, text); return nil } catch let e as StataError { return e.message } catch { return nil }
    }

    var tmp: String { NSTemporaryDirectory() + "manage_\(getpid())_\(name.filter { $0.isLetter })" }

    func nums(_ s: Session, _ v: String) -> [Double] { s.frame.column(v)!.nums }
    func strs(_ s: Session, _ v: String) -> [String] { s.frame.column(v)!.strs }

    /// Saves a dataset built by `body` to `path`.
    func save(_ body: String, _ path: String) throws {
        let s = Session()
        try run(s, "clear\n" + body + "\nquietly save \"\(path)\", replace")
    }

    // MARK: merge

    func testMergeNonUniqueKeys() throws {
        let u = tmp + "_u.dta"
        try save("quietly set obs 3\ngen id = 1 + (_n > 1)\ngen x = _n", u)
        let s = Session()
        try run(s, "quietly set obs 2\ngen id = _n")
        XCTAssertEqual(code(s, "merge 1:1 id using \"\(u)\""), 459)
        XCTAssertEqual(message(s, "merge m:1 id using \"\(u)\""), "variable id does not uniquely identify observations in the using data")
        XCTAssertEqual(s.frame.width, 1, "a failed merge must leave the data untouched")
        // 1:m: the using side may repeat; master must not.
        try run(s, "merge 1:m id using \"\(u)\", nogenerate noreport")
        XCTAssertEqual(nums(s, "id"), [1, 2, 2])
        XCTAssertEqual(nums(s, "x"), [1, 2, 3])
        let s2 = Session()
        try run(s2, "quietly set obs 2\ngen id = 1\ngen year = _n")
        XCTAssertEqual(message(s2, "merge 1:1 id using \"\(u)\""), "variable id does not uniquely identify observations in the master data")
    }

    func testMergeStringAndMissingKeys() throws {
        let u = tmp + "_s.dta"
        try save("""
        quietly set obs 3
        gen str2 k = cond(_n == 1, "b", cond(_n == 2, "a", ""))
        gen v = _n * 10
        """, u)
        let s = Session()
        try run(s, """
        quietly set obs 3
        gen str1 k = cond(_n == 1, "a", cond(_n == 2, "", "c"))
        gen m = _n
        """)
        let out = try run(s, "merge 1:1 k using \"\(u)\"")
        // Master in key order ("" < "a" < "c"), then using-only "b"; "" matches "".
        XCTAssertEqual(strs(s, "k"), ["", "a", "c", "b"])
        XCTAssertEqual(nums(s, "v"), [30, 20, Missing.dot, 10])
        XCTAssertEqual(nums(s, "_merge"), [3, 3, 1, 2])
        XCTAssertEqual(s.frame.column("k")!.type, .str(2))
        XCTAssertEqual(s.frame.column("_merge")!.type, .byte)
        XCTAssertEqual(s.frame.valueLabels["_merge"]?.mapping[3], "Matched (3)")
        XCTAssertTrue(out.contains("        from master                         1  (_merge==1)"), out)
        XCTAssertTrue(out.contains("    Matched                                 2  (_merge==3)"), out)
        // String key against numeric key.
        let s2 = Session()
        try run(s2, "quietly set obs 1\ngen k = 1")
        XCTAssertEqual(code(s2, "merge 1:1 k using \"\(u)\""), 106)
        // Missing numeric keys match each other.
        let u2 = tmp + "_m.dta"
        try save("quietly set obs 2\ngen id = cond(_n == 1, ., 5)\ngen w = _n", u2)
        let s3 = Session()
        try run(s3, "quietly set obs 2\ngen id = cond(_n == 1, 5, .)")
        try run(s3, "merge 1:1 id using \"\(u2)\", noreport")
        XCTAssertEqual(nums(s3, "w"), [2, 1])
        XCTAssertEqual(nums(s3, "_merge"), [3, 3])
    }

    func testMergeUpdateReplaceAndKeep() throws {
        let u = tmp + "_up.dta"
        try save("quietly set obs 3\ngen id = _n\ngen x = 100 + _n", u)
        let s = Session()
        try run(s, "quietly set obs 4\ngen id = _n\ngen x = cond(_n == 1, ., cond(_n == 2, 102, 7))")
        let out = try run(s, "merge 1:1 id using \"\(u)\", update")
        XCTAssertEqual(nums(s, "_merge"), [4, 3, 5, 1])
        XCTAssertEqual(nums(s, "x"), [101, 102, 7, 7])
        XCTAssertTrue(out.contains("        nonmissing conflict                 1  (_merge==5)"), out)
        let s2 = Session()
        try run(s2, "quietly set obs 4\ngen id = _n\ngen x = cond(_n == 1, ., cond(_n == 2, 102, 7))")
        try run(s2, "merge 1:1 id using \"\(u)\", update replace keep(match) noreport")
        XCTAssertEqual(nums(s2, "x"), [101, 102, 103])
        XCTAssertEqual(code(s2, "drop _merge\nmerge 1:1 id using \"\(u)\", assert(master)"), 9)
        // keepusing and generate().
        let s3 = Session()
        try run(s3, "quietly set obs 1\ngen id = 2")
        try run(s3, "merge 1:1 id using \"\(u)\", keepusing(id) generate(how) noreport")
        XCTAssertEqual(s3.frame.variableNames, ["id", "how"])
    }

    func testMergeSequentialAndForce() throws {
        let u = tmp + "_q.dta"
        try save("quietly set obs 3\ngen str1 x = \"a\"\ngen y = _n * 2", u)
        let s = Session()
        try run(s, "quietly set obs 2\ngen x = _n")
        XCTAssertEqual(code(s, "merge 1:1 _n using \"\(u)\""), 106)
        try run(s, "merge 1:1 _n using \"\(u)\", force noreport")
        XCTAssertEqual(nums(s, "x"), [1, 2, Missing.dot])
        XCTAssertEqual(nums(s, "y"), [2, 4, 6])
        XCTAssertEqual(nums(s, "_merge"), [3, 3, 2])
    }

    // MARK: append

    func testAppendTypePromotion() throws {
        let u = tmp + "_a.dta"
        try save("quietly set obs 2\ngen long n = 100000 + _n\ngen float f = 0.5\ngen str5 t = \"hello\"\ngen extra = 1", u)
        let s = Session()
        try run(s, "quietly set obs 1\ngen byte n = 1\ngen long f = 70000\ngen str1 t = \"a\"")
        let out = try run(s, "append using \"\(u)\", generate(src)")
        XCTAssertEqual(s.frame.column("n")!.type, .long)
        XCTAssertEqual(s.frame.column("f")!.type, .double, "long with float needs double")
        XCTAssertEqual(s.frame.column("t")!.type, .str(5))
        XCTAssertEqual(nums(s, "n"), [1, 100001, 100002])
        XCTAssertEqual(nums(s, "f"), [70000, 0.5, 0.5])
        XCTAssertEqual(nums(s, "extra"), [Missing.dot, 1, 1])
        XCTAssertEqual(nums(s, "src"), [0, 1, 1])
        XCTAssertTrue(out.contains("(variable n was byte, now long to accommodate using data's values)"), out)
        let s2 = Session()
        try run(s2, "quietly set obs 1\ngen t = 1")
        XCTAssertEqual(code(s2, "append using \"\(u)\""), 106)
        try run(s2, "append using \"\(u)\", force")
        XCTAssertEqual(nums(s2, "t"), [1, Missing.dot, Missing.dot])
    }

    func testJoinbyAllPairs() throws {
        let u = tmp + "_j.dta"
        try save("quietly set obs 3\ngen g = cond(_n < 3, 1, 2)\ngen u = _n", u)
        let s = Session()
        try run(s, "quietly set obs 3\ngen g = cond(_n == 3, 3, 1)\ngen m = _n * 10")
        try run(s, "joinby g using \"\(u)\"")
        XCTAssertEqual(nums(s, "g"), [1, 1, 1, 1])
        XCTAssertEqual(nums(s, "m"), [10, 10, 20, 20])
        XCTAssertEqual(nums(s, "u"), [1, 2, 1, 2])
        let s2 = Session()
        try run(s2, "quietly set obs 3\ngen g = cond(_n == 3, 3, 1)\ngen m = _n * 10")
        try run(s2, "joinby g using \"\(u)\", unmatched(both)")
        XCTAssertEqual(nums(s2, "g"), [1, 1, 1, 1, 2, 3])
        XCTAssertEqual(nums(s2, "_merge"), [3, 3, 3, 3, 2, 1])
    }

    func testDestringOptions() throws {
        let s = Session()
        try run(s, "quietly set obs 2\ngen str6 p = cond(_n == 1, \"12.5%\", \"3%\")\ngen str5 c = cond(_n == 1, \"1,5\", \"-2,25\")")
        try run(s, "destring p, replace percent\ndestring c, replace dpcomma")
        XCTAssertEqual(nums(s, "p"), [0.125, 0.03])
        XCTAssertEqual(nums(s, "c"), [1.5, -2.25])
        XCTAssertEqual(s.frame.column("c")!.type, .float)
    }

    // MARK: reshape

    func testReshapeStringJ() throws {
        let s = Session()
        try run(s, """
        quietly set obs 2
        gen id = _n
        gen incmale = 10 * _n
        gen incfemale = 20 * _n
        gen str3 tag = "t" + string(_n)
        """)
        let out = try run(s, "reshape long inc, i(id) j(sex) string")
        XCTAssertEqual(s.frame.variableNames, ["id", "sex", "inc", "tag"])
        XCTAssertEqual(strs(s, "sex"), ["female", "male", "female", "male"])
        XCTAssertEqual(nums(s, "inc"), [20, 10, 40, 20])
        XCTAssertTrue(out.contains("j variable (2 values)                     ->   sex"), out)
        XCTAssertEqual(code(s, "reshape wide inc, i(id) j(sex)"), 109)
        try run(s, "reshape wide")
        XCTAssertEqual(s.frame.variableNames, ["id", "incfemale", "incmale", "tag"])
        XCTAssertEqual(nums(s, "incmale"), [10, 20])
        // Errors: i not unique (wide → long), j not unique within i, non-constant variables.
        let s2 = Session()
        try run(s2, "quietly set obs 2\ngen id = 1\ngen x1 = 1\ngen x2 = 2")
        XCTAssertEqual(code(s2, "reshape long x, i(id) j(t)"), 9)
        let s3 = Session()
        try run(s3, "quietly set obs 3\ngen id = 1\ngen t = cond(_n == 3, 2, 1)\ngen x = _n")
        XCTAssertEqual(message(s3, "reshape wide x, i(id) j(t)"), "values of variable t not unique within id")
        let s4 = Session()
        try run(s4, "quietly set obs 2\ngen id = 1\ngen t = _n\ngen x = _n\ngen z = _n")
        XCTAssertEqual(message(s4, "reshape wide x, i(id) j(t)"), "variable z not constant within id")
    }

    /// Layout from Stata's documented session: wide `id x1 x2 y1 y2` ↔ long `id _j x y`, and
    /// wide again gives `id x1 y1 x2 y2` (j-major), with the summary block's counts.
    func testReshapeTwoStubsLayout() throws {
        let s = Session()
        var out = ""
        s.output = { t, _ in out += t }
        try s.run(source: "quietly set obs 4\ngen str1 id = cond(_n == 1, \"a\", cond(_n == 2, \"b\", cond(_n == 3, \"c\", \"d\")))\ngen x1 = 9 + _n\ngen x2 = 13 + _n\ngen y1 = _n - 1\ngen y2 = _n + 3", file: "t.did")
        out = ""
        try s.run(source: "reshape long x y, i(id)", file: "t.did")
        XCTAssertEqual(s.frame.variableNames, ["id", "_j", "x", "y"])
        XCTAssertEqual(nums(s, "x"), [10, 14, 11, 15, 12, 16, 13, 17])
        XCTAssertEqual(out, """
        (note: j = 1 2)

        Data                               wide   ->   long
        -----------------------------------------------------------------------------
        Number of obs.                        4   ->       8
        Number of variables                   5   ->       4
        j variable (2 values)                     ->   _j
        xij variables:
                                          x1 x2   ->   x
                                          y1 y2   ->   y
        -----------------------------------------------------------------------------

        """)
        try run(s, "reshape wide x y, i(id)")
        XCTAssertEqual(s.frame.variableNames, ["id", "x1", "y1", "x2", "y2"])
        XCTAssertEqual(nums(s, "y2"), [4, 5, 6, 7])
    }

    func testReshapeUnbalancedLong() throws {
        let s = Session()
        try run(s, "quietly set obs 2\ngen id = _n\ngen a1 = _n\ngen a3 = 10 + _n\ngen b3 = 7")
        try run(s, "reshape long a b, i(id) j(year)")
        XCTAssertEqual(nums(s, "year"), [1, 3, 1, 3])
        XCTAssertEqual(nums(s, "a"), [1, 11, 2, 12])
        XCTAssertEqual(nums(s, "b"), [Missing.dot, 7, Missing.dot, 7])
        XCTAssertEqual(s.frame.column("year")!.type, .byte)
    }

    // MARK: collapse

    /// Slow percentile straight from the definition (sorted copy, n·p/100 rule).
    func slowPercentile(_ v: [Double], _ p: Double) -> Double {
        let x = v.sorted(), n = Double(x.count), pos = n * p / 100
        if pos == pos.rounded() { let i = Int(pos); return i == 0 ? x[0] : (i >= x.count ? x[x.count - 1] : (x[i - 1] + x[i]) / 2) }
        return x[Int(pos.rounded(.up)) - 1]
    }

    func testCollapseAgainstSlowPath() throws {
        let s = Session()
        try run(s, """
        quietly set obs 203
        gen g = mod(_n * 7, 5)
        gen double x = mod(_n * 37, 101) / 3 + (_n == 5) * 1e6
        replace x = . if mod(_n, 17) == 0
        gen w = 1 + mod(_n, 4)
        """)
        let g = nums(s, "g"), x = nums(s, "x"), w = nums(s, "w")
        try run(s, "collapse (mean) m=x (sd) sd=x (p10) p10=x (median) med=x (p99) p99=x (iqr) iqr=x (count) n=x (sum) sum=x (first) f=x (lastnm) l=x (min) lo=x (max) hi=x, by(g)")
        XCTAssertEqual(nums(s, "g"), [0, 1, 2, 3, 4])
        XCTAssertEqual(s.frame.column("n")!.type, .long)
        XCTAssertEqual(s.frame.column("m")!.type, .double)
        XCTAssertEqual(s.frame.column("sum")!.type, .double)
        for k in 0..<5 {
            let rows = g.indices.filter { g[$0] == Double(k) }
            let v = rows.map { x[$0] }.filter { !Missing.isMissing($0) }
            let mean = v.reduce(0, +) / Double(v.count)
            let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
            XCTAssertEqual(nums(s, "m")[k], mean, accuracy: 1e-12 * abs(mean))
            XCTAssertEqual(nums(s, "sd")[k], sd, accuracy: 1e-10 * sd)
            XCTAssertEqual(nums(s, "p10")[k], slowPercentile(v, 10))
            XCTAssertEqual(nums(s, "med")[k], slowPercentile(v, 50))
            XCTAssertEqual(nums(s, "p99")[k], slowPercentile(v, 99))
            XCTAssertEqual(nums(s, "iqr")[k], slowPercentile(v, 75) - slowPercentile(v, 25))
            XCTAssertEqual(nums(s, "n")[k], Double(v.count))
            XCTAssertEqual(nums(s, "sum")[k], v.reduce(0, +), accuracy: 1e-9)
            XCTAssertEqual(nums(s, "f")[k].bitPattern, x[rows[0]].bitPattern)
            XCTAssertEqual(nums(s, "l")[k], rows.map { x[$0] }.last { !Missing.isMissing($0) }!)
            XCTAssertEqual(nums(s, "lo")[k], v.min()!)
            XCTAssertEqual(nums(s, "hi")[k], v.max()!)
        }
        // Frequency weights equal expanded rows.
        let a = Session(), b = Session()
        let build = """
        quietly set obs 40
        gen g = mod(_n, 3)
        gen x = mod(_n * 13, 11)
        gen w = 1 + mod(_n, 4)
        """
        try run(a, build + "\ncollapse (mean) m=x (sd) sd=x (sum) t=x (count) n=x (median) md=x [fw=w], by(g)")
        try run(b, build + "\nexpand w\ncollapse (mean) m=x (sd) sd=x (sum) t=x (count) n=x (median) md=x, by(g)")
        for v in ["m", "sd", "t", "n", "md"] {
            for (p, q) in zip(nums(a, v), nums(b, v)) { XCTAssertEqual(p, q, accuracy: 1e-12 * max(1, abs(q)), v) }
        }
        _ = w
    }

    func testCollapseAweightsAndErrors() throws {
        let s = Session()
        try run(s, "quietly set obs 4\ngen x = _n\ngen w = _n\ncollapse (mean) m=x (sum) t=x (rawsum) r=x [aw=w]")
        XCTAssertEqual(nums(s, "m")[0], 30.0 / 10, accuracy: 1e-6)
        XCTAssertEqual(nums(s, "t")[0], 30.0 * 4 / 10, accuracy: 1e-12)
        XCTAssertEqual(nums(s, "r")[0], 10)
        let s2 = Session()
        try run(s2, "quietly set obs 2\ngen x = _n\ngen str1 t = \"a\"")
        XCTAssertEqual(code(s2, "collapse (mean) t"), 109)
        XCTAssertEqual(code(s2, "collapse (foo) x"), 198)
        XCTAssertEqual(code(s2, "collapse x if x > 5"), 2000)
        XCTAssertEqual(code(s2, "collapse (mean) x (sum) x"), 198)
    }

    // MARK: small commands

    func testPreserveRestore() throws {
        let s = Session()
        try run(s, "quietly set obs 3\ngen x = _n\npreserve\ndrop if x > 1")
        XCTAssertEqual(code(s, "preserve"), 621)
        try run(s, "restore, preserve\ndrop in 1\nrestore")
        XCTAssertEqual(nums(s, "x"), [1, 2, 3])
        XCTAssertEqual(code(s, "restore"), 622)
        try run(s, "preserve\ndrop x\nrestore, not")
        XCTAssertEqual(s.frame.width, 0)
        // xtset survives preserve / collapse / restore and is dropped when its variables go.
        try run(s, "quietly set obs 4\ngen id = ceil(_n / 2)\ngen t = _n\ngen y = 1\nxtset id t\npreserve\ncollapse (mean) y, by(id)")
        XCTAssertNil(s.timeSettings)
        try run(s, "restore")
        XCTAssertEqual(s.timeSettings?.panel, "id")
        XCTAssertEqual(s.timeSettings?.time, "t")
    }

    func testLabelsAndRecode() throws {
        let s = Session()
        try run(s, "quietly set obs 5\ngen x = _n\nlabel define l 1 \"one\" 2 \"two\"")
        XCTAssertEqual(code(s, "label define l 3 \"three\""), 110)
        XCTAssertEqual(code(s, "label define l 1 \"uno\", add"), 180)
        try run(s, "label define l 1 \"uno\", modify\nlabel values x l")
        XCTAssertEqual(s.frame.valueLabels["l"]?.mapping, [1: "uno", 2: "two"])
        let listed = try run(s, "label list l")
        XCTAssertEqual(listed, "l:\n           1 uno\n           2 two\n")
        let out = try run(s, "recode x (1 2 = 0) (3/4 = 1) (missing = 9) (else = 5)")
        XCTAssertEqual(out, "(x: 4 changes made)\n")
        XCTAssertEqual(nums(s, "x"), [0, 0, 1, 1, 5])
        try run(s, "gen str1 t = \"a\"")
        XCTAssertEqual(code(s, "label values t l"), 181)
        try run(s, "gen y = 1\nrename (x y) (y x)")
        XCTAssertEqual(Array(s.frame.variableNames.prefix(3)), ["y", "t", "x"])
        XCTAssertEqual(code(s, "rename (y t) (x z)"), 110)
    }

    func testEncodeDestringTostring() throws {
        let s = Session()
        try run(s, """
        quietly set obs 4
        gen str5 c = cond(_n == 1, "pear", cond(_n == 2, "apple", cond(_n == 3, "", "pear")))
        encode c, gen(cn)
        decode cn, gen(c2)
        """)
        XCTAssertEqual(nums(s, "cn"), [2, 1, Missing.dot, 2])
        XCTAssertEqual(s.frame.column("cn")!.type, .long)
        XCTAssertEqual(strs(s, "c2"), ["pear", "apple", "", "pear"])
        XCTAssertEqual(code(s, "encode cn, gen(z)"), 108)
        let s2 = Session()
        try run(s2, "quietly set obs 3\ngen str6 a = cond(_n == 1, \"1,200\", cond(_n == 2, \"\", \"x\"))\ngen str3 b = string(_n * 100)")
        var out = try run(s2, "destring a b, replace")
        XCTAssertEqual(out, "a: contains nonnumeric characters; no replace\nb: all characters numeric; replaced as int\n")
        out = try run(s2, "destring a, replace ignore(\",\") force")
        XCTAssertEqual(out, "a: contains nonnumeric characters; replaced as int\n(1 missing value generated)\n")
        XCTAssertEqual(nums(s2, "a"), [1200, Missing.dot, Missing.dot])
        try run(s2, "gen float f = 0.1\ngen double d = 0.25")
        out = try run(s2, "tostring f d, replace")
        XCTAssertEqual(out, "f cannot be converted reversibly; no replace\nd was double now str3\n")
        XCTAssertEqual(strs(s2, "d"), [".25", ".25", ".25"])
        try run(s2, "tostring a, gen(as)")
        XCTAssertEqual(strs(s2, "as"), ["1200", ".", "."])
    }

    func testIsidDuplicatesExpandFillin() throws {
        let s = Session()
        try run(s, "quietly set obs 4\ngen id = ceil(_n / 2)\ngen t = _n")
        XCTAssertEqual(message(s, "isid id"), "variable id does not uniquely identify the observations")
        try run(s, "isid id t")
        let out = try run(s, "duplicates report id")
        XCTAssertTrue(out.contains("        2 |            4             2"), out)
        XCTAssertEqual(s.rResults.scalars["unique_value"], 2)
        XCTAssertEqual(code(s, "duplicates drop id"), 198)
        try run(s, "duplicates drop id, force")
        XCTAssertEqual(nums(s, "t"), [1, 3])
        try run(s, "expand 3 if id == 2")
        XCTAssertEqual(nums(s, "t"), [1, 3, 3, 3])
        let f = Session()
        try run(f, "quietly set obs 2\ngen a = _n\ngen b = _n\ngen v = 9\nfillin a b")
        XCTAssertEqual(nums(f, "a"), [1, 1, 2, 2])
        XCTAssertEqual(nums(f, "b"), [1, 2, 1, 2])
        XCTAssertEqual(nums(f, "_fillin"), [0, 1, 1, 0])
        XCTAssertEqual(nums(f, "v"), [9, Missing.dot, Missing.dot, 9])
    }

    func testConfirmFilesAndLog() throws {
        let s = Session()
        let dir = tmp + "_dir"
        try? FileManager.default.removeItem(atPath: dir)
        try run(s, "mkdir \"\(dir)\"")
        XCTAssertEqual(code(s, "mkdir \"\(dir)\""), 693)
        let log = dir + "/out.log"
        try run(s, "log using \"\(log)\", text\ndisplay \"logged line\"\nquietly display \"hidden\"\nlog close")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(text.contains("logged line\n"))
        XCTAssertFalse(text.contains("hidden"))
        XCTAssertTrue(text.contains("  log type:  text"))
        XCTAssertEqual(code(s, "log using \"\(log)\", text"), 602)
        let smcl = dir + "/out"
        try run(s, "log using \"\(smcl)\"\ndisplay \"a {b}\"\nlog close")
        let st = try String(contentsOfFile: smcl + ".smcl", encoding: .utf8)
        XCTAssertTrue(st.hasPrefix("{smcl}\n"))
        XCTAssertTrue(st.contains("a {c -(}b{c )-}\n"), st)
        XCTAssertEqual(code(s, "log close"), 606)
        try run(s, "confirm file \"\(log)\"")
        XCTAssertEqual(code(s, "confirm new file \"\(log)\""), 602)
        try run(s, "erase \"\(log)\"")
        XCTAssertEqual(code(s, "confirm file \"\(log)\""), 601)
        XCTAssertEqual(code(s, "erase \"\(log)\""), 601)
        try run(s, "quietly set obs 1\ngen str1 z = \"a\"\ngen n = 1")
        XCTAssertEqual(code(s, "confirm numeric variable z"), 7)
        XCTAssertEqual(code(s, "confirm variable nothere"), 111)
        XCTAssertEqual(code(s, "confirm new variable n"), 110)
        XCTAssertEqual(code(s, "confirm integer number 1.5"), 7)
        XCTAssertEqual(code(s, "confirm number abc"), 7)
        try run(s, "confirm string variable z\nconfirm number -1e3\nconfirm integer number 4")
    }

    func testCorrelate() throws {
        let s = Session()
        let out = try run(s, "quietly set obs 5\ngen a = _n\ngen b = _n * _n\ngen c = -_n\ncorrelate a b c")
        let a = (1...5).map(Double.init), b = a.map { $0 * $0 }
        let ma = 3.0, mb = b.reduce(0, +) / 5
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for k in 0..<5 {
            let da: Double = a[k] - ma, db: Double = b[k] - mb
            sab += da * db; saa += da * da; sbb += db * db
        }
        let r = sab / (saa * sbb).squareRoot()
        XCTAssertEqual(s.rResults.scalars["rho"]!, r, accuracy: 1e-14)
        XCTAssertEqual(s.rResults.scalars["N"], 5)
        XCTAssertEqual(s.rResults.matrices["C"]![2, 0], -1, accuracy: 1e-15)
        XCTAssertEqual(out, """
        (obs=5)

                     |        a        b        c
        -------------+---------------------------
                   a |   1.0000
                   b |   \(String(format: "%.4f", r))   1.0000
                   c |  -1.0000  -\(String(format: "%.4f", r))   1.0000

        """)
    }
}
