import Foundation
import XCTest
@testable import DidFrame

// Locating the shared reference bundle and reading its CSVs with a deliberately naive, independent
// parser (split on commas, Foundation's `Double(String)`), so file readers are checked against a
// slow path that shares none of their code.

enum Reference {
    /// `/work/shared/reference` found from this file: repo root is three levels up.
    static var root: String {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent("../shared/reference").standardized.path
    }

    static func data(_ name: String) -> String { root + "/data/" + name }

    /// Fails the test (not skips) when the bundle is absent.
    static func requireBundle(file: StaticString = #filePath, line: UInt = #line) throws {
        guard FileManager.default.fileExists(atPath: root + "/README.md") else {
            XCTFail("reference bundle missing at \(root)", file: file, line: line)
            throw StataError(601, "reference bundle missing")
        }
    }

    /// Names of the datasets that have both a .csv and a .dta.
    static func datasetNames() throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/data")
        return files.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }

    nonisolated(unsafe) private static var csvCache: [String: (header: [String], rows: [[String]])] = [:]
    nonisolated(unsafe) private static var dtaCache: [String: Frame] = [:]

    /// A reference .dta read once per test run (callers get a copy they may modify).
    static func dta(_ name: String) throws -> Frame {
        if let f = dtaCache[name] { return f.copy() }
        let f = try DTAReader.read(path: data(name + ".dta"))
        dtaCache[name] = f
        return f.copy()
    }

    /// Naive CSV: header + rows of raw field text (no quoting in the reference files).
    static func naiveCSV(_ name: String) throws -> (header: [String], rows: [[String]]) {
        if let c = csvCache[name] { return c }
        let c = try parseNaive(name)
        csvCache[name] = c
        return c
    }

    private static func parseNaive(_ name: String) throws -> (header: [String], rows: [[String]]) {
        let text = try String(contentsOfFile: data(name + ".csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (header, rows)
    }

    /// The manifest's entry for one dataset.
    static func manifestEntry(_ name: String) throws -> [String: Any] {
        let d = try Data(contentsOf: URL(fileURLWithPath: root + "/values/manifest.json"))
        let m = try JSONSerialization.jsonObject(with: d) as! [String: Any]
        let sets = m["datasets"] as! [[String: Any]]
        return sets.first { ($0["name"] as? String) == name }!
    }
}

/// A unique scratch path under the system temp directory, removed by the caller.
func scratchPath(_ suffix: String) -> String {
    NSTemporaryDirectory() + "didframe-\(UUID().uuidString)\(suffix)"
}

/// Bit-for-bit equality of two value arrays, reporting only the first difference.
func assertSameBits(_ a: [Double]?, _ b: [Double]?, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) {
    guard let a, let b else { return XCTAssertTrue(a == nil && b == nil, "\(what): one side missing", file: file, line: line) }
    guard a.count == b.count else { return XCTFail("\(what): \(a.count) vs \(b.count) values", file: file, line: line) }
    if let i = a.indices.first(where: { a[$0].bitPattern != b[$0].bitPattern }) {
        XCTFail("\(what)[\(i)]: \(a[i]) vs \(b[i])", file: file, line: line)
    }
}

/// User + system CPU seconds of this process.
func processCPUSeconds() -> Double {
    var ru = rusage()
    getrusage(RUSAGE_SELF.rawValue, &ru)
    return Double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + Double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6
}
