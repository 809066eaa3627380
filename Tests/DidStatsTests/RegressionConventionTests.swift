// The areg and xtreg, fe conventions checked against identities Stata documents: areg equals
// regress with explicit dummies (coefficients, unadjusted/robust/cluster SEs, as the areg manual
// states), xtreg, fe has areg's unadjusted VCE and a cluster VCE without df_a in the small-sample
// factor: V_xtreg = V_areg * (N-k-G)/(N-k-1) (reghdfe's nested_adj comment: "so we match xtreg").

import XCTest
import DidFrame
import DidKernel
@testable import DidStats

final class RegressionConventionTests: XCTestCase {
    private func data() -> (id: [Double], x1: [Double], x2: [Double], y: [Double], c: [Double]) {
        var g = RegressionDummyPathTests.LCG(s: 11)
        let n = 360
        let id = (0..<n).map { Double($0 / 9) }
        let x1 = (0..<n).map { id[$0] * 0.05 + g.next() }, x2 = (0..<n).map { _ in g.next() }
        let y = (0..<n).map { 0.8 * x1[$0] + 0.3 * x2[$0] + sin(id[$0]) + g.next() }
        let c = id.map { Double(Int($0) / 4) }   // 10 clusters, ids nested in them
        return (id, x1, x2, y, c)
    }

    private func fit(_ conv: DofConvention, _ vce: VCE, dummies: Bool) throws -> RegressionResult {
        let d = data()
        var regs: [(name: String, values: [Double])] = [("x1", d.x1), ("x2", d.x2)]
        if dummies {
            let codes = FactorCodes(keys: [d.id])
            for l in 1..<codes.levels { regs.append(("\(l).id", codes.codes.map { $0 == Int32(l) ? 1 : 0 })) }
        }
        var s = RegressionSpec(depvarName: "y", y: d.y, regressors: regs)
        s.convention = conv
        s.vce = vce
        if !dummies { s.absorb = [AbsorbTerm(name: "id", keys: [d.id])] }
        return try LinearModel.fit(s)
    }

    func testAregEqualsRegressWithDummies() throws {
        let cl = VCE.cluster([ClusterTerm(name: "c", keys: [data().c])])
        for vce in [VCE.unadjusted, .robust, cl] {
            let a = try fit(.areg, vce, dummies: false)
            let r = try fit(.regress, vce, dummies: true)
            for j in 0..<2 {
                XCTAssertEqual(a.b[j], r.b[j], accuracy: 1e-10 * abs(r.b[j]))
                XCTAssertEqual(a.se[j], r.se[j], accuracy: 1e-8 * r.se[j], "\(vce) se[\(j)]")
            }
            XCTAssertEqual(a.df_a, 39)
            XCTAssertEqual(a.df_r, r.df_r)
            XCTAssertEqual(a.rss, r.rss, accuracy: 1e-10 * r.rss)
            XCTAssertEqual(a.r2, r.r2, accuracy: 1e-10)
            XCTAssertEqual(a.r2_a, r.r2_a, accuracy: 1e-10)
        }
    }

    func testXtregFEConventions() throws {
        let cl = VCE.cluster([ClusterTerm(name: "c", keys: [data().c])])
        let xu = try fit(.xtregFE, .unadjusted, dummies: false), au = try fit(.areg, .unadjusted, dummies: false)
        for j in 0..<2 { XCTAssertEqual(xu.se[j], au.se[j], accuracy: 1e-12 * au.se[j]) }
        let xc = try fit(.xtregFE, cl, dummies: false), ac = try fit(.areg, cl, dummies: false)
        let n = 360.0, k = 2.0, g = 40.0
        for j in 0..<2 {
            XCTAssertEqual(xc.V[j, j], ac.V[j, j] * (n - k - g) / (n - k - 1), accuracy: 1e-12 * ac.V[j, j])
        }
        XCTAssertEqual(xc.df_r, 9)
        XCTAssertEqual(xc.N_clust, 10)
    }

    func testOnlyReghdfeDropsSingletons() throws {
        let d = data()
        var id = d.id
        id[0] = 999   // a singleton group
        for conv in [DofConvention.areg, .xtregFE, .reghdfe] {
            var s = RegressionSpec(depvarName: "y", y: d.y, regressors: [("x1", d.x1)])
            s.absorb = [AbsorbTerm(name: "id", keys: [id])]
            s.convention = conv
            let r = try LinearModel.fit(s)
            XCTAssertEqual(r.num_singletons, conv == .reghdfe ? 1 : 0)
            XCTAssertEqual(r.N, conv == .reghdfe ? 359 : 360)
        }
    }

    func testRegressNoConstantMatchesQR() throws {
        let d = data()
        var s = RegressionSpec(depvarName: "y", y: d.y, regressors: [("x1", d.x1), ("x2", d.x2)])
        s.constant = false
        s.convention = .regress
        let r = try LinearModel.fit(s)
        XCTAssertEqual(r.names, ["x1", "x2"])
        let b = try Dense.leastSquaresQR(Matrix(columns: [d.x1, d.x2]), d.y)
        for j in 0..<2 { XCTAssertEqual(r.b[j], b[j], accuracy: 1e-12 * abs(b[j])) }
        let tss = d.y.reduce(0) { $0 + $1 * $1 }
        XCTAssertEqual(r.tss, tss, accuracy: 1e-10 * tss)
        XCTAssertEqual(r.df_r, 358)
        XCTAssertEqual(r.r2_a, 1 - (1 - r.r2) * 360 / 358, accuracy: 1e-12)
    }

    func testIntegerImportanceWeightsMatchFrequencyWeights() throws {
        let d = data()
        let w = (0..<d.y.count).map { Double(1 + $0 % 3) }
        var results = [RegressionResult]()
        for kind in [WeightKind.fweight, .iweight] {
            var s = RegressionSpec(depvarName: "y", y: d.y, regressors: [("x1", d.x1), ("x2", d.x2)])
            s.convention = .regress
            s.weights = w; s.weightKind = kind
            results.append(try LinearModel.fit(s))
        }
        XCTAssertEqual(results[0].N, 720)
        XCTAssertEqual(results[1].N, 720)
        XCTAssertEqual(results[0].df_r, results[1].df_r)
        for j in 0..<3 {
            XCTAssertEqual(results[0].b[j], results[1].b[j], accuracy: 1e-12 * abs(results[0].b[j]))
            XCTAssertEqual(results[0].se[j], results[1].se[j], accuracy: 1e-12 * results[0].se[j])
        }
    }
}
