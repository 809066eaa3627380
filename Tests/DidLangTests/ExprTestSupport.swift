// A small in-memory EvalContext for the expression tests: a frame, scalars, stored results,
// matrices, coefficients, and time-series lags along the data order (no panel).
import XCTest
@testable import DidLang
import DidFrame
import DidStats

final class ExprTestContext: EvalContext {
    var frame: Frame
    var scalars: [String: Value] = [:]
    var stored: [String: Value] = [:]          // "e:N", "r:mean", "c:pi"
    var matrices: [String: [[Double]]] = [:]
    var coefs: [String: (b: Double, se: Double)] = [:]
    let random = StataRandom(seed: 12345)
    let exprState = ExprState()
    var sample: [Bool]? = nil
    func estimationSample() -> [Bool]? { sample }

    init(_ columns: [Column] = []) { frame = Frame(columns: columns) }

    func resolveVariable(_ name: String) throws -> Int {
        if let i = frame.index(of: name) { return i }
        let m = frame.columns.indices.filter { frame.columns[$0].name.hasPrefix(name) }
        if m.count == 1 { return m[0] }
        if m.count > 1 { throw StataError(111, "\(name) ambiguous abbreviation") }
        throw StataError.varNotFound(name)
    }
    func scalar(_ name: String) -> Value? { scalars[name] }
    func storedResult(_ kind: Character, _ name: String) throws -> Value? { stored["\(kind):\(name)"] }
    func matrixElement(_ name: String, _ i: Int, _ j: Int) throws -> Double {
        guard let m = matrices[name] else { throw StataError(111, "matrix \(name) not found") }
        guard i >= 1, j >= 1, i <= m.count, j <= m[0].count else { throw StataError(503, "conformability error") }
        return m[i - 1][j - 1]
    }
    func matrixSize(_ name: String) throws -> (rows: Int, cols: Int) {
        guard let m = matrices[name] else { throw StataError(111, "matrix \(name) not found") }
        return (m.count, m.first?.count ?? 0)
    }
    func coefficient(_ which: String, _ name: String) throws -> Double {
        guard let c = coefs[name] else { throw StataError(111, "[\(name)] not found") }
        return which == "b" ? c.b : c.se
    }
    func timeSeries(_ op: Character, _ lag: Int, _ variable: String) throws -> [Double] {
        let x = frame.columns[try resolveVariable(variable)].nums
        let shift = op == "L" ? lag : -lag
        return x.indices.map { i in
            let j = i - shift
            return j >= 0 && j < x.count ? x[j] : Missing.dot
        }
    }
}

/// Parses and evaluates in display context.
func exprScalarValue(_ text: String, _ ctx: ExprTestContext = ExprTestContext(), file: StaticString = #filePath, line: UInt = #line) throws -> Value {
    try Evaluator.evaluateScalar(ExprParser.parse(text), in: ctx)
}

/// Parses and evaluates over all observations.
func exprColumnValues(_ text: String, _ ctx: ExprTestContext, rows: RowSet? = nil) throws -> ColumnValues {
    try Evaluator.evaluate(ExprParser.parse(text), in: ctx, rows: rows ?? .all(ctx.frame.count))
}

/// Numeric results of `columnValues`, failing the test on strings.
func evalNumbers(_ text: String, _ ctx: ExprTestContext, rows: RowSet? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [Double] {
    guard case .numbers(let a) = try exprColumnValues(text, ctx, rows: rows) else {
        XCTFail("expected numbers for \(text)", file: file, line: line); return []
    }
    return a
}

/// String results of `columnValues`.
func evalStrings(_ text: String, _ ctx: ExprTestContext, rows: RowSet? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
    guard case .strings(let a) = try exprColumnValues(text, ctx, rows: rows) else {
        XCTFail("expected strings for \(text)", file: file, line: line); return []
    }
    return a
}

/// The number a scalar expression gives (fails on strings).
func evalNum(_ text: String, _ ctx: ExprTestContext = ExprTestContext(), file: StaticString = #filePath, line: UInt = #line) throws -> Double {
    let v = try exprScalarValue(text, ctx)
    guard case .number(let x) = v else { XCTFail("expected a number for \(text), got \(v)", file: file, line: line); return .nan }
    return x
}

/// The string a scalar expression gives (fails on numbers).
func evalStr(_ text: String, _ ctx: ExprTestContext = ExprTestContext(), file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let v = try exprScalarValue(text, ctx)
    guard case .string(let s) = v else { XCTFail("expected a string for \(text), got \(v)", file: file, line: line); return "" }
    return s
}

/// Asserts that evaluating (or parsing) `text` throws a StataError with return code `code`.
func assertExprRC(_ code: Int, _ text: String, _ ctx: ExprTestContext = ExprTestContext(), file: StaticString = #filePath, line: UInt = #line) {
    do {
        let v = try exprScalarValue(text, ctx)
        XCTFail("expected r(\(code)) for \(text), got \(v)", file: file, line: line)
    } catch let e as StataError {
        XCTAssertEqual(e.code, code, "\(text): \(e.message)", file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error) for \(text)", file: file, line: line)
    }
}

let sysmiss = Missing.dot
