// reldif(), used by do-files to compare numbers with a tolerance.

@testable import DidLang
import DidFrame
import XCTest

final class ExprReldifTests: XCTestCase {
    func testReldif() throws {
        let s = Session()
        func eval(_ t: String) throws -> Double { try Evaluator.evaluateScalar(ExprParser.parse(t), in: s).requireNumber() }
        XCTAssertEqual(try eval("reldif(3, 1)"), 1)
        XCTAssertEqual(try eval("reldif(-1, 1)"), 1)
        XCTAssertEqual(try eval("reldif(1e6 + 1, 1e6)"), 1 / 1_000_001, accuracy: 1e-18)
        XCTAssertTrue(Missing.isMissing(try eval("reldif(., 1)")))
    }
}
