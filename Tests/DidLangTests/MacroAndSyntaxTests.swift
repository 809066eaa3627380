// Macro expansion and the command-line split.

@testable import DidLang
import DidFrame
import XCTest

final class MacroExpanderTests: XCTestCase {
    func testLocalsGlobalsAndNesting() throws {
        let s = Session()
        s.setLocal("i", "2"); s.setLocal("x2", "two"); s.globals["g"] = "G"; s.globals["path"] = "/tmp"
        XCTAssertEqual(try s.expand("a `i' b"), "a 2 b")
        XCTAssertEqual(try s.expand("`x`i''"), "two")
        XCTAssertEqual(try s.expand("$g ${g}x $path/f"), "G Gx /tmp/f")
        XCTAssertEqual(try s.expand("`undefined'|"), "|")
        XCTAssertEqual(try s.expand("cost $5"), "cost $5")
    }

    func testCompoundQuotesStayButInnerMacrosExpand() throws {
        let s = Session()
        s.setLocal("w", "word")
        XCTAssertEqual(try s.expand("display `\"a `w' \"b\"\"'"), "display `\"a word \"b\"\"'")
    }

    func testExpressionsAndIncrements() throws {
        let s = Session()
        s.setLocal("n", "4")
        XCTAssertEqual(try s.expand("`=`n'*2+0.5'"), "8.5")
        XCTAssertEqual(try s.expand("`++n'"), "5")
        XCTAssertEqual(try s.expand("`n++'"), "5")
        XCTAssertEqual(s.local("n"), "6")
    }

    func testExtendedFunctions() throws {
        let s = Session()
        s.setLocal("l", "a b c b")
        XCTAssertEqual(try s.expand("`: word count `l''"), "4")
        XCTAssertEqual(try s.expand("`: word 3 of `l''"), "c")
        XCTAssertEqual(try s.expand("`: list uniq l'"), "a b c")
        XCTAssertEqual(try s.expand("`: list sizeof l'"), "4")
        s.setLocal("m", "b z")
        XCTAssertEqual(try s.expand("`: list l - m'"), "a c")
        XCTAssertEqual(try s.expand("`: list l & m'"), "b b")
        XCTAssertEqual(try s.expand("`: list m in l'"), "0")
        XCTAssertEqual(try s.expand("`: display %5.2f 3.14159'"), " 3.14")
    }

    func testStoredResultsInMacroForm() throws {
        let s = Session()
        try s.run(source: "set obs 7\nquietly count")
        XCTAssertEqual(try s.expand("`r(N)' obs, `c(N)'"), "7 obs, 7")
    }

    func testRunawayNestingFailsCleanly() {
        let s = Session()
        let deep = String(repeating: "`", count: 500) + "x" + String(repeating: "'", count: 500)
        XCTAssertThrowsError(try s.expand(deep))
    }
}

final class CommandCallTests: XCTestCase {
    func testPartsSplitAtTopLevel() throws {
        let c = try CommandCall.parse(name: "reghdfe", arguments: " y x1 x2 if inlist(g, 1, 2) & z < 3 in 1/100 [aw=w], absorb(id year) vce(cluster id)",
                                      location: nil)
        XCTAssertEqual(c.head, "y x1 x2")
        XCTAssertEqual(c.ifExp, "inlist(g, 1, 2) & z < 3")
        XCTAssertEqual(c.inRange, "1/100")
        XCTAssertEqual(c.weight?.kind, "aw"); XCTAssertEqual(c.weight?.exp, "w")
        XCTAssertEqual(c.options, [ParsedOption(name: "absorb", argument: "id year"), ParsedOption(name: "vce", argument: "cluster id")])
    }

    func testEqualsAndSubscripts() throws {
        let c = try CommandCall.parse(name: "generate", arguments: " double y = x[_n-1] == 2 if z", location: nil, equalsAllowed: true)
        XCTAssertEqual(c.head, "double y")
        XCTAssertEqual(c.equalsExp, "x[_n-1] == 2")
        XCTAssertEqual(c.ifExp, "z")
    }

    func testUsingAndQuotedCommas() throws {
        let c = try CommandCall.parse(name: "merge", arguments: " 1:1 id using \"my file, v2.dta\", keep(match)", location: nil)
        XCTAssertEqual(c.head, "1:1 id")
        XCTAssertEqual(c.using, "my file, v2.dta")
        XCTAssertEqual(c.options.first?.name, "keep")
    }

    func testUnclosedOptionParenthesis() {
        XCTAssertThrowsError(try CommandCall.parse(name: "x", arguments: " y, absorb(id", location: nil)) { e in
            XCTAssertEqual((e as? StataError)?.code, 198)
        }
    }

    func testOptionAbbreviations() throws {
        let specs = [OptionSpec("absorb", min: 2, .required), OptionSpec("noconstant", min: 5)]
        let o = try Options([ParsedOption(name: "ab", argument: "id"), ParsedOption(name: "nocons", argument: nil)], specs: specs)
        XCTAssertEqual(o.string("absorb"), "id"); XCTAssertTrue(o.has("noconstant"))
        XCTAssertThrowsError(try Options([ParsedOption(name: "a", argument: "id")], specs: specs))
        XCTAssertThrowsError(try Options([ParsedOption(name: "bogus", argument: nil)], specs: specs))
    }
}

final class InterpreterFuzzTests: XCTestCase {
    /// Random statements built from language fragments must give output or a StataError — never
    /// a crash or a hang.
    func testRandomScriptsNeverCrash() {
        let pieces = ["gen", "x", "=", "1", "if", "{", "}", "`", "'", "\"", "foreach", "in", "forvalues", "i", "1/3", "(", ")",
                      "[", "]", ",", "local", "global", "$", "display", "by", ":", "program", "end", "///", "/*", "*/", "//",
                      "\n", " ", "replace", "drop", "keep", "sort", "L.", "_n", "_N", "syntax", "varlist", "capture", "quietly",
                      "while", "0", "else", "exit", "continue", "#delimit ;", ";", "matrix", "A", "=(1,2\\3,4)", "scalar", "set obs 3",
                      "xtset", "tsset", "bysort", "égal", "\u{0}", "%9.2f", "_col(5)", "assert"]
        var seed: UInt64 = 0x9E3779B97F4A7C15
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        for _ in 0..<1500 {
            let n = 1 + next() % 25
            let text = (0..<n).map { _ in pieces[next() % pieces.count] }.joined(separator: next() % 3 == 0 ? "" : " ")
            let s = Session()
            s.output = { _, _ in }
            do { try s.run(source: "set obs 2\ngen v = _n\n" + text, file: "fuzz") } catch is StataError {} catch {
                XCTFail("non-Stata error \(error) for: \(text)")
            }
        }
    }
}

final class ErrorFormatterTests: XCTestCase {
    func testCaretUnderTheColumn() {
        let e = StataError(111, "variable q not found", at: SourceLocation(file: "a.did", line: 4, column: 9, lineText: "gen y = q + 1"))
        XCTAssertEqual(ErrorFormatter.format(e), "variable q not found\n    a.did:4:9\n    gen y = q + 1\n            ^\nr(111);\n")
    }

    func testHugeLinesAreWindowed() {
        let line = String(repeating: "(", count: 5000) + "x" + String(repeating: ")", count: 5000)
        let e = StataError(130, "expression too complex", at: SourceLocation(file: "a.did", line: 1, column: 5001, lineText: line))
        let text = ErrorFormatter.format(e)
        XCTAssertLessThan(text.count, 400)
        let lines = text.split(separator: "\n").map(String.init)
        let src = lines[2], caret = lines[3]
        let i = src.index(src.startIndex, offsetBy: caret.count - 1)
        XCTAssertEqual(src[i], "x")
    }
}
