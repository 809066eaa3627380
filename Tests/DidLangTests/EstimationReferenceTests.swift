// Reference tests of the estimation commands: every case of values/regress.json, reghdfe.json and
// event_study.json in the shared reference bundle (numbers from statsmodels/pyfixest and
// reghdfe 6.13.1's formulas, see the bundle's README) is run literally through a Session — `use`
// the case's dataset, then its command lines — and e() is compared at the case's tolerance:
// pass if |got - ref| <= rel * |ref| + abs_floor (coef_rel for coefficients, se_rel for SEs, the
// VCE and F, stats_rel for R2/rmse; counts exactly).

import DidFrame
import DidLang
import Foundation
import XCTest

final class EstimationReferenceTests: XCTestCase {
    /// /work/shared/reference, from this file: the repo root is three levels up, then ../shared.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/reference").standardized
    }

    static func cases(_ family: String) throws -> [[String: Any]] {
        let url = root.appendingPathComponent("values/\(family).json")
        let data = try Data(contentsOf: url)   // throws (fails the test) when the bundle is missing
        let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let cases = try XCTUnwrap(obj?["cases"] as? [[String: Any]], "\(family).json has no cases")
        XCTAssertFalse(cases.isEmpty, "\(family).json: no cases")
        return cases
    }

    /// Largest |got - ref| / |ref| seen per kind, printed at the end of each family.
    struct Deviations { var coef = 0.0, se = 0.0, stats = 0.0, vcov = 0.0 }

    func testRegressCases() throws { try runFamily("regress", expectedCount: 12) }
    func testReghdfeCases() throws { try runFamily("reghdfe", expectedCount: 23) }
    func testEventStudyCases() throws { try runFamily("event_study", expectedCount: 3) }

    func runFamily(_ family: String, expectedCount: Int) throws {
        let cases = try Self.cases(family)
        XCTAssertEqual(cases.count, expectedCount)
        var dev = Deviations()
        for c in cases { try runCase(c, &dev) }
        print("[\(family)] \(cases.count) cases; max rel deviation coef \(dev.coef), se \(dev.se), vcov \(dev.vcov), stats \(dev.stats)")
    }

    func runCase(_ c: [String: Any], _ dev: inout Deviations) throws {
        let id = c["id"] as? String ?? "?"
        let dataset = try XCTUnwrap(c["dataset"] as? String, id)
        let commands = try XCTUnwrap(c["commands"] as? [String], id)
        let res = try XCTUnwrap(c["results"] as? [String: Any], id)
        let tol = try XCTUnwrap(c["tolerance"] as? [String: Double], id)
        let floor = tol["abs_floor"] ?? 0, coefRel = tol["coef_rel"]!, seRel = tol["se_rel"]!, statsRel = tol["stats_rel"]!
        let path = Self.root.appendingPathComponent(dataset).path
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "\(id): dataset \(path) missing")
        let s = Session()
        var output = ""
        s.output = { text, _ in output += text }
        do {
            try s.run(source: "use \"\(path)\", clear")
            for line in commands where !line.hasPrefix("*") { try s.run(source: line) }
        } catch let e as StataError {
            XCTFail("\(id): \(e.message) r(\(e.code))\n\(output)")
            return
        }
        func check(_ got: Double?, _ ref: Double, _ rel: Double, _ what: String, _ slot: WritableKeyPath<Deviations, Double>) {
            guard let g = got else { XCTFail("\(id): \(what) missing"); return }
            let diff = abs(g - ref)
            XCTAssertLessThanOrEqual(diff, rel * abs(ref) + floor, "\(id): \(what) got \(g) ref \(ref)")
            if ref != 0 { dev[keyPath: slot] = max(dev[keyPath: slot], diff / abs(ref)) }
        }
        let coef = try XCTUnwrap(res["coef"] as? [String: Double], id)
        let se = try XCTUnwrap(res["se"] as? [String: Double], id)
        for (name, ref) in coef { check(try? s.coefficient("b", name), ref, coefRel, "_b[\(name)]", \.coef) }
        for (name, ref) in se { check(try? s.coefficient("se", name), ref, seRel, "_se[\(name)]", \.se) }
        // Full VCE over the reported coefficients.
        if let vc = res["vcov"] as? [String: Any], let names = vc["names"] as? [String], let m = vc["matrix"] as? [[Double]],
           let b = s.eResults.matrices["b"], let V = s.eResults.matrices["V"] {
            let idx = names.map { n in b.colNames.firstIndex { $0 == n || $0.replacingOccurrences(of: "b.", with: ".") == n } }
            for (i, ii) in idx.enumerated() {
                for (j, jj) in idx.enumerated() {
                    guard let a = ii, let bb = jj else { XCTFail("\(id): vcov name \(names[i]) / \(names[j]) not in e(b)"); continue }
                    check(V[a, bb], m[i][j], seRel, "V[\(names[i]),\(names[j])]", \.vcov)
                }
            }
        }
        // Counts: exact.
        for key in ["N", "df_r", "df_m", "df_a", "N_clust", "num_singletons"] {
            guard let ref = res[key] as? Double ?? (res[key] as? Int).map(Double.init) else { continue }
            XCTAssertEqual(s.eResults.scalars[key], ref, "\(id): e(\(key))")
        }
        for key in ["r2", "r2_a", "r2_within", "rmse", "rss", "tss_within"] {
            guard let ref = res[key] as? Double else { continue }
            check(s.eResults.scalars[key], ref, statsRel, "e(\(key))", \.stats)
        }
        if let f = res["F"] as? Double { check(s.eResults.scalars["F"], f, seRel, "e(F)", \.se) }
        // Omitted regressors appear as o.name with b = 0.
        if let omitted = res["omitted"] as? [String: Any], let b = s.eResults.matrices["b"] {
            for name in omitted.keys {
                XCTAssertTrue(b.colNames.contains("o.\(name)"), "\(id): \(name) should be posted as o.\(name): \(b.colNames)")
            }
        }
        // reghdfe's absorbed-DoF table.
        if let table = res["dof_table"] as? [[String: Any]] {
            guard let m = s.eResults.matrices["dof_table"] else { XCTFail("\(id): e(dof_table) missing"); return }
            XCTAssertEqual(m.rows, table.count, "\(id): dof_table rows")
            for (i, row) in table.enumerated() where i < m.rows {
                XCTAssertEqual(m.rowNames[i], row["absvar"] as? String, "\(id): dof_table absvar")
                XCTAssertEqual(m[i, 0], (row["categories"] as? Double) ?? Double(row["categories"] as? Int ?? -1), "\(id): categories")
                XCTAssertEqual(m[i, 1], (row["redundant"] as? Double) ?? Double(row["redundant"] as? Int ?? -1), "\(id): redundant")
            }
        }
        // The table was printed.
        XCTAssertTrue(output.contains("Coefficient"), "\(id): no coefficient table\n\(output)")
    }
}
