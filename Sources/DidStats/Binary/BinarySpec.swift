// Inputs and outputs of `logit` / `probit` on arrays. One value per dataset row in every array
// (`_N` rows); the estimation sample is decided here (touse, missing values, weights, rules).

import Foundation
import DidFrame
import DidKernel

/// Link function of a binary-outcome model.
public enum BinaryLink: String, Sendable {
    /// Logistic: Pr(y=1) = 1 / (1 + exp(-xb)).
    case logit
    /// Normal: Pr(y=1) = Φ(xb).
    case probit
}

/// Variance estimator of a binary-outcome model.
public enum BinaryVCE: Sendable, Equatable {
    /// Inverse of the negative Hessian (Stata's default `vce(oim)`).
    case oim
    /// Huber/White sandwich with N/(N-1) (`vce(robust)`).
    case robust
    /// Cluster-robust sandwich with G/(G-1) (`vce(cluster id)`); keys are the cluster ids per row.
    case cluster(keys: [Double])
}

/// Weight types `logit`/`probit` accept.
public enum BinaryWeightKind: String, Sendable {
    /// `[fweight=]`: replication counts (positive integers); N is their sum.
    case frequency
    /// `[pweight=]`: sampling weights; implies `vce(robust)`.
    case probability
    /// `[iweight=]`: importance weights (any sign, used as given).
    case importance
}

/// How `predict` treats observations excluded by a perfect-prediction rule.
public enum BinaryPredictRules: Sendable {
    /// Stata's default: missing for rule-excluded observations.
    case missing
    /// `rules`: 0 or 1 as the rule predicts.
    case rules
    /// `asif`: predict as if no rule had excluded them.
    case asif
}

/// A logit/probit model to fit.
public struct BinarySpec: Sendable {
    /// Dependent variable name (for messages).
    public var depvar: String
    /// Outcome per row; nonzero non-missing is a success (Stata's rule).
    public var y: [Double]
    /// Regressors, in varlist order.
    public var regressors: [(name: String, values: [Double])]
    /// Include `_cons` (false with `noconstant`).
    public var constant: Bool
    /// `if`/`in` sample (nil = all rows).
    public var touse: [Bool]?
    /// Weights per row, nil for none.
    public var weights: [Double]?
    /// Kind of `weights`.
    public var weightKind: BinaryWeightKind
    /// logit or probit.
    public var link: BinaryLink
    /// Variance estimator.
    public var vce: BinaryVCE
    /// `asis`: keep perfect predictors and their observations.
    public var asis: Bool
    /// Maximum Newton iterations (`iterate()`, Stata's default 300); exceeding it is r(430).
    public var maxIterations: Int

    /// A model with Stata's defaults (constant, OIM VCE, no weights).
    public init(depvar: String, y: [Double], regressors: [(name: String, values: [Double])],
                constant: Bool = true, touse: [Bool]? = nil, weights: [Double]? = nil,
                weightKind: BinaryWeightKind = .frequency, link: BinaryLink = .logit, vce: BinaryVCE = .oim,
                asis: Bool = false, maxIterations: Int = 300) {
        self.depvar = depvar; self.y = y; self.regressors = regressors; self.constant = constant
        self.touse = touse; self.weights = weights; self.weightKind = weightKind; self.link = link
        self.vce = vce; self.asis = asis; self.maxIterations = maxIterations
    }
}

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
