// The fitted logit/probit model as Stata posts it in e(), plus `predict` over every dataset row
// (out-of-sample rows included when their regressors are not missing). Coefficient layout follows
// e(b): regressors in varlist order (omitted ones kept with 0), then `_cons`.

import Foundation
import DidFrame
import DidKernel

/// A fitted logit/probit model (Stata's `e()` for these commands).
public struct BinaryResult: Sendable {
    /// Link used.
    public var link: BinaryLink
    /// Coefficient names in `e(b)` order: regressors (omitted ones included) then `_cons`.
    public var names: [String]
    /// Coefficients (0 for omitted terms).
    public var b: [Double]
    /// Variance matrix (K x K in `names` order; zero rows and columns for omitted terms).
    public var V: Matrix
    /// `omitted[j]`: term j was dropped (collinear or perfect predictor); coefficient and variance 0.
    public var omitted: [Bool]
    /// Notes as Stata prints them before the iteration log ("x omitted because of collinearity").
    public var notes: [String]
    /// Estimation sample per dataset row (`e(sample)`).
    public var sample: [Bool]
    /// Number of observations (sum of weights for fweights and iweights, truncated).
    public var N: Int
    /// Log likelihood.
    public var ll: Double
    /// Log likelihood of the constant-only model.
    public var ll_0: Double
    /// Model chi2: LR for OIM, Wald for robust/cluster.
    public var chi2: Double
    /// "LR" or "Wald".
    public var chi2type: String
    /// p-value of chi2.
    public var p: Double
    /// McFadden pseudo R2, 1 - ll/ll_0.
    public var r2_p: Double
    /// Model degrees of freedom (kept regressors other than `_cons`).
    public var df_m: Int
    /// Number of clusters (`cluster` only).
    public var N_clust: Int?
    /// Newton iterations performed (`e(ic)`).
    public var iterations: Int
    /// Log likelihood at iteration 0, 1, … (`Iteration #: log likelihood = …`).
    public var iterationLog: [Double]
    /// True when Newton converged (`e(converged)`).
    public var converged: Bool
    /// VCE used ("oim", "robust", "cluster").
    public var vcetype: String
    /// Perfect-prediction rules applied: (regressor index, predicted outcome 0/1).
    public var rules: [(index: Int, outcome: Double)]
    /// Regressor values kept for prediction (varlist order).
    var regressorValues: [[Double]]

    /// Standard errors (sqrt of the diagonal of V).
    public var se: [Double] { (0..<b.count).map { V[$0, $0].squareRoot() } }
    /// z statistics b/se (missing for omitted terms).
    public var z: [Double] { zip(b, se).map { $1 > 0 ? $0 / $1 : Missing.dot } }
    /// Two-sided normal p-values.
    public var pValues: [Double] { z.map { Missing.isMissing($0) ? Missing.dot : BinaryProbability.normalTwoSided($0) } }

    /// Linear prediction for every row (`predict, xb`); missing where a regressor is missing.
    public func predictXB() -> [Double] {
        let nRows = regressorValues.first?.count ?? sample.count
        var out = [Double](repeating: Missing.dot, count: nRows)
        let k = regressorValues.count
        for i in 0..<nRows {
            var s = names.last == "_cons" ? b[b.count - 1] : 0
            var ok = true
            for j in 0..<k {
                let x = regressorValues[j][i]
                if Missing.isMissing(x) { ok = false; break }
                if !omitted[j] { s += b[j] * x }
            }
            if ok { out[i] = s }
        }
        return out
    }

    /// Predicted probability for every row (`predict, pr`), with Stata's handling of rule-excluded rows.
    public func predictPr(rules handling: BinaryPredictRules = .missing) -> [Double] {
        var out = predictXB().map { xb -> Double in
            if Missing.isMissing(xb) { return Missing.dot }
            switch link {
            case .logit: return 1 / (1 + exp(-xb))
            case .probit: return BinaryProbability.normal(xb)
            }
        }
        if handling != .asif {
            for (j, outcome) in rules {
                for i in 0..<out.count where !Missing.isMissing(out[i]) && regressorValues[j][i] != 0 {
                    out[i] = handling == .rules ? outcome : Missing.dot
                }
            }
        }
        return out
    }
}
