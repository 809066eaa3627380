// Parser: precedence and associativity ([U] 13.2.5 order of evaluation), literals, the special
// forms, error return codes, depth limits and a bounded random-input fuzz.
import XCTest
@testable import DidLang
import DidFrame
import Foundation

final class ExprParserTests: XCTestCase {
    func tree(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do { return try ExprParser.parse(s).debugText } catch {
            XCTFail("parse failed for \(s): \(error)", file: file, line: line); return ""
        }
    }

    func testPrecedenceTable() {
        // Stata's order, tightest first: ! ^ - (negation) / * - + relational & |
        let cases: [(String, String)] = [
            ("1+2*3", "(1+(2*3))"),
            ("1*2+3", "((1*2)+3)"),
            ("2^3^2", "((2^3)^2)"),                // ^ is left-associative in Stata
            ("-2^2", "(-(2^2))"),                  // negation binds looser than ^
            ("2^-1", "(2^-1)"),
            ("-x^2", "(-(x^2))"),
            ("!x==1", "((!x)==1)"),                // ! binds tightest
            ("!x^2", "((!x)^2)"),
            ("a|b&c", "(a|(b&c))"),
            ("a&b|c&d", "((a&b)|(c&d))"),
            ("a==b&c<d", "((a==b)&(c<d))"),
            ("a+b==c-d", "((a+b)==(c-d))"),
            ("a-b-c", "((a-b)-c)"),
            ("a/b/c", "((a/b)/c)"),
            ("a/b*c", "((a/b)*c)"),
            ("a*-b", "(a*(-b))"),
            ("a--b", "(a-(-b))"),
            ("a<b<c", "((a<b)<c)"),
            ("a~=b", "(a!=b)"),
            ("~a", "(!a)"),
            ("(a+b)*c", "((a+b)*c)"),
            ("a >= b | c <= d", "((a>=b)|(c<=d))"),
            ("-(1)", "-1"),
            ("+3", "3"),
        ]
        for (src, want) in cases { XCTAssertEqual(tree(src), want, src) }
    }

    func testNumbersAndMissingLiterals() throws {
        XCTAssertEqual(try ExprParser.parse("1."), .number(1))
        XCTAssertEqual(try ExprParser.parse(".5"), .number(0.5))
        XCTAssertEqual(try ExprParser.parse("1e-3"), .number(0.001))
        XCTAssertEqual(try ExprParser.parse("2.5E+2"), .number(250))
        XCTAssertEqual(try ExprParser.parse("."), .number(Missing.dot))
        XCTAssertEqual(try ExprParser.parse(".a"), .number(Missing.extended(1)))
        XCTAssertEqual(try ExprParser.parse(".z"), .number(Missing.extended(26)))
        XCTAssertEqual(try ExprParser.parse("-.5"), .number(-0.5))
    }

    func testStrings() throws {
        XCTAssertEqual(try ExprParser.parse("\"a b\""), .string("a b"))
        XCTAssertEqual(try ExprParser.parse("`\"say \"hi\"\"'"), .string("say \"hi\""))
        XCTAssertEqual(try ExprParser.parse("`\"a `\"b\"' c\"'"), .string("a `\"b\"' c"))
        XCTAssertEqual(try ExprParser.parse("\"\""), .string(""))
    }

    func testSpecialForms() throws {
        XCTAssertEqual(try ExprParser.parse("_b[1.treat#1.post]"), .coefficient("b", "1.treat#1.post"))
        XCTAssertEqual(try ExprParser.parse("_se[2004.year]"), .coefficient("se", "2004.year"))
        XCTAssertEqual(try ExprParser.parse("_b[eq1:x]"), .coefficient("b", "eq1:x"))
        XCTAssertEqual(try ExprParser.parse("_coef[ x ]"), .coefficient("b", "x"))
        XCTAssertEqual(try ExprParser.parse("e(N)"), .stored("e", "N"))
        XCTAssertEqual(try ExprParser.parse("r(mean)"), .stored("r", "mean"))
        XCTAssertEqual(try ExprParser.parse("c(current_date)"), .stored("c", "current_date"))
        XCTAssertEqual(try ExprParser.parse("s(x)"), .stored("s", "x"))
        XCTAssertEqual(try ExprParser.parse("scalar(k)"), .scalarRef("k"))
        XCTAssertEqual(try ExprParser.parse("M[1,2]"), .matrixElement("M", .number(1), .number(2)))
        XCTAssertEqual(try ExprParser.parse("el(e(b),1,i+1)"), .matrixElement("e(b)", .number(1), .binary(.add, .name("i"), .number(1))))
        XCTAssertEqual(try ExprParser.parse("x[_n-1]"), .subscripted("x", .binary(.sub, .system(.n), .number(1))))
        XCTAssertEqual(try ExprParser.parse("_N"), .system(.N))
        XCTAssertEqual(try ExprParser.parse("_pi"), .system(.pi))
        XCTAssertEqual(try ExprParser.parse("L.x"), .timeSeries([TSOp("L", 1)], "x"))
        XCTAssertEqual(try ExprParser.parse("L2D.gdp"), .timeSeries([TSOp("L", 2), TSOp("D", 1)], "gdp"))
        XCTAssertEqual(try ExprParser.parse("f.x"), .timeSeries([TSOp("F", 1)], "x"))
        XCTAssertEqual(try ExprParser.parse("rowsof(V)"), .call("rowsof", [.string("V")]))
        XCTAssertEqual(try ExprParser.parse("runiform()"), .call("runiform", []))
        XCTAssertEqual(try ExprParser.parse("max(a,b,c)"), .call("max", [.name("a"), .name("b"), .name("c")]))
    }

    func testReferencesSubscripted() throws {
        XCTAssertTrue(try ExprParser.parse("x[_n-1]").referencesSubscripted(variable: "x"))
        XCTAssertTrue(try ExprParser.parse("cond(missing(y), y[_n-1], y)").referencesSubscripted(variable: "y"))
        XCTAssertTrue(try ExprParser.parse("L.income + 1").referencesSubscripted(variable: "income"))
        XCTAssertTrue(try ExprParser.parse("inc[1]").referencesSubscripted(variable: "income"))  // abbreviation
        XCTAssertFalse(try ExprParser.parse("x + 1").referencesSubscripted(variable: "x"))
        XCTAssertFalse(try ExprParser.parse("z[_n-1]").referencesSubscripted(variable: "x"))
        XCTAssertEqual(try ExprParser.parse("a + b[2] + L.c + a").referencedNames, ["a", "b", "c"])
    }

    func testErrorCodes() {
        let cases: [(String, Int)] = [
            ("", 198), ("1 +", 198), ("* 2", 198), ("x = 1", 198), ("2x", 198), ("1.5.3", 198),
            ("(1+2", 132), ("1+2)", 132), ("x[1", 132), ("f(", 133), ("foo(1)", 133),
            ("abs(1,2)", 198), ("\"abc", 198), ("`\"abc", 198), ("1 2", 198), ("a b", 198),
            ("_b[]", 198), ("e()", 198), ("el(M,1)", 198), ("x[1,2", 132), ("1e", 198),
            (".ab", 198), ("$", 198), ("L.", 198), ("max()", 198), ("cond(1,2)", 198),
        ]
        for (src, rc) in cases {
            XCTAssertThrowsError(try ExprParser.parse(src), src) { e in
                XCTAssertEqual((e as? StataError)?.code, rc, "\(src): \(e)")
            }
        }
    }

    func testDeepNestingIsRefusedNotCrashing() {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        XCTAssertThrowsError(try ExprParser.parse(deep)) { XCTAssertEqual(($0 as? StataError)?.code, 130) }
        let unary = String(repeating: "-", count: 10_000) + "1"
        XCTAssertThrowsError(try ExprParser.parse(unary)) { XCTAssertEqual(($0 as? StataError)?.code, 130) }
        let nots = String(repeating: "!", count: 10_000) + "1"
        XCTAssertThrowsError(try ExprParser.parse(nots)) { XCTAssertEqual(($0 as? StataError)?.code, 130) }
        let chain = Array(repeating: "1", count: 10_000).joined(separator: "+")
        XCTAssertThrowsError(try ExprParser.parse(chain)) { XCTAssertEqual(($0 as? StataError)?.code, 130) }
        let calls = String(repeating: "abs(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        XCTAssertThrowsError(try ExprParser.parse(calls)) { XCTAssertEqual(($0 as? StataError)?.code, 130) }
        // Moderate nesting is fine and evaluates.
        let ok = String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        XCTAssertEqual(try ExprParser.parse(ok), .number(1))
        let sum = Array(repeating: "1", count: 1500).joined(separator: "+")
        XCTAssertEqual(try evalNum(sum), 1500)
    }

    func testMaximumDepthEvaluatesOnASmallStack() {
        // The limits must keep parse, evaluation and deallocation within a 512 KB stack (the
        // default for secondary threads) in release builds; debug builds use several times more
        // stack per level, so there the test uses the 8 MB a main thread has.
        #if DEBUG
        let stack = 8 << 20
        #else
        let stack = 512 << 10
        #endif
        let depth = ExprParser.maxDepth - 2
        let texts = [String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth),
                     String(repeating: "abs(", count: depth - 1) + "-1" + String(repeating: ")", count: depth - 1),
                     Array(repeating: "1", count: ExprParser.maxHeight - 1).joined(separator: "+"),
                     String(repeating: "-", count: depth - 1) + "x"]
        let ctx = ExprTestContext([Column(name: "x", values: [1, 2, 3])])
        var results: [Double] = []
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            for t in texts {
                if let e = try? ExprParser.parse(t), case .numbers(let v)? = try? Evaluator.evaluate(e, in: ctx, rows: .all(3)) {
                    results.append(v[0])
                } else { results.append(.nan) }
            }
            done.signal()
        }
        thread.stackSize = stack
        thread.start()
        done.wait()
        XCTAssertEqual(results, [1, 1, Double(ExprParser.maxHeight - 1), depth % 2 == 0 ? -1 : 1])
    }

    func testFuzzNeverCrashes() {
        // Bounded fuzz: random token soups and random bytes; each input must parse or throw a
        // StataError, and anything that parses must evaluate or throw a StataError.
        var rng = SystemRandomNumberGenerator()
        _ = rng
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        let pieces = ["x", "y", "s", "1", ".5", ".", ".a", "\"ab\"", "+", "-", "*", "/", "^", "!", "~", "==", "!=",
                      "<", ">=", "&", "|", "(", ")", "[", "]", ",", "_n", "_N", "abs(", "max(", "cond(", "substr(",
                      "L.", "_b[", "e(", "el(", "M", "`\"", "\"'", " ", "sum(", "regexm(", "1e5", "2^", "inlist("]
        let ctx = ExprTestContext([Column(name: "x", values: [1, 2, Missing.dot]), Column(name: "y", values: [3, 4, 5]),
                                   Column(name: "s", strings: ["a", "", "c"])])
        ctx.matrices["M"] = [[1, 2], [3, 4]]
        var parsed = 0
        for i in 0..<4000 {
            var text = ""
            if i % 4 == 3 {
                let n = Int(next() % 30)
                text = String(decoding: (0..<n).map { _ in UInt8(next() % 128) }, as: UTF8.self)
            } else {
                for _ in 0..<(1 + Int(next() % 12)) { text += pieces[Int(next() % UInt64(pieces.count))] }
            }
            do {
                let e = try ExprParser.parse(text)
                parsed += 1
                do { _ = try Evaluator.evaluate(e, in: ctx, rows: .all(3)) } catch is StataError {} catch {
                    XCTFail("non-Stata error evaluating \(text): \(error)")
                }
            } catch is StataError {} catch { XCTFail("non-Stata error parsing \(text): \(error)") }
        }
        XCTAssertGreaterThan(parsed, 100)
    }
}
