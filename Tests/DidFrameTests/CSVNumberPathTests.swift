import Foundation
import XCTest
@testable import DidFrame

/// The Float80 step of DecimalParser.fast (tried first on x86-64 for mantissas above 2^53): its
/// one rounding to 64 bits must never change the final double, so decimals that are exact
/// midpoints between two doubles (where that step must step aside) and their neighbours are
/// checked against strtod, as are the 17-digit forms the CSV benchmark writes.
final class CSVNumberPathTests: XCTestCase {
    private func check(_ s: String, file: StaticString = #filePath, line: UInt = #line) {
        guard case .number(let x) = DecimalParser.parse(s) else { XCTFail("not a number: \(s)", file: file, line: line); return }
        XCTAssertEqual(x.bitPattern, strtod(s, nil).bitPattern, s, file: file, line: line)
    }

    func testMidpointsAndNeighbours() {
        var rng = SplitMix64(seed: 80)
        for _ in 0..<20_000 {
            // A double in [2^53, 2^63) and the integer halfway to its successor.
            let d = Double(bitPattern: 0x4340_0000_0000_0000 + rng.next() % (0x43E0_0000_0000_0000 - 0x4340_0000_0000_0000))
            let mid = UInt64(d) + UInt64(d.ulp) / 2
            for m in [mid - 1, mid, mid + 1] {
                check("\(m)")
                check("-\(m)")
                // The same digits with the decimal point moved: m·10^-k and m·10^k.
                let k = Int(rng.next() % 28)
                var digits = "\(m)"
                if k < digits.count { digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -k)); check(digits) }
                check("\(m)e\(k)")
                check("\(m)e-\(k)")
            }
        }
    }

    func testBenchmarkForms() {
        var rng = SplitMix64(seed: 17)
        for _ in 0..<50_000 {
            let u = Double(rng.next() >> 11) / 9007199254740992.0
            let x = (u - 0.5) * pow(10, Double(rng.next() % 13) - 6)
            check(String(format: "%.17g", x))
            check(String(format: "%.19g", x))
        }
    }
}
