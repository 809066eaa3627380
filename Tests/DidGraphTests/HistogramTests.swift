// histogram: Stata's default bin count, bin edges and edge rule, the four scales, width(),
// start(), discrete, frequency weights, and bad input.
import Foundation
import XCTest
@testable import DidGraph

final class HistogramTests: XCTestCase {
    func testDefaultBinCount() {
        // int(min(sqrt(N), 10·log10(N))).
        XCTAssertEqual(Histogram.defaultBinCount(500), 22)     // sqrt = 22.36 < 26.99
        XCTAssertEqual(Histogram.defaultBinCount(100), 10)     // 10 < 20
        XCTAssertEqual(Histogram.defaultBinCount(10), 3)       // 3.16 < 10
        XCTAssertEqual(Histogram.defaultBinCount(16177), 42)   // 127.2 > 42.09
        XCTAssertEqual(Histogram.defaultBinCount(1), 1)        // 0 → at least one
    }

    func testStataAutoDefaults() throws {
        // Stata, `sysuse auto`: `histogram price` prints (bin=8, start=3291, width=1576.875) and
        // `histogram mpg` prints (bin=8, start=12, width=3.625).
        for (values, start, width) in [(Support.autoPrice, 3291.0, 1576.875), (Support.autoMpg, 12.0, 3.625)] {
            let b = try Histogram.bins(values)
            XCTAssertEqual(b.count, 8)
            XCTAssertEqual(b[0].lo, start)
            for bin in b { XCTAssertEqual(bin.hi - bin.lo, width, accuracy: 1e-9 * width) }
            XCTAssertEqual(b.map(\.count).reduce(0, +), 74)
        }
        // mpg counts per bin, from the edge rule (12 | 15.625 | 19.25 | 22.875 | 26.5 | 30.125 | 33.75 | 37.375 | 41).
        let mpg = try Histogram.bins(Support.autoMpg, scale: .frequency)
        let edges = (0...8).map { 12 + 3.625 * Double($0) }
        let slow = (0..<8).map { k in Support.autoMpg.filter { $0 >= edges[k] && ($0 < edges[k + 1] || k == 7) }.count }
        XCTAssertEqual(mpg.map { Int($0.count) }, slow)
    }

    func testCountsAndEdgeRule() throws {
        let x = (0...9).map(Double.init)
        let b = try Histogram.bins(x, bins: 5, scale: .frequency)
        XCTAssertEqual(b.map(\.count), [2, 2, 2, 2, 2])
        XCTAssertEqual(b.map(\.lo), [0, 1.8, 3.6, 5.4, 7.2].map { $0 }, accuracy: 1e-12)
        XCTAssertEqual(b.last!.hi, 9, accuracy: 1e-12)
        // A value on an inner edge goes up; the maximum stays in the last bin.
        XCTAssertEqual(try Histogram.bins([0, 1, 2], bins: 2, scale: .frequency).map(\.count), [1, 2])
        // Default bins for 500 draws: 22, covering min…max.
        var rng = Support.Normal(seed: 5)
        let y = (0..<500).map { _ in rng.next() }
        let d = try Histogram.bins(y)
        XCTAssertEqual(d.count, 22)
        XCTAssertEqual(d.first!.lo, y.min()!)
        XCTAssertEqual(d.last!.hi, y.max()!, accuracy: 1e-12)
        XCTAssertEqual(d.map(\.count).reduce(0, +), 500)
        // Slow path: count each bin by its half-open interval (the last one takes everything above).
        for (k, bin) in d.enumerated() {
            let n = y.filter { $0 >= bin.lo && ($0 < bin.hi || k == d.count - 1) }.count
            XCTAssertEqual(bin.count, Double(n), "bin \(k)")
        }
    }

    func testScales() throws {
        var rng = Support.Normal(seed: 8)
        let y = (0..<321).map { _ in rng.next() * 3 + 1 }
        let density = try Histogram.bins(y, scale: .density)
        XCTAssertEqual(density.map { $0.height * ($0.hi - $0.lo) }.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(try Histogram.bins(y, scale: .fraction).map(\.height).reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(try Histogram.bins(y, scale: .percent).map(\.height).reduce(0, +), 100, accuracy: 1e-10)
        XCTAssertEqual(try Histogram.bins(y, scale: .frequency).map(\.height).reduce(0, +), 321)
    }

    func testWidthStartAndDiscrete() throws {
        let x = (0...9).map(Double.init)
        let w = try Histogram.bins(x, width: 2, scale: .frequency)
        XCTAssertEqual(w.count, 5)                       // ceil(9/2)
        XCTAssertEqual(w.map(\.lo), [0, 2, 4, 6, 8])
        XCTAssertEqual(w.map(\.count), [2, 2, 2, 2, 2])
        let s = try Histogram.bins(x, width: 2, start: -1, scale: .frequency)
        XCTAssertEqual(s.map(\.lo), [-1, 1, 3, 5, 7])
        // Edges −1 1 3 5 7 9: 1, 3, 5, 7 go up a bin; 9 sits on the top edge of the last one.
        XCTAssertEqual(s.map(\.count), [1, 2, 2, 2, 3])
        XCTAssertThrowsError(try Histogram.bins(x, start: 0.5))
        // discrete: the smallest gap is the width, bins centred on the values.
        let d = try Histogram.bins([1, 1, 2, 4], scale: .frequency, discrete: true)
        XCTAssertEqual(d.map { ($0.lo + $0.hi) / 2 }, [1, 2, 3, 4])
        XCTAssertEqual(d.map(\.count), [2, 1, 0, 1])
        // All values equal: one bin of width 1.
        let c = try Histogram.bins([3, 3, 3], scale: .frequency)
        XCTAssertEqual(c.count, 1)
        XCTAssertEqual(c[0].count, 3)
        XCTAssertEqual(c[0].hi - c[0].lo, 1)
    }

    func testFrequencyWeightsEqualRepeatedData() throws {
        let x: [Double] = [0.5, 1.25, 2, 3.5, 4, 7, 7.5], fw: [Double] = [1, 3, 2, 1, 4, 1, 2]
        let expanded = zip(x, fw).flatMap { v, w in [Double](repeating: v, count: Int(w)) }
        XCTAssertEqual(try Histogram.bins(x, weights: fw), try Histogram.bins(expanded))
        XCTAssertThrowsError(try Histogram.bins(x, weights: fw.map { $0 + 0.5 }))
        XCTAssertThrowsError(try Histogram.bins(x, weights: [1]))
    }

    func testBadInput() {
        XCTAssertEqual(code { try Histogram.bins([]) }, 2000)
        XCTAssertEqual(code { try Histogram.bins([.nan]) }, 2000)
        XCTAssertEqual(code { try Histogram.bins([1, 2], bins: 0) }, 198)
        XCTAssertEqual(code { try Histogram.bins([1, 2], bins: 2, width: 1) }, 198)
        XCTAssertEqual(code { try Histogram.bins([1, 2], width: -1) }, 198)
        XCTAssertEqual(code { try Histogram.bins([1, 2], bins: 2, discrete: true) }, 198)
        XCTAssertEqual(code { try Histogram.bins([0, 1e9], width: 1e-3) }, 198)   // too many bins, no hang
        XCTAssertEqual(code { try Histogram.bins([0, 1e300], width: 1e-300) }, 198)  // beyond Int, no trap
        XCTAssertEqual(code { try Histogram.bins([-1e308, 1e308]) }, 198)
        XCTAssertEqual(code { try Histogram.bins([0, 1e-300, 1], discrete: true) }, 198)
        XCTAssertNil(code { try Histogram.bins([1e-300, 2e-300, 3e-300]) })
    }

    func code(_ f: () throws -> Any) -> Int? {
        do { _ = try f(); return nil } catch { return (error as? GraphError)?.stataCode }
    }
}

/// Element-wise equality of double arrays within a tolerance.
func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
