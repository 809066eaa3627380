// Statement splitting: comments, continuations, #delimit, quotes, locations.

@testable import DidLang
import DidFrame
import XCTest

final class SourceSplitterTests: XCTestCase {
    func texts(_ s: String) throws -> [String] { try SourceSplitter.split(s, file: "t.did").map(\.text) }

    func testStarCommentOnlyAtStatementStart() throws {
        XCTAssertEqual(try texts("* a comment\ndisplay 2*3\n  * indented comment"), ["display 2*3"])
    }

    func testSlashSlashNeedsWhitespaceBefore() throws {
        XCTAssertEqual(try texts("display 1 // note\nuse http://x.org/a.dta"), ["display 1", "use http://x.org/a.dta"])
    }

    func testBlockCommentsNestAndSpanLines() throws {
        XCTAssertEqual(try texts("display /* a /* b */ c */ 1\n/* x\ny */ display 2"), ["display  1", "display 2"])
    }

    func testTripleSlashJoinsLines() throws {
        XCTAssertEqual(try texts("regress y x1 /// first\n    x2, robust"), ["regress y x1  x2, robust"])
    }

    func testQuotedCommentMarkersAreText() throws {
        XCTAssertEqual(try texts("display \"a // b /* c\""), ["display \"a // b /* c\""])
        XCTAssertEqual(try texts("display `\"say \"hi\" // x\"'"), ["display `\"say \"hi\" // x\"'"])
    }

    func testDelimitSemicolon() throws {
        let src = "#delimit ;\ndisplay 1\n  + 2;\ndisplay 3;\n#delimit cr\ndisplay 4"
        XCTAssertEqual(try texts(src), ["display 1 + 2", "display 3", "display 4"])
    }

    func testLocationsPointAtStatementStart() throws {
        let s = try SourceSplitter.split("\n\n   gen x = 1\n", file: "f.did")
        XCTAssertEqual(s.count, 1)
        XCTAssertEqual(s[0].line, 3)
        XCTAssertEqual(s[0].column, 4)
        XCTAssertEqual(s[0].lineText, "   gen x = 1")
    }

    func testUnclosedCommentIsAnError() {
        XCTAssertThrowsError(try SourceSplitter.split("display 1\n/* never closed", file: "f.did")) { e in
            XCTAssertEqual((e as? StataError)?.code, 198)
        }
    }

    func testCRLFAndBOM() throws {
        XCTAssertEqual(try texts("\u{FEFF}display 1\r\ndisplay 2\r\n"), ["display 1", "display 2"])
    }

    func testNeedsMoreInput() {
        XCTAssertTrue(SourceSplitter.needsMoreInput("display 1 ///"))
        XCTAssertTrue(SourceSplitter.needsMoreInput("/* open"))
        XCTAssertFalse(SourceSplitter.needsMoreInput("display 1"))
    }
}

final class BlockParserTests: XCTestCase {
    func parse(_ s: String) throws -> [Stmt] { try BlockParser.parse(source: s, file: "t.did") }

    func testLoopsAndIfChains() throws {
        let nodes = try parse("""
        foreach v in a b {
            if "`v'" == "a" {
                display 1
            }
            else if 1 {
                display 2
            }
            else {
                display 3
            }
        }
        """)
        XCTAssertEqual(nodes.count, 1)
        guard case .foreach(let header, let body, _) = nodes[0] else { return XCTFail("not a foreach") }
        XCTAssertEqual(header, "v in a b")
        guard case .ifChain(let branches, _) = body[0] else { return XCTFail("not an if chain") }
        XCTAssertEqual(branches.count, 3)
        XCTAssertNil(branches[2].condition)
    }

    func testCloseBraceElseOnOneLine() throws {
        let nodes = try parse("if 0 {\ndisplay 1\n} else {\ndisplay 2\n}\ndisplay 3")
        XCTAssertEqual(nodes.count, 2)
        guard case .ifChain(let branches, _) = nodes[0] else { return XCTFail() }
        XCTAssertEqual(branches.count, 2)
    }

    func testProgramDefinition() throws {
        let nodes = try parse("program define foo, rclass\n  display 1\nend\nfoo")
        guard case .program(let name, let options, let body, _) = nodes[0] else { return XCTFail() }
        XCTAssertEqual(name, "foo"); XCTAssertEqual(options, "rclass"); XCTAssertEqual(body.count, 1)
    }

    func testUnclosedBlockNamesItsOpener() {
        XCTAssertThrowsError(try parse("display 0\nforvalues i = 1/3 {\n display `i'")) { e in
            let err = e as? StataError
            XCTAssertEqual(err?.code, 198)
            XCTAssertEqual(err?.location?.line, 2)
        }
    }

    func testStrayBrace() {
        XCTAssertThrowsError(try parse("display 1\n}")) { e in XCTAssertEqual((e as? StataError)?.location?.line, 2) }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let src = String(repeating: "if 1 {\n", count: 5000) + String(repeating: "}\n", count: 5000)
        XCTAssertThrowsError(try parse(src))
    }
}
