// kdensity: the fast path against a direct evaluation of Stata's formulas written out here,
// hand-computed bandwidths, known kernel values, integration to one, Stata's grid and n() cap,
// frequency weights against repeated data, abbreviations and bad input.
import Foundation
import XCTest
@testable import DidGraph

final class KernelDensityTests: XCTestCase {
    /// Stata's kernel formulas, written out independently of the library.
    func stataKernel(_ k: KernelDensity.Kernel, _ z: Double) -> Double {
        switch k {
        case .epanechnikov: return abs(z) < sqrt(5) ? 3 / (4 * sqrt(5)) * (1 - z * z / 5) : 0
        case .epan2: return abs(z) < 1 ? 3.0 / 4 * (1 - z * z) : 0
        case .biweight: return abs(z) < 1 ? 15.0 / 16 * pow(1 - z * z, 2) : 0
        case .cosine: return abs(z) < 0.5 ? 1 + cos(2 * Double.pi * z) : 0
        case .gaussian: return 1 / sqrt(2 * Double.pi) * exp(-z * z / 2)
        case .parzen:
            if abs(z) <= 0.5 { return 4.0 / 3 - 8 * z * z + 8 * pow(abs(z), 3) }
            return abs(z) <= 1 ? 8 * pow(1 - abs(z), 3) / 3 : 0
        case .rectangle: return abs(z) < 1 ? 0.5 : 0
        case .triangle: return abs(z) < 1 ? 1 - abs(z) : 0
        }
    }

    func sample(_ n: Int, seed: UInt64) -> [Double] {
        var rng = Support.Normal(seed: seed)
        return (0..<n).map { _ in rng.next() * 2 + (rng.uniform() < 0.3 ? 3 : 0) }
    }

    func testEveryKernelAgainstDirectSum() throws {
        let x = sample(300, seed: 7)
        var rng = Support.Normal(seed: 99)
        let w = x.map { _ in 0.5 + rng.uniform() * 2 }
        for k in KernelDensity.Kernel.allCases {
            for weights in [nil, w] {
                let h = 0.37
                let r = try KernelDensity.estimate(values: x, weights: weights, kernel: k, bandwidth: h, points: 40)
                XCTAssertEqual(r.x.count, 40)
                var maxRel = 0.0
                for (m, f) in zip(r.x, r.density) {
                    var total = 0.0, wsum = 0.0
                    for i in x.indices {
                        let wi = weights?[i] ?? 1
                        total += wi * stataKernel(k, (m - x[i]) / h); wsum += wi
                    }
                    let direct = total / (wsum * h)
                    maxRel = max(maxRel, abs(f - direct) / max(abs(direct), 1e-300))
                }
                XCTAssertLessThan(maxRel, 1e-12, "\(k) weighted=\(weights != nil)")
            }
        }
    }

    func testKnownKernelValues() throws {
        // One observation at 0, h = 1: the density is the kernel itself.
        let at: [Double] = [0, 1, 2.2, 3]
        let e = try KernelDensity.estimate(values: [0], bandwidth: 1, at: at)
        XCTAssertEqual(e.density[0], 0.75 / 5.0.squareRoot(), accuracy: 1e-15)          // 0.3354101966249685
        XCTAssertEqual(e.density[0], 0.3354101966249685, accuracy: 1e-15)
        XCTAssertEqual(e.density[1], 0.75 * 0.8 / 5.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(e.density[2], 0.75 * (1 - 4.84 / 5) / 5.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(e.density[3], 0)                                                   // outside √5
        let g = try KernelDensity.estimate(values: [0], kernel: .gaussian, bandwidth: 2, at: [0, 2])
        XCTAssertEqual(g.density[0], 0.3989422804014327 / 2, accuracy: 1e-15)
        XCTAssertEqual(g.density[1], 0.24197072451914337 / 2, accuracy: 1e-15)
        let p = try KernelDensity.estimate(values: [0], kernel: .parzen, bandwidth: 1, at: [0, 0.5, 0.75])
        XCTAssertEqual(p.density, [4.0 / 3, 1.0 / 3, 8 * pow(0.25, 3) / 3], accuracy: 1e-15)
    }

    func testDensitiesIntegrateToOne() throws {
        let x = sample(200, seed: 3)
        for k in KernelDensity.Kernel.allCases {
            let h = try KernelDensity.defaultBandwidth(values: x)
            let lo = x.min()! - 4 * h, hi = x.max()! + 4 * h
            let grid = (0...4000).map { lo + (hi - lo) * Double($0) / 4000 }
            let d = try KernelDensity.estimate(values: x, kernel: k, at: grid).density
            var area = 0.0
            for i in 1..<grid.count { area += (d[i] + d[i - 1]) / 2 * (grid[i] - grid[i - 1]) }
            // The rectangle's jumps cost the trapezoid rule a little more.
            XCTAssertEqual(area, 1, accuracy: k == .rectangle ? 5e-4 : 1e-4, "\(k)")
        }
    }

    func testSilvermanBandwidthByHand() throws {
        // x = 1…10: sd = sqrt(82.5/9) = 3.0276503540974917; p25: P = 2.5 → x(3) = 3, p75: P = 7.5
        // → x(8) = 8, IQR/1.349 = 3.7064492216456633 > sd, so h = 0.9 · sd / 10^0.2.
        let h1 = try KernelDensity.defaultBandwidth(values: (1...10).map(Double.init))
        XCTAssertEqual(h1, 0.9 * 3.0276503540974917 / pow(10, 0.2), accuracy: 1e-14)
        XCTAssertEqual(h1, 1.7192864046922829, accuracy: 1e-14)   // Python float arithmetic
        // x = 0 0 1 1 1 2 2 3 9 20 (n = 10): mean 3.9, sd = sqrt(342.9/9) = 6.172520197289;
        // p25: P = 2.5 → x(3) = 1; p75: P = 7.5 → x(8) = 3; IQR/1.349 = 2/1.349 = 1.4825796886582653
        // < sd, so h = 0.9 · 1.4825796886582653 / 10^0.2 = 0.8419071624766.
        let h2 = try KernelDensity.defaultBandwidth(values: [0, 0, 1, 1, 1, 2, 2, 3, 9, 20])
        XCTAssertEqual(h2, 0.9 * (2 / 1.349) / pow(10, 0.2), accuracy: 1e-14)
        // Percentile on an exact cumulative count averages neighbours: n = 8, p25: P = 2 → (x(2)+x(3))/2.
        // x = 0 1 2 3 4 5 6 10: p25 = 1.5, p75 = (5+6)/2 = 5.5, IQR/1.349 = 2.965159…; sd = 3.181980515…
        let x3: [Double] = [0, 1, 2, 3, 4, 5, 6, 10]
        XCTAssertEqual(try KernelDensity.defaultBandwidth(values: x3), 0.9 * (4 / 1.349) / pow(8, 0.2), accuracy: 1e-14)
        // IQR = 0 falls back to the sd: 0 0 0 0 0 0 0 5 → p25 = 0, p75 = (x(6)+x(7))/2 = 0.
        let x4: [Double] = [0, 0, 0, 0, 0, 0, 0, 5]
        let m = x4.reduce(0, +) / 8, sd = sqrt(x4.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 7)
        XCTAssertEqual(try KernelDensity.defaultBandwidth(values: x4), 0.9 * sd / pow(8, 0.2), accuracy: 1e-14)
        XCTAssertEqual(try KernelDensity.defaultBandwidth(values: x4), 1.0496621154789083, accuracy: 1e-14)
        // 0 0 0 0 0 0 1 5: p75 = (0+1)/2 = .5, so IQR/1.349 = 0.3706… < sd is used.
        XCTAssertEqual(try KernelDensity.defaultBandwidth(values: [0, 0, 0, 0, 0, 0, 1, 5]),
                       0.9 * (0.5 / 1.349) / pow(8, 0.2), accuracy: 1e-14)
    }

    func testStataAutoPriceBandwidth() throws {
        // Stata: `sysuse auto`, `kdensity price, nograph`, `di r(width)` → 605.64238
        // (Ben Jann on Statalist, 2006-09, msg00555), printed with 5 decimals.
        XCTAssertEqual(Support.autoPrice.count, 74)
        XCTAssertEqual(Support.autoPrice.reduce(0, +), 456229)
        let h = try KernelDensity.defaultBandwidth(values: Support.autoPrice)
        XCTAssertEqual(h, 605.64238, accuracy: 5e-6)   // half a unit in the last printed place
        // The same through estimate(): 50 points from min − h to max + h.
        let r = try KernelDensity.estimate(values: Support.autoPrice)
        XCTAssertEqual(r.bandwidth, h)
        XCTAssertEqual(r.x.count, 50)
        XCTAssertEqual(r.x[0], 3291 - h, accuracy: 1e-9)
        XCTAssertEqual(r.x[49], 15906 + h, accuracy: 1e-9)
    }

    func testSeriesHelpersAndStataNote() throws {
        let r = try KernelDensity.estimate(values: Support.autoPrice)
        XCTAssertEqual(r.stataNote, "kernel = epanechnikov, bandwidth = 605.6424")
        let tiny = try KernelDensity.estimate(values: [1e-7, 2e-7, 4e-7], kernel: .gaussian)
        XCTAssertTrue(tiny.stataNote.hasPrefix("kernel = gaussian, bandwidth = "), tiny.stataNote)
        XCTAssertTrue(tiny.stataNote.contains("e-0"), tiny.stataNote)
        // The layer helpers carry the same numbers as the statistics.
        let line = try Series.kdensity(Support.autoPrice, label: "price")
        guard case let .line(x, y) = line.kind else { return XCTFail("not a line") }
        XCTAssertEqual(x, r.x)
        XCTAssertEqual(y, r.density)
        XCTAssertEqual(line.label, "price")
        let hist = try Series.histogram(Support.autoPrice, scale: .frequency)
        guard case let .bar(_, heights, widths) = hist.kind else { return XCTFail("not bars") }
        XCTAssertEqual(heights.reduce(0, +), 74)
        XCTAssertEqual(widths.count, 8)
        XCTAssertEqual(widths[0], 1576.875, accuracy: 1e-9)
    }

    func testFrequencyWeightsEqualRepeatedData() throws {
        let x: [Double] = [0.5, 1.25, 2, 3.5, 4, 7, 7.5]
        let fw: [Double] = [1, 3, 2, 1, 4, 1, 2]
        let expanded = zip(x, fw).flatMap { v, w in [Double](repeating: v, count: Int(w)) }
        let hw = try KernelDensity.defaultBandwidth(values: x, weights: fw, weightKind: .frequency)
        let he = try KernelDensity.defaultBandwidth(values: expanded)
        XCTAssertEqual(hw, he, accuracy: 1e-14)
        let grid = stride(from: -1.0, through: 9, by: 0.5).map { $0 }
        let dw = try KernelDensity.estimate(values: x, weights: fw, weightKind: .frequency, at: grid)
        let de = try KernelDensity.estimate(values: expanded, at: grid)
        for (a, b) in zip(dw.density, de.density) { XCTAssertEqual(a, b, accuracy: 1e-14) }
        // aweights: N is the number of rows, so the bandwidth differs from the fweight one.
        let ha = try KernelDensity.defaultBandwidth(values: x, weights: fw, weightKind: .analytic)
        XCTAssertNotEqual(ha, hw)
        // iweights do not enter the bandwidth.
        let hi = try KernelDensity.defaultBandwidth(values: x, weights: fw, weightKind: .importance)
        XCTAssertEqual(hi, try KernelDensity.defaultBandwidth(values: x), accuracy: 1e-15)
    }

    func testAnalyticWeightBandwidthByHand() throws {
        // x = 1 2 3 4, aw = 1 1 1 3 (sum 6): mean = 18/6 = 3; normalised to sum 4 the weights are
        // 2/3 2/3 2/3 2; var = Σ w(x-mean)^2 / (N-1) with N = 4 rows.
        let x: [Double] = [1, 2, 3, 4], w: [Double] = [1, 1, 1, 3]
        let mean = 18.0 / 6
        let v = zip(x, w).map { $1 * 4 / 6 * ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3
        // Weighted percentiles: W = 6; p25: P = 1.5 → cum 1,2 → x(2) = 2; p75: P = 4.5 → cum 3,6 → x(4) = 4.
        let spread = min(sqrt(v), 2 / 1.349)
        XCTAssertEqual(try KernelDensity.defaultBandwidth(values: x, weights: w, weightKind: .analytic),
                       0.9 * spread / pow(4, 0.2), accuracy: 1e-14)
    }

    func testStataGridAndPointCap() throws {
        let x = sample(120, seed: 11)
        let r = try KernelDensity.estimate(values: x)
        XCTAssertEqual(r.x.count, 50)
        XCTAssertEqual(r.x.first!, x.min()! - r.bandwidth, accuracy: 1e-12)
        XCTAssertEqual(r.x.last!, x.max()! + r.bandwidth, accuracy: 1e-12)
        let steps = zip(r.x.dropFirst(), r.x).map { $0 - $1 }
        for s in steps { XCTAssertEqual(s, (x.max()! - x.min()! + 2 * r.bandwidth) / 49, accuracy: 1e-12) }
        XCTAssertEqual(r.scale, 1 / (50 * r.density.reduce(0, +) / 50), accuracy: 1e-12)
        // n() larger than the data: capped at the number of observations (Stata: at _N).
        let small = try KernelDensity.estimate(values: [1, 2, 4, 7, 8, 9, 12], points: 50)
        XCTAssertEqual(small.x.count, 7)
        // An explicit range.
        let ranged = try KernelDensity.estimate(values: x, points: 11, range: (lo: -2, hi: 3))
        XCTAssertEqual(ranged.x, (0...10).map { -2 + 0.5 * Double($0) })
        // Missing values are skipped.
        let withNaN = try KernelDensity.estimate(values: x + [.nan, .nan], at: [0, 1])
        let without = try KernelDensity.estimate(values: x, at: [0, 1])
        XCTAssertEqual(withNaN.bandwidth, without.bandwidth)
        XCTAssertEqual(withNaN.density, without.density)
    }

    func testKernelNames() {
        XCTAssertEqual(KernelDensity.Kernel.named("ep"), .epanechnikov)
        XCTAssertEqual(KernelDensity.Kernel.named("epan"), .epanechnikov)
        XCTAssertEqual(KernelDensity.Kernel.named("epan2"), .epan2)
        XCTAssertEqual(KernelDensity.Kernel.named("bi"), .biweight)
        XCTAssertEqual(KernelDensity.Kernel.named("gau"), .gaussian)
        XCTAssertNil(KernelDensity.Kernel.named("ga"))
        XCTAssertEqual(KernelDensity.Kernel.named("tri"), .triangle)
        XCTAssertEqual(KernelDensity.Kernel.named("rectangle"), .rectangle)
        XCTAssertEqual(KernelDensity.Kernel.named("cos"), .cosine)
        XCTAssertEqual(KernelDensity.Kernel.named("PARZEN"), .parzen)
        XCTAssertNil(KernelDensity.Kernel.named("e"))
        XCTAssertNil(KernelDensity.Kernel.named("uniform"))
    }

    func testBadInput() {
        func code(_ f: () throws -> Any) -> Int? {
            do { _ = try f(); return nil } catch { return (error as? GraphError)?.stataCode }
        }
        XCTAssertEqual(code { try KernelDensity.estimate(values: []) }, 2000)
        XCTAssertEqual(code { try KernelDensity.estimate(values: [.nan, .nan]) }, 2000)
        XCTAssertEqual(code { try KernelDensity.estimate(values: [3]) }, 2001)
        XCTAssertEqual(code { try KernelDensity.estimate(values: [2, 2, 2]) }, 198)
        XCTAssertEqual(code { try KernelDensity.estimate(values: [1, 2, 3], bandwidth: 0) }, 198)
        XCTAssertEqual(code { try KernelDensity.estimate(values: [1, 2, 3], bandwidth: -1) }, 198)
        XCTAssertEqual(code { try KernelDensity.estimate(values: [1, 2, 3], weights: [1, -1, 1]) }, 198)
        XCTAssertEqual(code { try KernelDensity.estimate(values: [1, 2, 3], weights: [1, 1]) }, 198)
        XCTAssertEqual(code { try KernelDensity.estimate(values: [1, 2, 3], range: (lo: 5, hi: 1)) }, 198)
        XCTAssertEqual(code { try KernelDensity.estimate(values: [-1e308, 1e308, 0]) }, 198)
        // A constant variable is fine with an explicit bandwidth.
        XCTAssertNil(code { try KernelDensity.estimate(values: [2, 2, 2], bandwidth: 1) })
    }
}
