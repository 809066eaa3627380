// Fast path (CG demeaning) against a slow, independent path: the fixed effects as explicit dummy
// columns in one least-squares problem solved by Householder QR (LAPACK dgels), over a grid of
// layouts (1-3 FEs, unbalanced, nested, interacted, singletons, weights). By Frisch-Waugh-Lovell
// both give the same slopes, residuals and (X~'WX~)^-1; singletons do not change the slopes, so
// the slow path keeps them. `DummyPath` (below) is that slow path, also used with heterogeneous
// slopes (dummy x variable columns) by SlopeAbsorbTests.swift.

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

            // Slow path over the estimation sample (singletons do not change the slopes).
            let rows = (0..<n).filter { fast.esample[$0] }
            let slow = try DummyPath.fit(y: y, x: [x1, x2], terms: layout.terms.map { DummyPath.Term(keys: $0) },
                                         weights: layout.weights, rows: rows,
                                         normaliseWeights: layout.weightKind == .aweight)
            for a in 0..<2 {
                let dev = abs(fast.b[a] - slow.b[a]) / abs(slow.b[a])
                worstB = max(worstB, dev)
                XCTAssertLessThanOrEqual(dev, 1e-10, "\(layout.name): b[\(a)] fast \(fast.b[a]) slow \(slow.b[a])")
            }
            // (X~'WX~)^-1 from the dummy columns; fast V = s2 * that.
            let s2 = fast.rss / Double(fast.df_r)
            for a in 0..<2 {
                for c in 0..<2 {
                    let v = s2 * slow.bread[a, c]
                    let dev = abs(fast.V[a, c] - v) / (fast.V[a, a] * fast.V[c, c]).squareRoot()
                    worstV = max(worstV, dev)
                    XCTAssertLessThanOrEqual(dev, 1e-9, "\(layout.name): V[\(a),\(c)] fast \(fast.V[a, c]) slow \(v)")
                }
            }
            // Residuals agree on the estimation sample.
            var maxRes = 0.0, scaleY = 0.0
            for (i, r) in rows.enumerated() {
                maxRes = max(maxRes, abs(fast.residuals![r] - slow.residuals[i])); scaleY = max(scaleY, abs(y[r]))
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

/// The slow independent path: every absorbed term as explicit columns (a dummy per level when the
/// term has intercepts, dummy x slope variable per level and slope), collinear ones removed by a
/// rank-revealing sweep in column order, then Householder QR. The partialled regressors X~ (the
/// residuals of X on those columns, also by QR) give the bread (X~'WX~)^-1 and the scores of the
/// robust and cluster VCEs (the x-block of the full sandwich equals the sandwich on X~).
enum DummyPath {
    /// One absorbed term: interacted key columns, slope columns, whether it has intercepts.
    struct Term {
        var keys: [[Double]]
        var slopes: [[Double]] = []
        var intercept = true
    }

    /// Slow-path results over the given rows.
    struct Fit {
        /// Coefficients of the regressors.
        var b: [Double]
        /// Residuals (length = rows used).
        var residuals: [Double]
        /// (X~'WX~)^-1.
        var bread: Matrix
        /// Per-row scores bread * x~_i w_i e_i (rows used x p): the sandwich is their (clustered) outer products.
        var scores: [[Double]]
        /// Weighted residual sum of squares.
        var rss: Double
        /// Rank of the absorbed columns (with the constant, unless `constant` is false).
        var absorbedRank: Int
    }

    /// Fits y on the regressors and the absorbed terms over `rows`; aweights are normalised to sum
    /// to the number of rows, as the engine does.
    static func fit(y: [Double], x: [[Double]], terms: [Term], weights: [Double]?, rows: [Int],
                    normaliseWeights: Bool = true, constant: Bool = true) throws -> Fit {
        let n = rows.count, p = x.count
        var w = rows.map { weights?[$0] ?? 1 }
        if normaliseWeights, weights != nil { let s = w.reduce(0, +); w = w.map { $0 * Double(n) / s } }
        var cols: [[Double]] = constant ? [[Double](repeating: 1, count: n)] : []
        for t in terms {
            let codes = FactorCodes(keys: t.keys.map { k in rows.map { k[$0] } })
            // With intercepts, shifting a slope by one global constant leaves the span unchanged;
            // it keeps the rank test from mistaking an uncentred year's rounding for a direction.
            let shift = t.slopes.map { sl in t.intercept ? rows.reduce(0.0) { $0 + sl[$1] } / Double(n) : 0 }
            for l in 0..<codes.levels {
                let d = codes.codes.map { $0 == Int32(l) ? 1.0 : 0 }
                if t.intercept { cols.append(d) }
                for (k, sl) in t.slopes.enumerated() { cols.append((0..<n).map { d[$0] * (sl[rows[$0]] - shift[k]) }) }
            }
        }
        let nd = cols.count
        let xs = x.map { c in rows.map { c[$0] } }
        let rank = Dense.invertSymmetricWithRank(Dense.crossProduct(Matrix(columns: cols + xs), weights: w), tolerance: 1e-9)
        for j in 0..<p where rank.omitted[nd + j] { throw StataError(459, "slow path: regressor \(j) collinear") }
        let keptD = (0..<nd).filter { !rank.omitted[$0] }
        let sw = w.map { $0.squareRoot() }
        let scaled = { (c: [Double]) in (0..<n).map { c[$0] * sw[$0] } }
        let D = keptD.map { scaled(cols[$0]) }
        let yv = rows.map { y[$0] }
        let all = try Dense.leastSquaresQR(Matrix(columns: D + xs.map(scaled)), scaled(yv))
        let b = Array(all[keptD.count...])
        let fitted = Matrix(columns: D + xs.map(scaled)).multiply(all)
        let e = (0..<n).map { (scaled(yv)[$0] - fitted[$0]) / sw[$0] }
        // X~ = residuals of each regressor on the absorbed columns.
        let Dm = Matrix(columns: D)
        let xt: [[Double]] = try xs.map { c in
            let g = try Dense.leastSquaresQR(Dm, scaled(c))
            let f = Dm.multiply(g)
            return (0..<n).map { (c[$0] * sw[$0] - f[$0]) / sw[$0] }
        }
        let bread = try Dense.choleskyInverse(Dense.crossProduct(Matrix(columns: xt), weights: w))
        let scores: [[Double]] = (0..<n).map { i in
            (0..<p).map { a in (0..<p).reduce(0.0) { $0 + bread[a, $1] * xt[$1][i] } * w[i] * e[i] }
        }
        let rss = (0..<n).reduce(0.0) { $0 + w[$1] * e[$1] * e[$1] }
        return Fit(b: b, residuals: e, bread: bread, scores: scores, rss: rss, absorbedRank: keptD.count)
    }

    /// Sum over groups of the outer products of the summed scores (one group per row: robust).
    static func meat(_ scores: [[Double]], groups: [Int]?) -> Matrix {
        let p = scores.first?.count ?? 0
        var sums = [Int: [Double]]()
        for (i, s) in scores.enumerated() {
            let g = groups?[i] ?? i
            var acc = sums[g] ?? [Double](repeating: 0, count: p)
            for a in 0..<p { acc[a] += s[a] }
            sums[g] = acc
        }
        var m = Matrix(rows: p, cols: p)
        for s in sums.values { for a in 0..<p { for c in 0..<p { m[a, c] += s[a] * s[c] } } }
        return m
    }
}
