// psmatch2 and pstest through the language against values/psmatch2.json, psmatch2_nsw_cps.csv
// and pstest.json (psmatch2 4.0.12 / pstest 4.2.2 semantics, implemented from their source by the
// reference generator and cross-checked by a literal Mata translation; see the bundle's README).
// Each case's commands run literally in a Session; r(), the variables psmatch2 creates (row by
// row) and pstest's r() and printed rows are compared at the case's tolerance.

import DidFrame
import DidLang
import Foundation
import XCTest

final class PsmCommandReferenceTests: XCTestCase {
    func testPsmatch2Cases() throws {
        let cases = try PsmReference.cases("psmatch2")
        XCTAssertEqual(cases.count, 5)
        let perRow = try PsmReference.csv("values/psmatch2_nsw_cps.csv")
        for c in cases {
            let id = c["id"] as! String
            let res = try XCTUnwrap(c["results"] as? [String: Any])
            let tolerance = try XCTUnwrap(c["tolerance"] as? [String: Double])
            var t = PsmTolerance(id: id, tolerance: tolerance)
            let coefRel = tolerance["coef_rel"]!, seRel = tolerance["se_rel"]!, statsRel = tolerance["stats_rel"]!
            let (s, out) = try PsmReference.run(c)
            let r = s.rResults.scalars
            t.check(r["att"], res["att"] as! Double, rel: coefRel, "r(att)", kind: "att")
            t.check(r["att_re78"], res["att"] as! Double, rel: coefRel, "r(att_re78)", kind: "att")
            t.check(r["seatt"], res["se"] as! Double, rel: seRel, "r(seatt)", kind: "se")
            let variants = try XCTUnwrap(res["se_variants"] as? [String: Double])
            t.check(r["seatt_re78"], variants["v4_0_12_float_w2"]!, rel: seRel, "r(seatt_re78) (float w2)", kind: "se")
            XCTAssertEqual(s.rResults.order, ["att", "att_re78", "seatt", "seatt_re78"], id)

            // The score model (logit, as the commands ask) stays in e().
            XCTAssertEqual(s.eResults.macros["cmd"], "logit", id)
            XCTAssertTrue(out.contains("Logistic regression"), id)

            // psmatch2's variables.
            let frame = s.frame
            for (name, type) in [("_pscore", StorageType.double), ("_treated", .byte), ("_support", .byte), ("_weight", .double), ("_re78", .double)] {
                XCTAssertEqual(frame.column(name)?.type, type, "\(id): \(name) type")
            }
            XCTAssertEqual(frame.column("_treated")?.valueLabel, "_treated")
            XCTAssertEqual(frame.valueLabels["_support"]?.mapping[1], "On support")
            let suffix = id.replacingOccurrences(of: "psmatch2_nsw_cps_", with: "")
            let weight = frame.column("_weight")!.nums, support = frame.column("_support")!.nums
            let treated = frame.column("_treated")!.nums, matched = frame.column("_re78")!.nums
            let pscore = frame.column("_pscore")!.nums, y = frame.column("re78")!.nums
            let refW = try XCTUnwrap(perRow["w_\(suffix)"], id), refS = try XCTUnwrap(perRow["support_\(suffix)"], id)
            let refM = try XCTUnwrap(perRow["re78_match_\(suffix)"], id), refP = try XCTUnwrap(perRow["pscore"], id)
            XCTAssertEqual(weight.count, refW.count, id)
            var weightMismatches = 0
            for i in refW.indices {
                if Missing.isMissing(refW[i]) != Missing.isMissing(weight[i]) { weightMismatches += 1; continue }
                if !Missing.isMissing(refW[i]) { t.check(weight[i], refW[i], rel: coefRel, "_weight[\(i + 1)]", kind: "weight") }
                if Missing.isMissing(refS[i]) { XCTAssertTrue(Missing.isMissing(support[i]) || treated[i] == 0, "\(id): row \(i + 1)") }
                else { XCTAssertEqual(support[i], refS[i], "\(id): _support[\(i + 1)]") }
                if !Missing.isMissing(refM[i]) { t.check(matched[i], refM[i], rel: coefRel, "_re78[\(i + 1)]", kind: "matched outcome") }
                t.check(pscore[i], refP[i], rel: 1e-8, "_pscore[\(i + 1)]", kind: "pscore")
            }
            XCTAssertEqual(weightMismatches, 0, "\(id): rows where _weight is missing in one and not the other")

            // Counts and means derived from the variables.
            let controlsUsed = (0..<weight.count).filter { treated[$0] == 0 && !Missing.isMissing(weight[$0]) }
            XCTAssertEqual(controlsUsed.count, (res["n_controls_used"] as! Double).rounded().asInt, id)
            XCTAssertEqual((0..<weight.count).filter { treated[$0] == 1 && support[$0] == 1 }.count,
                           (res["N1_on_support"] as! Double).rounded().asInt, id)
            XCTAssertEqual((0..<weight.count).filter { treated[$0] == 1 && support[$0] == 0 }.count,
                           (res["N1_off_support"] as! Double).rounded().asInt, id)
            t.check(controlsUsed.reduce(0) { $0 + weight[$1] }, res["sum_control_weights"] as! Double, rel: statsRel,
                    "sum of control weights", kind: "stats")
            let onSupport = (0..<y.count).filter { treated[$0] == 1 && support[$0] == 1 }
            t.check(onSupport.reduce(0) { $0 + y[$1] } / Double(onSupport.count), res["mean_y_treated"] as! Double,
                    rel: statsRel, "mean re78 treated", kind: "stats")
            t.check(onSupport.reduce(0) { $0 + matched[$1] } / Double(onSupport.count), res["mean_y_matched_controls"] as! Double,
                    rel: statsRel, "mean _re78 treated", kind: "stats")

            // Printed table: Unmatched and ATT rows, support table.
            XCTAssertTrue(out.contains("        Variable     Sample |    Treated     Controls   Difference         S.E.   T-stat"), id)
            let attLine = try XCTUnwrap(out.split(separator: "\n").first { $0.contains("ATT |") }, id)
            XCTAssertEqual(Double(attLine.split(separator: " ").map(String.init)[5])!, res["se"] as! Double,
                           accuracy: abs(res["se"] as! Double) * 1e-6, id)
            XCTAssertTrue(out.contains("assignment |"), id)
            let n1 = (res["N1_on_support"] as! Double).rounded().asInt, n1off = (res["N1_off_support"] as! Double).rounded().asInt
            let treatedRow = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("   Treated |") }, id)
            XCTAssertEqual(treatedRow.split(separator: " ").last.map(String.init), String(n1 + n1off), id)
            print("[\(id)] max rel deviation: \(t.report())")
        }
    }

    func testPstestCase() throws {
        let c = try XCTUnwrap(PsmReference.cases("pstest").first)
        let id = c["id"] as! String
        let res = try XCTUnwrap(c["results"] as? [String: Any])
        let tolerance = try XCTUnwrap(c["tolerance"] as? [String: Double])
        var t = PsmTolerance(id: id, tolerance: tolerance)
        let statsRel = tolerance["stats_rel"]!
        let (s, out) = try PsmReference.run(c)
        let summary = try XCTUnwrap(res["summary"] as? [String: Any])
        let u = try XCTUnwrap(summary["unmatched"] as? [String: Any]), m = try XCTUnwrap(summary["matched"] as? [String: Any])
        let r = s.rResults.scalars
        for (suffix, ref) in [("bef", u), ("aft", m)] {
            t.check(r["r2\(suffix)"], ref["pseudo_r2"] as! Double, rel: statsRel, "r(r2\(suffix))", kind: "summary")
            t.check(r["chiprob\(suffix)"], ref["p_chi2"] as! Double, rel: statsRel, "r(chiprob\(suffix))", kind: "summary")
            t.check(r["meanbias\(suffix)"], ref["mean_bias_float32"] as! Double, rel: statsRel, "r(meanbias\(suffix))", kind: "summary")
            t.check(r["medbias\(suffix)"], ref["median_bias_float32"] as! Double, rel: statsRel, "r(medbias\(suffix))", kind: "summary")
            t.check(r["B\(suffix)"], ref["B"] as! Double, rel: statsRel, "r(B\(suffix))", kind: "summary")
            t.check(r["R\(suffix)"], ref["R"] as! Double, rel: statsRel, "r(R\(suffix))", kind: "summary")
        }
        // The printed rows carry the reference numbers at their display precision.
        let lines = out.split(separator: "\n").map(String.init)
        let variables = try XCTUnwrap(res["variables"] as? [String: [String: Double]])
        XCTAssertEqual(variables.count, 14)
        for (name, v) in variables {
            let k = try XCTUnwrap(lines.firstIndex { $0.hasPrefix(name + " ") && $0.contains(" U ") }, "\(id): no row for \(name)")
            func cells(_ line: String) -> [String] { line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
            // pstest 4.2.2 `both` rows: `name  U  | m1 m0 %bias | t p | V` and `M  | m1 m0 %bias %reduct | t p | V`.
            let uRow = cells(lines[k]), mRow = cells(lines[k + 1])
            let uMeans = uRow[1].split(separator: " ").map(String.init), mMeans = mRow[1].split(separator: " ").map(String.init)
            XCTAssertEqual(uMeans.count, 3, lines[k]); XCTAssertEqual(mMeans.count, 4, lines[k + 1])
            XCTAssertEqual(uMeans.last, String(format: "%.1f", v["pct_bias_unmatched"]!), name)
            let mBias = String(format: "%.1f", v["pct_bias_matched"]!)
            XCTAssertEqual(mMeans.count > 2 ? mMeans[2] : nil, mBias == "-0.0" ? "0.0" : mBias, name)
            XCTAssertEqual(mMeans.last, String(format: "%.1f", v["pct_reduction_abs_bias"]!), name)
            XCTAssertEqual(uRow[2].split(separator: " ").first.map(String.init), String(format: "%.2f", v["t_unmatched"]!), name)
            let tM = String(format: "%.2f", v["t_matched"]!)
            XCTAssertEqual(mRow[2].split(separator: " ").first.map(String.init), tM == "-0.00" ? "0.00" : tM, name)
        }
        XCTAssertTrue(out.contains(" Sample    | Ps R2   LR chi2   p>chi2   MeanBias   MedBias      B      R     %Var"))
        XCTAssertTrue(lines.contains { $0.hasPrefix(" Matched") && $0.contains("18.92") && $0.contains(" 0.168") }, out)
        print("[\(id)] max rel deviation: \(t.report())")
    }

    /// pstest with no varlist takes the last psmatch2's covariates; `raw` shows U rows only.
    func testPstestDefaults() throws {
        let c = try XCTUnwrap(PsmReference.cases("pstest").first)
        let (s, _) = try PsmReference.run(c)
        let full = s.rResults.scalars
        var out = ""
        s.output = { text, _ in out += text }
        try s.run(source: "pstest, both")
        XCTAssertEqual(s.rResults.scalars["Baft"], full["Baft"])
        XCTAssertEqual(s.rResults.scalars["meanbiasbef"], full["meanbiasbef"])
        // `raw` is pstest's one-sample table (breduc1) over the unmatched data: no U/M markers,
        // the same means as the U row of `both`, and r() names without bef/aft.
        out = ""
        try s.run(source: "pstest age educ, both")
        func cells(_ line: Substring) -> [String] { line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        let uLine = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("age ") && $0.contains(" U  |") })
        let bothR2 = try XCTUnwrap(s.rResults.scalars["r2bef"])
        out = ""
        try s.run(source: "pstest age educ, raw")
        let lines = out.split(separator: "\n")
        XCTAssertFalse(lines.contains { $0.contains("M  |") || $0.contains("U  |") }, out)
        let rawLine = try XCTUnwrap(lines.first { $0.hasPrefix("age ") }, out)
        XCTAssertEqual(cells(rawLine)[1], cells(uLine)[1], "raw means and %bias = the U row of both")
        XCTAssertNil(s.rResults.scalars["r2bef"])
        XCTAssertEqual(try XCTUnwrap(s.rResults.scalars["r2"]), bothR2, accuracy: 1e-12)
        XCTAssertEqual(s.rResults.macros["exog"], "age educ")
    }
}

private extension Double {
    var asInt: Int { Int(self) }
}
