// Reproduces every case of the shared reference bundle's regress.json, reghdfe.json and
// event_study.json (values produced by statsmodels / an exact numpy implementation of reghdfe
// 6.13.1's formulas, cross-checked with pyfixest; see shared/reference/README.md), at the bundle's
// tolerances: coefficients 1e-10 relative, SEs and everything VCE-derived 1e-8, R-squared variants
// 1e-10, other statistics `stats_rel`, counts exact.

import XCTest
import DidFrame
import DidKernel
@testable import DidStats

final class RegressionReferenceTests: XCTestCase {
    /// Largest relative deviations seen, by kind (printed for the record).
    private var worst: [String: Double] = [:]

    /// Per-case sample restrictions (the `if` qualifiers of the reference commands).
    private let ifConditions: [String: (RefData) -> [Bool]] = [
        "placebo_mpdta_fake_timing": { d in
            let ft = d.col("first_treat"), y = d.col("year")
            return (0..<d.rows).map { ft[$0] == 0 || y[$0] < ft[$0] }
        },
    ]

    func testRegressCases() throws { try runFamily("regress", expectedCount: 12) }
    func testReghdfeCases() throws { try runFamily("reghdfe", expectedCount: 23) }
    func testEventStudyCases() throws { try runFamily("event_study", expectedCount: 3) }

    private func runFamily(_ family: String, expectedCount: Int) throws {
        let cases = try RegressionRef.cases(family)
        XCTAssertEqual(cases.count, expectedCount, "\(family): number of reference cases")
        for c in cases { try runCase(c) }
        print("[\(family)] max relative deviations:", worst.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }

    private func note(_ kind: String, _ dev: Double) { worst[kind] = max(worst[kind] ?? 0, dev) }

    private func runCase(_ c: [String: Any]) throws {
        let id = c["id"] as! String
        let dataset = ((c["dataset"] as! String) as NSString).lastPathComponent.replacingOccurrences(of: ".dta", with: "")
        var d = try RegressionRef.csv(dataset)
        let commands = c["commands"] as! [String]
        for line in commands.dropLast() where !line.hasPrefix("*") { try RegressionRef.applyGen(line, &d) }
        let touse = ifConditions[id].map { $0(d) }
        if commands.last!.contains(" if ") { XCTAssertNotNil(touse, "\(id): if condition not set up") }
        let spec = try RegressionRef.spec(commands.last!, d, touse: touse)
        let r: RegressionResult
        do { r = try LinearModel.fit(spec) } catch { XCTFail("\(id): fit threw \(error)"); return }
        let ref = c["results"] as! [String: Any]
        let tol = c["tolerance"] as! [String: Double]
        let floor = tol["abs_floor"] ?? 1e-12
        let coefRel = tol["coef_rel"]!, seRel = tol["se_rel"]!, statsRel = tol["stats_rel"]!

        // Counts: exact.
        func int(_ k: String) -> Int? { (ref[k] as? NSNumber)?.intValue }
        XCTAssertEqual(r.N, int("N"), "\(id): N")
        XCTAssertEqual(r.df_r, int("df_r"), "\(id): df_r")
        XCTAssertEqual(r.df_m, int("df_m"), "\(id): df_m")
        for (k, v) in [("df_a", r.df_a), ("df_a_initial", r.df_a_initial), ("df_a_redundant", r.df_a_redundant),
                       ("df_a_nested", r.df_a_nested), ("num_singletons", r.num_singletons), ("N_full", r.N_full)] {
            if let e = int(k) { XCTAssertEqual(v, e, "\(id): \(k)") }
        }
        if let e = int("N_clust") { XCTAssertEqual(r.N_clust, e, "\(id): N_clust") }
        if let list = ref["N_clust_list"] as? [String: NSNumber] {
            for (name, count) in r.N_clust_list { XCTAssertEqual(count, list[name]?.intValue, "\(id): N_clust \(name)") }
            XCTAssertEqual(r.N_clust_list.count, list.count, "\(id): cluster variables")
        }
        if let psd = ref["psd_fix_applied"] as? Bool { XCTAssertEqual(r.psdFixApplied, psd, "\(id): psd fix") }
        if let table = ref["dof_table"] as? [[String: Any]] {
            XCTAssertEqual(r.dofTable.count, table.count, "\(id): dof table rows")
            for (got, exp) in zip(r.dofTable, table) {
                XCTAssertEqual(got.absvar, exp["absvar"] as? String, "\(id): absvar")
                XCTAssertEqual(got.categories, (exp["categories"] as? NSNumber)?.intValue, "\(id): categories \(got.absvar)")
                XCTAssertEqual(got.redundant, (exp["redundant"] as? NSNumber)?.intValue, "\(id): redundant \(got.absvar)")
                XCTAssertEqual(got.exact, exp["exact"] as? Bool, "\(id): exact \(got.absvar)")
                XCTAssertEqual(got.nestedWithinCluster, exp["nested_within_cluster"] as? Bool, "\(id): nested \(got.absvar)")
            }
        }
        // Omitted regressors: same set.
        let refOmitted = Set((ref["omitted"] as? [String: Any] ?? [:]).keys)
        let gotOmitted = Set(zip(r.names, r.omitted).filter { $0.1 != nil }.map { $0.0 })
        XCTAssertEqual(gotOmitted, refOmitted, "\(id): omitted")
        if let reasons = ref["omitted"] as? [String: String] {
            for (name, why) in reasons {
                guard let i = r.index(of: name) else { continue }
                let expected: OmittedReason = why.contains("absorbed") ? .collinearWithFixedEffects : .collinearWithRegressors
                XCTAssertEqual(r.omitted[i], expected, "\(id): reason for \(name)")
            }
        }

        // Coefficients, SEs and everything derived from them.
        let coef = ref["coef"] as! [String: Double], se = ref["se"] as! [String: Double]
        XCTAssertEqual(Set(coef.keys), Set(r.names).subtracting(gotOmitted), "\(id): coefficient names")
        let crit = TailProbability.invT(Double(r.df_r), 0.025)
        let tKey = ref["t"] != nil ? "t" : "z"
        for (name, refB) in coef {
            guard let i = r.index(of: name) else { XCTFail("\(id): missing coefficient \(name)"); continue }
            let b = r.b[i], s = r.se[i]
            note("coef", RegressionRef.close(b, refB, rel: coefRel, floor: floor, "\(id) b[\(name)]"))
            note("se", RegressionRef.close(s, se[name]!, rel: seRel, floor: floor, "\(id) se[\(name)]"))
            if let t = (ref[tKey] as? [String: Double])?[name] {
                note("t", RegressionRef.close(b / s, t, rel: seRel, floor: floor, "\(id) t[\(name)]"))
            }
            if let p = (ref["p"] as? [String: Double])?[name] {
                let gotP = 2 * TailProbability.t(Double(r.df_r), abs(b / s))
                note("p", RegressionRef.close(gotP, p, rel: seRel, floor: floor, "\(id) p[\(name)]"))
            }
            if let lo = (ref["ci_lower"] as? [String: Double])?[name], let hi = (ref["ci_upper"] as? [String: Double])?[name] {
                note("ci", RegressionRef.close(b - crit * s, lo, rel: seRel, floor: floor, "\(id) ci_lower[\(name)]"))
                note("ci", RegressionRef.close(b + crit * s, hi, rel: seRel, floor: floor, "\(id) ci_upper[\(name)]"))
            }
        }
        if let vc = ref["vcov"] as? [String: Any], let names = vc["names"] as? [String], let m = vc["matrix"] as? [[Double]] {
            for (a, na) in names.enumerated() {
                for (b, nb) in names.enumerated() {
                    guard let i = r.index(of: na), let j = r.index(of: nb) else { XCTFail("\(id): vcov name"); continue }
                    note("vcov", RegressionRef.close(r.V[i, j], m[a][b], rel: seRel, floor: floor, "\(id) V[\(na),\(nb)]"))
                }
            }
        }
        // Statistics.
        let r2Rel = 1e-10
        let stats: [(String, Double?, Double)] = [
            ("r2", r.r2, r2Rel), ("r2_a", r.r2_a, r2Rel), ("r2_within", r.r2_within, r2Rel),
            ("r2_a_within", r.r2_a_within, r2Rel), ("rmse", r.rmse, statsRel), ("rss", r.rss, statsRel),
            ("tss", r.tss, statsRel), ("tss_within", r.tss_within, statsRel), ("mss", r.mss, statsRel),
            ("ll", r.ll, statsRel), ("ll_0", r.ll_0, statsRel), ("F", r.F, seRel), ("F_p", r.F_p, seRel),
            ("small_sample_q", r.smallSampleFactor, seRel), ("sumweights", r.sumweights, statsRel),
        ]
        for (k, got, rel) in stats {
            guard let v = (ref[k] as? NSNumber)?.doubleValue else { continue }
            note(k.hasPrefix("r2") ? "r2" : (k == "F" || k == "F_p" ? "F" : "stats"),
                 RegressionRef.close(got, v, rel: rel, floor: floor, "\(id) \(k)"))
        }
        XCTAssertTrue(r.converged, "\(id): converged")
    }
}
