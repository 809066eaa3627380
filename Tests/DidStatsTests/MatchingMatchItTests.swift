// 1:1 nearest neighbour without replacement against R MatchIt on lalonde (values/matchit.json,
// values/matchit_lalonde.csv). `matchit_lalonde_nearest_fixed` is true nearest-available matching
// (MatchIt >= 4.5.4) in descending distance order on MatchIt's own distance; its ATT regression
// (lm(re78 ~ treat, weights) with OLS, HC0, HC1 and pair-clustered SEs) is recomputed here by a
// small weighted OLS. The logit behind the distance is checked against the exact MLE given there.

import XCTest
import DidFrame
@testable import DidStats

final class MatchingMatchItTests: XCTestCase {
    struct Lalonde { var treat: [Double]; var re78: [Double]; var distance: [Double]; var cols: [String: [Double]]
        var fixedWeights: [Double]; var fixedSubclass: [Double] }

    static func load() throws -> Lalonde {
        let text = try PsmReference.csv("data/lalonde.csv")
        let m = try PsmReference.numeric("values/matchit_lalonde.csv")
        var cols: [String: [Double]] = [:]
        for k in ["age", "educ", "married", "nodegree", "re74", "re75"] { cols[k] = text[k]!.map { Double($0)! } }
        // i.race with base black (encode order black/hispan/white): 2.race = hispan, 3.race = white.
        cols["2.race"] = text["race"]!.map { $0 == "hispan" ? 1 : 0 }
        cols["3.race"] = text["race"]!.map { $0 == "white" ? 1 : 0 }
        return Lalonde(treat: text["treat"]!.map { Double($0)! }, re78: text["re78"]!.map { Double($0)! },
                       distance: m["distance"]!, cols: cols, fixedWeights: m["weights_fixed_nn"]!,
                       fixedSubclass: m["subclass_fixed_nn"]!)
    }

    func testLogitDistanceModelIsTheExactMLE() throws {
        let d = try Self.load()
        let c = try PsmReference.cases("matchit.json")["matchit_lalonde_nearest"]!
        let ps = (c["results"] as! [String: Any])["ps_model"] as! [String: Any]
        let exact = ps["exact_mle"] as! [String: Any]
        let names = ["age", "educ", "2.race", "3.race", "married", "nodegree", "re74", "re75"]
        let fit = try BinaryModel.fit(BinarySpec(depvar: "treat", y: d.treat, regressors: names.map { ($0, d.cols[$0]!) }))
        let coef = exact["coef"] as! [String: Double], se = exact["se"] as! [String: Double]
        for (j, n) in fit.names.enumerated() {
            PsmReference.close(fit.b[j], coef[n]!, rel: 1e-8, "b[\(n)]")
            PsmReference.close(fit.se[j], se[n]!, rel: 1e-7, "se[\(n)]")
            // R glm (epsilon 1e-8) is within 1.3e-8 of the MLE: compared at 1e-6 as the README says.
            PsmReference.close(fit.b[j], (ps["coef"] as! [String: Double])[n]!, rel: 1e-6, "glm b[\(n)]")
        }
        PsmReference.close(fit.ll, exact["ll"] as! Double, rel: 1e-9, "ll")
        // The distance is the fitted probability: MatchIt's (glm) distance agrees to its 3.3e-8.
        let pr = fit.predictPr()
        for i in 0..<pr.count { PsmReference.close(pr[i], d.distance[i], rel: 1e-6, "distance row \(i + 1)") }
    }

    func testNearestWithoutReplacementDescending() throws {
        let d = try Self.load()
        let c = try PsmReference.cases("matchit.json")["matchit_lalonde_nearest_fixed"]!
        let r = c["results"] as! [String: Any]
        func num(_ k: String) -> Double { (r[k] as! NSNumber).doubleValue }
        let res = try PropensityMatching.match(MatchSpec(treated: d.treat, pscore: d.distance, outcomes: [("re78", d.re78)],
                                                         noReplacement: true, descending: true, scoreSupplied: true,
                                                         noReplacementRule: .nearestAvailable))
        // Pairs: the control matched to each treated unit must be MatchIt's.
        var rowOfID = [Int](repeating: 0, count: d.treat.count)
        for (row, id) in res.id!.enumerated() { rowOfID[Int(id) - 1] = row }
        var controlOfPair: [Double: Int] = [:]
        for i in 0..<d.treat.count where d.treat[i] == 0 && d.fixedWeights[i] == 1 { controlOfPair[d.fixedSubclass[i]] = i }
        var differing = 0
        for i in 0..<d.treat.count where d.treat[i] == 1 {
            let want = controlOfPair[d.fixedSubclass[i]]!
            let got = Missing.isMissing(res.neighbors![0][i]) ? -1 : rowOfID[Int(res.neighbors![0][i]) - 1]
            if got != want { differing += 1 }
        }
        XCTAssertEqual(differing, 0, "treated units whose control differs from MatchIt's")
        // Pair id: the treated row for treated units; for controls, the treated row that chose them.
        var pairOfControl: [Int: Int] = [:]
        for i in 0..<d.treat.count where d.treat[i] == 1 && !Missing.isMissing(res.neighbors![0][i]) {
            pairOfControl[rowOfID[Int(res.neighbors![0][i]) - 1]] = i
        }
        // ATT regression on the matched sample (weights 1 for matched units).
        var rows: [(y: Double, t: Double, pair: Int)] = []
        for i in 0..<d.treat.count where !Missing.isMissing(res.weight[i]) {
            rows.append((d.re78[i], d.treat[i], d.treat[i] == 1 ? i : pairOfControl[i]!))
        }
        XCTAssertEqual(rows.count, (r["n_matched"] as! NSNumber).intValue)
        let ols = Self.twoGroupOLS(rows)
        PsmReference.close(ols.att, num("att"), rel: 1e-10, "att")
        PsmReference.close(ols.intercept, num("intercept"), rel: 1e-10, "intercept")
        PsmReference.close(ols.seOLS, num("se_ols"), rel: 1e-8, "se ols")
        PsmReference.close(ols.seHC0, num("se_hc0"), rel: 1e-8, "se hc0")
        PsmReference.close(ols.seHC1, num("se_hc1"), rel: 1e-8, "se hc1")
        PsmReference.close(ols.seCluster, num("se_cluster_subclass_hc1"), rel: 1e-8, "se cluster")
        // psmatch2's own ATT equals the regression coefficient here (weights are all 1).
        PsmReference.close(res.effects[0].att.difference, num("att"), rel: 1e-10, "psmatch2 att")
    }

    /// OLS of y on (1, t): coefficient, intercept and the four SEs of the MatchIt reference.
    static func twoGroupOLS(_ rows: [(y: Double, t: Double, pair: Int)]) -> (att: Double, intercept: Double, seOLS: Double,
                                                                          seHC0: Double, seHC1: Double, seCluster: Double) {
        let n = Double(rows.count), k = 2.0
        let n1 = rows.filter { $0.t == 1 }.count, n0 = rows.count - n1
        let m1 = rows.filter { $0.t == 1 }.reduce(0) { $0 + $1.y } / Double(n1)
        let m0 = rows.filter { $0.t == 0 }.reduce(0) { $0 + $1.y } / Double(n0)
        let e = rows.map { $0.y - ($0.t == 1 ? m1 : m0) }
        let rss = e.reduce(0) { $0 + $1 * $1 }
        // (X'X)^-1 for X = [1, t]: [[1/n0, -1/n0], [-1/n0, 1/n0 + 1/n1]]; the slope row is (-1/n0, 1/n0 + 1/n1).
        let a = -1 / Double(n0), b = 1 / Double(n0) + 1 / Double(n1)
        let seOLS = (rss / (n - k) * b).squareRoot()
        var meat = 0.0
        for (i, r) in rows.enumerated() { let g = (a + b * r.t) * e[i]; meat += g * g }
        var clusters: [Int: Double] = [:]
        for (i, r) in rows.enumerated() { clusters[r.pair, default: 0] += (a + b * r.t) * e[i] }
        let G = Double(clusters.count)
        let cl = clusters.values.reduce(0) { $0 + $1 * $1 } * G / (G - 1) * (n - 1) / (n - k)
        return (m1 - m0, m0, seOLS, meat.squareRoot(), (meat * n / (n - k)).squareRoot(), cl.squareRoot())
    }
}
