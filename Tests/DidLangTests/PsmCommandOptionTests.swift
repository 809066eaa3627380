// psmatch2/pstest and logit/probit options that the reference bundle has no case for, each
// checked against a second route through the language: a supplied pscore() against the score
// psmatch2 estimates itself, probit (the default) against `probit` + `predict`, ATU/ATE against
// the variables psmatch2 leaves, fweights against expanded data, `common` against the score ranges.

import DidFrame
import DidLang
import Foundation
import XCTest

final class PsmCommandOptionTests: XCTestCase {
    static let covariates = "age agesq agecube educ edusq marr nodegree black hisp re74 re75 u74 u75 interaction1"

    /// The NSW/CPS data with the Mixtape covariates (the commands of the psmatch2 cases).
    func session() throws -> Session {
        let c = try XCTUnwrap(PsmReference.cases("psmatch2").first)
        var prepared = c
        prepared["commands"] = (c["commands"] as! [String]).filter { !$0.hasPrefix("psmatch2") }
        let (s, _) = try PsmReference.run(prepared)
        return s
    }

    func run(_ s: Session, _ line: String) throws -> String {
        var out = ""
        s.output = { text, _ in out += text }
        try s.run(source: line)
        return out
    }

    func column(_ s: Session, _ name: String) throws -> [Double] { try XCTUnwrap(s.frame.column(name), name).nums }

    /// Default score = probit; its _pscore is `predict` after the same probit; pscore() reproduces it.
    func testDefaultProbitScoreAndSuppliedScore() throws {
        let s = try session()
        let out = try run(s, "psmatch2 treat \(Self.covariates), outcome(re78)")
        XCTAssertTrue(out.contains("Probit regression"))
        XCTAssertEqual(s.eResults.macros["cmd"], "probit")
        let att = try XCTUnwrap(s.rResults.scalars["att"]), se = try XCTUnwrap(s.rResults.scalars["seatt"])
        let pscore = try column(s, "_pscore"), weight = try column(s, "_weight")
        _ = try run(s, "predict double p_probit")
        let p = try column(s, "p_probit")
        for i in p.indices { XCTAssertEqual(pscore[i], p[i], accuracy: 1e-15) }
        // The same score supplied: identical matching.
        _ = try run(s, "psmatch2 treat, outcome(re78) pscore(p_probit)")
        XCTAssertEqual(s.rResults.scalars["att"], att)
        XCTAssertEqual(s.rResults.scalars["seatt"], se)
        XCTAssertEqual(try column(s, "_weight").map { Missing.isMissing($0) ? -1 : $0 }, weight.map { Missing.isMissing($0) ? -1 : $0 })
        // Re-using psmatch2's own _pscore (a common idiom): it is read before being replaced.
        _ = try run(s, "psmatch2 treat, outcome(re78) pscore(_pscore)")
        XCTAssertEqual(s.rResults.scalars["att"], att)
        XCTAssertEqual(try column(s, "_pscore"), pscore)
        // `quietly` hides the score model, not the table.
        let quiet = try run(s, "psmatch2 treat \(Self.covariates), outcome(re78) quietly")
        XCTAssertFalse(quiet.contains("Probit regression"))
        XCTAssertTrue(quiet.contains("ATT |"))
        XCTAssertEqual(s.rResults.scalars["att"], att)
    }

    /// `ate`: ATU = mean over controls on support of (_re78 - re78), ATE = N1/N share-weighted.
    func testATEFromVariables() throws {
        let s = try session()
        _ = try run(s, "psmatch2 treat \(Self.covariates), outcome(re78) logit ate")
        let r = s.rResults.scalars
        let treated = try column(s, "_treated"), support = try column(s, "_support")
        let y = try column(s, "re78"), m = try column(s, "_re78")
        let controls = treated.indices.filter { treated[$0] == 0 && support[$0] == 1 }
        let treatedOn = treated.indices.filter { treated[$0] == 1 && support[$0] == 1 }
        let atu = controls.reduce(0) { $0 + m[$1] - y[$1] } / Double(controls.count)
        let att = treatedOn.reduce(0) { $0 + y[$1] - m[$1] } / Double(treatedOn.count)
        XCTAssertEqual(try XCTUnwrap(r["atu"]), atu, accuracy: 1e-9 * abs(atu))
        XCTAssertEqual(try XCTUnwrap(r["att"]), att, accuracy: 1e-9 * abs(att))
        let n1 = Double(treatedOn.count), n0 = Double(controls.count)
        XCTAssertEqual(try XCTUnwrap(r["ate"]), (att * n1 + atu * n0) / (n1 + n0), accuracy: 1e-9 * abs(atu))
        XCTAssertNotNil(r["atu_re78"])
    }

    /// `common`: treated above the largest / below the smallest control score are off support.
    func testCommonSupport() throws {
        let s = try session()
        _ = try run(s, "psmatch2 treat \(Self.covariates), outcome(re78) logit common")
        let treated = try column(s, "_treated"), support = try column(s, "_support"), p = try column(s, "_pscore")
        let controls = treated.indices.filter { treated[$0] == 0 }.map { p[$0] }
        let lo = controls.min()!, hi = controls.max()!
        for i in treated.indices where treated[i] == 1 {
            XCTAssertEqual(support[i], (p[i] >= lo && p[i] <= hi) ? 1 : 0, "row \(i + 1)")
        }
    }

    /// noreplacement: every control is used at most once; k-NN without replacement is r(198).
    func testNoReplacement() throws {
        let s = try session()
        _ = try run(s, "psmatch2 treat \(Self.covariates), outcome(re78) logit noreplacement")
        let treated = try column(s, "_treated"), weight = try column(s, "_weight")
        let used = treated.indices.filter { treated[$0] == 0 && !Missing.isMissing(weight[$0]) }
        XCTAssertEqual(used.count, 185)
        XCTAssertTrue(used.allSatisfy { weight[$0] == 1 })
        XCTAssertThrowsError(try run(s, "psmatch2 treat \(Self.covariates), outcome(re78) logit noreplacement neighbor(2)")) {
            XCTAssertEqual(($0 as? StataError)?.code, 198)
        }
        XCTAssertThrowsError(try run(s, "psmatch2 treat, outcome(re78)")) { XCTAssertEqual(($0 as? StataError)?.code, 198) }
        XCTAssertThrowsError(try run(s, "psmatch2 treat age, outcome(re78) kernel kerneltype(box)")) {
            XCTAssertEqual(($0 as? StataError)?.code, 198)
        }
        XCTAssertThrowsError(try run(s, "psmatch2 treat age, outcome(nosuch)")) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
        XCTAssertThrowsError(try run(s, "psmatch2 treat age [fw=age], outcome(re78)")) { XCTAssertEqual(($0 as? StataError)?.code, 101) }
        XCTAssertThrowsError(try run(s, "psmatch2 treat age, outcome(re78) logit probit")) { XCTAssertEqual(($0 as? StataError)?.code, 198) }
        XCTAssertThrowsError(try run(s, "pstest age, treated(nosuch)")) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
    }

    /// `[fw=k]` equals the fit on data expanded k times (N = sum of the weights).
    func testFrequencyWeightsEqualExpandedData() throws {
        let s = try session()
        _ = try run(s, "gen k = 1 + mod(_n, 3)")
        _ = try run(s, "logit treat age educ black re75 [fw=k]")
        let b = try s.coefficient("b", "re75"), se = try s.coefficient("se", "re75"), ll = s.eResults.scalars["ll"]!
        XCTAssertEqual(s.eResults.scalars["N"], Double((1...16177).map { 1 + $0 % 3 }.reduce(0, +)))
        _ = try run(s, "expand k")
        _ = try run(s, "logit treat age educ black re75")
        XCTAssertEqual(try s.coefficient("b", "re75"), b, accuracy: 1e-9 * abs(b))
        XCTAssertEqual(try s.coefficient("se", "re75"), se, accuracy: 1e-8 * se)
        XCTAssertEqual(s.eResults.scalars["ll"]!, ll, accuracy: 1e-9 * abs(ll))
    }

    /// A perfect predictor is dropped with Stata's note; predict leaves its rows missing, `rules` fills them.
    func testPerfectPredictionNoteAndPredict() throws {
        let s = Session()
        s.output = { _, _ in }
        try s.run(source: """
        clear
        set obs 60
        gen x = mod(_n * 7, 11)
        gen d = _n > 50
        gen y = mod(_n, 3) == 0 | d == 1
        """)
        let out = try run(s, "logit y x d")
        XCTAssertTrue(out.contains("note: d != 0 predicts success perfectly"), out)
        XCTAssertEqual(s.eResults.scalars["N"], 50)
        _ = try run(s, "predict double p")
        _ = try run(s, "predict double q, rules")
        let p = try column(s, "p"), q = try column(s, "q")
        for i in 50..<60 { XCTAssertTrue(Missing.isMissing(p[i])); XCTAssertEqual(q[i], 1) }
        for i in 0..<50 { XCTAssertFalse(Missing.isMissing(p[i])); XCTAssertEqual(p[i], q[i]) }
    }

    /// examples/psm_by_year.did runs end to end: five yearly matchings appended, then reghdfe on
    /// every appended row (all on support) and pstest.
    func testExamplePsmByYear() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: repo.appendingPathComponent("examples/psm_by_year.did"), encoding: .utf8)
        let s = Session()
        var out = ""
        s.output = { t, _ in out += t }
        s.workingDirectory = repo.path
        try s.run(source: text, file: "psm_by_year.did")
        XCTAssertEqual(out.components(separatedBy: ": ATT = ").count - 1, 5)
        XCTAssertEqual(s.eResults.macros["cmd"], "reghdfe")
        XCTAssertEqual(s.eResults.scalars["N"], Double(s.frame.count))
        let years = Set(try column(s, "year"))
        XCTAssertEqual(years, [2003, 2004, 2005, 2006, 2007])
        XCTAssertNotNil(s.rResults.scalars["Baft"])
    }

    /// Invariants over the matching options: each treated unit on support spreads a total weight
    /// of 1 over its controls (so Σ control _weight = N1 on support), ATT = mean(y - _y) over the
    /// treated on support, and every treated off support has a missing _weight.
    func testOptionInvariants() throws {
        let s = try session()
        let variants = ["", "neighbor(3)", "ties", "kernel", "kernel kerneltype(normal)", "kernel kerneltype(biweight) bwidth(0.1)",
                        "kernel kerneltype(tricube)", "kernel kerneltype(uniform) bwidth(0.02)", "radius caliper(0.05)",
                        "common trim(5)", "noreplacement descending", "caliper(0.001)", "index", "odds"]
        for v in variants {
            _ = try run(s, "psmatch2 treat age educ black hisp marr re74 re75, outcome(re78) logit quietly \(v)")
            let treated = try column(s, "_treated"), support = try column(s, "_support"), weight = try column(s, "_weight")
            let y = try column(s, "re78"), m = try column(s, "_re78")
            let on = treated.indices.filter { treated[$0] == 1 && support[$0] == 1 }
            let wsum = treated.indices.filter { treated[$0] == 0 && !Missing.isMissing(weight[$0]) }.reduce(0) { $0 + weight[$1] }
            XCTAssertGreaterThan(on.count, 0, v)
            XCTAssertEqual(wsum, Double(on.count), accuracy: 1e-9 * Double(on.count), v)
            let att = on.reduce(0) { $0 + y[$1] - m[$1] } / Double(on.count)
            XCTAssertEqual(try XCTUnwrap(s.rResults.scalars["att"], v), att, accuracy: 1e-9 * max(1, abs(att)), v)
            for i in treated.indices where treated[i] == 1 && support[i] == 0 { XCTAssertTrue(Missing.isMissing(weight[i]), v) }
        }
    }
}
