// Heterogeneous slopes in absorb() (`a#c.x`, `a##c.x`, `a##c.(x z)`): the engine against the slow
// dummy path (DummyPath in RegressionDummyPathTests.swift: dummy and dummy x variable columns through
// Householder QR) over a grid of layouts, for coefficients (1e-10 relative), residuals and the
// unadjusted, robust and cluster VCEs (1e-8 relative on the standard errors, given the engine's
// own df and small-sample factor), plus the block canonicalisation of the kernel and the reghdfe
// absorbed-DoF rows.

import XCTest
import DidFrame
import DidKernel
@testable import DidStats

final class SlopeAbsorbTests: XCTestCase {
    typealias LCG = RegressionDummyPathTests.LCG

    /// One model: engine terms and the matching slow-path terms.
    struct Case {
        var name: String
        var n: Int
        var absorb: [AbsorbTerm]
        var weights: [Double]? = nil
        /// Cluster keys for the cluster VCE (the first absorb term's keys by default).
        var cluster: [Double]? = nil
        var dummy: [DummyPath.Term] {
            absorb.map { DummyPath.Term(keys: $0.keys, slopes: $0.slopes.map(\.values), intercept: $0.includeIntercept) }
        }
    }

    /// Shared synthetic panel: 60 ids x up to 8 years (unbalanced), years ~2005, a second FE.
    struct Panel {
        var n: Int
        var id: [Double], year: [Double], firm: [Double], state: [Double]
        var z: [Double], zc: [Double], x1: [Double], x2: [Double], y: [Double]
    }

    static func panel(seed: UInt64, balanced: Bool, singletons: Bool = false) -> Panel {
        var g = LCG(s: seed)
        var id = [Double](), year = [Double]()
        for i in 0..<60 {
            for t in 0..<8 where balanced || g.next() < 0.8 { id.append(Double(i)); year.append(Double(2001 + t)) }
        }
        if singletons { for k in 0..<4 { id.append(Double(900 + k)); year.append(Double(2002 + k)) } }
        let n = id.count
        let firm = (0..<n).map { _ in Double(g.int(9)) }
        let state = id.map { Double(Int($0) % 7) }
        let z = (0..<n).map { _ in 10 + 3 * g.next() }
        // zc: constant within ids divisible by 5 (and zero within ids divisible by 10).
        let zc = (0..<n).map { i -> Double in
            let k = Int(id[i])
            return k % 10 == 0 ? 0 : (k % 5 == 0 ? 4.25 : z[i])
        }
        let x1 = (0..<n).map { 0.02 * id[$0] * (year[$0] - 2004) + 0.3 * z[$0] + g.next() }
        let x2 = (0..<n).map { _ in g.next() * 2 - 1 }
        let y = (0..<n).map { i in
            1.5 * x1[i] - 0.7 * x2[i] + 0.01 * id[i] * year[i] + sin(id[i]) * z[i] + 0.1 * firm[i] + g.next()
        }
        return Panel(n: n, id: id, year: year, firm: firm, state: state, z: z, zc: zc, x1: x1, x2: x2, y: y)
    }

    static func cases() -> [(Panel, Case)] {
        let p = panel(seed: 7, balanced: false), b = panel(seed: 8, balanced: true)
        let s = panel(seed: 9, balanced: false, singletons: true)
        func t(_ name: String, _ keys: [[Double]], _ slopes: [(String, [Double])] = [], intercept: Bool = true) -> AbsorbTerm {
            AbsorbTerm(name: name, keys: keys, slopes: slopes.map { (name: $0.0, values: $0.1) }, includeIntercept: intercept)
        }
        var g = LCG(s: 11)
        let aw = (0..<p.n).map { _ in 0.2 + 3 * g.next() }
        return [
            (p, Case(name: "id#c.year year (slope only, uncentred)", n: p.n,
                     absorb: [t("id#c.year", [p.id], [("year", p.year)], intercept: false), t("year", [p.year])])),
            (b, Case(name: "balanced id#c.year year", n: b.n,
                     absorb: [t("id#c.year", [b.id], [("year", b.year)], intercept: false), t("year", [b.year])])),
            (p, Case(name: "id##c.year year", n: p.n,
                     absorb: [t("year", [p.year]), t("id##c.year", [p.id], [("year", p.year)])])),
            (p, Case(name: "id year id#c.year (merged block)", n: p.n,
                     absorb: [t("id", [p.id]), t("year", [p.year]), t("id#c.year", [p.id], [("year", p.year)], intercept: false)])),
            (b, Case(name: "balanced id year id#c.year", n: b.n,
                     absorb: [t("id", [b.id]), t("year", [b.year]), t("id#c.year", [b.id], [("year", b.year)], intercept: false)])),
            (p, Case(name: "id##c.(year z) year (two slopes)", n: p.n,
                     absorb: [t("year", [p.year]), t("id##c.(year z)", [p.id], [("year", p.year), ("z", p.z)])])),
            (p, Case(name: "id##c.year firm year (second FE)", n: p.n,
                     absorb: [t("id##c.year", [p.id], [("year", p.year)]), t("firm", [p.firm]), t("year", [p.year])])),
            (p, Case(name: "id##c.z year aweights", n: p.n,
                     absorb: [t("id##c.z", [p.id], [("z", p.z)]), t("year", [p.year])], weights: aw)),
            (s, Case(name: "id##c.year year singletons", n: s.n,
                     absorb: [t("id##c.year", [s.id], [("year", s.year)]), t("year", [s.year])])),
            (s, Case(name: "id#c.year firm singletons", n: s.n,
                     absorb: [t("id#c.year", [s.id], [("year", s.year)], intercept: false), t("firm", [s.firm])])),
            (p, Case(name: "id##c.zc year (zc constant or zero in some ids)", n: p.n,
                     absorb: [t("id##c.zc", [p.id], [("zc", p.zc)]), t("year", [p.year])])),
            (p, Case(name: "id#c.zc year (slope only, zero in some ids)", n: p.n,
                     absorb: [t("id#c.zc", [p.id], [("zc", p.zc)], intercept: false), t("year", [p.year])])),
            (p, Case(name: "id state#c.year (slope-only state spanned by id)", n: p.n,
                     absorb: [t("id", [p.id]), t("state#c.year", [p.state], [("year", p.year)], intercept: false), t("year", [p.year])],
                     cluster: p.state)),
            (p, Case(name: "id#c.z alone (no intercepts: no _cons)", n: p.n,
                     absorb: [t("id#c.z", [p.id], [("z", p.z)], intercept: false)])),
            (p, Case(name: "id#c.(year z) alone, aweights", n: p.n,
                     absorb: [t("id#c.(year z)", [p.id], [("year", p.year), ("z", p.z)], intercept: false)], weights: aw)),
            (p, Case(name: "state id#c.year firm (slope-only under a coarser FE)", n: p.n,
                     absorb: [t("state", [p.state]), t("id#c.year", [p.id], [("year", p.year)], intercept: false), t("firm", [p.firm])],
                     cluster: p.state)),
            (p, Case(name: "state#firm##c.year id (interacted factor with slope)", n: p.n,
                     absorb: [t("id", [p.id]), t("state#firm##c.year", [p.state, p.firm], [("year", p.year)])])),
        ]
    }

    func testSlopesMatchDummyPath() throws {
        var worstB = 0.0, worstSE = 0.0, worstRes = 0.0, maxIterations = 0
        for (p, c) in Self.cases() {
            var slowFit: DummyPath.Fit? = nil
            for vce in ["unadjusted", "robust", "cluster"] {
                var spec = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x1", p.x1), ("x2", p.x2)])
                spec.absorb = c.absorb
                spec.weights = c.weights
                let clusterKeys = c.cluster ?? p.id
                switch vce {
                case "robust": spec.vce = .robust
                case "cluster": spec.vce = .cluster([ClusterTerm(name: "cl", keys: [clusterKeys])])
                default: spec.vce = .unadjusted
                }
                let fast = try LinearModel.fit(spec)
                XCTAssertTrue(fast.converged, "\(c.name)")
                maxIterations = max(maxIterations, fast.iterations)
                let rows = (0..<p.n).filter { fast.esample[$0] }
                // The sample (and so the slow fit) does not depend on the VCE.
                let constant = c.absorb.contains(where: \.includeIntercept)
                let slow = try slowFit ?? DummyPath.fit(y: p.y, x: [p.x1, p.x2], terms: c.dummy, weights: c.weights, rows: rows,
                                                        constant: constant)
                XCTAssertEqual(fast.names.last == "_cons", constant, "\(c.name): _cons only with intercepts")
                slowFit = slow
                for a in 0..<2 {
                    let dev = abs(fast.b[a] - slow.b[a]) / abs(slow.b[a])
                    worstB = max(worstB, dev)
                    XCTAssertLessThanOrEqual(dev, 1e-10, "\(c.name) \(vce): b[\(a)] fast \(fast.b[a]) slow \(slow.b[a])")
                }
                XCTAssertEqual(fast.rss, slow.rss, accuracy: 1e-10 * slow.rss, "\(c.name): rss")
                var scaleY = 0.0, maxRes = 0.0
                for (i, r) in rows.enumerated() {
                    maxRes = max(maxRes, abs(fast.residuals![r] - slow.residuals[i])); scaleY = max(scaleY, abs(p.y[r]))
                }
                worstRes = max(worstRes, maxRes / scaleY)
                XCTAssertLessThanOrEqual(maxRes, 1e-10 * scaleY, "\(c.name): residuals")
                // The slow VCE with the engine's df and small-sample factor.
                var V: Matrix
                switch vce {
                case "unadjusted":
                    V = (slow.rss / Double(fast.df_r)) * slow.bread
                case "robust":
                    V = fast.smallSampleFactor * DummyPath.meat(slow.scores, groups: nil)
                default:
                    let codes = FactorCodes(keys: [rows.map { clusterKeys[$0] }])
                    V = fast.smallSampleFactor * DummyPath.meat(slow.scores, groups: codes.codes.map(Int.init))
                }
                for a in 0..<2 {
                    let se = V[a, a].squareRoot(), fse = fast.V[a, a].squareRoot()
                    let dev = abs(fse - se) / se
                    worstSE = max(worstSE, dev)
                    XCTAssertLessThanOrEqual(dev, 1e-8, "\(c.name) \(vce): se[\(a)] fast \(fse) slow \(se)")
                }
                let corr = abs(fast.V[0, 1] - V[0, 1]) / (V[0, 0] * V[1, 1]).squareRoot()
                XCTAssertLessThanOrEqual(corr, 1e-8, "\(c.name) \(vce): V[0,1]")
                // reghdfe's df_a is a lower bound on the redundancy: never below the exact rank.
                XCTAssertGreaterThanOrEqual(fast.df_a + fast.df_a_nested, slow.absorbedRank, "\(c.name): df_a")
            }
        }
        print("[slopes vs dummy path] max relative deviation b = \(worstB), se = \(worstSE), residuals = \(worstRes), CG iterations <= \(maxIterations)")
    }

    /// `absorb(newvar=a##c.x)`: intercepts as newvar, slopes as newvarSlope1…, uncentred
    /// (alpha_g + beta_g x); the saved pieces rebuild d on every sample row.
    func testSavedEstimatesWithSlopesRebuildD() throws {
        for (p, c) in Self.cases() {
            var spec = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x1", p.x1), ("x2", p.x2)])
            spec.absorb = c.absorb.enumerated().map { var t = $0.element; t.saveAs = "s\($0.offset)"; return t }
            spec.weights = c.weights
            let r = try LinearModel.fit(spec)
            let saved = Dictionary(uniqueKeysWithValues: r.savedFixedEffects.map { ($0.name, $0.values) })
            var expectedNames = [String]()
            for (k, t) in c.absorb.enumerated() {
                if t.includeIntercept { expectedNames.append("s\(k)") }
                for j in t.slopes.indices { expectedNames.append("s\(k)Slope\(j + 1)") }
            }
            XCTAssertEqual(r.savedFixedEffects.map(\.name), expectedNames, c.name)
            let scale = r.d!.enumerated().filter { r.esample[$0.offset] }.map { abs($0.element) }.max()!
            var worst = 0.0
            for i in 0..<p.n where r.esample[i] {
                var sum = 0.0
                for (k, t) in c.absorb.enumerated() {
                    if t.includeIntercept { sum += saved["s\(k)"]![i] }
                    for (j, sl) in t.slopes.enumerated() { sum += saved["s\(k)Slope\(j + 1)"]![i] * sl.values[i] }
                }
                worst = max(worst, abs(sum - r.d![i]))
            }
            XCTAssertLessThanOrEqual(worst, 1e-9 * scale, c.name)
            // Outside the sample the saved variables are missing.
            for i in 0..<p.n where !r.esample[i] { XCTAssertTrue(Missing.isMissing(r.savedFixedEffects[0].values[i])) }
        }
    }

    /// The kernel merges terms over one partition and gives spanned slope-only terms intercepts.
    func testCanonicalBlocks() {
        let a = FactorCodes(keys: [[0, 0, 1, 1, 2, 2]]), a2 = FactorCodes(keys: [[5, 5, 3, 3, 9, 9]])
        let fine = FactorCodes(keys: [[0, 1, 2, 3, 4, 5]]), coarse = FactorCodes(keys: [[0, 0, 0, 1, 1, 1]])
        let x: [Double] = [1, 2, 3, 4, 5, 7], z: [Double] = [2, 1, 0, 1, 2, 3]
        typealias T = SlopeBlocks.Term
        // a (intercepts) + a2#c.x (same partition, other labels) -> one a##c.x block.
        var out = SlopeBlocks.canonical([T(codes: a, slopes: [], intercept: true), T(codes: a2, slopes: [x], intercept: false)])
        XCTAssertEqual(out.count, 1)
        XCTAssertTrue(out[0].intercept)
        XCTAssertEqual(out[0].slopes, [x])
        // coarse#c.z next to a finer intercept term: intercepts added (the span is unchanged).
        out = SlopeBlocks.canonical([T(codes: fine, slopes: [], intercept: true), T(codes: coarse, slopes: [z], intercept: false)])
        XCTAssertEqual(out.count, 2)
        XCTAssertTrue(out[1].intercept)
        // coarse is not spanned by cross (cross is not nested in coarse): stays slope-only, and a
        // global [1, z] block is added (z is not constant within cross).
        let cross = FactorCodes(keys: [[0, 1, 0, 1, 0, 1]])
        out = SlopeBlocks.canonical([T(codes: cross, slopes: [], intercept: true), T(codes: coarse, slopes: [z], intercept: false)])
        XCTAssertEqual(out.count, 3)
        XCTAssertFalse(out[1].intercept)
        XCTAssertEqual(out[2].codes.levels, 1)
        XCTAssertEqual(out[2].slopes, [z])
        XCTAssertTrue(out[2].intercept)
        // fine#c.x slope-only under a coarser intercept term: the coarse term takes x as a slope.
        out = SlopeBlocks.canonical([T(codes: coarse, slopes: [], intercept: true), T(codes: fine, slopes: [x], intercept: false)])
        XCTAssertEqual(out[0].slopes, [x])
        XCTAssertFalse(out[1].intercept)
        // No global block when an intercept term already spans x (x constant within its groups).
        out = SlopeBlocks.canonical([T(codes: fine, slopes: [z], intercept: false), T(codes: a, slopes: [], intercept: true)])
        XCTAssertEqual(out.count, 2)
        XCTAssertEqual(out[1].slopes, [z], "a is coarser than fine: it takes the slope")
    }

    /// `a year a#c.t` with uncentred years: the case that stalled CG (r(430)) before the merge.
    /// Converges, in few iterations, to the same partialled column as `year a##c.t`.
    func testInterceptAndSlopeTermsConvergeLikeOneBlock() {
        let p = Self.panel(seed: 21, balanced: false)
        let idc = FactorCodes(keys: [p.id]), yc = FactorCodes(keys: [p.year])
        let separate = Demeaner(factors: [idc, yc, idc], slopes: [[], [], [p.year]], intercepts: [true, true, false], weights: nil)
        let joint = Demeaner(factors: [idc, yc], slopes: [[p.year], []], intercepts: [true, true], weights: nil)
        let (a, ra) = separate.demean(p.y, tolerance: 1e-14, maxIterations: 16_000)
        let (b, rb) = joint.demean(p.y, tolerance: 1e-14, maxIterations: 16_000)
        XCTAssertTrue(ra.converged && rb.converged)
        XCTAssertLessThan(ra.iterations, 100, "iterations \(ra.iterations)")
        let scale = p.y.map(abs).max()!
        for i in 0..<p.n { XCTAssertEqual(a[i], b[i], accuracy: 1e-11 * scale) }
    }

    /// `year id#c.year` on a balanced panel takes one CG iteration, and that is exact: after the
    /// slope block is removed, the year means of the column are orthogonal to year within every id
    /// (their sum over ids is), so the residual B v is an eigenvector of B. The partialled column
    /// has zero year means and zero id-slope fits, to rounding.
    func testBalancedSlopeOnlyOneIterationIsExact() {
        let b = Self.panel(seed: 8, balanced: true)
        let idc = FactorCodes(keys: [b.id]), yc = FactorCodes(keys: [b.year])
        let dm = Demeaner(factors: [idc, yc], slopes: [[b.year], []], intercepts: [false, true], weights: nil)
        let (v, r) = dm.demean(b.y, tolerance: 1e-14, maxIterations: 16_000)
        XCTAssertEqual(r.iterations, 1)
        XCTAssertTrue(r.converged)
        let scale = b.y.map(abs).max()!
        for m in dm.groupMeans(v, factor: 1) { XCTAssertEqual(m, 0, accuracy: 1e-12 * scale) }
        var fit = [Double](repeating: 0, count: idc.levels), xx = fit
        for i in 0..<b.n { fit[Int(idc.codes[i])] += v[i] * b.year[i]; xx[Int(idc.codes[i])] += b.year[i] * b.year[i] }
        for g in 0..<idc.levels { XCTAssertEqual(fit[g] / xx[g], 0, accuracy: 1e-12 * scale) }
        // Unbalanced, it needs more iterations and still ends orthogonal.
        let p = Self.panel(seed: 7, balanced: false)
        let dm2 = Demeaner(factors: [FactorCodes(keys: [p.id]), FactorCodes(keys: [p.year])], slopes: [[p.year], []],
                           intercepts: [false, true], weights: nil)
        let (v2, r2) = dm2.demean(p.y, tolerance: 1e-14, maxIterations: 16_000)
        XCTAssertGreaterThan(r2.iterations, 1)
        XCTAssertTrue(r2.converged)
        for m in dm2.groupMeans(v2, factor: 1) { XCTAssertEqual(m, 0, accuracy: 1e-12 * p.y.map(abs).max()!) }
    }

    /// reghdfe's DoF rows for slopes (DoF.mata): `a##c.x` lists `a` and `a#c.x`; slopes are never
    /// marked exact; slope levels where x is constant (with intercept) or zero (without) are
    /// redundant; slope-only terms take no part in the intercept rules.
    func testDofRowsFollowReghdfe() throws {
        let p = Self.panel(seed: 7, balanced: false)
        var spec = RegressionSpec(depvarName: "y", y: p.y, regressors: [("x1", p.x1)])
        spec.absorb = [AbsorbTerm(name: "id##c.zc", keys: [p.id], slopes: [(name: "zc", values: p.zc)]),
                       AbsorbTerm(name: "year", keys: [p.year]),
                       AbsorbTerm(name: "id#c.year", keys: [p.id], slopes: [(name: "year", values: p.year)], includeIntercept: false)]
        let r = try LinearModel.fit(spec)
        XCTAssertEqual(r.dofTable.map(\.absvar), ["id", "id#c.zc", "year", "id#c.year"])
        XCTAssertEqual(r.dofTable.map(\.categories), [60, 60, 8, 60])
        // zc is constant in ids 0,5,...,55 (12 ids; zero counts as constant with an intercept).
        XCTAssertEqual(r.dofTable.map(\.redundant), [0, 12, 1, 0])
        XCTAssertEqual(r.dofTable.map(\.exact), [true, false, true, false])
        XCTAssertEqual(r.df_a, 60 + 48 + 7 + 60)
        // Without an intercept only zero slopes are redundant (ids 0,10,...,50: 6).
        spec.absorb = [AbsorbTerm(name: "id#c.zc", keys: [p.id], slopes: [(name: "zc", values: p.zc)], includeIntercept: false),
                       AbsorbTerm(name: "year", keys: [p.year])]
        let r2 = try LinearModel.fit(spec)
        XCTAssertEqual(r2.dofTable.map(\.redundant), [6, 0])
        XCTAssertEqual(r2.dofTable.map(\.exact), [false, true])
    }
}
