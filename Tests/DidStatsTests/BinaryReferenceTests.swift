// logit/probit against values/logit_probit.json (statsmodels Newton to 1e-12, Stata conventions)
// and the per-observation predictions in values/nsw_cps_pscores.csv. Tolerances from each case:
// coefficients 1e-8, SEs/z/p/VCE 1e-7, ll and other statistics 1e-9 relative.

import XCTest
import DidFrame
@testable import DidStats

final class BinaryReferenceTests: XCTestCase {
    /// Fits the case's model and compares every reference number; returns the fit.
    @discardableResult
    func check(_ caseID: String, link: BinaryLink, y: [Double], names: [String], columns: [[Double]]) throws -> BinaryResult {
        let c = try PsmReference.cases("logit_probit.json")[caseID]!
        let r = c["results"] as! [String: Any]
        let tol = c["tolerance"] as! [String: Double]
        let coefTol = tol["coef_rel"]!, seTol = tol["se_rel"]!, statTol = tol["stats_rel"]!, floor = tol["abs_floor"]!
        let spec = BinarySpec(depvar: "treat", y: y, regressors: Array(zip(names, columns)).map { ($0.0, $0.1) }, link: link)
        let fit = try BinaryModel.fit(spec)
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(fit.N, (r["N"] as! NSNumber).intValue)
        XCTAssertEqual(fit.df_m, (r["df_m"] as! NSNumber).intValue)
        func num(_ k: String) -> Double { (r[k] as! NSNumber).doubleValue }
        PsmReference.close(fit.ll, num("ll"), rel: statTol, floor: floor, "\(caseID) ll")
        PsmReference.close(fit.ll_0, num("ll_0"), rel: statTol, floor: floor, "\(caseID) ll_0")
        PsmReference.close(fit.chi2, num("chi2"), rel: statTol, floor: floor, "\(caseID) chi2")
        PsmReference.close(fit.r2_p, num("r2_p"), rel: statTol, floor: floor, "\(caseID) r2_p")
        // The reference ll_0 is statsmodels' iterated `llnull` (2.7e-10 relative off the closed form
        // in probit_jtrain3, which chi2_p amplifies to 1.8e-7), so: ll_0 against the exact
        // constant-only likelihood, the tail function against the reference (chi2, p) pair, and our
        // p against our chi2.
        let n1 = y.reduce(0) { $0 + ($1 != 0 ? 1.0 : 0) }, nn = Double(y.count)
        let exactLL0 = n1 * log(n1 / nn) + (nn - n1) * log(1 - n1 / nn)
        PsmReference.close(fit.ll_0, exactLL0, rel: 1e-13, floor: 0, "\(caseID) ll_0 closed form")
        PsmReference.close(BinaryProbability.chi2Tail(Double(fit.df_m), num("chi2")), num("chi2_p"), rel: 1e-10, floor: 0,
                           "\(caseID) chi2tail at the reference chi2")
        XCTAssertEqual(fit.p, BinaryProbability.chi2Tail(Double(fit.df_m), fit.chi2))
        XCTAssertEqual(fit.iterationLog.first!, fit.ll_0, accuracy: 1e-9 * abs(fit.ll_0), "iteration 0 is the constant-only ll")
        // The log stops where Stata's ml would, not after our extra precision steps: the step
        // before the last still changed the log likelihood by more than ltolerance(1e-7).
        let lg = fit.iterationLog, k = fit.iterations
        XCTAssertEqual(lg.count, k + 1)
        if k >= 2 {
            XCTAssertGreaterThan(abs(lg[k - 1] - lg[k - 2]) / (abs(lg[k - 2]) + 1), 1e-7, "\(caseID): Stata would have stopped earlier")
        }
        let coef = r["coef"] as! [String: Double], se = r["se"] as! [String: Double]
        let z = r["z"] as! [String: Double], p = r["p"] as! [String: Double]
        var maxCoef = 0.0, maxSE = 0.0
        for (j, name) in fit.names.enumerated() {
            maxCoef = max(maxCoef, PsmReference.close(fit.b[j], coef[name]!, rel: coefTol, floor: floor, "\(caseID) b[\(name)]"))
            maxSE = max(maxSE, PsmReference.close(fit.se[j], se[name]!, rel: seTol, floor: floor, "\(caseID) se[\(name)]"))
            PsmReference.close(fit.z[j], z[name]!, rel: seTol, floor: floor, "\(caseID) z[\(name)]")
            PsmReference.close(fit.pValues[j], p[name]!, rel: seTol, floor: floor, "\(caseID) p[\(name)]")
        }
        let vc = r["vcov"] as! [String: Any]
        let vnames = vc["names"] as! [String], vm = vc["matrix"] as! [[Double]]
        for (a, na) in vnames.enumerated() {
            for (b, nb) in vnames.enumerated() {
                let i = fit.names.firstIndex(of: na)!, j = fit.names.firstIndex(of: nb)!
                let ref = vm[a][b], scale = (vm[a][a] * vm[b][b]).squareRoot()
                // Off-diagonal elements near 0 are compared relative to the diagonal scale.
                XCTAssertLessThanOrEqual(abs(fit.V[i, j] - ref), seTol * max(abs(ref), 1e-3 * scale) + 1e-300,
                                         "\(caseID) V[\(na),\(nb)]")
            }
        }
        print("\(caseID): max rel dev coef \(maxCoef), se \(maxSE), iterations \(fit.iterations)")
        return fit
    }

    func testLogitNswCps() throws {
        let d = try PsmReference.nswCpsCovariates()
        let fit = try check("logit_nsw_cps", link: .logit, y: d.treat, names: d.names, columns: d.columns)
        let scores = try PsmReference.numeric("values/nsw_cps_pscores.csv")
        let xb = fit.predictXB(), pr = fit.predictPr()
        var maxXB = 0.0, maxPr = 0.0
        for i in 0..<xb.count {
            maxXB = max(maxXB, abs(xb[i] - scores["xb_logit"]![i]) / max(1, abs(scores["xb_logit"]![i])))
            maxPr = max(maxPr, abs(pr[i] - scores["pr_logit"]![i]) / scores["pr_logit"]![i])
        }
        XCTAssertLessThanOrEqual(maxXB, 1e-8, "xb per observation")
        XCTAssertLessThanOrEqual(maxPr, 1e-8, "pr per observation (relative)")
        print("logit per-observation: max dev xb \(maxXB), pr rel \(maxPr)")
    }

    func testProbitNswCps() throws {
        let d = try PsmReference.nswCpsCovariates()
        let fit = try check("probit_nsw_cps", link: .probit, y: d.treat, names: d.names, columns: d.columns)
        let scores = try PsmReference.numeric("values/nsw_cps_pscores.csv")
        let xb = fit.predictXB(), pr = fit.predictPr()
        var maxXB = 0.0, maxPr = 0.0
        for i in 0..<xb.count {
            maxXB = max(maxXB, abs(xb[i] - scores["xb_probit"]![i]) / max(1, abs(scores["xb_probit"]![i])))
            maxPr = max(maxPr, abs(pr[i] - scores["pr_probit"]![i]) / max(1e-300, scores["pr_probit"]![i]))
        }
        XCTAssertLessThanOrEqual(maxXB, 1e-8, "xb per observation")
        XCTAssertLessThanOrEqual(maxPr, 1e-7, "pr per observation (relative, far tail included)")
        print("probit per-observation: max dev xb \(maxXB), pr rel \(maxPr)")
    }

    func testProbitJtrain3() throws {
        let d = try PsmReference.numeric("data/jtrain3.csv")
        let names = ["age", "agesq", "educ", "black", "hisp", "married", "re74", "re75", "unem74", "unem75"]
        try check("probit_jtrain3", link: .probit, y: d["train"]!, names: names, columns: names.map { d[$0]! })
    }
}
