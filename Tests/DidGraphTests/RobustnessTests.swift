// Random plots (odd values, options and sizes) must lay out or throw a GraphError — never trap
// or hang. Seeded, so a failure reproduces.
import Foundation
import XCTest
@testable import DidGraph

final class RobustnessTests: XCTestCase {
    func testRandomPlotsNeverTrap() throws {
        var rng = Support.Normal(seed: 2024)
        let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1e-300, 1e300, -1e15, 5e-324, 1]
        func value() -> Double {
            rng.uniform() < 0.15 ? specials[Int(rng.uniform() * Double(specials.count))] : rng.next() * pow(10, Double(Int(rng.uniform() * 8) - 3))
        }
        func values(_ n: Int) -> [Double] { (0..<n).map { _ in value() } }
        var laidOut = 0, refused = 0
        for _ in 0..<300 {
            let n = Int(rng.uniform() * 12)
            var series: [Series] = []
            for k in 0..<Int(rng.uniform() * 4) {
                let x = values(n)
                switch Int(rng.uniform() * 7) {
                case 0: series.append(.line(x: x, y: values(n), label: "line \(k)"))
                case 1: series.append(.scatter(x: x, y: values(n), label: "s", marker: MarkerSymbol.allCases[k % 12]))
                case 2: series.append(.connected(x: x, y: values(n)))
                case 3: series.append(.rcap(x: x, lo: values(n), hi: values(n), horizontal: rng.uniform() < 0.5))
                case 4: series.append(.rarea(x: x, lo: values(n), hi: values(n), label: "band"))
                case 5: series.append(.bar(x: x, height: values(n), width: [abs(value())]))
                default: series.append(.line(x: x, y: values(max(0, n - 1))))   // mismatched lengths
                }
            }
            var p = Plot(title: rng.uniform() < 0.5 ? "Random" : nil, xTitle: "x", yTitle: "y", series: series)
            if rng.uniform() < 0.3 { p.xAxis.range = (value(), value()) }
            if rng.uniform() < 0.2 { p.yAxis.exact = true; p.yAxis.range = (value(), value()) }
            if rng.uniform() < 0.2 { p.xAxis.ticks = values(4) }
            if rng.uniform() < 0.2 { p.xAxis.angle = value() }
            if rng.uniform() < 0.2 { p.xLines = [RefLine(value(), label: "l")] }
            p.legend.position = LegendPosition.allCases[Int(rng.uniform() * 8)]
            let w = rng.uniform() < 0.1 ? value() : 200 + rng.uniform() * 1200
            do {
                let scene = try GraphRenderer.layout(p, width: w, height: w * 0.75)
                XCTAssertTrue(scene.plotRegion.width > 0 && scene.plotRegion.height > 0)
                XCTAssertTrue(scene.texts.allSatisfy { $0.at.x.isFinite && $0.at.y.isFinite })
                laidOut += 1
            } catch is GraphError {
                refused += 1
            }
        }
        XCTAssertGreaterThan(laidOut, 100)   // most random plots are drawable
        XCTAssertGreaterThan(refused, 0)     // and the bad ones were refused, not drawn
    }
}
