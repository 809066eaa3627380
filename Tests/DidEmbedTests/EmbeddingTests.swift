// The embedding API as a host program sees it: only `import Did`, no @testable.

import Did
import XCTest

final class EmbeddingTests: XCTestCase {
    func testRunReadAndWriteColumnsAndResults() throws {
        var printed = ""
        let did = Interpreter(output: { text, _ in printed += text })
        try did.setNumbers("x", [1, 2, 3, 4])
        try did.setStrings("name", ["a", "b", "c", "d"])
        try did.run("""
        gen double y = 2 * x + 1
        quietly count if y > 4
        display "big: " r(N)
        """)
        XCTAssertEqual(try did.numbers("y"), [3, 5, 7, 9])
        XCTAssertEqual(try did.strings("name"), ["a", "b", "c", "d"])
        XCTAssertEqual(did.scalarResult("r", "N"), 3)
        XCTAssertTrue(printed.contains("big: 3"), printed)
        XCTAssertEqual(did.frame.count, 4)
    }

    func testHostCommandsRegisterLikeBuiltins() throws {
        var printed = ""
        let did = Interpreter(output: { text, _ in printed += text })
        var seen: [String] = []
        did.register(ClosureCommand("hostsum", minAbbreviation: 5, options: [OptionSpec("scale", .required)]) { call, session in
            seen.append(call.head)
            let scale = try Options(call.options, specs: [OptionSpec("scale", .required)]).number("scale") ?? 1
            var total = 0.0
            for v in try session.varlist(call.head) {
                total += session.frame.column(v)!.nums.reduce(0, +)
            }
            session.rResults = StoredResults()
            session.rResults.set("total", total * scale)
        })
        try did.run("set obs 3\ngen a = _n\ngen b = 10\nhostsum a b, scale(2)\ndisplay r(total)")
        XCTAssertEqual(seen, ["a b"])
        XCTAssertEqual(did.scalarResult("r", "total"), 72)
        XCTAssertTrue(printed.hasSuffix("72\n"), printed)
        // The host command sees if/in and option errors exactly as built-ins do.
        XCTAssertThrowsError(try did.run("hostsum a, bogus")) { e in XCTAssertEqual((e as? StataError)?.code, 198) }
    }

    func testErrorsCarryLocationAndCode() {
        let did = Interpreter(output: { _, _ in })
        XCTAssertThrowsError(try did.run("set obs 1\ngen y = nothere", file: "host.did")) { e in
            guard let err = e as? StataError else { return XCTFail("not a StataError") }
            XCTAssertEqual(err.code, 111)
            XCTAssertEqual(err.location?.file, "host.did")
            XCTAssertEqual(err.location?.line, 2)
            XCTAssertEqual(err.location?.column, 9)
            let text = Interpreter.describe(err)
            XCTAssertTrue(text.contains("host.did:2:9"), text)
            XCTAssertTrue(text.hasSuffix("r(111);\n"), text)
        }
        // The interpreter is still usable after an error.
        XCTAssertNoThrow(try did.run("display 1"))
    }

    func testMismatchedColumnLengthIsAnError() throws {
        let did = Interpreter(output: { _, _ in })
        try did.setNumbers("x", [1, 2])
        XCTAssertThrowsError(try did.setNumbers("z", [1, 2, 3]))
    }
}
