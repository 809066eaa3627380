// Nice ticks and compact tick labels.
import Foundation
import XCTest
@testable import DidGraph

final class NiceScaleTests: XCTestCase {
    func testTicksWithinRange() {
        XCTAssertEqual(NiceScale.ticks(lo: 0, hi: 1), [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(NiceScale.ticks(lo: -0.19, hi: 0.06), [-0.2, -0.15, -0.1, -0.05, 0, 0.05])  // -.2 within 1/4 step
        XCTAssertEqual(NiceScale.ticks(lo: -0.18, hi: 0.06), [-0.15, -0.1, -0.05, 0, 0.05])
        XCTAssertEqual(NiceScale.ticks(lo: 0.003, hi: 5.5), [0, 1, 2, 3, 4, 5])             // densities get their 0
        XCTAssertEqual(NiceScale.ticks(lo: 2003, hi: 2007), [2003, 2004, 2005, 2006, 2007])
        XCTAssertEqual(NiceScale.ticks(lo: 0, hi: 100), [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(NiceScale.ticks(lo: 12, hi: 41), [15, 20, 25, 30, 35, 40])
        XCTAssertEqual(NiceScale.ticks(lo: 1e6, hi: 5e6), [1e6, 2e6, 3e6, 4e6, 5e6])
        XCTAssertEqual(NiceScale.ticks(lo: -7.3, hi: -2.1), [-7, -6, -5, -4, -3, -2])
        XCTAssertEqual(NiceScale.ticks(lo: -7.3, hi: -2.3), [-7, -6, -5, -4, -3])
        // Reversed bounds and a single value.
        XCTAssertEqual(NiceScale.ticks(lo: 1, hi: 0), [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(NiceScale.ticks(lo: 5, hi: 5), [4, 4.5, 5, 5.5, 6])
        XCTAssertEqual(NiceScale.ticks(lo: 0, hi: 0), [-1, -0.5, 0, 0.5, 1])
        XCTAssertEqual(NiceScale.ticks(lo: .nan, hi: 1), [])
        XCTAssertEqual(NiceScale.ticks(lo: 0, hi: .infinity), [])
    }

    func testLooseTicksCoverRange() {
        XCTAssertEqual(NiceScale.ticks(lo: 0.3, hi: 9.7, loose: true), [0, 2, 4, 6, 8, 10])
        XCTAssertEqual(NiceScale.ticks(lo: -0.077, hi: 0.059, loose: true), [-0.1, -0.05, 0, 0.05, 0.1])
    }

    func testTicksAreCleanDecimals() {
        // 0.1·3 is 0.30000000000000004 in floating point; ticks must be the decimal value.
        let t = NiceScale.ticks(lo: 0.1, hi: 0.7)
        XCTAssertTrue(t.contains(0.3), "\(t)")
        for v in t { XCTAssertEqual(v, (v * 10).rounded() / 10) }
        // Step choice is 1-2-5 times a power of ten.
        for (lo, hi) in [(0.0, 3.7), (-123.0, 4567.0), (0.0001, 0.00093), (17.0, 17.5)] {
            let t = NiceScale.ticks(lo: lo, hi: hi)
            XCTAssertGreaterThanOrEqual(t.count, 3, "\(lo)…\(hi)")
            XCTAssertLessThanOrEqual(t.count, 8, "\(lo)…\(hi)")
            let step = t[1] - t[0]
            let mantissa = step / pow(10, floor(log10(step)))
            XCTAssertTrue([1, 2, 5].contains { abs($0 - mantissa) < 1e-9 }, "step \(step)")
            XCTAssertTrue(t.allSatisfy { $0 >= lo - step / 4 - 1e-12 && $0 <= hi + step / 4 + 1e-12 })
        }
    }

    func testLabelsStataStyle() {
        XCTAssertEqual(NiceScale.labels([0, 0.2, 0.4, 1]), ["0", ".2", ".4", "1"])
        XCTAssertEqual(NiceScale.labels([-0.5, 0, 0.5]), ["-.5", "0", ".5"])
        XCTAssertEqual(NiceScale.labels([-0.15, -0.1, -0.05, 0]), ["-.15", "-.1", "-.05", "0"])
        XCTAssertEqual(NiceScale.labels([1000, 2000, 3000]), ["1000", "2000", "3000"])
        XCTAssertEqual(NiceScale.labels([2003, 2004]), ["2003", "2004"])
        XCTAssertEqual(NiceScale.labels([0.1 + 0.2]), [".3"])
        XCTAssertEqual(NiceScale.labels([1e7, 2e7]), ["1.0e+07", "2.0e+07"])
        XCTAssertEqual(NiceScale.labels([0, 0.00001, 0.00002]), ["0", "1.0e-05", "2.0e-05"])
        XCTAssertEqual(NiceScale.labels([-0.0]), ["0"])
        XCTAssertEqual(NiceScale.labels([]), [])
        XCTAssertEqual(NiceScale.format(.nan, decimals: 2), ".")
        XCTAssertEqual(NiceScale.format(-0.25, decimals: 2), "-.25")
        XCTAssertEqual(NiceScale.format(12.5, decimals: 0), "12")   // %.0f rounds half to even
    }
}
