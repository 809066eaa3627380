// Fast path (CG demeaning) against a slow, independent path: the fixed effects as explicit dummy
// columns in one least-squares problem solved by Householder QR (LAPACK dgels), over a grid of
// layouts (1-3 FEs, unbalanced, nested, interacted, singletons, weights). By Frisch-Waugh-Lovell
// both give the same slopes, residuals and (X~'WX~)^-1; singletons do not change the slopes, so
// the slow path keeps them.

import XCTest
import DidFrame
import DidKernel
@testable import DidStats

final class RegressionDummyPathTests: XCTestCase {
    /// Deterministic uniform(0,1) stream.
    struct LCG {
        var s: UInt64
        mutating func next() -> Double {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Double(s >> 11) / Double(1 << 53)
        }
        mutating func int(_ n: Int) -> Int { min(Int(next() * Double(n)), n - 1) }
    }

    /// One synthetic layout: FE key columns (one array per term, each term possibly interacted).
    struct Layout {
        var name: String
        var n: Int
        var terms: [[[Double]]]
        var weights: [Double]? = nil
        var weightKind: WeightKind = .aweight
    }

    private func layouts() -> [Layout] {
        var g = LCG(s: 42)
        var out = [Layout]()
        // 1 FE.
        let n1 = 300
        out.append(Layout(name: "one FE", n: n1, terms: [[(0..<n1).map { Double($0 % 30) }]]))
        // 2 FEs, balanced id x year.
        out.append(Layout(name: "two FE balanced", n: 400, terms: [[(0..<400).map { Double($0 / 10) }], [(0..<400).map { Double(2000 + $0 % 10) }]]))
        // 2 FEs unbalanced (random ids and years), with some singleton ids.
        let n3 = 500
        var id3 = (0..<n3).map { _ in Double(g.int(60)) }
        for k in 0..<5 { id3[k] = Double(1000 + k) }   // singleton ids
        out.append(Layout(name: "two FE unbalanced + singletons", n: n3, terms: [[id3], [(0..<n3).map { _ in Double(g.int(12)) }]]))
        // 3 FEs.
        let n4 = 600
        out.append(Layout(name: "three FE", n: n4, terms: [[(0..<n4).map { Double($0 / 12) }], [(0..<n4).map { Double($0 % 12) }],
                                                         [(0..<n4).map { _ in Double(g.int(25)) }]]))
        // Nested: id within state, plus year.
        let n5 = 480
        let id5 = (0..<n5).map { Double($0 / 8) }
        out.append(Layout(name: "nested state", n: n5, terms: [[id5], [id5.map { Double(Int($0) % 7) }], [(0..<n5).map { Double($0 % 8) }]]))
        // Interacted: id#period plus year.
        let n6 = 480
        let id6 = (0..<n6).map { Double($0 / 12) }, yr6 = (0..<n6).map { Double($0 % 12) }
        out.append(Layout(name: "interacted id#period", n: n6, terms: [[yr6], [id6, yr6.map { Double(Int($0) / 4) }]]))
        // Weights.
        var lw = out[2]; lw.name = "aweights"; lw.weights = (0..<n3).map { _ in 0.2 + 3 * g.next() }
        out.append(lw)
        var lf = out[3]; lf.name = "fweights"; lf.weights = (0..<n4).map { _ in Double(1 + g.int(4)) }; lf.weightKind = .fweight
        out.append(lf)
        return out
    }

    func testFastPathEqualsDummyVariableOLS() throws {
        var worstB = 0.0, worstV = 0.0
        for layout in layouts() {
            var g = LCG(s: UInt64(layout.n) &* 7919)
            let n = layout.n
            // Regressors correlated with the FEs, outcome with FE effects.
            let fe0 = layout.terms[0][0]
            let x1 = (0..<n).map { fe0[$0] * 0.1 + g.next() }
            let x2 = (0..<n).map { _ in g.next() * 2 - 1 }
            let y = (0..<n).map { 1.5 * x1[$0] - 0.7 * x2[$0] + sin(fe0[$0]) + g.next() }
            var spec = RegressionSpec(depvarName: "y", y: y, regressors: [("x1", x1), ("x2", x2)])
            spec.absorb = layout.terms.enumerated().map { AbsorbTerm(name: "fe\($0.offset)", keys: $0.element) }
            spec.weights = layout.weights
            spec.weightKind = layout.weightKind
            let fast = try LinearModel.fit(spec)

            // Slow path: [1, all dummies, x1, x2] with collinear dummies removed by the rank-revealing
            // sweep, then QR on sqrt(w)-scaled columns. Normalised aweights do not change b.
            var cols: [[Double]] = [[Double](repeating: 1, count: n)]
            for term in layout.terms {
                let codes = FactorCodes(keys: term)
                for l in 0..<codes.levels { cols.append(codes.codes.map { $0 == Int32(l) ? 1 : 0 }) }
            }
            let nd = cols.count
            cols += [x1, x2]
            let w = layout.weights ?? [Double](repeating: 1, count: n)
            let D = Matrix(columns: cols)
            let rank = Dense.invertSymmetricWithRank(Dense.crossProduct(D, weights: w), tolerance: 1e-9)
            XCTAssertFalse(rank.omitted[nd] || rank.omitted[nd + 1], "\(layout.name): x collinear in slow path")
            let kept = rank.kept
            let sw = w.map { $0.squareRoot() }
            let K = Matrix(columns: kept.map { j in (0..<n).map { cols[j][$0] * sw[$0] } })
            let bSlow = try Dense.leastSquaresQR(K, (0..<n).map { y[$0] * sw[$0] })
            let ix1 = kept.firstIndex(of: nd)!, ix2 = kept.firstIndex(of: nd + 1)!
            for (a, ia) in [(0, ix1), (1, ix2)] {
                let dev = abs(fast.b[a] - bSlow[ia]) / abs(bSlow[ia])
                worstB = max(worstB, dev)
                XCTAssertLessThanOrEqual(dev, 1e-10, "\(layout.name): b[\(a)] fast \(fast.b[a]) slow \(bSlow[ia])")
            }
            // (X~'WX~)^-1 = the x-block of inv(K'K) (Frisch-Waugh-Lovell); fast V = s2 * that.
            let inv = try Dense.choleskyInverse(Dense.crossProduct(K))
            let s2 = fast.rss / Double(fast.df_r)
            // aweights are normalised to sum to N over the estimation sample (singletons excluded).
            let sampleW = (0..<n).filter { fast.esample[$0] }.reduce(0.0) { $0 + w[$1] }
            let sampleN = Double(fast.esample.filter { $0 }.count)
            let scale = (layout.weightKind == .aweight && layout.weights != nil) ? sampleN / sampleW : 1
            for (a, ia) in [(0, ix1), (1, ix2)] {
                for (c, ic) in [(0, ix1), (1, ix2)] {
                    let slow = s2 * inv[ia, ic] / scale
                    let dev = abs(fast.V[a, c] - slow) / (fast.V[a, a] * fast.V[c, c]).squareRoot()
                    worstV = max(worstV, dev)
                    XCTAssertLessThanOrEqual(dev, 1e-9, "\(layout.name): V[\(a),\(c)] fast \(fast.V[a, c]) slow \(slow)")
                }
            }
            // Residuals agree on the estimation sample (singletons have zero residual in the slow path).
            let fitted = K.multiply(bSlow)
            var maxRes = 0.0, scaleY = 0.0
            for i in 0..<n where fast.esample[i] {
                let eSlow = (y[i] * sw[i] - fitted[i]) / sw[i]
                maxRes = max(maxRes, abs(fast.residuals![i] - eSlow)); scaleY = max(scaleY, abs(y[i]))
            }
            XCTAssertLessThanOrEqual(maxRes, 1e-10 * scaleY, "\(layout.name): residuals")
            // y = xb + d + e on the sample.
            for i in 0..<n where fast.esample[i] {
                XCTAssertEqual(fast.xb![i] + fast.d![i] + fast.residuals![i], y[i], accuracy: 1e-12 * max(1, abs(y[i])))
            }
        }
        print("[dummy path] max relative deviation b = \(worstB), V (correlation scale) = \(worstV)")
    }

    /// The saved fixed effects reproduce d = sum of the effects on every sample row.
    func testSavedFixedEffectsSumToD() throws {
        let l = layouts()[3]
        var g = LCG(s: 99)
        let x = (0..<l.n).map { _ in g.next() }
        let y = (0..<l.n).map { x[$0] + l.terms[0][0][$0] * 0.01 + g.next() }
        var spec = RegressionSpec(depvarName: "y", y: y, regressors: [("x", x)])
        spec.absorb = l.terms.enumerated().map { AbsorbTerm(name: "fe\($0.offset)", keys: $0.element, saveAs: "a\($0.offset)") }
        let r = try LinearModel.fit(spec)
        XCTAssertEqual(r.savedFixedEffects.map(\.name), ["a0", "a1", "a2"])
        for i in 0..<l.n where r.esample[i] {
            let sum = r.savedFixedEffects.reduce(0) { $0 + $1.values[i] }
            XCTAssertEqual(sum, r.d![i], accuracy: 1e-9)
        }
    }
}

/// Heterogeneous slopes (`id##c.z`, `id#c.z`) against explicit interaction dummies.
final class RegressionSlopeDummyPathTests: XCTestCase {
    func testSlopesMatchInteractionDummies() throws {
        var g = RegressionDummyPathTests.LCG(s: 2024)
        let n = 480
        let id = (0..<n).map { Double($0 / 8) }, year = (0..<n).map { Double($0 % 8) }
        let z = (0..<n).map { _ in g.next() * 3 }
        let x1 = (0..<n).map { z[$0] * 0.5 + g.next() }, x2 = (0..<n).map { _ in g.next() }
        let y = (0..<n).map { x1[$0] - 2 * x2[$0] + id[$0] * 0.01 * z[$0] + g.next() }
        for withIntercept in [true, false] {
            var spec = RegressionSpec(depvarName: "y", y: y, regressors: [("x1", x1), ("x2", x2)])
            spec.absorb = [AbsorbTerm(name: withIntercept ? "id##c.z" : "id#c.z", keys: [id], slopes: [("z", z)],
                                      includeIntercept: withIntercept),
                           AbsorbTerm(name: "year", keys: [year])]
            let fast = try LinearModel.fit(spec)
            XCTAssertEqual(fast.dofTable.map(\.absvar), withIntercept ? ["id", "id#c.z", "year"] : ["id#c.z", "year"])
            var cols: [[Double]] = [[Double](repeating: 1, count: n)]
            let codes = FactorCodes(keys: [id])
            for l in 0..<codes.levels {
                let d = codes.codes.map { $0 == Int32(l) ? 1.0 : 0 }
                if withIntercept { cols.append(d) }
                cols.append(zip(d, z).map { $0 * $1 })
            }
            let yc = FactorCodes(keys: [year])
            for l in 0..<yc.levels { cols.append(yc.codes.map { $0 == Int32(l) ? 1 : 0 }) }
            let nd = cols.count
            cols += [x1, x2]
            let rank = Dense.invertSymmetricWithRank(Dense.crossProduct(Matrix(columns: cols)), tolerance: 1e-9)
            let kept = rank.kept
            let bSlow = try Dense.leastSquaresQR(Matrix(columns: kept.map { cols[$0] }), y)
            for (a, j) in [(0, nd), (1, nd + 1)] {
                let s = bSlow[kept.firstIndex(of: j)!]
                XCTAssertEqual(fast.b[a], s, accuracy: 1e-10 * abs(s), "slopes intercept=\(withIntercept) b[\(a)]")
            }
            // Model df: with intercepts every id gets 2 coefficients; residual df follows.
            XCTAssertEqual(fast.df_a_initial, withIntercept ? 60 + 60 + 8 : 60 + 8)
        }
    }
}
