// Degenerate and invalid inputs: each must give Stata's behaviour or a clear StataError with the
// right return code, never a crash or a hang.

import XCTest
import DidFrame
import DidKernel
@testable import DidStats

final class RegressionDegenerateTests: XCTestCase {
    private let m = Missing.dot

    private func panel(_ n: Int = 120) -> (id: [Double], year: [Double], x: [Double], y: [Double]) {
        let id = (0..<n).map { Double($0 / 6) }, year = (0..<n).map { Double(2000 + $0 % 6) }
        let x = (0..<n).map { sin(Double($0) * 1.3) }
        let y = (0..<n).map { 2 * x[$0] + id[$0] * 0.1 + cos(Double($0)) }
        return (id, year, x, y)
    }

    private func assertCode(_ code: Int, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { e in
            XCTAssertEqual((e as? StataError)?.code, code, "\(e)", file: file, line: line)
        }
    }

    func testAllObservationsDroppedIsR2000() {
        let p = panel()
        var s = RegressionSpec(depvarName: "y", y: [Double](repeating: m, count: p.y.count), regressors: [("x", p.x)])
        assertCode(2000) { _ = try LinearModel.fit(s) }
        s = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x", p.x)])
        s.touse = [Bool](repeating: false, count: p.y.count)
        assertCode(2000) { _ = try LinearModel.fit(s) }
        // Every group a singleton: all observations dropped.
        s = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x", p.x)])
        s.absorb = [AbsorbTerm(name: "obs", keys: [(0..<p.y.count).map(Double.init)])]
        assertCode(2000) { _ = try LinearModel.fit(s) }
    }

    func testRegressorConstantWithinFixedEffectIsOmitted() throws {
        let p = panel()
        let z = p.id.map { $0 * 3 + 1 }
        var s = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x", p.x), ("z", z)])
        s.absorb = [AbsorbTerm(name: "id", keys: [p.id]), AbsorbTerm(name: "year", keys: [p.year])]
        let r = try LinearModel.fit(s)
        XCTAssertEqual(r.omitted[1], .collinearWithFixedEffects)
        XCTAssertEqual(r.b[1], 0); XCTAssertEqual(r.V[1, 1], 0); XCTAssertEqual(r.V[0, 1], 0)
        XCTAssertEqual(r.df_m, 1)
        XCTAssertNil(r.omitted[0])
        XCTAssertEqual(r.b[0], 2, accuracy: 0.5)
        // A constant regressor under regress is omitted too, _cons kept.
        var s2 = RegressionSpec(depvarName: "y", y: p.y, regressors: [("one", [Double](repeating: 0.1, count: p.y.count)), ("x", p.x)])
        s2.convention = .regress
        let r2 = try LinearModel.fit(s2)
        XCTAssertEqual(r2.omitted[0], .collinearWithFixedEffects)
        XCTAssertEqual(r2.names, ["one", "x", "_cons"])
        XCTAssertEqual(r2.df_m, 1)
    }

    func testPerfectFit() throws {
        let p = panel()
        let y = (0..<p.y.count).map { 3 * p.x[$0] + p.id[$0] }
        var s = RegressionSpec(depvarName: "y", y: y, regressors: [("x", p.x)])
        s.absorb = [AbsorbTerm(name: "id", keys: [p.id])]
        let r = try LinearModel.fit(s)
        XCTAssertEqual(r.b[0], 3, accuracy: 1e-12)
        XCTAssertLessThan(r.rss, 1e-20)
        XCTAssertEqual(r.r2, 1, accuracy: 1e-12)
        XCTAssertEqual(r.V[0, 0], 0, accuracy: 1e-25)
    }

    func testOneClusterIsAnErrorNotACrash() {
        let p = panel()
        var s = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x", p.x)])
        s.vce = .cluster([ClusterTerm(name: "c", keys: [[Double](repeating: 1, count: p.y.count)])])
        s.convention = .regress
        assertCode(2001) { _ = try LinearModel.fit(s) }
    }

    func testInvalidInputs() {
        let p = panel()
        // Mismatched lengths.
        assertCode(198) { _ = try LinearModel.fit(RegressionSpec(depvarName: "y", y: p.y, regressors: [("x", Array(p.x.dropLast()))])) }
        // Non-integer frequency weights.
        var s = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x", p.x)])
        s.weights = [Double](repeating: 1.5, count: p.y.count); s.weightKind = .fweight
        assertCode(401) { _ = try LinearModel.fit(s) }
        // More parameters than observations.
        let s3 = RegressionSpec(depvarName: "y", y: Array(p.y.prefix(2)), regressors: [("x", Array(p.x.prefix(2))), ("x2", [1, 5])])
        assertCode(2001) { _ = try LinearModel.fit(s3) }
        // Slopes without any intercept term: as reghdfe (report_constant = has_intercept), no
        // constant and no _cons; x, the sum of the id#c.x columns, is absorbed.
        var s4 = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x", p.x)])
        s4.absorb = [AbsorbTerm(name: "id#c.x", keys: [p.id], slopes: [("x", p.x)], includeIntercept: false)]
        XCTAssertNoThrow(try {
            let r = try LinearModel.fit(s4)
            XCTAssertEqual(r.names, ["x"])
            XCTAssertEqual(r.omitted[0], .collinearWithFixedEffects)
        }())
    }

    func testNonConvergenceIsR430() {
        // Three crossed, unbalanced FEs cannot converge to 1e-12 in one CG iteration.
        let n = 2000
        var s: UInt64 = 7
        func rnd(_ k: Int) -> Double {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int(s >> 33) % k)
        }
        let a = (0..<n).map { _ in rnd(50) }, b = (0..<n).map { _ in rnd(40) }, c = (0..<n).map { _ in rnd(30) }
        let x = (0..<n).map { sin(Double($0)) }, y = (0..<n).map { cos(Double($0) * 0.7) + a[$0] * 0.01 }
        var spec = RegressionSpec(depvarName: "y", y: y, regressors: [("x", x)])
        spec.absorb = [AbsorbTerm(name: "a", keys: [a]), AbsorbTerm(name: "b", keys: [b]), AbsorbTerm(name: "c", keys: [c])]
        spec.maxIterations = 1
        spec.tolerance = 1e-12
        assertCode(430) { _ = try LinearModel.fit(spec) }
        spec.maxIterations = 16_000
        XCTAssertNoThrow(try LinearModel.fit(spec))
    }

    func testMissingValuesAndWeightsExcludeRows() throws {
        let p = panel()
        var x = p.x
        x[3] = m; x[10] = Missing.extended(1)
        var w = [Double](repeating: 1, count: p.y.count)
        w[20] = 0; w[21] = -1; w[22] = m
        var s = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x", x)])
        s.weights = w
        s.convention = .regress
        let r = try LinearModel.fit(s)
        XCTAssertEqual(r.N, p.y.count - 5)
        XCTAssertFalse(r.esample[3]); XCTAssertFalse(r.esample[10]); XCTAssertFalse(r.esample[21])
        XCTAssertTrue(r.esample[0])
        XCTAssertTrue(Missing.isMissing(r.residuals![3]))
    }

    func testConstantOnlyModelWithAbsorb() throws {
        let p = panel()
        var s = RegressionSpec(depvarName: "y", y: p.y, regressors: [])
        s.absorb = [AbsorbTerm(name: "id", keys: [p.id])]
        let r = try LinearModel.fit(s)
        XCTAssertEqual(r.names, ["_cons"])
        let mean = p.y.reduce(0, +) / Double(p.y.count)
        XCTAssertEqual(r.b[0], mean, accuracy: 1e-12)
        XCTAssertEqual(r.df_m, 0)
        XCTAssertNil(r.F)
    }
}
