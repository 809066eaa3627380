// Evaluator semantics: missing values, operators, strings, name resolution, by-groups (_n, _N,
// subscripts, running sum), vectorised vs sequential agreement, scalar context, time series.
import XCTest
@testable import DidLang
import DidFrame

final class ExprEvalTests: XCTestCase {
    let a = Missing.extended(1), b = Missing.extended(2)

    func testArithmeticAndPrecedenceValues() throws {
        XCTAssertEqual(try evalNum("2^3^2"), 64)             // left-associative
        XCTAssertEqual(try evalNum("-2^2"), -4)
        XCTAssertEqual(try evalNum("2^-1"), 0.5)
        XCTAssertEqual(try evalNum("1+2*3"), 7)
        XCTAssertEqual(try evalNum("7/2"), 3.5)
        XCTAssertEqual(try evalNum("10-4-3"), 3)
        XCTAssertEqual(try evalNum("!0 + 1"), 2)
        XCTAssertEqual(try evalNum("!(2 > 1)"), 0)
        XCTAssertEqual(try evalNum("_pi"), Double.pi)
        XCTAssertEqual(try evalNum("(-8)^(1/3)"), sysmiss)     // no real root: missing, as Stata
        XCTAssertEqual(try evalNum("(-2)^3"), -8)
        XCTAssertEqual(try evalNum("0^0"), 1)
    }

    func testMissingSemantics() throws {
        XCTAssertEqual(try evalNum(". + 1"), sysmiss)
        XCTAssertEqual(try evalNum(".a * 0"), sysmiss)          // any missing in arithmetic gives "."
        XCTAssertEqual(try evalNum("1/0"), sysmiss)             // division by zero
        XCTAssertEqual(try evalNum("0/0"), sysmiss)
        XCTAssertEqual(try evalNum("-."), sysmiss)
        XCTAssertEqual(try evalNum("1e300*1e300"), sysmiss)     // overflow never escapes as inf
        XCTAssertEqual(try evalNum("8e307+8e307"), sysmiss)     // beyond maxdouble, not an extended missing
        XCTAssertEqual(try evalNum(". > 5"), 1)             // missing is larger than every number
        XCTAssertEqual(try evalNum(".a > ."), 1)
        XCTAssertEqual(try evalNum(".z > .a"), 1)
        XCTAssertEqual(try evalNum(". == ."), 1)
        XCTAssertEqual(try evalNum(".a == .b"), 0)
        XCTAssertEqual(try evalNum(". < ."), 0)
        XCTAssertEqual(try evalNum(". & 1"), 1)             // missing is true in logic
        XCTAssertEqual(try evalNum("!."), 0)
        XCTAssertEqual(try evalNum("0 | ."), 1)
        XCTAssertEqual(try evalNum("0 & ."), 0)
        XCTAssertEqual(try evalNum("2 & 3"), 1)             // logic returns 0/1
        XCTAssertEqual(try evalNum(".b"), b)
    }

    func testStringOperators() throws {
        XCTAssertEqual(try evalStr("\"ab\" + \"cd\""), "abcd")
        XCTAssertEqual(try evalStr("\"ab\"*3"), "ababab")
        XCTAssertEqual(try evalStr("2*\"xy\""), "xyxy")
        XCTAssertEqual(try evalStr("\"ab\"*0"), "")
        XCTAssertEqual(try evalNum("\"abc\" < \"abd\""), 1)
        XCTAssertEqual(try evalNum("\"B\" < \"a\""), 1)             // bytewise: uppercase first
        XCTAssertEqual(try evalNum("\"ab\" < \"abc\""), 1)
        XCTAssertEqual(try evalNum("\"x\" == \"x\""), 1)
        XCTAssertEqual(try evalNum("\"x\" != \"X\""), 1)
        // Bytewise, not canonical equivalence: precomposed é differs from e + combining accent.
        XCTAssertEqual(try evalNum("\"\u{e9}\" == \"e\u{301}\""), 0)
        assertExprRC(109, "\"a\" + 1")
        assertExprRC(109, "1 - \"a\"")
        assertExprRC(109, "\"a\" - \"b\"")
        assertExprRC(109, "\"a\" == 1")
        assertExprRC(109, "-\"a\"")
        assertExprRC(109, "\"a\" & 1")
        assertExprRC(109, "\"a\" / \"b\"")
    }

    func makePanel() -> ExprTestContext {
        // Sorted by id: groups 0..<3, 3..<5, 5..<6.
        ExprTestContext([
            Column(name: "id", values: [1, 1, 1, 2, 2, 3]),
            Column(name: "x", values: [10, 20, sysmiss, 5, 7, 1]),
            Column(name: "name", strings: ["a", "b", "c", "d", "e", "f"]),
        ])
    }

    func byId(_ rows: [Int]) -> RowSet { RowSet.grouped(rows: rows, bounds: [0..<3, 3..<5, 5..<6]) }

    func testByGroupsNAndSubscripts() throws {
        let ctx = makePanel()
        let all = byId(Array(0..<6))
        XCTAssertEqual(try evalNumbers("_n", ctx, rows: all), [1, 2, 3, 1, 2, 1])
        XCTAssertEqual(try evalNumbers("_N", ctx, rows: all), [3, 3, 3, 2, 2, 1])
        XCTAssertEqual(try evalNumbers("x[_n-1]", ctx, rows: all), [sysmiss, 10, 20, sysmiss, 5, sysmiss])
        XCTAssertEqual(try evalNumbers("x[_n+1]", ctx, rows: all), [20, sysmiss, sysmiss, 7, sysmiss, sysmiss])
        XCTAssertEqual(try evalNumbers("x[1]", ctx, rows: all), [10, 10, 10, 5, 5, 1])
        XCTAssertEqual(try evalNumbers("x[_N]", ctx, rows: all), [sysmiss, sysmiss, sysmiss, 7, 7, 1])
        XCTAssertEqual(try evalNumbers("x[0]", ctx, rows: all), Array(repeating: sysmiss, count: 6))
        XCTAssertEqual(try evalNumbers("x[.]", ctx, rows: all), Array(repeating: sysmiss, count: 6))
        XCTAssertEqual(try evalNumbers("x[1.9]", ctx, rows: all), [10, 10, 10, 5, 5, 1]) // truncated
        XCTAssertEqual(try evalStrings("name[_n-1]", ctx, rows: all), ["", "a", "b", "", "d", ""])
        // Without by, _n and subscripts are dataset-wide.
        XCTAssertEqual(try evalNumbers("x[_n-1]", ctx), [sysmiss, 10, 20, sysmiss, 5, 7])
        XCTAssertEqual(try evalNumbers("_n", ctx), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try evalNumbers("_N", ctx), [6, 6, 6, 6, 6, 6])
        // With an if-restriction _n is still the observation's position in its group.
        XCTAssertEqual(try evalNumbers("_n", ctx, rows: byId([1, 4])), [2, 2])
        XCTAssertEqual(try evalNumbers("x[_n-1]", ctx, rows: byId([1, 4])), [10, 5])
    }

    func testRunningSum() throws {
        let ctx = makePanel()
        XCTAssertEqual(try evalNumbers("sum(x)", ctx), [10, 30, 30, 35, 42, 43])      // missing adds 0
        XCTAssertEqual(try evalNumbers("sum(x)", ctx, rows: byId(Array(0..<6))), [10, 30, 30, 5, 12, 1])
        // Only evaluated rows accumulate (gen s = sum(x) if x > 6).
        XCTAssertEqual(try evalNumbers("sum(x)", ctx, rows: byId([0, 1, 4])), [10, 30, 7])
        XCTAssertEqual(try evalNumbers("sum(1)", ctx, rows: byId(Array(0..<6))), [1, 2, 3, 1, 2, 1])
        XCTAssertEqual(try evalNumbers("sum(x) + sum(1)", ctx), [11, 32, 33, 39, 47, 49])
    }

    func testSequentialCarryForward() throws {
        // replace x = x[_n-1] if missing(x): only the sequential path carries values forward.
        let ctx = ExprTestContext([Column(name: "x", values: [1, sysmiss, sysmiss, 4, sysmiss])])
        let e = try ExprParser.parse("x[_n-1]")
        XCTAssertTrue(e.referencesSubscripted(variable: "x"))
        let cond = try evalNumbers("missing(x)", ctx)
        let rows = (0..<5).filter { cond[$0] != 0 }
        // Vectorised: reads the original values.
        XCTAssertEqual(try evalNumbers("x[_n-1]", ctx, rows: RowSet(rows: rows, count: 5)), [1, sysmiss, 4])
        try Evaluator.evaluateSequential(e, in: ctx, rows: RowSet(rows: rows, count: 5)) { obs, v in
            ctx.frame.columns[0].nums[obs] = try v.requireNumber()
        }
        XCTAssertEqual(ctx.frame.columns[0].nums, [1, 1, 1, 4, 4])
    }

    func testSequentialAgreesWithVectorisedWhenNoSelfReference() throws {
        let ctx = makePanel()
        let exprs = ["x*2 + _n", "sum(x)", "x[_n-1] + _N", "cond(x > 6, 1, 0, -1)", "name + string(_n)",
                     "sum(x) + sum(_n)", "max(x, 15)", "regexm(name, \"[a-c]\")"]
        for text in exprs {
            for rows in [RowSet.all(6), byId(Array(0..<6)), byId([0, 2, 3, 5])] {
                let vec = try exprColumnValues(text, ctx, rows: rows)
                var seq: [Value] = []
                try Evaluator.evaluateSequential(try ExprParser.parse(text), in: ctx, rows: rows) { _, v in seq.append(v) }
                XCTAssertEqual((0..<rows.count).map { vec[$0] }, seq, text)
            }
        }
    }

    func testScalarContextUsesFirstObservation() throws {
        let ctx = makePanel()
        XCTAssertEqual(try evalNum("x", ctx), 10)
        XCTAssertEqual(try evalStr("name", ctx), "a")
        XCTAssertEqual(try evalNum("x[2] + x[4]", ctx), 25)
        XCTAssertEqual(try evalNum("_N", ctx), 6)
        XCTAssertEqual(try evalNum("_n", ctx), 1)
        XCTAssertEqual(try evalNum("x[_N]", ctx), 1)
        // Empty dataset: variables read as missing, _N is 0.
        let empty = ExprTestContext([Column(name: "x", values: [])])
        XCTAssertEqual(try evalNum("x", empty), sysmiss)
        XCTAssertEqual(try evalNum("_N", empty), 0)
    }

    func testNameResolution() throws {
        let ctx = ExprTestContext([Column(name: "income", values: [5]), Column(name: "k", values: [7]),
                                   Column(name: "age", values: [30]), Column(name: "agesq", values: [900])])
        ctx.scalars["k"] = .number(100)
        ctx.scalars["rate"] = .number(0.5)
        ctx.scalars["inc"] = .number(-1)
        ctx.scalars["label"] = .string("hi")
        XCTAssertEqual(try evalNum("k", ctx), 7)               // variables win over scalars
        XCTAssertEqual(try evalNum("scalar(k)", ctx), 100)     // scalar() forces the scalar
        XCTAssertEqual(try evalNum("rate * 2", ctx), 1)
        XCTAssertEqual(try evalNum("inc", ctx), -1)            // exact scalar beats abbreviation
        XCTAssertEqual(try evalNum("incom", ctx), 5)           // unique abbreviation
        XCTAssertEqual(try evalStr("label", ctx), "hi")
        assertExprRC(111, "ag", ctx)                           // ambiguous
        assertExprRC(111, "nosuch", ctx)
        assertExprRC(111, "scalar(nosuch)", ctx)
        assertExprRC(111, "nosuch[1]", ctx)
    }

    func testStoredResultsMatricesCoefficients() throws {
        let ctx = ExprTestContext()
        ctx.stored["e:N"] = .number(2500)
        ctx.stored["r:cmd"] = .string("summarize")
        ctx.matrices["V"] = [[1, 2, 3], [4, 5, 6]]
        ctx.coefs["1.treat#1.post"] = (b: -0.04, se: 0.01)
        XCTAssertEqual(try evalNum("e(N)/100", ctx), 25)
        XCTAssertEqual(try evalStr("r(cmd)", ctx), "summarize")
        XCTAssertEqual(try evalNum("r(nothing)", ctx), sysmiss)
        XCTAssertEqual(try evalNum("V[2,3]", ctx), 6)
        XCTAssertEqual(try evalNum("el(V, 1, 1+1)", ctx), 2)
        XCTAssertEqual(try evalNum("rowsof(V)*10 + colsof(V)", ctx), 23)
        XCTAssertEqual(try evalNum("_b[1.treat#1.post]/_se[1.treat#1.post]", ctx), -4, accuracy: 1e-12)
        assertExprRC(503, "V[3,1]", ctx)
        // e(sample) is per observation.
        let data = makePanel()
        XCTAssertEqual(try evalNumbers("e(sample)", data), [0, 0, 0, 0, 0, 0])
        data.sample = [true, false, true, true, false, false]
        XCTAssertEqual(try evalNumbers("e(sample)", data), [1, 0, 1, 1, 0, 0])
        XCTAssertEqual(try evalNumbers("e(sample) * x", data, rows: RowSet(rows: [0, 1], count: 6)), [10, 0])
        assertExprRC(111, "_b[nosuch]", ctx)
    }

    func testTimeSeriesOperators() throws {
        let ctx = ExprTestContext([Column(name: "y", values: [1, 4, 9, 16, sysmiss, 36])])
        XCTAssertEqual(try evalNumbers("L.y", ctx), [sysmiss, 1, 4, 9, 16, sysmiss])
        XCTAssertEqual(try evalNumbers("F.y", ctx), [4, 9, 16, sysmiss, 36, sysmiss])
        XCTAssertEqual(try evalNumbers("D.y", ctx), [sysmiss, 3, 5, 7, sysmiss, sysmiss])
        XCTAssertEqual(try evalNumbers("D2.y", ctx), [sysmiss, sysmiss, 2, 2, sysmiss, sysmiss])
        XCTAssertEqual(try evalNumbers("LD.y", ctx), [sysmiss, sysmiss, 3, 5, 7, sysmiss])
        XCTAssertEqual(try evalNumbers("S2.y", ctx), [sysmiss, sysmiss, 8, 12, sysmiss, 20])
        XCTAssertEqual(try evalNumbers("L2.y + F.y", ctx), [sysmiss, sysmiss, 17, sysmiss, 45, sysmiss])
        XCTAssertEqual(try evalNumbers("L0.y", ctx), [1, 4, 9, 16, sysmiss, 36])
    }

    func testTypeErrorsInFunctionsAndContexts() {
        assertExprRC(109, "abs(\"a\")")
        assertExprRC(109, "strlen(3)")
        assertExprRC(109, "cond(1, \"a\", 2)")
        assertExprRC(109, "inlist(1, \"a\")")
        assertExprRC(109, "substr(\"abc\", \"1\", 2)")
    }

    func testInPlaceArithmeticNeverTouchesTheFrame() throws {
        // Operators reuse temporary arrays; columns owned by the frame must stay intact.
        let ctx = makePanel()
        let before = ctx.frame.columns[1].nums
        XCTAssertEqual(try evalNumbers("x + 1", ctx), [11, 21, sysmiss, 6, 8, 2])
        XCTAssertEqual(try evalNumbers("1 - x", ctx), [-9, -19, sysmiss, -4, -6, 0])
        XCTAssertEqual(try evalNumbers("x*2 + x", ctx), [30, 60, sysmiss, 15, 21, 3])
        XCTAssertEqual(try evalNumbers("(x + 1) * (x - 1) > 50", ctx), [1, 1, 1, 0, 0, 0])
        XCTAssertEqual(ctx.frame.columns[1].nums, before)
    }

    func testVectorisedMatchesRowByRowScalar() throws {
        // Fast path vs an independent slow path: each row evaluated alone on a one-row RowSet.
        let ctx = makePanel()
        let exprs = ["x*2 + 1 - x/3", "x^2 > 50 | id == 3", "cond(missing(x), -1, x) + _n", "string(x) + name",
                     "max(x, id*4) - min(x, 5)", "(x - 1) * (x + 1) / (id - 2)", "!(x > 6) & x != .", "abs(-x)^.5"]
        for text in exprs {
            let rows = RowSet.all(6)
            let vec = try exprColumnValues(text, ctx, rows: rows)
            for k in 0..<6 {
                let one = try Evaluator.evaluate(ExprParser.parse(text), in: ctx, rows: .single(k, groupStart: 0, groupEnd: 6))
                XCTAssertEqual(vec[k], one[0], "\(text) row \(k)")
            }
        }
    }

    func testConstantFoldingShape() throws {
        // A constant expression over many rows gives one value per row.
        let ctx = makePanel()
        XCTAssertEqual(try evalNumbers("1+1", ctx), Array(repeating: 2, count: 6))
        XCTAssertEqual(try evalStrings("\"k\"", ctx), Array(repeating: "k", count: 6))
        XCTAssertEqual(try evalNumbers("x*0 + 1", ctx), [1, 1, sysmiss, 1, 1, 1])
    }
}
