// The placebo engine (DidStats/Placebo): the FWL fast path (FE and controls partialled once, one
// column per replicate) against full re-estimates by LinearModel.fit (the slow independent path)
// for several fake treatments and every VCE type, with and without weights; the assignments
// (shift, permutation, mixed; PlaceboRulesTests holds didplacebo's rules in detail) against their definitions; and the behaviour of in-space p-values
// under no effect (spread over (0, 1)) and a strong effect (near 0).

import DidKernel
@testable import DidStats
import Foundation
import XCTest

final class PlaceboEngineTests: XCTestCase {
    /// A balanced panel: U units x T periods, units nested in clusters of 3, staggered adoption
    /// for `treatedUnits` units, two controls; y = unit + time effects + controls + effect * d + noise.
    struct Panel {
        var unit: [Double] = [], time: [Double] = [], cluster: [Double] = []
        var x1: [Double] = [], x2: [Double] = [], d: [Double] = [], y: [Double] = [], w: [Double] = []
        var n: Int { y.count }
    }

    static func panel(seed: UInt64, units: Int = 45, periods: Int = 10, treatedUnits: Int = 15, effect: Double) -> Panel {
        let rng = StataRandom(seed: seed)
        var p = Panel()
        let dates = (0..<units).map { u -> Double in u < treatedUnits ? Double(2003 + rng.uniformInt(3, periods - 2)) : .infinity }
        let fe = (0..<units).map { _ in rng.normal() }
        let te = (0..<periods).map { _ in rng.normal() * 0.5 }
        for u in 0..<units {
            for t in 0..<periods {
                let year = Double(2003 + t)
                let di: Double = year >= dates[u] ? 1 : 0
                let a = rng.normal(), b = rng.uniform()
                p.unit.append(Double(u + 1)); p.time.append(year); p.cluster.append(Double(u / 3))
                p.x1.append(a); p.x2.append(b); p.d.append(di); p.w.append(0.5 + rng.uniform())
                p.y.append(fe[u] + te[t] + 0.4 * a - 0.7 * b + effect * di + rng.normal())
            }
        }
        return p
    }

    /// Full estimate of `d` in y ~ d + x1 + x2 | unit + time.
    static func full(_ p: Panel, _ d: [Double], vce: VCE, weighted: Bool) throws -> (b: Double, se: Double) {
        var spec = RegressionSpec(depvarName: "y", y: p.y, regressors: [("d", d), ("x1", p.x1), ("x2", p.x2)])
        spec.absorb = [AbsorbTerm(name: "unit", keys: [p.unit]), AbsorbTerm(name: "time", keys: [p.time])]
        spec.vce = vce
        spec.tolerance = 1e-14
        if weighted { spec.weights = p.w; spec.weightKind = .aweight }
        let r = try LinearModel.fit(spec)
        XCTAssertNil(r.omitted[0])
        return (r.b[0], r.V[0, 0].squareRoot())
    }

    func testFastPathEqualsFullReestimate() throws {
        let p = Self.panel(seed: 11, effect: 0.3)
        let unit = FactorCodes(keys: [p.unit]), time = FactorCodes(keys: [p.time]), cl = FactorCodes(keys: [p.cluster])
        let panel = try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: p.d, blockCodes: nil)
        let rng = StataRandom(seed: 99)
        var maxB = 0.0, maxS = 0.0
        let vces: [(VCE, PlaceboVariance)] = [(.unadjusted, .unadjusted), (.robust, .robust),
                                              (.cluster([ClusterTerm(name: "c", keys: [p.cluster])]), .cluster(cl))]
        for weighted in [false, true] {
            for (vce, pv) in vces {
                let design = try PartialledDesign(y: p.y, controls: [p.x1, p.x2], fixedEffects: [unit, time],
                                                  weights: weighted ? p.w : nil, variance: pv)
                XCTAssertEqual(design.controlsKept, 2)
                let real = try Self.full(p, p.d, vce: vce, weighted: weighted)
                let bEngine = try design.calibrate(treatment: p.d, variance: real.se * real.se)
                XCTAssertEqual(bEngine, real.b, accuracy: 1e-10 * abs(real.b))
                for rep in 0..<4 {
                    let d = rep == 0 ? panel.shifted(by: 2) : panel.permuted(rng)
                    let fast = try design.estimate(d)
                    let slow = try Self.full(p, d, vce: vce, weighted: weighted)
                    XCTAssertLessThanOrEqual(abs(fast.b - slow.b), 1e-9 * abs(slow.b) + 1e-13, "\(vce) w=\(weighted) rep \(rep)")
                    XCTAssertLessThanOrEqual(abs(fast.se - slow.se), 1e-9 * slow.se, "\(vce) w=\(weighted) rep \(rep)")
                    maxB = max(maxB, abs(fast.b - slow.b) / abs(slow.b)); maxS = max(maxS, abs(fast.se - slow.se) / slow.se)
                }
            }
        }
        print("[placebo FWL vs full re-fit] max rel dev b \(maxB) se \(maxS)")
    }

    /// Unbalanced panel (the iterative demeaner instead of the closed form) and frequency weights.
    func testFastPathEqualsFullReestimateUnbalancedAndFrequencyWeights() throws {
        let full = Self.panel(seed: 21, effect: 0.2)
        var p = Panel()
        for i in 0..<full.n where i % 7 != 3 {
            p.unit.append(full.unit[i]); p.time.append(full.time[i]); p.cluster.append(full.cluster[i])
            p.x1.append(full.x1[i]); p.x2.append(full.x2[i]); p.d.append(full.d[i]); p.y.append(full.y[i])
            p.w.append(Double(1 + i % 3))
        }
        let unit = FactorCodes(keys: [p.unit]), time = FactorCodes(keys: [p.time]), cl = FactorCodes(keys: [p.cluster])
        let panel = try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: p.d)
        let rng = StataRandom(seed: 4)
        for (vce, pv, fw) in [(VCE.robust, PlaceboVariance.robust, false), (.cluster([ClusterTerm(name: "c", keys: [p.cluster])]), .cluster(cl), false),
                              (.robust, .robust, true), (.cluster([ClusterTerm(name: "c", keys: [p.cluster])]), .cluster(cl), true)] {
            func fit(_ d: [Double]) throws -> (Double, Double) {
                var spec = RegressionSpec(depvarName: "y", y: p.y, regressors: [("d", d), ("x1", p.x1), ("x2", p.x2)])
                spec.absorb = [AbsorbTerm(name: "unit", keys: [p.unit]), AbsorbTerm(name: "time", keys: [p.time])]
                spec.vce = vce; spec.tolerance = 1e-14
                if fw { spec.weights = p.w; spec.weightKind = .fweight }
                let r = try LinearModel.fit(spec)
                return (r.b[0], r.V[0, 0].squareRoot())
            }
            let design = try PartialledDesign(y: p.y, controls: [p.x1, p.x2], fixedEffects: [unit, time],
                                              weights: fw ? p.w : nil, frequencyWeights: fw, variance: pv)
            let real = try fit(p.d)
            try design.calibrate(treatment: p.d, variance: real.1 * real.1)
            for _ in 0..<3 {
                let d = panel.permuted(rng)
                let fast = try design.estimate(d), slow = try fit(d)
                XCTAssertLessThanOrEqual(abs(fast.b - slow.0), 1e-9 * abs(slow.0) + 1e-13, "\(vce) fw=\(fw)")
                XCTAssertLessThanOrEqual(abs(fast.se - slow.1), 1e-9 * slow.1, "\(vce) fw=\(fw)")
            }
        }
    }

    func testCollinearControlIsDroppedAndTreatmentCollinearThrows() throws {
        let p = Self.panel(seed: 3, effect: 0)
        let unit = FactorCodes(keys: [p.unit]), time = FactorCodes(keys: [p.time])
        let x3 = zip(p.x1, p.x2).map { $0 + 2 * $1 }
        let design = try PartialledDesign(y: p.y, controls: [p.x1, p.x2, x3, p.unit], fixedEffects: [unit, time], variance: .robust)
        XCTAssertEqual(design.controlsKept, 2, "x3 = x1 + 2 x2 and the unit id (absorbed) are dropped")
        XCTAssertThrowsError(try design.estimate(p.unit.map { $0 > 20 ? 1 : 0 })) {   // constant within unit
            XCTAssertEqual($0 as? PlaceboError, .collinearTreatment)
        }
        XCTAssertThrowsError(try design.estimate([1, 0]))
        XCTAssertThrowsError(try PartialledDesign(y: [], controls: [], fixedEffects: [], variance: .unadjusted))
    }

    func testAssignmentsFollowTheirDefinitions() throws {
        let p = Self.panel(seed: 5, effect: 0)
        let unit = FactorCodes(keys: [p.unit])
        let cl = FactorCodes(keys: [p.cluster])
        let panel = try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: p.d, blockCodes: cl.codes)
        XCTAssertEqual(panel.blocks, unit.levels, "dates differ within clusters: blocks stay units")
        XCTAssertEqual(panel.treatedBlocks, 15)
        XCTAssertTrue(panel.absorbing)
        // Shift: d(i, t) = 1 iff t >= g_u - k.
        let shifted = panel.shifted(by: 2)
        for i in 0..<p.n {
            let g = (0..<p.n).filter { p.unit[$0] == p.unit[i] && p.d[$0] == 1 }.map { p.time[$0] }.min() ?? .infinity
            XCTAssertEqual(shifted[i], p.time[i] >= g - 2 ? 1 : 0)
        }
        // Permutation keeps the number of treated units and the multiset of dates.
        let rng = StataRandom(seed: 1)
        for _ in 0..<5 {
            let d = panel.permuted(rng)
            let again = try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: d)
            XCTAssertEqual(again.blockDate.sorted(), panel.blockDate.sorted())
            for m in 1...3 {
                let rule = try panel.mixedRule(method: m)
                let mixed = try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: panel.mixed(rule, rng))
                XCTAssertEqual(mixed.treatedBlocks, 15)
                if m == 1 { XCTAssertEqual(Set(mixed.blockDate.filter(\.isFinite)).count, 1) }
                if m == 3 { XCTAssertTrue(Set(mixed.blockDate.filter(\.isFinite)).isSubset(of: Set(rule.candidates))) }
            }
        }
        // Cluster blocks are used when treatment is assigned by cluster.
        let byCluster = p.cluster.map { $0 < 5 ? 1.0 : 0.0 }
        let dc = zip(byCluster, p.time).map { $0 == 1 && $1 >= 2008 ? 1.0 : 0.0 }
        let pc = try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: dc, blockCodes: cl.codes)
        XCTAssertEqual(pc.blocks, 15)
        XCTAssertEqual(pc.treatedBlocks, 5)
        XCTAssertThrowsError(try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: p.x2))
    }

    /// In-space p-values: spread over (0, 1) without an effect, near 0 with a strong one.
    func testInSpacePValuesUnderNullAndStrongEffect() throws {
        var pNull: [Double] = []
        for seed in 1...24 {
            for effect in [0.0, 1.5] {
                let p = Self.panel(seed: UInt64(100 + seed), effect: effect)
                let unit = FactorCodes(keys: [p.unit]), time = FactorCodes(keys: [p.time]), cl = FactorCodes(keys: [p.cluster])
                let panel = try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: p.d)
                let design = try PartialledDesign(y: p.y, controls: [p.x1, p.x2], fixedEffects: [unit, time], variance: .cluster(cl))
                let real = try design.estimate(p.d).b
                let rng = StataRandom(seed: UInt64(seed))
                let draws = try (0..<99).map { _ in try design.estimate(panel.permuted(rng)).b }
                let s = PlaceboSummary(placebo: draws, real: real)
                XCTAssertEqual(s.reps, 99)
                if effect == 0 { pNull.append(s.pTwoSided) } else { XCTAssertLessThan(s.pTwoSided, 0.02, "seed \(seed)") }
            }
        }
        let mean = pNull.reduce(0, +) / Double(pNull.count)
        print("[placebo p-values under the null] mean \(mean) min \(pNull.min()!) max \(pNull.max()!)")
        XCTAssertGreaterThan(mean, 0.3); XCTAssertLessThan(mean, 0.7)
        XCTAssertLessThanOrEqual(pNull.filter { $0 < 0.05 }.count, 5)
        XCTAssertGreaterThanOrEqual(pNull.filter { $0 > 0.5 }.count, 6)
    }

    func testSummaryShares() {
        let s = PlaceboSummary(placebo: [-2, -1, 0, 1, 2, .nan], real: 1)
        XCTAssertEqual(s.reps, 5)
        XCTAssertEqual(s.mean, 0)
        XCTAssertEqual(s.sd, (2.5).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(s.pLeft, 0.8); XCTAssertEqual(s.pRight, 0.4); XCTAssertEqual(s.pTwoSided, 0.8)
    }
}
