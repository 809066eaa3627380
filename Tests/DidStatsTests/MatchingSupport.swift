// Test helpers for the psm tests: locating /work/shared/reference from this file, a tiny CSV
// reader (the real one lives in DidFrame and is written separately) and JSON access.

import Foundation
import XCTest

/// Reference bundle access for the matching, binary-model and pstest tests.
enum PsmReference {
    /// `<repo>/../shared/reference` (repo root = three levels above this file).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/reference").standardized
    }

    /// A CSV as named columns of strings (header row, comma separated, no quoting needed here).
    static func csv(_ relative: String) throws -> [String: [String]] {
        let url = root.appendingPathComponent(relative)
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var cols = [[String]](repeating: [], count: header.count)
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            for j in 0..<header.count { cols[j].append(j < f.count ? String(f[j]) : "") }
        }
        return Dictionary(uniqueKeysWithValues: zip(header, cols))
    }

    /// Numeric CSV columns; an empty field is Stata's missing `.`.
    static func numeric(_ relative: String) throws -> [String: [Double]] {
        try csv(relative).mapValues { $0.map { $0.isEmpty ? Double(bitPattern: 0x7FE0_0000_0000_0000) : (Double($0) ?? .nan) } }
    }

    /// The cases of a values/<family>.json file, keyed by id.
    static func cases(_ file: String) throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: root.appendingPathComponent("values/\(file)"))
        let obj = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var out: [String: [String: Any]] = [:]
        for c in obj["cases"] as! [[String: Any]] { out[c["id"] as! String] = c }
        return out
    }

    /// Asserts |got - ref| <= rel |ref| + floor, and returns the relative deviation.
    @discardableResult
    static func close(_ got: Double, _ ref: Double, rel: Double, floor: Double = 1e-12, _ what: String,
                      file: StaticString = #filePath, line: UInt = #line) -> Double {
        let ok = abs(got - ref) <= rel * abs(ref) + floor
        XCTAssertTrue(ok, "\(what): got \(got), reference \(ref)", file: file, line: line)
        return ref == 0 ? abs(got) : abs(got - ref) / abs(ref)
    }

    /// The Mixtape covariates of the psmatch2/pstest/logit cases, built as the `gen` lines say.
    static func nswCpsCovariates() throws -> (treat: [Double], names: [String], columns: [[Double]], re78: [Double]) {
        let d = try numeric("data/nsw_cps.csv")
        let age = d["age"]!, educ = d["educ"]!, re74 = d["re74"]!, re75 = d["re75"]!
        // gen (float by default): these are integer valued, exact in float and double alike.
        let agesq = age.map { $0 * $0 }, agecube = age.map { $0 * $0 * $0 }, edusq = educ.map { $0 * $0 }
        let u74 = re74.map { $0 == 0 ? 1.0 : 0 }, u75 = re75.map { $0 == 0 ? 1.0 : 0 }
        let interaction1 = zip(educ, re74).map { $0 * $1 }
        let names = ["age", "agesq", "agecube", "educ", "edusq", "marr", "nodegree", "black", "hisp",
                     "re74", "re75", "u74", "u75", "interaction1"]
        let cols = [age, agesq, agecube, educ, edusq, d["marr"]!, d["nodegree"]!, d["black"]!, d["hisp"]!,
                    re74, re75, u74, u75, interaction1]
        return (d["treat"]!, names, cols, d["re78"]!)
    }
}
