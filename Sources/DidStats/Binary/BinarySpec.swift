// Inputs of `logit` / `probit` on arrays. One value per dataset row in every array
// (`_N` rows); BinaryScreen decides the estimation sample (touse, missing values, weights, rules).

import DidFrame

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
