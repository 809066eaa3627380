// pstest 4.2.2 `both` after psmatch2 1-NN (values/pstest.json, reference implementation in
// tools/make_reference.py with statsmodels; matched t-tests cross-checked by OLS on rows repeated
// by their integer weights). Tolerances from the case: 1e-10 means, 1e-8 VCE-derived and summary
// statistics, absolute floor 1e-9 for t and %bias (u75 is exactly balanced after matching).

import XCTest
import DidFrame
@testable import DidStats

final class PstestReferenceTests: XCTestCase {
    func testBothAfterNearestNeighbour() throws {
        let c = try PsmReference.cases("pstest.json")["pstest_nsw_cps_nn1"]!
        let r = c["results"] as! [String: Any]
        let tol = c["tolerance"] as! [String: Double]
        let coef = tol["coef_rel"]!, se = tol["se_rel"]!, stats = tol["stats_rel"]!, floor = tol["abs_floor"]!
        let tFloor = tol["abs_floor_t_and_bias"]!
        let d = try PsmReference.nswCpsCovariates()
        let scores = try PsmReference.numeric("values/nsw_cps_pscores.csv")
        let m = try PropensityMatching.match(MatchSpec(treated: d.treat, pscore: scores["pr_logit"]!,
                                                       outcomes: [("re78", d.re78)], scoreSupplied: true))
        let res = try BalanceTest.compute(BalanceSpec(treated: m.treated, covariates: Array(zip(d.names, d.columns)).map { ($0.0, $0.1) },
                                                      support: m.support, weight: m.weight))
        let refVars = r["variables"] as! [String: [String: Double]]
        XCTAssertEqual(res.variables.count, refVars.count)
        var maxDev = 0.0
        for v in res.variables {
            let ref = refVars[v.name]!
            func cmp(_ got: Double, _ key: String, _ rel: Double, _ fl: Double = floor) {
                guard let want = ref[key] else { return XCTFail("\(v.name).\(key) missing in reference") }
                let dev = PsmReference.close(got, want, rel: rel, floor: fl, "\(v.name).\(key)")
                if abs(want) > fl { maxDev = max(maxDev, dev) }     // noise-level references are judged by the floor
            }
            cmp(v.meanTreatedU, "mean_treated_unmatched", coef); cmp(v.meanControlU, "mean_control_unmatched", coef)
            cmp(v.varTreatedU, "var_treated_unmatched", stats); cmp(v.varControlU, "var_control_unmatched", stats)
            cmp(v.meanTreatedM, "mean_treated_matched", coef); cmp(v.meanControlM, "mean_control_matched", coef)
            cmp(v.varTreatedM, "var_treated_matched", stats); cmp(v.varControlM, "var_control_matched", stats)
            cmp(v.biasU, "pct_bias_unmatched", coef, tFloor); cmp(v.biasM, "pct_bias_matched", coef, tFloor)
            if v.name != "u75" { cmp(v.reduction, "pct_reduction_abs_bias", coef, tFloor) }
            cmp(v.tU, "t_unmatched", se, tFloor); cmp(v.pU, "p_unmatched", se)
            cmp(v.tM, "t_matched", se, tFloor); cmp(v.pM, "p_matched", se, tFloor)
            cmp(v.dfU, "df_unmatched", coef); cmp(v.dfM, "df_matched", coef)
            XCTAssertEqual(v.continuous, ref["var_ratio_unmatched"] != nil, "\(v.name) continuous")
            if v.continuous {
                cmp(v.varRatioU, "var_ratio_unmatched", stats); cmp(v.varRatioM, "var_ratio_matched", stats)
            } else {
                XCTAssertTrue(Missing.isMissing(v.varRatioU) && Missing.isMissing(v.varRatioM))
            }
        }
        // u75 is exactly balanced: %reduct is 100 up to rounding noise in the matched bias.
        PsmReference.close(res.variables.first { $0.name == "u75" }!.reduction, 100, rel: 1e-9, "u75 reduct")
        XCTAssertEqual(res.continuousCount, (r["summary"] as! [String: Any])["continuous_variables"] as? Int)
        let summary = r["summary"] as! [String: Any]
        for (label, got) in [("unmatched", res.unmatched), ("matched", res.matched)] {
            let ref = summary[label] as! [String: Any]
            func num(_ k: String) -> Double { (ref[k] as! NSNumber).doubleValue }
            PsmReference.close(got.pseudoR2, num("pseudo_r2"), rel: stats, floor: floor, "\(label) pseudo R2")
            PsmReference.close(got.lrChi2, num("lr_chi2"), rel: stats, floor: floor, "\(label) LR chi2")
            PsmReference.close(got.ll, num("ll"), rel: stats, floor: floor, "\(label) ll")
            PsmReference.close(got.meanBias, num("mean_bias_float32"), rel: stats, floor: floor, "\(label) mean bias (float)")
            PsmReference.close(got.medianBias, num("median_bias_float32"), rel: stats, floor: floor, "\(label) median bias (float)")
            PsmReference.close(got.meanBiasExact, num("mean_bias"), rel: stats, floor: floor, "\(label) mean bias")
            PsmReference.close(got.medianBiasExact, num("median_bias"), rel: stats, floor: floor, "\(label) median bias")
            PsmReference.close(got.B, num("B"), rel: stats, floor: floor, "\(label) B")
            PsmReference.close(got.R, num("R"), rel: stats, floor: floor, "\(label) R")
            PsmReference.close(got.pctVarOutside, num("pct_var_ratio_outside"), rel: 0, floor: 0, "\(label) %Var")
            let fb = ref["F_bounds"] as! [Double]
            PsmReference.close(got.fLow, fb[0], rel: 1e-10, "\(label) F low")
            PsmReference.close(got.fHigh, fb[1], rel: 1e-10, "\(label) F high")
            // p>chi2 and ll_0: see BinaryReferenceTests (the reference ll_0 is an iterated
            // statsmodels llnull); the matched row's ll_0 is a weighted closed form here.
            PsmReference.close(got.ll_0, num("ll_0"), rel: stats, floor: floor, "\(label) ll_0")
            XCTAssertEqual(got.pChi2, BinaryProbability.chi2Tail(14, got.lrChi2))
            PsmReference.close(BinaryProbability.chi2Tail(14, num("lr_chi2")), num("p_chi2"), rel: 1e-10, floor: 0, "\(label) chi2tail")
            if label == "matched" {
                PsmReference.close(got.pChi2, num("p_chi2"), rel: se, floor: floor, "\(label) p chi2")
            }
        }
        print("pstest: max relative deviation over per-variable numbers \(maxDev)")
    }
}
