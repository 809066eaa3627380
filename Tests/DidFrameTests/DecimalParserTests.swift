import Foundation
import XCTest
@testable import DidFrame

/// The byte-level decimal parser against C `strtod` (the slow, independent path), bit for bit.
final class DecimalParserTests: XCTestCase {
    private func check(_ s: String, file: StaticString = #filePath, line: UInt = #line) {
        let want = strtod(s, nil)
        guard case .number(let got) = DecimalParser.parse(s) else { return XCTFail("not a number: \(s)", file: file, line: line) }
        XCTAssertEqual(got.bitPattern, want.bitPattern, "\(s): \(got) vs \(want)", file: file, line: line)
    }

    func testShortestAnd17DigitForms() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<30_000 {
            let x = Double(bitPattern: UInt64.random(in: 0x3C00_0000_0000_0000...0x4400_0000_0000_0000, using: &rng))
            check("\(x)")
            check(String(format: "%.17g", x))
            check(String(format: "%.17g", -x * 1e-3))
            check(String(format: "%.19g", x))
            check(String(format: "%.15f", Double.random(in: -10...10, using: &rng)))
        }
    }

    func testRandomDigitStrings() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<30_000 {
            let nd = Int.random(in: 1...25, using: &rng)
            var s = String((0..<nd).map { _ in Character(UnicodeScalar(UInt8.random(in: 48...57, using: &rng))) })
            let dot = Int.random(in: 0...nd, using: &rng)
            s.insert(".", at: s.index(s.startIndex, offsetBy: dot))
            if Bool.random(using: &rng) { s += "e\(Int.random(in: -30...30, using: &rng))" }
            if s.hasPrefix(".") && s.count == 1 { continue }
            check(s)
        }
    }

    /// The integer-checked quotient path settles almost always and agrees with strtod.
    func testCheckedQuotientPath() {
        var rng = SystemRandomNumberGenerator()
        var settled = 0
        let t = DecimalTables.shared
        for _ in 0..<50_000 {
            let m = UInt64.random(in: (1 << 53)...UInt64(9_999_999_999_999_999_999), using: &rng)
            let k = Int.random(in: 4...19, using: &rng)   // quotients below 2^53
            guard let v = DecimalParser.checkedQuotient(m, k, t) else { continue }
            settled += 1
            XCTAssertEqual(v.bitPattern, strtod("\(m)e-\(k)", nil).bitPattern, "\(m)e-\(k)")
        }
        XCTAssertGreaterThan(settled, 49_000)
    }

    /// 19-digit decimals just below and above powers of two, where the guess can land in the
    /// neighbouring binade (the spacing of doubles halves below 2^k).
    func testNearPowersOfTwo() {
        #if arch(x86_64)
        for k in -60...60 {
            let v = Float80(sign: .plus, exponent: k, significand: 1)
            let below = Float80(Double(v).ulp) / 2   // spacing just below 2^k
            for t in stride(from: -1.9, through: 1.9, by: 0.05) {
                let x = t < 0 ? v + Float80(t) * below : v + Float80(t) * Float80(Double(v).ulp)
                check(String(format: "%.18Le", x))
                check(String(format: "%.16Le", x))
            }
        }
        #endif
    }

    func testHardCases() {
        for s in ["9007199254740993", "9007199254740992.5", "0.1", "0.30000000000000004", "2.2250738585072014e-308",
                  "1.7976931348623157e307", "123456789012345678901234567890", "18446744073709551615", "18446744073709551616",
                  "0.000000000000000000001", "1e22", "1e23", "4.9406564584124654e-324", "-0", "+5", "-.5", "5.", "1E5",
                  "0.99999999999999999999", "9999999999999999999", "1.00000000000000011102230246251565404236316680908203125",
                  "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126"] {
            check(s)
        }
    }

    func testMissingAndText() {
        for (s, v) in [("", Missing.dot), (".", Missing.dot), (".a", Missing.extended(1)), (".z", Missing.extended(26)), ("  ", Missing.dot)] {
            guard case .missing(let x) = DecimalParser.parse(s) else { XCTFail(s); continue }
            XCTAssertEqual(x, v, s)
        }
        for s in ["abc", "1e", "1.2.3", "--1", "e5", "NA", "1,0", "0x10", "inf", "nan", ".A", "..", "1e+", " 1 2 "] {
            guard case .text = DecimalParser.parse(s) else { XCTFail("should be text: \(s)"); continue }
        }
        guard case .number(let x) = DecimalParser.parse(" 42\r") else { return XCTFail() }
        XCTAssertEqual(x, 42)
        guard case .missing = DecimalParser.parse("1e308") else { return XCTFail("beyond maxdouble is missing") }
    }
}
