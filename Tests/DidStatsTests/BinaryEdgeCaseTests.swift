// logit/probit edge cases (Stata's rules) and self-consistency checks: fweights against expanded
// rows, one-observation clusters against robust, the robust sandwich against a slow per-row sum.

import XCTest
import DidFrame
@testable import DidStats

final class BinaryEdgeCaseTests: XCTestCase {
    /// A small synthetic data set with overlap (no separation): y depends on x1, x2 plus noise.
    static func data(n: Int = 400, seed: UInt64 = 7) -> (y: [Double], x1: [Double], x2: [Double], d: [Double]) {
        var s = seed
        func u() -> Double { s = s &* 6364136223846793005 &+ 1442695040888963407; return Double(s >> 11) / Double(1 << 53) }
        var y: [Double] = [], x1: [Double] = [], x2: [Double] = [], d: [Double] = []
        for _ in 0..<n {
            let a = u() * 4 - 2, b = Double(Int(u() * 5)), dd = u() < 0.3 ? 1.0 : 0
            let p = 1 / (1 + exp(-(0.3 + 0.8 * a - 0.2 * b + 0.5 * dd)))
            y.append(u() < p ? 1 : 0); x1.append(a); x2.append(b); d.append(dd)
        }
        return (y, x1, x2, d)
    }

    func code(_ spec: BinarySpec) -> (Int, String)? {
        do { _ = try BinaryModel.fit(spec); return nil } catch let e as StataError { return (e.code, e.message) } catch { return (-1, "") }
    }

    func testOutcomeDoesNotVary() {
        let r = code(BinarySpec(depvar: "y", y: [1, 1, 1, 1], regressors: [("x", [1, 2, 3, 4])]))
        XCTAssertEqual(r?.0, 2000)
        XCTAssertTrue(r?.1.hasPrefix("outcome does not vary") ?? false)
        XCTAssertEqual(code(BinarySpec(depvar: "y", y: [Missing.dot, Missing.dot], regressors: []))?.0, 2000)   // no observations
    }

    func testContinuousSeparationIsAnError() {
        let r = code(BinarySpec(depvar: "y", y: [0, 0, 0, 1, 1, 1], regressors: [("x", [1, 2, 3, 4, 5, 6])]))
        XCTAssertEqual(r?.0, 2000)
        XCTAssertEqual(r?.1, "outcome = x > 3 predicts data perfectly")
        let probit = code(BinarySpec(depvar: "y", y: [1, 1, 0, 0], regressors: [("x", [1, 2, 3, 4])], link: .probit))
        XCTAssertEqual(probit?.1, "outcome = x < 3 predicts data perfectly")
    }

    func testDummyPredictingFailureIsDropped() throws {
        var d = Self.data()
        // Add 25 rows with z = 1 and y = 0: z != 0 predicts failure perfectly.
        let n = d.y.count
        var z = [Double](repeating: 0, count: n)
        for i in 0..<25 { d.y.append(0); d.x1.append(Double(i) / 10); d.x2.append(1); d.d.append(0); z.append(1) }
        let fit = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1), ("z", z), ("x2", d.x2)]))
        XCTAssertEqual(fit.notes, ["note: z != 0 predicts failure perfectly; z dropped and 25 obs not used"])
        XCTAssertEqual(fit.omitted, [false, true, false, false])
        XCTAssertEqual(fit.N, n)
        XCTAssertEqual(fit.b[1], 0); XCTAssertEqual(fit.se[1], 0)
        let plain = try BinaryModel.fit(BinarySpec(depvar: "y", y: Array(d.y.prefix(n)),
                                                   regressors: [("x1", Array(d.x1.prefix(n))), ("x2", Array(d.x2.prefix(n)))]))
        XCTAssertEqual(fit.b[0], plain.b[0], accuracy: 1e-12); XCTAssertEqual(fit.b[3], plain.b[2], accuracy: 1e-12)
        XCTAssertEqual(fit.ll, plain.ll, accuracy: 1e-10)
        // predict: missing for the rule rows by default, 0 with `rules`, a probability with `asif`.
        XCTAssertTrue(Missing.isMissing(fit.predictPr()[n]))
        XCTAssertEqual(fit.predictPr(rules: .rules)[n], 0)
        XCTAssertEqual(fit.predictPr(rules: .asif)[n], plain.predictPr()[0] * 0 + 1 / (1 + exp(-(fit.b[0] * d.x1[n] + fit.b[2] * d.x2[n] + fit.b[3]))), accuracy: 1e-12)
        // asis keeps the variable and its observations: the MLE of z is -infinity, so the fit either
        // stops with r(430) or ends far out on the flat likelihood; it must not trap or hang.
        do {
            let a = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1), ("z", z), ("x2", d.x2)], asis: true))
            XCTAssertEqual(a.N, n + 25)
            XCTAssertLessThan(a.b[1], -10)
            print("asis fit: b[z] = \(a.b[1]) after \(a.iterations) iterations")
        } catch let e as StataError { XCTAssertEqual(e.code, 430) }
    }

    func testCollinearRegressorOmitted() throws {
        let d = Self.data()
        let x3 = zip(d.x1, d.x2).map { $0 + $1 }
        let fit = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1), ("x2", d.x2), ("x3", x3)], link: .probit))
        XCTAssertEqual(fit.omitted, [false, false, true, false])
        XCTAssertEqual(fit.notes, ["note: x3 omitted because of collinearity."])
        XCTAssertEqual(fit.df_m, 2)
        let plain = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1), ("x2", d.x2)], link: .probit))
        XCTAssertEqual(fit.ll, plain.ll, accuracy: 1e-10)
        // A constant regressor is collinear with _cons.
        let c = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: [("one", [Double](repeating: 3, count: d.y.count)), ("x1", d.x1)]))
        XCTAssertEqual(c.omitted, [true, false, false])
    }

    func testNonzeroOutcomeIsSuccess() throws {
        let d = Self.data()
        let coded = d.y.enumerated().map { $0.element == 1 ? Double(2 + $0.offset % 3) : 0 }
        let a = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1)]))
        let b = try BinaryModel.fit(BinarySpec(depvar: "y", y: coded, regressors: [("x1", d.x1)]))
        XCTAssertEqual(a.b, b.b)
    }

    func testFrequencyWeightsEqualExpandedRows() throws {
        let d = Self.data(n: 150)
        let f = (0..<150).map { Double(1 + $0 % 3) }
        var ey: [Double] = [], ex1: [Double] = [], ex2: [Double] = []
        for i in 0..<150 { for _ in 0..<Int(f[i]) { ey.append(d.y[i]); ex1.append(d.x1[i]); ex2.append(d.x2[i]) } }
        for link in [BinaryLink.logit, .probit] {
            for vce in [BinaryVCE.oim, .robust] {
                let w = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1), ("x2", d.x2)],
                                                       weights: f, weightKind: .frequency, link: link, vce: vce))
                let e = try BinaryModel.fit(BinarySpec(depvar: "y", y: ey, regressors: [("x1", ex1), ("x2", ex2)], link: link, vce: vce))
                XCTAssertEqual(w.N, e.N)
                for j in 0..<3 {
                    XCTAssertEqual(w.b[j], e.b[j], accuracy: 1e-10 * max(1, abs(e.b[j])))
                    XCTAssertEqual(w.se[j], e.se[j], accuracy: 1e-9 * e.se[j])
                }
                XCTAssertEqual(w.ll, e.ll, accuracy: 1e-9 * abs(e.ll)); XCTAssertEqual(w.chi2, e.chi2, accuracy: 1e-8 * e.chi2)
            }
        }
    }

    func testClusterAndRobustSandwich() throws {
        let d = Self.data(n: 300)
        let regs = [("x1", d.x1), ("x2", d.x2), ("d", d.d)]
        let rob = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: regs, vce: .robust))
        let own = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: regs, vce: .cluster(keys: (0..<300).map(Double.init))))
        for i in 0..<rob.V.data.count { XCTAssertEqual(rob.V.data[i], own.V.data[i], accuracy: 1e-12 * abs(rob.V.data[0])) }
        XCTAssertEqual(own.N_clust, 300); XCTAssertEqual(rob.chi2type, "Wald")
        // Slow path: H⁻¹ (Σ s² x x') H⁻¹ N/(N-1) from per-row loops and the OIM V (= H⁻¹).
        let oim = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: regs))
        let K = 4, n = 300
        var meat = [Double](repeating: 0, count: K * K)
        for i in 0..<n {
            let x = [d.x1[i], d.x2[i], d.d[i], 1]
            let xb = (0..<K).reduce(0) { $0 + oim.b[$1] * x[$1] }
            let s = d.y[i] - 1 / (1 + exp(-xb))
            for a in 0..<K { for b in 0..<K { meat[a * K + b] += s * s * x[a] * x[b] } }
        }
        for a in 0..<K {
            for b in 0..<K {
                var v = 0.0
                for p in 0..<K { for q in 0..<K { v += oim.V[a, p] * meat[p * K + q] * oim.V[q, b] } }
                v *= Double(n) / Double(n - 1)
                XCTAssertEqual(rob.V[a, b], v, accuracy: 1e-9 * abs(rob.V[a, a]))
            }
        }
        // Clusters of 10: G/(G-1) and a Wald chi2 on the slopes.
        let cl = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: regs, vce: .cluster(keys: (0..<300).map { Double($0 / 10) })))
        XCTAssertEqual(cl.N_clust, 30); XCTAssertEqual(cl.df_m, 3); XCTAssertGreaterThan(cl.chi2, 0)
        // pweights imply robust.
        let pw = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: regs, weights: [Double](repeating: 2, count: 300), weightKind: .probability))
        XCTAssertEqual(pw.vcetype, "robust")
        for j in 0..<4 { XCTAssertEqual(pw.b[j], rob.b[j], accuracy: 1e-10); XCTAssertEqual(pw.se[j], rob.se[j], accuracy: 1e-9 * rob.se[j]) }
    }

    func testIterationLimitAndBadInput() {
        let d = Self.data()
        XCTAssertEqual(code(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1)], maxIterations: 1))?.0, 430)
        XCTAssertEqual(code(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", [1, 2])]))?.0, 198)
        XCTAssertEqual(code(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1)], weights: d.x1, weightKind: .frequency))?.0, 402)
        XCTAssertEqual(code(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1)],
                                       weights: [Double](repeating: 1.5, count: d.y.count), weightKind: .frequency))?.0, 401)
    }

    func testPredictionsOutOfSampleAndNoConstant() throws {
        let d = Self.data()
        var x1 = d.x1; x1[3] = Missing.dot
        let touse = (0..<d.y.count).map { $0 >= 10 }
        let fit = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", x1)], touse: touse, link: .probit))
        XCTAssertEqual(fit.N, d.y.count - 10)
        XCTAssertFalse(fit.sample[0])
        let pr = fit.predictPr()
        XCTAssertEqual(pr[0], BinaryProbability.normal(fit.b[0] * x1[0] + fit.b[1]), accuracy: 1e-15)   // out of sample, predicted
        XCTAssertTrue(Missing.isMissing(pr[3]))
        let nc = try BinaryModel.fit(BinarySpec(depvar: "y", y: d.y, regressors: [("x1", d.x1)], constant: false))
        XCTAssertEqual(nc.names, ["x1"])
        XCTAssertEqual(nc.ll_0, Double(d.y.count) * log(0.5), accuracy: 1e-9)
        XCTAssertEqual(nc.iterationLog.count, nc.iterations + 1)
    }
}
