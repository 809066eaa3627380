// esttab tabulating a matrix (estout's matrix() / r(name) / e(name)): rows and columns of the
// matrix, per-column formats recycled, per-cell format lists, transpose, and the pstest balance
// table exported through it.

import XCTest
@testable import DidLang
import DidFrame

final class EsttabMatrixTests: XCTestCase {
    func testMatrixRowsFormatsAndTranspose() throws {
        let (out, _) = try runScript("""
        matrix A = (0.91204397, 0.0075452 \\ 0.28085881, 0.46027868 \\ 0.56010592, 0.67319061)
        esttab matrix(A)
        esttab matrix(A, fmt(2 3))
        esttab matrix(A, fmt("2 3 4" "4 3 2"))
        esttab matrix(A, transpose)
        """)
        let lines = out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        // estout's help shows these cells for the same matrix: %9.0g by default, fmt(2 3) per
        // column, and a quoted list per cell with its last format reused.
        XCTAssertTrue(lines.contains(["r1", ".912044", ".0075452"]), out)
        XCTAssertTrue(lines.contains(["r3", "0.56", "0.673"]), out)
        XCTAssertTrue(lines.contains(["r1", "0.91", "0.0075"]), out)
        XCTAssertTrue(lines.contains(["r2", "0.281", "0.460"]), out)
        XCTAssertTrue(lines.contains(["r3", "0.5601", "0.67"]), out)
        XCTAssertTrue(lines.contains(["c2", ".0075452", ".4602787", ".6731906"]), out)
        XCTAssertTrue(lines.contains(["c1", "c2"]), out)
    }

    func testBalanceTableThroughRReturnsAndFiles() throws {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference/data/nsw_cps.dta").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: data), "reference data missing: \(data)")
        let md = NSTemporaryDirectory() + "did_balance_\(getpid()).md"
        defer { try? FileManager.default.removeItem(atPath: md) }
        let (_, s) = try runScript("""
        use "\(data)", clear
        quietly psmatch2 treat age educ re74, outcome(re78) logit
        quietly pstest age educ re74, both
        matrix B = r(balance)
        esttab matrix(B, fmt(3 3 1 1 2 3 2)) using "\(md)", replace
        """)
        let b = try s.matrix(named: "B")
        XCTAssertEqual(b.rows, 6); XCTAssertEqual(b.cols, 7)
        XCTAssertEqual(b.rowNames.prefix(2), ["age:U", "age:M"])
        let text = try String(contentsOfFile: md, encoding: .utf8)
        let ageM = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("| age:M") })
        let cells = ageM.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        // The M row's %bias and %reduct cells are the matrix's numbers in fmt 1 and 1.
        XCTAssertEqual(cells[3], String(format: "%.1f", b[1, 2]))
        XCTAssertEqual(cells[4], String(format: "%.1f", b[1, 3]))
        XCTAssertThrowsError(try runScript("esttab matrix(nosuch)")) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
        XCTAssertThrowsError(try runScript("matrix A = (1)\nesttab matrix(A, fmt(%bogus))")) { XCTAssertEqual(($0 as? StataError)?.code, 120) }
    }
}
