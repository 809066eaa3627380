// Runs every Tests/scripts/*.did and checks what it printed against its own comments:
//   `// expect: TEXT`        the next output line is TEXT (an empty TEXT is an empty line)
//   `// expect error: r(#)`  the script stops with return code # at this line
// Output lines are compared exactly and in order, as clox's test runner does.

import DidFrame
@testable import DidLang
import Foundation
import XCTest

final class ScriptHarnessTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Expectation { var lines: [String]; var errorCode: Int?; var errorLine: Int? }

    static func expectations(_ text: String) -> Expectation {
        var e = Expectation(lines: [], errorCode: nil, errorLine: nil)
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let r = line.range(of: "// expect error: r(") {
                let code = line[r.upperBound...].prefix { $0.isNumber }
                e.errorCode = Int(code); e.errorLine = k + 1
            } else if let r = line.range(of: "// expect:") {
                var t = String(line[r.upperBound...])
                if t.hasPrefix(" ") { t.removeFirst() }
                e.lines.append(t)
            }
        }
        return e
    }

    func testScripts() throws {
        let dir = Self.root.appendingPathComponent("Tests/scripts")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".did") }.sorted()
        XCTAssertGreaterThan(files.count, 3, "no scripts found in \(dir.path)")
        for f in files {
            let path = dir.appendingPathComponent(f).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let want = Self.expectations(text)
            let s = Session()
            s.loadLibrary(directory: Self.root.appendingPathComponent("stdlib").path)
            var out = ""
            s.output = { t, style in if style != .error { out += t } }
            s.workingDirectory = dir.path
            s.setLocal("reference", Self.root.deletingLastPathComponent().appendingPathComponent("shared/reference").path)
            var failure: StataError? = nil
            do { try s.run(source: text, file: f) } catch let e as StataError { failure = e }
            var got = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if got.last == "" { got.removeLast() }
            if let code = want.errorCode {
                XCTAssertEqual(failure?.code, code, "\(f): expected r(\(code)), got \(failure.map { "r(\($0.code)) \($0.message)" } ?? "no error")")
                XCTAssertEqual(failure?.location?.line, want.errorLine, "\(f): error at the wrong line")
            } else if let e = failure {
                XCTFail("\(f): unexpected error \(e.message) r(\(e.code)) at line \(e.location?.line ?? 0)")
            }
            if got != want.lines {
                let firstDiff = zip(got, want.lines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.lines.count)
                XCTFail("""
                \(f): output differs at line \(firstDiff + 1)
                  want: \(firstDiff < want.lines.count ? want.lines[firstDiff] : "<end>")
                  got:  \(firstDiff < got.count ? got[firstDiff] : "<end>")
                --- full output ---
                \(got.joined(separator: "\n"))
                """)
            }
        }
    }
}
