// logit/probit through the language against values/logit_probit.json (exact MLE computed by the
// reference generator, cross-checked by a second solver; see the bundle's README): each case's
// commands run literally in a Session, then e(b), e(V), the e() scalars and the variables made by
// `predict` (against values/nsw_cps_pscores.csv, row by row) are compared at the case's tolerance.

import DidFrame
import DidLang
import Foundation
import XCTest

final class BinaryCommandsReferenceTests: XCTestCase {
    func testLogitProbitCases() throws {
        let cases = try PsmReference.cases("logit_probit")
        XCTAssertEqual(cases.count, 3)
        let pscores = try PsmReference.csv("values/nsw_cps_pscores.csv")
        for c in cases {
            let id = c["id"] as! String
            let res = try XCTUnwrap(c["results"] as? [String: Any])
            let tolerance = try XCTUnwrap(c["tolerance"] as? [String: Double])
            var t = PsmTolerance(id: id, tolerance: tolerance)
            let coefRel = tolerance["coef_rel"]!, seRel = tolerance["se_rel"]!, statsRel = tolerance["stats_rel"]!
            let (s, out) = try PsmReference.run(c)
            let e = s.eResults
            XCTAssertEqual(e.macros["cmd"], id.hasPrefix("logit") ? "logit" : "probit", id)
            XCTAssertEqual(e.scalars["N"], res["N"] as? Double, id)
            XCTAssertEqual(e.scalars["df_m"], res["df_m"] as? Double, id)
            XCTAssertEqual(e.scalars["converged"], 1, id)
            XCTAssertEqual(e.macros["vce"], "oim", id)
            XCTAssertNotNil(e.sample, id)
            XCTAssertEqual(e.sample?.filter { $0 }.count, (res["N"] as? Double).map { Int($0) }, id)
            for (key, name) in [("ll", "ll"), ("ll_0", "ll_0"), ("r2_p", "r2_p"), ("chi2", "chi2")] {
                t.check(e.scalars[name], res[key] as! Double, rel: statsRel, "e(\(name))", kind: "stats")
            }
            t.check(e.scalars["p"], res["chi2_p"] as! Double, rel: seRel, "e(p)", kind: "p")
            let coef = try XCTUnwrap(res["coef"] as? [String: Double]), se = try XCTUnwrap(res["se"] as? [String: Double])
            for (name, ref) in coef { t.check(try? s.coefficient("b", name), ref, rel: coefRel, "_b[\(name)]", kind: "coef") }
            for (name, ref) in se { t.check(try? s.coefficient("se", name), ref, rel: seRel, "_se[\(name)]", kind: "se") }
            let vc = try XCTUnwrap(res["vcov"] as? [String: Any])
            let names = try XCTUnwrap(vc["names"] as? [String]), m = try XCTUnwrap(vc["matrix"] as? [[Double]])
            let b = try XCTUnwrap(e.matrices["b"]), V = try XCTUnwrap(e.matrices["V"])
            XCTAssertEqual(b.colNames, names, "\(id): e(b) layout")
            for i in names.indices { for j in names.indices { t.check(V[i, j], m[i][j], rel: seRel, "V[\(names[i]),\(names[j])]", kind: "vcov") } }
            // The table prints z and P>|z| and the header the LR test.
            // Stata 18's log: "Iteration 0:  Log likelihood = -1011.0713" (%10.0g, labels aligned).
            let ll0 = try XCTUnwrap(e.scalars["ll_0"])
            XCTAssertTrue(out.contains("Iteration 0:  Log likelihood = " + String(format: "%.4f", ll0)), id)
            XCTAssertTrue(out.contains("\nIteration 10: Log likelihood = ") || e.scalars["ic"]! < 10, id)
            XCTAssertTrue(out.contains("| Coefficient  Std. err.      z    P>|z|     [95% conf. interval]"), id)
            XCTAssertTrue(out.contains("LR chi2(\(Int(res["df_m"] as! Double)))"), id)
            XCTAssertTrue(out.contains(id.hasPrefix("logit") ? "Logistic regression" : "Probit regression"), id)
            // predict pr/xb against the per-row reference scores.
            if let pred = res["predicted"] as? [String: Any], let column = pred["column"] as? String {
                let xbColumn = column.replacingOccurrences(of: "pr_", with: "xb_")
                for (variable, refColumn) in [(column, column), (xbColumn, xbColumn)] {
                    let got = try XCTUnwrap(s.frame.column(variable), "\(id): \(variable) not created")
                    XCTAssertEqual(got.type, .double)
                    let ref = try XCTUnwrap(pscores[refColumn])
                    XCTAssertEqual(got.nums.count, ref.count)
                    for i in ref.indices { t.check(got.nums[i], ref[i], rel: coefRel, "\(variable)[\(i + 1)]", kind: "predict") }
                }
            }
            print("[\(id)] max rel deviation: \(t.report())")
        }
    }

    /// `or` reports exp(b) with delta-method SEs and the same z; replay shows the same table.
    func testOddsRatiosAndReplay() throws {
        let c = try XCTUnwrap(PsmReference.cases("logit_probit").first)
        let (s, _) = try PsmReference.run(c)
        var out = ""
        s.output = { text, _ in out += text }
        try s.run(source: "logit treat age educ black, or nolog")
        XCTAssertFalse(out.contains("Iteration"))
        XCTAssertTrue(out.contains("| Odds ratio   Std. err.      z    P>|z|"), out)
        let b = try s.coefficient("b", "black"), se = try s.coefficient("se", "black")
        let line = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("       black |") })
        let fields = line.split(separator: " ").map(String.init)
        XCTAssertEqual(Double(fields[2])!, exp(b), accuracy: exp(b) * 1e-6)
        XCTAssertEqual(Double(fields[3])!, exp(b) * se, accuracy: exp(b) * se * 1e-6)
        var replay = ""
        s.output = { text, _ in replay += text }
        try s.run(source: "logit, or")
        XCTAssertTrue(out.hasSuffix(replay), "replay differs from the original table")
        // `estimates replay` of a stored logit prints the logit header and z statistics.
        var stored = ""
        s.output = { text, _ in stored += text }
        try s.run(source: "estimates store m_or")
        try s.run(source: "regress re78 age")
        stored = ""
        try s.run(source: "estimates replay m_or")
        XCTAssertTrue(stored.contains("Logistic regression"), stored)
        XCTAssertTrue(stored.contains("      z    P>|z|"), stored)
    }

    /// robust and cluster VCEs: Wald chi2, pseudolikelihood; errors carry Stata's return codes.
    func testVCEAndErrors() throws {
        let c = try XCTUnwrap(PsmReference.cases("logit_probit").last)
        let (s, _) = try PsmReference.run(c)
        var out = ""
        s.output = { text, _ in out += text }
        let oimSE = try s.coefficient("se", "age")
        try s.run(source: "probit train age agesq educ black hisp married re74 re75 unem74 unem75, vce(robust)")
        XCTAssertEqual(s.eResults.macros["vce"], "robust")
        XCTAssertEqual(s.eResults.macros["chi2type"], "Wald")
        XCTAssertNotEqual(try s.coefficient("se", "age"), oimSE)
        XCTAssertTrue(out.contains("Log pseudolikelihood"))
        try s.run(source: "probit train age educ, cluster(black)")
        XCTAssertEqual(s.eResults.scalars["N_clust"], 2)
        XCTAssertEqual(s.eResults.macros["clustvar"], "black")
        func rc(_ line: String) -> Int? {
            do { try s.run(source: line); return nil } catch let e as StataError { return e.code } catch { return -1 }
        }
        XCTAssertEqual(rc("logit train nosuchvar"), 111)
        XCTAssertEqual(rc("logit train age [aw=educ]"), 101)
        XCTAssertEqual(rc("probit train age, or"), 198)
        XCTAssertEqual(rc("logit train age if age > 1000"), 2000)
        XCTAssertEqual(rc("gen double yy = 3"), nil)
        XCTAssertEqual(rc("logit yy age"), 2000)
        XCTAssertEqual(rc("predict double pp, xb pr"), 198)
        s.eResults = StoredResults()
        XCTAssertEqual(rc("logit"), 301)
    }

    /// Factor variables go through the linear commands' expansion: i.black gives `1.black`, and
    /// the fit equals the one with the 0/1 variable itself.
    func testFactorVariablesAndPredictHook() throws {
        let c = try XCTUnwrap(PsmReference.cases("logit_probit").last)
        let (s, _) = try PsmReference.run(c)
        s.output = { _, _ in }
        try s.run(source: "logit train age i.black")
        let bf = try s.coefficient("b", "1.black")
        XCTAssertEqual(s.eResults.matrices["b"]?.colNames, ["age", "0b.black", "1.black", "_cons"])
        try s.run(source: "predict double pf")
        try s.run(source: "logit train age black")
        XCTAssertEqual(try s.coefficient("b", "black"), bf, accuracy: 1e-12 * abs(bf))
        try s.run(source: "predict double pp")
        try s.run(source: "predict double xb, xb")
        let pf = s.frame.column("pf")!.nums, pp = s.frame.column("pp")!.nums, xb = s.frame.column("xb")!.nums
        for i in pf.indices {
            XCTAssertEqual(pf[i], pp[i], accuracy: 1e-12)
            XCTAssertEqual(pp[i], 1 / (1 + exp(-xb[i])), accuracy: 1e-15)
        }
        // After a linear command, predict is still theirs.
        try s.run(source: "regress re78 age")
        try s.run(source: "predict double yhat")
        XCTAssertNotNil(s.frame.column("yhat"))
    }
}
