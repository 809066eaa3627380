// Every built-in function, with values from Stata's function documentation where it gives
// examples (round(28,5) = 30, substr("abcdef",-3,2) = "de", …) and hand-checkable cases.
import XCTest
@testable import DidLang
import DidFrame

final class ExprFunctionTests: XCTestCase {
    let a = Missing.extended(1)

    func testMath() throws {
        XCTAssertEqual(try num("abs(-2.5)"), 2.5)
        XCTAssertEqual(try num("ln(exp(2))"), 2, accuracy: 1e-15)
        XCTAssertEqual(try num("log(1)"), 0)
        XCTAssertEqual(try num("ln(0)"), dot)
        XCTAssertEqual(try num("ln(-1)"), dot)
        XCTAssertEqual(try num("log10(1000)"), 3)
        XCTAssertEqual(try num("exp(1000)"), dot)
        XCTAssertEqual(try num("sqrt(16)"), 4)
        XCTAssertEqual(try num("sqrt(-1)"), dot)
        XCTAssertEqual(try num("floor(-1.5)"), -2)
        XCTAssertEqual(try num("ceil(-1.5)"), -1)
        XCTAssertEqual(try num("int(-1.7)"), -1)
        XCTAssertEqual(try num("int(1.7)"), 1)
        XCTAssertEqual(try num("floor(.a)"), a)
        XCTAssertEqual(try num("round(5.2,1)"), 5)
        XCTAssertEqual(try num("round(4.8)"), 5)
        XCTAssertEqual(try num("round(-5.2,1)"), -5)
        XCTAssertEqual(try num("round(-4.8,1)"), -5)
        XCTAssertEqual(try num("round(28,5)"), 30)
        XCTAssertEqual(try num("round(sqrt(2),.01)"), 1.41, accuracy: 1e-15)
        XCTAssertEqual(try num("round(3.7, 0)"), 3.7)
        XCTAssertEqual(try num("round(.a)"), a)        // round(.a) = .a
        XCTAssertEqual(try num("round(.a, .)"), dot)
        XCTAssertEqual(try num("round(2.5)"), 3)
        XCTAssertEqual(try num("mod(7,3)"), 1)
        XCTAssertEqual(try num("mod(-1,3)"), 2)
        XCTAssertEqual(try num("mod(7.5,2)"), 1.5)
        XCTAssertEqual(try num("mod(1,0)"), dot)
        XCTAssertEqual(try num("sign(-3)"), -1)
        XCTAssertEqual(try num("sign(0)"), 0)
        XCTAssertEqual(try num("sign(2)"), 1)
        XCTAssertEqual(try num("sign(.)"), dot)
        XCTAssertEqual(try num("float(0.1)"), Double(Float(0.1)))
        XCTAssertEqual(try num("float(0.1) == 0.1"), 0)
        XCTAssertEqual(try num("float(1e39)"), dot)
        XCTAssertEqual(try num("float(.a)"), a)
        XCTAssertEqual(try num("min(3, ., 1, 2)"), 1)   // ignore missing
        XCTAssertEqual(try num("max(3, .a, 1)"), 3)
        XCTAssertEqual(try num("max(., .)"), dot)
        XCTAssertEqual(try num("min(5)"), 5)
        XCTAssertEqual(try num("atan2(1,1)*4"), Double.pi, accuracy: 1e-15)
        XCTAssertEqual(try num("sin(0) + cos(0) + tan(0)"), 1)
        XCTAssertEqual(try num("logit(.5)"), 0)
        XCTAssertEqual(try num("invlogit(0)"), 0.5)
        XCTAssertEqual(try num("invlogit(-800)"), 0)
        XCTAssertEqual(try num("trunc(-2.5)"), -2)
        XCTAssertEqual(try num("asin(1)*2"), Double.pi, accuracy: 1e-15)
        XCTAssertEqual(try num("acos(-1)"), Double.pi, accuracy: 1e-15)
        XCTAssertEqual(try num("atan(1)*4"), Double.pi, accuracy: 1e-15)
        XCTAssertEqual(try num("asin(2)"), dot)
    }

    func testCondMissingInlistInrange() throws {
        XCTAssertEqual(try num("cond(1, 10, 20)"), 10)
        XCTAssertEqual(try num("cond(0, 10, 20)"), 20)
        XCTAssertEqual(try num("cond(., 10, 20)"), 10)       // missing is true
        XCTAssertEqual(try num("cond(., 10, 20, 30)"), 30)   // unless a fourth argument is given
        XCTAssertEqual(try str("cond(2>1, \"y\", \"n\")"), "y")
        XCTAssertEqual(try num("missing(1, 2)"), 0)
        XCTAssertEqual(try num("missing(1, .b)"), 1)
        XCTAssertEqual(try num("missing(\"\")"), 1)
        XCTAssertEqual(try num("mi(\"a\", 3)"), 0)
        XCTAssertEqual(try num("inlist(3, 1, 2, 3)"), 1)
        XCTAssertEqual(try num("inlist(4, 1, 2, 3)"), 0)
        XCTAssertEqual(try num("inlist(\"b\", \"a\", \"b\")"), 1)
        XCTAssertEqual(try num("inlist(., 1, .)"), 1)
        XCTAssertEqual(try num("inrange(5, 1, 10)"), 1)
        XCTAssertEqual(try num("inrange(1, 1, 10)"), 1)
        XCTAssertEqual(try num("inrange(11, 1, 10)"), 0)
        XCTAssertEqual(try num("inrange(5, ., 10)"), 1)       // missing lower bound is -inf
        XCTAssertEqual(try num("inrange(50, 1, .)"), 1)       // missing upper bound is +inf
        XCTAssertEqual(try num("inrange(., 1, 10)"), 0)
        XCTAssertEqual(try num("inrange(\"m\", \"a\", \"z\")"), 1)
    }

    func testStringFunctions() throws {
        XCTAssertEqual(try num("strlen(\"hello\")"), 5)
        XCTAssertEqual(try num("length(\"\")"), 0)
        XCTAssertEqual(try num("strlen(\"\u{e9}\")"), 2)      // bytes
        XCTAssertEqual(try num("ustrlen(\"\u{e9}\")"), 1)
        XCTAssertEqual(try str("substr(\"abcdef\", 2, 3)"), "bcd")
        XCTAssertEqual(try str("substr(\"abcdef\", -3, 2)"), "de")
        XCTAssertEqual(try str("substr(\"abcdef\", 2, .)"), "bcdef")
        XCTAssertEqual(try str("substr(\"abcdef\", 0, 2)"), "")
        XCTAssertEqual(try str("substr(\"abcdef\", 5, 10)"), "ef")
        XCTAssertEqual(try str("substr(\"abc\", 9, 1)"), "")
        XCTAssertEqual(try num("strpos(\"this\", \"is\")"), 3)
        XCTAssertEqual(try num("strpos(\"this\", \"it\")"), 0)
        XCTAssertEqual(try str("upper(\"aBc1\")"), "ABC1")
        XCTAssertEqual(try str("strupper(\"\u{e9}a\")"), "\u{e9}A")   // ASCII only
        XCTAssertEqual(try str("lower(\"AbC\")"), "abc")
        XCTAssertEqual(try str("strlower(\"X\")"), "x")
        XCTAssertEqual(try str("trim(\"  a b  \")"), "a b")
        XCTAssertEqual(try str("strtrim(\" x \")"), "x")
        XCTAssertEqual(try str("ltrim(\"  a \")"), "a ")
        XCTAssertEqual(try str("rtrim(\" a  \")"), " a")
        XCTAssertEqual(try str("itrim(\"a   b    c\")"), "a b c")
        XCTAssertEqual(try str("stritrim(\" a  b \")"), " a b ")
        XCTAssertEqual(try str("strltrim(\"  a\")"), "a")
        XCTAssertEqual(try str("strrtrim(\"a  \")"), "a")
        XCTAssertEqual(try str("subinstr(\"this is this\", \"is\", \"X\", 1)"), "thX is this")
        XCTAssertEqual(try str("subinstr(\"this is this\", \"is\", \"X\", .)"), "thX X thX")
        XCTAssertEqual(try str("subinstr(\"aaa\", \"a\", \"bb\", 2)"), "bbbba")
        XCTAssertEqual(try str("string(42)"), "42")
        XCTAssertEqual(try str("string(1/3)"), ".3333333")   // %9.0g
        XCTAssertEqual(try str("string(3.14159, \"%5.2f\")"), "3.14")
        XCTAssertEqual(try str("string(.)"), ".")
        XCTAssertEqual(try str("string(.a)"), ".a")
        XCTAssertEqual(try str("strofreal(-2.5)"), "-2.5")
        XCTAssertEqual(try str("string(12345, \"%9.0gc\")"), "12,345")
        XCTAssertEqual(try num("real(\"12.5\")"), 12.5)
        XCTAssertEqual(try num("real(\" 7 \")"), 7)
        XCTAssertEqual(try num("real(\"1e3\")"), 1000)
        XCTAssertEqual(try num("real(\"abc\")"), dot)
        XCTAssertEqual(try num("real(\".a\")"), a)
        XCTAssertEqual(try num("real(\"\")"), dot)
        XCTAssertEqual(try str("word(\"the quick  brown fox\", 3)"), "brown")
        XCTAssertEqual(try str("word(\"the quick brown fox\", -1)"), "fox")
        XCTAssertEqual(try str("word(\"a b\", 3)"), "")
        XCTAssertEqual(try num("wordcount(\"  the quick  brown \")"), 3)
        XCTAssertEqual(try num("wordcount(\"\")"), 0)
        XCTAssertEqual(try num("strmatch(\"17.4\", \"1??4\")"), 1)
        XCTAssertEqual(try num("strmatch(\"abc\", \"*c\")"), 1)
        XCTAssertEqual(try num("strmatch(\"abc\", \"b*\")"), 0)
        XCTAssertEqual(try str("strreverse(\"abc\")"), "cba")
        XCTAssertEqual(try str("abbrev(\"averyverylongname\", 8)"), "averyve~")
    }

    func testRegularExpressions() throws {
        let ctx = ExprTestContext([Column(name: "s", strings: ["id-12", "none", "x-7"])])
        XCTAssertEqual(try numbers("regexm(s, \"([a-z]+)-([0-9]+)\")", ctx), [1, 0, 1])
        // regexs() after a vectorised regexm() reads each observation's own match.
        XCTAssertEqual(try strings("regexs(2)", ctx), ["12", "", "7"])
        XCTAssertEqual(try strings("regexs(1)", ctx, rows: RowSet(rows: [2], count: 3)), ["x"])
        // Within one expression, scalar context.
        XCTAssertEqual(try str("cond(regexm(\"ab12\", \"[0-9]+\"), regexs(0), \"\")"), "12")
        XCTAssertEqual(try str("regexr(\"a1b22\", \"[0-9]+\", \"#\")"), "a#b22")
        XCTAssertEqual(try str("regexr(\"abc\", \"z\", \"#\")"), "abc")
        XCTAssertEqual(try num("regexm(\"Stata\", \"^S.*a$\")"), 1)
        assertRC(198, "regexm(\"a\", \"(\")")
        assertRC(198, "regexs(10)")
    }

    func testDates() throws {
        XCTAssertEqual(try num("mdy(1,1,1960)"), 0)
        XCTAssertEqual(try num("mdy(1,1,2013)"), 19359)
        XCTAssertEqual(try num("mdy(12,31,1959)"), -1)
        XCTAssertEqual(try num("mdy(2,29,2001)"), dot)
        XCTAssertEqual(try num("mdy(2,29,2000)"), 14669)
        XCTAssertEqual(try num("mdy(13,1,2000)"), dot)
        XCTAssertEqual(try num("date(\"15jan2013\", \"DMY\")"), 19373)
        XCTAssertEqual(try num("date(\"January 15, 2013\", \"MDY\")"), 19373)
        XCTAssertEqual(try num("date(\"2013-01-15\", \"YMD\")"), 19373)
        XCTAssertEqual(try num("date(\"20130115\", \"YMD\")"), 19373)
        XCTAssertEqual(try num("date(\"1/15/13\", \"MD20Y\")"), 19373)
        XCTAssertEqual(try num("date(\"1/15/13\", \"MDY\")"), dot)          // two-digit year needs a century
        XCTAssertEqual(try num("date(\"1/15/13\", \"MDY\", 2020)"), 19373)
        XCTAssertEqual(try num("date(\"1/15/45\", \"MDY\", 2020)"), try num("mdy(1,15,1945)"))
        XCTAssertEqual(try num("date(\"31feb2013\", \"DMY\")"), dot)
        XCTAssertEqual(try num("date(\"garbage\", \"DMY\")"), dot)
        XCTAssertEqual(try num("year(19373)"), 2013)
        XCTAssertEqual(try num("month(19373)"), 1)
        XCTAssertEqual(try num("day(19373)"), 15)
        XCTAssertEqual(try num("dow(0)"), 5)             // 01jan1960 was a Friday
        XCTAssertEqual(try num("dow(19373)"), 2)         // 15jan2013 was a Tuesday
        XCTAssertEqual(try num("doy(mdy(12,31,2012))"), 366)
        XCTAssertEqual(try num("doy(mdy(3,1,2013))"), 60)
        XCTAssertEqual(try num("year(-1)"), 1959)
        XCTAssertEqual(try num("year(.)"), dot)
        XCTAssertEqual(try num("quarter(mdy(8,1,2013))"), 3)
        XCTAssertEqual(try num("mofd(mdy(3,15,1961))"), 14)
        XCTAssertEqual(try num("ym(2013, 1)"), 636)
        XCTAssertEqual(try num("yq(1960, 1)"), 0)
        XCTAssertEqual(try num("dofm(636)"), 19359)
        XCTAssertEqual(try num("dofq(yq(2013,1))"), 19359)
        XCTAssertEqual(try num("qofd(19373)"), 212)
        XCTAssertEqual(try num("daily(\"15jan2013\", \"DMY\")"), 19373)
        XCTAssertEqual(try num("dofy(2013)"), 19359)
        XCTAssertEqual(try num("yofd(19373)"), 2013)
        XCTAssertEqual(try num("halfyear(mdy(7,1,2013))"), 2)
        XCTAssertEqual(try num("week(mdy(1,7,2013))"), 1)
        XCTAssertEqual(try num("week(mdy(1,8,2013))"), 2)
        XCTAssertEqual(try num("week(mdy(12,31,2013))"), 52)
        // Round trip over a wide range of days (civil ↔ day number).
        for d in stride(from: -800_000, through: 2_900_000, by: 997) {
            let c = CivilDate(stataDay: d)
            XCTAssertEqual(CivilDate.stataDay(year: Double(c.year), month: Double(c.month), day: Double(c.day)),
                           c.year >= 100 && c.year <= 9999 ? Double(d) : dot)
        }
    }

    func testStatisticalAndCombinatorics() throws {
        XCTAssertEqual(try num("normal(0)"), 0.5)
        XCTAssertEqual(try num("normprob(0)"), 0.5)
        XCTAssertEqual(try num("invnorm(0.5)"), 0)
        XCTAssertEqual(try num("normalden(0)"), 1 / (2 * Double.pi).squareRoot(), accuracy: 1e-16)
        XCTAssertEqual(try num("normalden(1, 2)"), 0.5 * 0.3520653267642995, accuracy: 1e-15)  // φ(0.5)/2
        XCTAssertEqual(try num("normalden(3, 1, 2)"), 0.5 * 0.24197072451914337, accuracy: 1e-15) // φ(1)/2
        XCTAssertEqual(try num("invnormal(0.975)"), 1.959963984540054, accuracy: 1e-14)
        XCTAssertEqual(try num("invnormal(0)"), dot)
        XCTAssertEqual(try num("invnormal(1)"), dot)
        XCTAssertEqual(try num("ttail(10, 0)"), 0.5)
        XCTAssertEqual(try num("ttail(0, 1)"), dot)
        XCTAssertEqual(try num("t(10, 0)"), 0.5)
        XCTAssertEqual(try num("Ftail(3, 10, 0)"), 1)
        XCTAssertEqual(try num("F(3, 10, 0)"), 0)
        XCTAssertEqual(try num("chi2tail(2, 0)"), 1)
        XCTAssertEqual(try num("chi2(2, 2)"), 1 - Foundation.exp(-1), accuracy: 1e-15)
        XCTAssertEqual(try num("chi2tail(2, 2)"), Foundation.exp(-1), accuracy: 1e-15)
        XCTAssertEqual(try num("invchi2(2, 1 - exp(-1))"), 2, accuracy: 1e-12)
        XCTAssertEqual(try num("invt(10, .5)"), 0, accuracy: 1e-15)
        XCTAssertEqual(try num("invF(3, 10, F(3,10,2))"), 2, accuracy: 1e-12)
        XCTAssertEqual(try num("chi2den(2, 2)"), 0.5 * Foundation.exp(-1), accuracy: 1e-16)
        XCTAssertEqual(try num("Fden(2, 2, 1)"), 0.25, accuracy: 1e-15)   // 1/(1+f)^2
        XCTAssertEqual(try num("lngamma(5)"), Foundation.log(24), accuracy: 1e-14)
        XCTAssertEqual(try num("lnfactorial(10)"), Foundation.log(3628800), accuracy: 1e-13)
        XCTAssertEqual(try num("factorial(10)"), 3628800)
        XCTAssertEqual(try num("comb(5, 2)"), 10)
        XCTAssertEqual(try num("comb(52, 5)"), 2598960)
        XCTAssertEqual(try num("comb(60, 30)"), 118264581564861424, accuracy: 118264581564861424 * 1e-15)
        XCTAssertEqual(try num("comb(5, 6)"), dot)
        XCTAssertEqual(try num("comb(5.5, 2)"), dot)
        XCTAssertEqual(try num("binomial(10, 3, .5)"), 176.0 / 1024, accuracy: 1e-15)
        XCTAssertEqual(try num("gammaptail(1, 2)"), Foundation.exp(-2), accuracy: 1e-16)
        XCTAssertEqual(try num("ibetatail(2, 3, .4)"), 1 - 0.5248, accuracy: 1e-15)
    }

    func testRandomFunctionsAreReproducibleAndInRange() throws {
        let ctx = ExprTestContext([Column(name: "x", values: Array(repeating: 0, count: 2000))])
        ctx.random.seed(42)
        let u = try numbers("runiform()", ctx)
        XCTAssertTrue(u.allSatisfy { $0 > 0 && $0 < 1 })
        XCTAssertEqual(Set(u).count, 2000)
        ctx.random.seed(42)
        XCTAssertEqual(try numbers("runiform()", ctx), u)
        let ab = try numbers("runiform(5, 7)", ctx)
        XCTAssertTrue(ab.allSatisfy { $0 >= 5 && $0 < 7 })
        let ints = try numbers("runiformint(1, 6)", ctx)
        XCTAssertEqual(Set(ints), [1, 2, 3, 4, 5, 6])
        let z = try numbers("rnormal(10, 2)", ctx)
        let mean = z.reduce(0, +) / 2000
        XCTAssertEqual(mean, 10, accuracy: 0.2)          // 5 standard errors
        XCTAssertEqual(try numbers("rnormal(0, .)", ctx).first, dot)
        XCTAssertEqual(try numbers("runiformint(3, 1)", ctx).first, dot)
        XCTAssertEqual(try num("uniform() < 1", ctx), 1)
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
        assertRC(503, "M[1e300, 1]", ctx)
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
