// Shared pieces of the logit/probit/psmatch2/pstest reference tests: locating the reference
// bundle from #filePath (repo root three levels up, then ../shared/reference; a missing bundle
// fails the test), running a case's command lines literally in a Session, per-row CSV columns,
// and the tolerance rule |got - ref| <= rel * |ref| + abs_floor with the largest deviation kept.

import DidFrame
import DidLang
import Foundation
import XCTest

enum PsmReference {
    /// /work/shared/reference, from this file.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/reference").standardized
    }

    /// The cases of values/<family>.json (throws, failing the test, when the bundle is missing).
    static func cases(_ family: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: root.appendingPathComponent("values/\(family).json"))
        let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try XCTUnwrap(obj?["cases"] as? [[String: Any]], "\(family).json has no cases")
    }

    /// A Session after `use <dataset>` and the case's commands (comment lines skipped); the
    /// printed output is returned too.
    static func run(_ c: [String: Any], extra: [String] = []) throws -> (Session, String) {
        let id = c["id"] as? String ?? "?"
        let dataset = try XCTUnwrap(c["dataset"] as? String, id)
        let commands = try XCTUnwrap(c["commands"] as? [String], id)
        let path = root.appendingPathComponent(dataset).path
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "\(id): dataset \(path) missing")
        let s = Session()
        var out = ""
        s.output = { text, _ in out += text }
        do {
            try s.run(source: "use \"\(path)\", clear")
            for line in commands + extra where !line.hasPrefix("*") { try s.run(source: line) }
        } catch let e as StataError {
            XCTFail("\(id): \(e.message) r(\(e.code))\n\(out.suffix(3000))")
            throw e
        }
        return (s, out)
    }

    /// Columns of a values/*.csv file by header name (numbers; empty = missing).
    static func csv(_ file: String) throws -> [String: [Double]] {
        let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        var out: [String: [Double]] = [:]
        for (j, h) in header.enumerated() { out[h] = lines.map { Double($0[j]) ?? Missing.dot } }
        return out
    }
}

/// Tolerance checks that remember the largest relative deviation per kind.
struct PsmTolerance {
    var id: String
    var floor: Double
    var worst: [String: Double] = [:]

    init(id: String, tolerance: [String: Double]) { self.id = id; self.floor = tolerance["abs_floor"] ?? 0 }

    mutating func check(_ got: Double?, _ ref: Double, rel: Double, _ what: String, kind: String,
                        floor extra: Double? = nil, file: StaticString = #filePath, line: UInt = #line) {
        guard let g = got else { XCTFail("\(id): \(what) missing", file: file, line: line); return }
        let diff = abs(g - ref)
        XCTAssertLessThanOrEqual(diff, rel * abs(ref) + (extra ?? floor), "\(id): \(what) got \(g) ref \(ref)", file: file, line: line)
        if ref != 0 { worst[kind] = max(worst[kind] ?? 0, diff / abs(ref)) }
    }

    func report() -> String { worst.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
}
