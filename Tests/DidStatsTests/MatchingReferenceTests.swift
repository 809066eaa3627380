// psmatch2 4.0.12 reference cases (values/psmatch2.json, per observation psmatch2_nsw_cps.csv):
// numbers from the reference implementation in tools/make_reference.py, whose nearest-neighbour
// matches were confirmed by a literal translation of psmatch2's Mata code. Score: pr_logit of
// values/nsw_cps_pscores.csv. Tolerances from the case (coef 1e-10, se 1e-8).

import XCTest
import DidFrame
@testable import DidStats

final class MatchingReferenceTests: XCTestCase {
    struct Fixture {
        var treat: [Double]; var pscore: [Double]; var re78: [Double]; var perObs: [String: [Double]]
    }

    static func fixture() throws -> Fixture {
        let scores = try PsmReference.numeric("values/nsw_cps_pscores.csv")
        let data = try PsmReference.numeric("data/nsw_cps.csv")
        let perObs = try PsmReference.numeric("values/psmatch2_nsw_cps.csv")
        return Fixture(treat: scores["treat"]!, pscore: scores["pr_logit"]!, re78: data["re78"]!, perObs: perObs)
    }

    func check(_ caseID: String, column: String, method: MatchMethod, caliper: Double? = nil) throws {
        let f = try Self.fixture()
        let c = try PsmReference.cases("psmatch2.json")[caseID]!
        let r = c["results"] as! [String: Any]
        let tol = c["tolerance"] as! [String: Double]
        let coef = tol["coef_rel"]!, se = tol["se_rel"]!, stats = tol["stats_rel"]!, floor = tol["abs_floor"]!
        let spec = MatchSpec(treated: f.treat, pscore: f.pscore, outcomes: [("re78", f.re78)],
                             method: method, caliper: caliper, scoreSupplied: true)
        let res = try PropensityMatching.match(spec)
        let e = res.effects[0]
        func num(_ k: String) -> Double { (r[k] as! NSNumber).doubleValue }
        let attDev = PsmReference.close(e.att.difference, num("att"), rel: coef, floor: floor, "\(caseID) att")
        let seDev = PsmReference.close(e.att.se, num("se"), rel: se, floor: floor, "\(caseID) se")
        PsmReference.close(e.att.t, num("t"), rel: se, floor: floor, "\(caseID) t")
        // Stata's float-stored w^2 variant, checked tighter than the 3e-9 that separates the variants.
        let variants = r["se_variants"] as! [String: Double]
        PsmReference.close(e.attSEFloatW2, variants["v4_0_12_float_w2"]!, rel: 1e-12, "\(caseID) se (float w2)")
        PsmReference.close(e.att.se, variants["v4_0_12_double"]!, rel: 1e-12, "\(caseID) se (double w2)")
        XCTAssertEqual(res.returnScalars.map { $0.name }, ["att", "att_re78", "seatt", "seatt_re78"])
        XCTAssertEqual(res.returnScalars[2].value, e.attSEFloatW2)
        PsmReference.close(e.att.treated, num("mean_y_treated"), rel: stats, floor: floor, "\(caseID) mean treated")
        PsmReference.close(e.att.controls, num("mean_y_matched_controls"), rel: coef, floor: floor, "\(caseID) mean matched")
        PsmReference.close(e.var1, num("var1"), rel: stats, floor: floor, "\(caseID) var1")
        PsmReference.close(e.var0, num("var0_matched_controls"), rel: stats, floor: floor, "\(caseID) var0")
        PsmReference.close(e.sumWeightSquared, num("sum_w2"), rel: coef, floor: floor, "\(caseID) sum w2")
        PsmReference.close(e.unmatched.difference, num("unmatched_difference"), rel: coef, floor: floor, "\(caseID) unmatched")
        PsmReference.close(e.unmatched.se, num("unmatched_difference_se"), rel: se, floor: floor, "\(caseID) unmatched se")
        XCTAssertEqual(res.supportTable.treatedOn, (r["N1_on_support"] as! NSNumber).intValue, caseID)
        XCTAssertEqual(res.supportTable.treatedOff, (r["N1_off_support"] as! NSNumber).intValue, caseID)
        XCTAssertEqual(res.supportTable.controlsOn, (r["N0"] as! NSNumber).intValue, caseID)
        let controls = (0..<f.treat.count).filter { f.treat[$0] == 0 }
        let used = controls.filter { !Missing.isMissing(res.weight[$0]) }
        XCTAssertEqual(used.count, (r["n_controls_used"] as! NSNumber).intValue, "\(caseID) controls used")
        PsmReference.close(used.reduce(0) { $0 + res.weight[$1] }, num("sum_control_weights"), rel: coef, "\(caseID) sum w")
        PsmReference.close(used.map { res.weight[$0] }.max()!, num("max_control_weight"), rel: coef, "\(caseID) max w")

        // Per observation: _weight, _support (treated), matched outcome _re78.
        let wRef = f.perObs["w_\(column)"]!, sRef = f.perObs["support_\(column)"]!, yRef = f.perObs["re78_match_\(column)"]!
        var maxDev = 0.0, mismatches = 0
        for i in 0..<f.treat.count {
            let a = res.weight[i], b = wRef[i]
            if Missing.isMissing(a) != Missing.isMissing(b) { mismatches += 1; continue }
            if !Missing.isMissing(a) { maxDev = max(maxDev, abs(a - b) / abs(b)) }
            if f.treat[i] == 1 {
                XCTAssertEqual(res.support[i], sRef[i], "\(caseID) _support row \(i + 1)")
                let ya = res.matchedOutcomes[0].values[i], yb = yRef[i]
                XCTAssertEqual(Missing.isMissing(ya), Missing.isMissing(yb), "\(caseID) _re78 missing row \(i + 1)")
                if !Missing.isMissing(yb) { PsmReference.close(ya, yb, rel: coef, floor: floor, "\(caseID) _re78 row \(i + 1)") }
            }
        }
        XCTAssertEqual(mismatches, 0, "\(caseID): rows where _weight is missing in one and not the other")
        XCTAssertLessThanOrEqual(maxDev, coef, "\(caseID): max relative _weight deviation")
        print("\(caseID): rel dev att \(attDev), se \(seDev), max _weight \(maxDev)")

        // Neighbour ids of the first treated rows.
        if let m = r["matches"] as? [String: Any], let first = m["first_treated_rows"] as? [String: [Int]], let ids = res.id {
            var rowOfID = [Int](repeating: 0, count: ids.count)
            for (row, id) in ids.enumerated() { rowOfID[Int(id) - 1] = row + 1 }
            for (rowText, expected) in first {
                let row = Int(rowText)! - 1
                let got = res.neighbors!.prefix(expected.count).map { rowOfID[Int($0[row]) - 1] }
                XCTAssertEqual(got, expected, "\(caseID) neighbours of treated row \(rowText)")
                XCTAssertEqual(res.nn![row], Double(expected.count))
                XCTAssertEqual(res.pdif![row], abs(f.pscore[row] - f.pscore[expected[0] - 1]))
            }
        }
    }

    /// The whole `psmatch2 ..., logit` pipeline with our own logit score: the score agrees with
    /// statsmodels' to ~1e-13, far inside the 1.5e-8 gap that decides any match, so every
    /// reference number must come out the same.
    func testPipelineWithOwnLogitScore() throws {
        let d = try PsmReference.nswCpsCovariates()
        let fit = try BinaryModel.fit(BinarySpec(depvar: "treat", y: d.treat, regressors: Array(zip(d.names, d.columns)).map { ($0.0, $0.1) }))
        let c = try PsmReference.cases("psmatch2.json")
        for (id, method, caliper) in [("psmatch2_nsw_cps_nn1", MatchMethod.neighbor(k: 1), nil as Double?),
                                      ("psmatch2_nsw_cps_nn5", .neighbor(k: 5), nil),
                                      ("psmatch2_nsw_cps_nn1_caliper001", .neighbor(k: 1), 0.01),
                                      ("psmatch2_nsw_cps_radius001", .radius(caliper: 0.01), nil),
                                      ("psmatch2_nsw_cps_kernel_epan006", .defaultKernel, nil)] {
            let r = c[id]!["results"] as! [String: Any]
            let res = try PropensityMatching.match(MatchSpec(treated: d.treat, pscore: fit.predictPr(), outcomes: [("re78", d.re78)],
                                                             method: method, caliper: caliper, scoreSupplied: true))
            PsmReference.close(res.effects[0].att.difference, (r["att"] as! NSNumber).doubleValue, rel: 1e-10, "\(id) att (own score)")
            PsmReference.close(res.effects[0].att.se, (r["se"] as! NSNumber).doubleValue, rel: 1e-8, "\(id) se (own score)")
            XCTAssertEqual(res.supportTable.treatedOn, (r["N1_on_support"] as! NSNumber).intValue)
        }
    }

    func testNearestNeighbour() throws { try check("psmatch2_nsw_cps_nn1", column: "nn1", method: .neighbor(k: 1)) }
    func testFiveNearest() throws { try check("psmatch2_nsw_cps_nn5", column: "nn5", method: .neighbor(k: 5)) }
    func testCaliper() throws {
        try check("psmatch2_nsw_cps_nn1_caliper001", column: "nn1_caliper001", method: .neighbor(k: 1), caliper: 0.01)
    }
    func testRadius() throws { try check("psmatch2_nsw_cps_radius001", column: "radius001", method: .radius(caliper: 0.01)) }
    func testKernel() throws {
        try check("psmatch2_nsw_cps_kernel_epan006", column: "kernel_epan006", method: .kernel(type: .epan, bandwidth: 0.06))
    }
}
