// Every built-in function, with values from Stata's function documentation where it gives
// examples (round(28,5) = 30, substr("abcdef",-3,2) = "de", …) and hand-checkable cases.
import XCTest
@testable import DidLang
import DidFrame

final class ExprFunctionTests: XCTestCase {
    let a = Missing.extended(1)

    func testMath() throws {
        XCTAssertEqual(try evalNum("abs(-2.5)"), 2.5)
        XCTAssertEqual(try evalNum("ln(exp(2))"), 2, accuracy: 1e-15)
        XCTAssertEqual(try evalNum("log(1)"), 0)
        XCTAssertEqual(try evalNum("ln(0)"), sysmiss)
        XCTAssertEqual(try evalNum("ln(-1)"), sysmiss)
        XCTAssertEqual(try evalNum("log10(1000)"), 3)
        XCTAssertEqual(try evalNum("exp(1000)"), sysmiss)
        XCTAssertEqual(try evalNum("sqrt(16)"), 4)
        XCTAssertEqual(try evalNum("sqrt(-1)"), sysmiss)
        XCTAssertEqual(try evalNum("floor(-1.5)"), -2)
        XCTAssertEqual(try evalNum("ceil(-1.5)"), -1)
        XCTAssertEqual(try evalNum("int(-1.7)"), -1)
        XCTAssertEqual(try evalNum("int(1.7)"), 1)
        XCTAssertEqual(try evalNum("floor(.a)"), a)
        XCTAssertEqual(try evalNum("round(5.2,1)"), 5)
        XCTAssertEqual(try evalNum("round(4.8)"), 5)
        XCTAssertEqual(try evalNum("round(-5.2,1)"), -5)
        XCTAssertEqual(try evalNum("round(-4.8,1)"), -5)
        XCTAssertEqual(try evalNum("round(28,5)"), 30)
        XCTAssertEqual(try evalNum("round(sqrt(2),.01)"), 1.41, accuracy: 1e-15)
        XCTAssertEqual(try evalNum("round(3.7, 0)"), 3.7)
        XCTAssertEqual(try evalNum("round(.a)"), a)        // round(.a) = .a
        XCTAssertEqual(try evalNum("round(.a, .)"), sysmiss)
        XCTAssertEqual(try evalNum("round(2.5)"), 3)
        XCTAssertEqual(try evalNum("mod(7,3)"), 1)
        XCTAssertEqual(try evalNum("mod(-1,3)"), 2)
        XCTAssertEqual(try evalNum("mod(7.5,2)"), 1.5)
        XCTAssertEqual(try evalNum("mod(1,0)"), sysmiss)
        XCTAssertEqual(try evalNum("sign(-3)"), -1)
        XCTAssertEqual(try evalNum("sign(0)"), 0)
        XCTAssertEqual(try evalNum("sign(2)"), 1)
        XCTAssertEqual(try evalNum("sign(.)"), sysmiss)
        XCTAssertEqual(try evalNum("float(0.1)"), Double(Float(0.1)))
        XCTAssertEqual(try evalNum("float(0.1) == 0.1"), 0)
        XCTAssertEqual(try evalNum("float(1e39)"), sysmiss)
        XCTAssertEqual(try evalNum("float(.a)"), a)
        XCTAssertEqual(try evalNum("min(3, ., 1, 2)"), 1)   // ignore missing
        XCTAssertEqual(try evalNum("max(3, .a, 1)"), 3)
        XCTAssertEqual(try evalNum("max(., .)"), sysmiss)
        XCTAssertEqual(try evalNum("min(5)"), 5)
        XCTAssertEqual(try evalNum("atan2(1,1)*4"), Double.pi, accuracy: 1e-15)
        XCTAssertEqual(try evalNum("sin(0) + cos(0) + tan(0)"), 1)
        XCTAssertEqual(try evalNum("logit(.5)"), 0)
        XCTAssertEqual(try evalNum("invlogit(0)"), 0.5)
        XCTAssertEqual(try evalNum("invlogit(-800)"), 0)
        XCTAssertEqual(try evalNum("trunc(-2.5)"), -2)
        XCTAssertEqual(try evalNum("asin(1)*2"), Double.pi, accuracy: 1e-15)
        XCTAssertEqual(try evalNum("acos(-1)"), Double.pi, accuracy: 1e-15)
        XCTAssertEqual(try evalNum("atan(1)*4"), Double.pi, accuracy: 1e-15)
        XCTAssertEqual(try evalNum("asin(2)"), sysmiss)
    }

    func testCondMissingInlistInrange() throws {
        XCTAssertEqual(try evalNum("cond(1, 10, 20)"), 10)
        XCTAssertEqual(try evalNum("cond(0, 10, 20)"), 20)
        XCTAssertEqual(try evalNum("cond(., 10, 20)"), 10)       // missing is true
        XCTAssertEqual(try evalNum("cond(., 10, 20, 30)"), 30)   // unless a fourth argument is given
        XCTAssertEqual(try evalStr("cond(2>1, \"y\", \"n\")"), "y")
        XCTAssertEqual(try evalNum("missing(1, 2)"), 0)
        XCTAssertEqual(try evalNum("missing(1, .b)"), 1)
        XCTAssertEqual(try evalNum("missing(\"\")"), 1)
        XCTAssertEqual(try evalNum("mi(\"a\", 3)"), 0)
        XCTAssertEqual(try evalNum("inlist(3, 1, 2, 3)"), 1)
        XCTAssertEqual(try evalNum("inlist(4, 1, 2, 3)"), 0)
        XCTAssertEqual(try evalNum("inlist(\"b\", \"a\", \"b\")"), 1)
        XCTAssertEqual(try evalNum("inlist(., 1, .)"), 1)
        XCTAssertEqual(try evalNum("inrange(5, 1, 10)"), 1)
        XCTAssertEqual(try evalNum("inrange(1, 1, 10)"), 1)
        XCTAssertEqual(try evalNum("inrange(11, 1, 10)"), 0)
        XCTAssertEqual(try evalNum("inrange(5, ., 10)"), 1)       // missing lower bound is -inf
        XCTAssertEqual(try evalNum("inrange(50, 1, .)"), 1)       // missing upper bound is +inf
        XCTAssertEqual(try evalNum("inrange(., 1, 10)"), 0)
        XCTAssertEqual(try evalNum("inrange(., ., .)"), 0)              // z missing: always 0
        XCTAssertEqual(try evalNum("inrange(5, .a, .)"), 1)
        XCTAssertEqual(try evalNum("inrange(5, ., 4)"), 0)
        XCTAssertEqual(try evalNum("inrange(5, 6, .)"), 0)
        XCTAssertEqual(try evalNum("inrange(\"m\", \"a\", \"z\")"), 1)
    }

    func testStringFunctions() throws {
        XCTAssertEqual(try evalNum("strlen(\"hello\")"), 5)
        XCTAssertEqual(try evalNum("length(\"\")"), 0)
        XCTAssertEqual(try evalNum("strlen(\"\u{e9}\")"), 2)      // bytes
        XCTAssertEqual(try evalNum("ustrlen(\"\u{e9}\")"), 1)
        XCTAssertEqual(try evalStr("substr(\"abcdef\", 2, 3)"), "bcd")
        XCTAssertEqual(try evalStr("substr(\"abcdef\", -3, 2)"), "de")
        XCTAssertEqual(try evalStr("substr(\"abcdef\", 2, .)"), "bcdef")
        XCTAssertEqual(try evalStr("substr(\"abcdef\", 0, 2)"), "")
        XCTAssertEqual(try evalStr("substr(\"abcdef\", 5, 10)"), "ef")
        XCTAssertEqual(try evalStr("substr(\"abc\", 9, 1)"), "")
        // The examples in Stata's help for substr():
        XCTAssertEqual(try evalStr("substr(\"abcdef\", -3, .)"), "def")
        XCTAssertEqual(try evalStr("substr(\"abcdef\", 2, 0)"), "")
        XCTAssertEqual(try evalStr("substr(\"abcdef\", 15, 2)"), "")
        XCTAssertEqual(try evalNum("strpos(\"this\", \"is\")"), 3)
        XCTAssertEqual(try evalNum("strpos(\"this\", \"it\")"), 0)
        XCTAssertEqual(try evalStr("upper(\"aBc1\")"), "ABC1")
        XCTAssertEqual(try evalStr("strupper(\"\u{e9}a\")"), "\u{e9}A")   // ASCII only
        XCTAssertEqual(try evalStr("lower(\"AbC\")"), "abc")
        XCTAssertEqual(try evalStr("strlower(\"X\")"), "x")
        XCTAssertEqual(try evalStr("trim(\"  a b  \")"), "a b")
        XCTAssertEqual(try evalStr("strtrim(\" x \")"), "x")
        XCTAssertEqual(try evalStr("ltrim(\"  a \")"), "a ")
        XCTAssertEqual(try evalStr("rtrim(\" a  \")"), " a")
        XCTAssertEqual(try evalStr("itrim(\"a   b    c\")"), "a b c")
        XCTAssertEqual(try evalStr("stritrim(\" a  b \")"), " a b ")
        XCTAssertEqual(try evalStr("strltrim(\"  a\")"), "a")
        XCTAssertEqual(try evalStr("strrtrim(\"a  \")"), "a")
        XCTAssertEqual(try evalStr("subinstr(\"this is this\", \"is\", \"X\", 1)"), "thX is this")
        XCTAssertEqual(try evalStr("subinstr(\"this is this\", \"is\", \"X\", .)"), "thX X thX")
        XCTAssertEqual(try evalStr("subinstr(\"aaa\", \"a\", \"bb\", 2)"), "bbbba")
        // The examples in Stata's help for subinstr():
        XCTAssertEqual(try evalStr("subinstr(\"this is the day\",\"is\",\"X\",1)"), "thX is the day")
        XCTAssertEqual(try evalStr("subinstr(\"this is the hour\",\"is\",\"X\",2)"), "thX X the hour")
        XCTAssertEqual(try evalStr("word(\"a b\", .)"), "")
        XCTAssertEqual(try evalStr("string(42)"), "42")
        XCTAssertEqual(try evalStr("string(1/3)"), ".3333333")   // %9.0g
        XCTAssertEqual(try evalStr("string(3.14159, \"%5.2f\")"), "3.14")
        XCTAssertEqual(try evalStr("string(.)"), ".")
        XCTAssertEqual(try evalStr("string(.a)"), ".a")
        XCTAssertEqual(try evalStr("strofreal(-2.5)"), "-2.5")
        XCTAssertEqual(try evalStr("string(12345, \"%9.0gc\")"), "12,345")
        // The examples in Stata's help for strofreal():
        XCTAssertEqual(try evalStr("strofreal(4) + \"F\""), "4F")
        XCTAssertEqual(try evalStr("strofreal(1234567)"), "1234567")
        XCTAssertEqual(try evalStr("strofreal(12345678)"), "1.23e+07")
        XCTAssertEqual(try evalStr("strofreal(4, \"%9.2f\")"), "4.00")
        XCTAssertEqual(try evalStr("strofreal(123456789, \"%11.0g\")"), "123456789")
        XCTAssertEqual(try evalStr("strofreal(123456789, \"%13.0gc\")"), "123,456,789")
        XCTAssertEqual(try evalStr("strofreal(0, \"%td\")"), "01jan1960")
        XCTAssertEqual(try evalStr("strofreal(225, \"%tq\")"), "2016q2")
        XCTAssertEqual(try evalStr("strofreal(225, \"not a format\")"), "")
        XCTAssertEqual(try evalNum("real(\"12.5\")"), 12.5)
        XCTAssertEqual(try evalNum("real(\" 7 \")"), 7)
        XCTAssertEqual(try evalNum("real(\"1e3\")"), 1000)
        XCTAssertEqual(try evalNum("real(\"abc\")"), sysmiss)
        XCTAssertEqual(try evalNum("real(\".a\")"), a)
        XCTAssertEqual(try evalNum("real(\"\")"), sysmiss)
        XCTAssertEqual(try evalStr("word(\"the quick  brown fox\", 3)"), "brown")
        XCTAssertEqual(try evalStr("word(\"the quick brown fox\", -1)"), "fox")
        XCTAssertEqual(try evalStr("word(\"a b\", 3)"), "")
        XCTAssertEqual(try evalNum("wordcount(\"  the quick  brown \")"), 3)
        XCTAssertEqual(try evalNum("wordcount(\"\")"), 0)
        XCTAssertEqual(try evalNum("strmatch(\"17.4\", \"1??4\")"), 1)
        XCTAssertEqual(try evalNum("strmatch(\"abc\", \"*c\")"), 1)
        XCTAssertEqual(try evalNum("strmatch(\"abc\", \"b*\")"), 0)
        XCTAssertEqual(try evalStr("strreverse(\"abc\")"), "cba")
        XCTAssertEqual(try evalStr("abbrev(\"averyverylongname\", 8)"), "averyve~")
    }

    func testRegularExpressions() throws {
        let ctx = ExprTestContext([Column(name: "s", strings: ["id-12", "none", "x-7"])])
        XCTAssertEqual(try evalNumbers("regexm(s, \"([a-z]+)-([0-9]+)\")", ctx), [1, 0, 1])
        // regexs() after a vectorised regexm() reads each observation's own match.
        XCTAssertEqual(try evalStrings("regexs(2)", ctx), ["12", "", "7"])
        XCTAssertEqual(try evalStrings("regexs(1)", ctx, rows: RowSet(rows: [2], count: 3)), ["x"])
        // Within one expression, scalar context.
        XCTAssertEqual(try evalStr("cond(regexm(\"ab12\", \"[0-9]+\"), regexs(0), \"\")"), "12")
        XCTAssertEqual(try evalStr("regexr(\"a1b22\", \"[0-9]+\", \"#\")"), "a#b22")
        XCTAssertEqual(try evalStr("regexr(\"abc\", \"z\", \"#\")"), "abc")
        XCTAssertEqual(try evalNum("regexm(\"Stata\", \"^S.*a$\")"), 1)
        assertExprRC(198, "regexm(\"a\", \"(\")")
        assertExprRC(198, "regexs(10)")
    }

    func testDates() throws {
        XCTAssertEqual(try evalNum("mdy(1,1,1960)"), 0)
        XCTAssertEqual(try evalNum("mdy(1,1,2013)"), 19359)
        XCTAssertEqual(try evalNum("mdy(12,31,1959)"), -1)
        XCTAssertEqual(try evalNum("mdy(2,29,2001)"), sysmiss)
        XCTAssertEqual(try evalNum("mdy(2,29,2000)"), 14669)
        XCTAssertEqual(try evalNum("mdy(13,1,2000)"), sysmiss)
        XCTAssertEqual(try evalNum("date(\"15jan2013\", \"DMY\")"), 19373)
        XCTAssertEqual(try evalNum("date(\"January 15, 2013\", \"MDY\")"), 19373)
        XCTAssertEqual(try evalNum("date(\"2013-01-15\", \"YMD\")"), 19373)
        XCTAssertEqual(try evalNum("date(\"20130115\", \"YMD\")"), 19373)
        XCTAssertEqual(try evalNum("date(\"1/15/13\", \"MD20Y\")"), 19373)
        XCTAssertEqual(try evalNum("date(\"1/15/13\", \"MDY\")"), sysmiss)          // two-digit year needs a century
        XCTAssertEqual(try evalNum("date(\"1/15/13\", \"MDY\", 2020)"), 19373)
        XCTAssertEqual(try evalNum("date(\"1/15/45\", \"MDY\", 2020)"), try evalNum("mdy(1,15,1945)"))
        XCTAssertEqual(try evalNum("date(\"31feb2013\", \"DMY\")"), sysmiss)
        // The examples in Stata's help for date():
        XCTAssertEqual(try evalNum("date(\"11/15/91\", \"MD19Y\")"), try evalNum("mdy(11,15,1991)"))
        for (text, top, year) in [("08", 1999, 1908), ("08", 2019, 2008), ("51", 2000, 1951), ("50", 2000, 1950),
                                  ("49", 2000, 1949), ("01", 2050, 2001), ("00", 2050, 2000)] {
            XCTAssertEqual(try evalNum("date(\"1/15/\(text)\", \"MDY\", \(top))"), try evalNum("mdy(1,15,\(year))"), "\(text) \(top)")
        }
        XCTAssertEqual(try evalNum("date(\"garbage\", \"DMY\")"), sysmiss)
        XCTAssertEqual(try evalNum("year(19373)"), 2013)
        XCTAssertEqual(try evalNum("month(19373)"), 1)
        XCTAssertEqual(try evalNum("day(19373)"), 15)
        XCTAssertEqual(try evalNum("dow(0)"), 5)             // 01jan1960 was a Friday
        XCTAssertEqual(try evalNum("dow(19373)"), 2)         // 15jan2013 was a Tuesday
        XCTAssertEqual(try evalNum("doy(mdy(12,31,2012))"), 366)
        XCTAssertEqual(try evalNum("doy(mdy(3,1,2013))"), 60)
        XCTAssertEqual(try evalNum("year(-1)"), 1959)
        XCTAssertEqual(try evalNum("year(.)"), sysmiss)
        XCTAssertEqual(try evalNum("quarter(mdy(8,1,2013))"), 3)
        XCTAssertEqual(try evalNum("mofd(mdy(3,15,1961))"), 14)
        XCTAssertEqual(try evalNum("ym(2013, 1)"), 636)
        XCTAssertEqual(try evalNum("yq(1960, 1)"), 0)
        XCTAssertEqual(try evalNum("dofm(636)"), 19359)
        XCTAssertEqual(try evalNum("dofq(yq(2013,1))"), 19359)
        XCTAssertEqual(try evalNum("qofd(19373)"), 212)
        XCTAssertEqual(try evalNum("daily(\"15jan2013\", \"DMY\")"), 19373)
        XCTAssertEqual(try evalNum("dofy(2013)"), 19359)
        XCTAssertEqual(try evalNum("yofd(19373)"), 2013)
        XCTAssertEqual(try evalNum("halfyear(mdy(7,1,2013))"), 2)
        XCTAssertEqual(try evalNum("week(mdy(1,7,2013))"), 1)
        XCTAssertEqual(try evalNum("week(mdy(1,8,2013))"), 2)
        XCTAssertEqual(try evalNum("week(mdy(12,31,2013))"), 52)
        // Round trip over a wide range of days (civil ↔ day number).
        for d in stride(from: -800_000, through: 2_900_000, by: 997) {
            let c = CivilDate(stataDay: d)
            XCTAssertEqual(CivilDate.stataDay(year: Double(c.year), month: Double(c.month), day: Double(c.day)),
                           c.year >= 100 && c.year <= 9999 ? Double(d) : sysmiss)
        }
    }

    func testStatisticalAndCombinatorics() throws {
        XCTAssertEqual(try evalNum("normal(0)"), 0.5)
        XCTAssertEqual(try evalNum("normprob(0)"), 0.5)
        XCTAssertEqual(try evalNum("invnorm(0.5)"), 0)
        XCTAssertEqual(try evalNum("normalden(0)"), 1 / (2 * Double.pi).squareRoot(), accuracy: 1e-16)
        XCTAssertEqual(try evalNum("normalden(1, 2)"), 0.5 * 0.3520653267642995, accuracy: 1e-15)  // φ(0.5)/2
        XCTAssertEqual(try evalNum("normalden(3, 1, 2)"), 0.5 * 0.24197072451914337, accuracy: 1e-15) // φ(1)/2
        XCTAssertEqual(try evalNum("invnormal(0.975)"), 1.959963984540054, accuracy: 1e-14)
        XCTAssertEqual(try evalNum("invnormal(0)"), sysmiss)
        XCTAssertEqual(try evalNum("invnormal(1)"), sysmiss)
        XCTAssertEqual(try evalNum("ttail(10, 0)"), 0.5)
        XCTAssertEqual(try evalNum("ttail(0, 1)"), sysmiss)
        XCTAssertEqual(try evalNum("t(10, 0)"), 0.5)
        XCTAssertEqual(try evalNum("Ftail(3, 10, 0)"), 1)
        XCTAssertEqual(try evalNum("F(3, 10, 0)"), 0)
        XCTAssertEqual(try evalNum("chi2tail(2, 0)"), 1)
        XCTAssertEqual(try evalNum("chi2(2, 2)"), 1 - Foundation.exp(-1), accuracy: 1e-15)
        XCTAssertEqual(try evalNum("chi2tail(2, 2)"), Foundation.exp(-1), accuracy: 1e-15)
        XCTAssertEqual(try evalNum("invchi2(2, 1 - exp(-1))"), 2, accuracy: 1e-12)
        XCTAssertEqual(try evalNum("invt(10, .5)"), 0, accuracy: 1e-15)
        XCTAssertEqual(try evalNum("invF(3, 10, F(3,10,2))"), 2, accuracy: 1e-12)
        XCTAssertEqual(try evalNum("chi2den(2, 2)"), 0.5 * Foundation.exp(-1), accuracy: 1e-16)
        XCTAssertEqual(try evalNum("Fden(2, 2, 1)"), 0.25, accuracy: 1e-15)   // 1/(1+f)^2
        XCTAssertEqual(try evalNum("lngamma(5)"), Foundation.log(24), accuracy: 1e-14)
        XCTAssertEqual(try evalNum("lnfactorial(10)"), Foundation.log(3628800), accuracy: 1e-13)
        XCTAssertEqual(try evalNum("factorial(10)"), 3628800)
        XCTAssertEqual(try evalNum("comb(5, 2)"), 10)
        XCTAssertEqual(try evalNum("comb(52, 5)"), 2598960)
        XCTAssertEqual(try evalNum("comb(60, 30)"), 118264581564861424, accuracy: 118264581564861424 * 1e-15)
        XCTAssertEqual(try evalNum("comb(5, 6)"), sysmiss)
        XCTAssertEqual(try evalNum("comb(5.5, 2)"), sysmiss)
        XCTAssertEqual(try evalNum("binomial(10, 3, .5)"), 176.0 / 1024, accuracy: 1e-15)
        XCTAssertEqual(try evalNum("gammaptail(1, 2)"), Foundation.exp(-2), accuracy: 1e-16)
        XCTAssertEqual(try evalNum("ibetatail(2, 3, .4)"), 1 - 0.5248, accuracy: 1e-15)
    }

    func testRandomFunctionsAreReproducibleAndInRange() throws {
        let ctx = ExprTestContext([Column(name: "x", values: Array(repeating: 0, count: 2000))])
        ctx.random.seed(42)
        let u = try evalNumbers("runiform()", ctx)
        XCTAssertTrue(u.allSatisfy { $0 > 0 && $0 < 1 })
        XCTAssertEqual(Set(u).count, 2000)
        ctx.random.seed(42)
        XCTAssertEqual(try evalNumbers("runiform()", ctx), u)
        let ab = try evalNumbers("runiform(5, 7)", ctx)
        XCTAssertTrue(ab.allSatisfy { $0 >= 5 && $0 < 7 })
        let ints = try evalNumbers("runiformint(1, 6)", ctx)
        XCTAssertEqual(Set(ints), [1, 2, 3, 4, 5, 6])
        let z = try evalNumbers("rnormal(10, 2)", ctx)
        let mean = z.reduce(0, +) / 2000
        XCTAssertEqual(mean, 10, accuracy: 0.2)          // 5 standard errors
        XCTAssertEqual(try evalNumbers("rnormal(0, .)", ctx).first, sysmiss)
        XCTAssertEqual(try evalNumbers("runiformint(3, 1)", ctx).first, sysmiss)
        XCTAssertEqual(try evalNum("uniform() < 1", ctx), 1)
    }

    func testExtremeArgumentsNeverTrap() {
        // Every function with hostile arguments (huge, negative, missing, wrong type), in
        // scalar context and over zero rows: a value or a StataError, never a trap.
        let pool = ["0", "-1", "1e300", "-1e300", ".", ".a", "0.5", "1e9", "3", "\"\"", "\"abc\"", "\"%9.2f\"", "\"(\""]
        let ctx = ExprTestContext([Column(name: "x", values: [1, 2])])
        ctx.matrices["M"] = [[1]]
        var state: UInt64 = 12345
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        for name in FunctionRegistry.names where name != "rowsof" && name != "colsof" {
            let arity = FunctionRegistry.arity(name)!
            for _ in 0..<40 {
                let n = min(arity.lowerBound + next() % 3, arity.upperBound)
                let args = (0..<n).map { _ in pool[next() % pool.count] }
                let text = "\(name)(\(args.joined(separator: ",")))"
                for rows in [RowSet.all(2), RowSet(rows: [], count: 2)] {
                    do { _ = try Evaluator.evaluate(ExprParser.parse(text), in: ctx, rows: rows) }
                    catch is StataError {} catch { XCTFail("\(text): \(error)") }
                }
            }
        }
        assertExprRC(503, "M[1e300, 1]", ctx)
    }

    func testEveryRegisteredFunctionIsCovered() throws {
        // Guards against adding a function without a test: each name must appear in a test file.
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var corpus = ""
        for f in try FileManager.default.contentsOfDirectory(atPath: here.path) where f.hasPrefix("Expr") || f.hasPrefix("Format") {
            corpus += try String(contentsOf: here.appendingPathComponent(f), encoding: .utf8)
        }
        for name in FunctionRegistry.names {
            XCTAssertTrue(corpus.contains("\(name)("), "no test mentions \(name)()")
        }
    }
}

import Foundation
