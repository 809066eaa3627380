// Display formats. Expected strings come from Stata's documentation and StataCorp's published
// examples: W. Gould on Statalist (2003-04, 2003-07) for %12.0g, %12.0gc, %11.0gc, %9.2fc and
// %9.2g; [D] format for %9.4g/%9.4f/%9.2e, %td and %tdNN/DD/CCYY; Stata's `display` output
// (%10.0g) for 1/3, -0.5, 1e20 and 2^31; Stata's help for strofreal() for %9.0g of 1234567 and
// 12345678, %11.0g / %13.0gc of 123456789, %td and %tq.
import XCTest
@testable import DidLang
import DidFrame

final class FormatTests: XCTestCase {
    func f(_ x: Double, _ fmt: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do { return try DisplayFormat.format(x, fmt) } catch {
            XCTFail("\(fmt): \(error)", file: file, line: line); return ""
        }
    }
    func trimmed(_ x: Double, _ fmt: String) -> String { f(x, fmt).trimmingCharacters(in: .whitespaces) }

    func testGeneralFormatGouldExamples() {
        let pi = Double.pi
        let cases: [(Double, String)] = [
            (pi, "3.141592654"), (pi * 10, "31.41592654"), (pi * 1e5, "314159.2654"),
            (pi * 1e8, "314159265.4"), (pi * 1e9, "3141592654"), (pi * 1e10, "3.14159e+10"),
            (pi / 10, ".3141592654"), (pi * 1e-4, ".0003141593"), (pi * 1e-5, ".0000314159"),
            (pi * 1e-6, "3.14159e-06"),
        ]
        for (x, want) in cases {
            XCTAssertEqual(f(x, "%12.0g"), String(repeating: " ", count: 12 - want.count) + want, "\(x)")
        }
    }

    func testDisplayDefault10g() {
        let cases: [(Double, String)] = [
            (1.0 / 3, ".33333333"), (2.0 / 3, ".66666667"), (-0.5, "-.5"), (100000, "100000"),
            (1e20, "1.000e+20"), (12345678, "12345678"), (123456789, "1.235e+08"), (2147483648, "2.147e+09"),
            (1234567890, "1.235e+09"), (0.1 + 0.2, ".3"), (12345.6789, "12345.679"), (0, "0"),
            (-1.0 / 3, "-.33333333"), (1e-7, "1.000e-07"), (0.0001, ".0001"), (0.00001234, ".00001234"),
            (42, "42"), (-17, "-17"), (1.5, "1.5"), (99999999.7, "1.000e+08"), (0.99999999999, "1"),
            (-1e-300, "-1.00e-300"),   // three-digit exponents leave room for one digit less
        ]
        for (x, want) in cases { XCTAssertEqual(trimmed(x, "%10.0g"), want, "\(x)") }
        XCTAssertEqual(f(1.0 / 3, "%10.0g"), " .33333333")
    }

    func testFloatDefault9g() {
        XCTAssertEqual(trimmed(1.0 / 3, "%9.0g"), ".3333333")
        XCTAssertEqual(trimmed(1234567.5, "%9.0g"), "1234568")
        XCTAssertEqual(trimmed(12345678, "%9.0g"), "1.23e+07")   // Stata help: strofreal(12345678)
        XCTAssertEqual(trimmed(1234567, "%9.0g"), "1234567")
        XCTAssertEqual(trimmed(123456789, "%11.0g"), "123456789")
        XCTAssertEqual(trimmed(123456789, "%13.0gc"), "123,456,789")
        XCTAssertEqual(trimmed(1e10, "%9.0g"), "1.00e+10")
        XCTAssertEqual(trimmed(0.5, "%8.0g"), ".5")
    }

    func testSignificantDigitsG() {
        XCTAssertEqual(trimmed(4.52394e-3, "%9.2g"), ".0045")
        XCTAssertEqual(trimmed(4.52394e-5, "%9.2g"), ".000045")
        XCTAssertEqual(trimmed(3.14159, "%9.4g"), "3.142")
        XCTAssertEqual(trimmed(314.159, "%9.4g"), "314.2")
    }

    func testCommas() {
        XCTAssertEqual(trimmed(12345678, "%12.0gc"), "12,345,678")
        XCTAssertEqual(trimmed(123456789, "%12.0gc"), "123456789")
        XCTAssertEqual(trimmed(23667902, "%11.0gc"), "23667902")
        XCTAssertEqual(f(23667902, "%11.0fc"), " 23,667,902")
        XCTAssertEqual(f(123456789, "%12.0fc"), " 123,456,789")
        XCTAssertEqual(trimmed(10000000, "%9.2fc"), "1.00e+07")
        XCTAssertEqual(trimmed(-1234.5, "%10.1fc"), "-1,234.5")
        XCTAssertEqual(trimmed(999, "%10.0fc"), "999")
    }

    func testFixedAndExponential() {
        XCTAssertEqual(f(3.14159, "%9.4f"), "   3.1416")
        XCTAssertEqual(f(3.14159, "%9.2e"), " 3.14e+00")
        XCTAssertEqual(f(314.159, "%9.2e"), " 3.14e+02")
        XCTAssertEqual(f(0.5, "%4.2f"), "0.50")            // %f keeps the leading zero
        XCTAssertEqual(f(-0.5, "%6.3f"), "-0.500")
        XCTAssertEqual(f(2, "%9.0f"), "        2")
        XCTAssertEqual(f(3.14159, "%-9.2f"), "3.14     ")
        XCTAssertEqual(f(3.14159, "%09.3f"), "00003.142")
        XCTAssertEqual(f(-3.14159, "%09.3f"), "-0003.142")
        XCTAssertEqual(f(1001, "%05.0f"), "01001")        // FIPS-style codes
        XCTAssertEqual(f(12345.678, "%10.3e"), " 1.235e+04")
    }

    func testMissingValues() {
        XCTAssertEqual(f(Missing.dot, "%9.0g"), "        .")
        XCTAssertEqual(f(Missing.extended(1), "%9.2f"), "       .a")
        XCTAssertEqual(f(Missing.extended(26), "%-5.0g"), ".z   ")
        XCTAssertEqual(f(Missing.dot, "%td"), ".")
    }

    func testStrings() throws {
        XCTAssertEqual(try DisplayFormat.format("abc", "%10s"), "       abc")
        XCTAssertEqual(try DisplayFormat.format("abc", "%-10s"), "abc       ")
        XCTAssertEqual(try DisplayFormat.format("abcdef", "%3s"), "abcdef")
        XCTAssertEqual(try DisplayFormat.format("x", "%s"), "x")
        XCTAssertEqual(try DisplayFormat.format("ab", "%~6s"), "  ab  ")
        XCTAssertFalse(DisplayFormat.isValid("%~9.2f"))
        XCTAssertThrowsError(try DisplayFormat.format("abc", "%9.2f")) { XCTAssertEqual(($0 as? StataError)?.code, 109) }
        XCTAssertThrowsError(try DisplayFormat.format(1.5, "%10s")) { XCTAssertEqual(($0 as? StataError)?.code, 109) }
        XCTAssertTrue(DisplayFormat.isString("%-12s"))
        XCTAssertFalse(DisplayFormat.isString("%9.0g"))
        XCTAssertEqual(DisplayFormat.width("%-12s"), 12)
    }

    func testDates() {
        XCTAssertEqual(f(19359, "%td"), "01jan2013")
        XCTAssertEqual(f(0, "%td"), "01jan1960")
        XCTAssertEqual(f(-1, "%td"), "31dec1959")
        XCTAssertEqual(f(19373, "%tdCCYY-NN-DD"), "2013-01-15")
        XCTAssertEqual(f(19373, "%tdNN/DD/CCYY"), "01/15/2013")
        XCTAssertEqual(f(19373, "%tdMonth_dd,_CCYY"), "January 15, 2013")
        XCTAssertEqual(f(19373, "%tdDayname"), "Tuesday")
        XCTAssertEqual(f(19373, "%tdDD.Mon.YY"), "15.Jan.13")
        XCTAssertEqual(f(19373, "%tdJJJ"), "015")
        XCTAssertEqual(f(19373.9, "%td"), "15jan2013")      // fractional days are floored
        XCTAssertEqual(f(636, "%tm"), "2013m1")
        XCTAssertEqual(f(-1, "%tm"), "1959m12")
        XCTAssertEqual(f(212, "%tq"), "2013q1")
        XCTAssertEqual(f(225, "%tq"), "2016q2")                 // Stata help: strofreal(225, "%tq")
        XCTAssertEqual(f(107, "%th"), "2013h2")
        XCTAssertEqual(f(2013, "%ty"), "2013")
        XCTAssertEqual(f(0, "%tc"), "01jan1960 00:00:00")
        XCTAssertEqual(f(86_400_000 + 3_723_000, "%tc"), "02jan1960 01:02:03")
        XCTAssertEqual(f(1_672_531_200_000 + 315_619_200_000, "%tcCCYY-NN-DD_HH:MM"), "2023-01-01 00:00")
    }

    func testValidity() {
        for good in ["%9.0g", "%10.0g", "%-12.3f", "%09.2f", "%12.0gc", "%10.2fc", "%9.2e", "%20s", "%-5s",
                     "%td", "%tdCCYY-NN-DD", "%tm", "%tq", "%tc", "%s", "%8.0g"] {
            XCTAssertTrue(DisplayFormat.isValid(good), good)
        }
        for bad in ["", "%", "9.2f", "%9.2", "%9.2x", "%9.2fz", "%.2f", "%9.2ec", "%05s", "%tz", "%0", "%9.f", "abc"] {
            XCTAssertFalse(DisplayFormat.isValid(bad), bad)
            XCTAssertThrowsError(try DisplayFormat.format(1, bad)) { XCTAssertEqual(($0 as? StataError)?.code, 120) }
        }
    }
}
