// The output of `LinearModel.fit`, named after Stata's e() results so that posting them is a copy.
// Coefficient vectors follow the varlist order with `_cons` last (when the model has one); omitted
// regressors keep their place with b = 0 and zero variance, as Stata's `o.` columns do.

import DidKernel

/// Why a regressor was omitted.
public enum OmittedReason: String, Sendable, Equatable {
    /// Constant, or a linear combination of the absorbed fixed effects (and the intercept).
    case collinearWithFixedEffects = "collinear with fixed effects"
    /// A linear combination of earlier (kept) regressors in varlist order.
    case collinearWithRegressors = "collinear"
}

/// One row of reghdfe's absorbed degrees-of-freedom table.
public struct AbsorbedDofRow: Sendable, Equatable {
    /// The absorbed term as written.
    public var absvar: String
    /// Number of levels (categories) in the estimation sample.
    public var categories: Int
    /// Levels counted as redundant.
    public var redundant: Int
    /// categories - redundant.
    public var numCoefs: Int { categories - redundant }
    /// Whether the redundancy count is exact (reghdfe's `exact` marker).
    public var exact: Bool
    /// Whether the term is a cluster variable or nested within one.
    public var nestedWithinCluster: Bool
}

/// Results of a linear regression (Stata e() names where one exists).
public struct RegressionResult: Sendable {
    /// Dependent variable name.
    public var depvar: String
    /// Coefficient names, varlist order, `_cons` last when present.
    public var names: [String]
    /// Coefficients (omitted ones are 0).
    public var b: [Double]
    /// Variance matrix (omitted rows/columns are 0).
    public var V: Matrix
    /// Omission flags and reasons, by position in `names`.
    public var omitted: [OmittedReason?]
    /// Number of observations (sum of weights with fweights).
    public var N: Int
    /// Residual degrees of freedom (used for t and F tests).
    public var df_r: Int
    /// Model degrees of freedom (kept regressors, without `_cons`).
    public var df_m: Int
    /// Absorbed degrees of freedom (levels minus redundant).
    public var df_a: Int
    /// All absorbed levels.
    public var df_a_initial: Int
    /// Redundant absorbed levels.
    public var df_a_redundant: Int
    /// Levels of absorbed terms nested in a cluster variable.
    public var df_a_nested: Int
    /// R-squared.
    public var r2: Double
    /// Adjusted R-squared.
    public var r2_a: Double
    /// Within R-squared (relative to the FE-partialled depvar); equals r2 without absorb.
    public var r2_within: Double
    /// Adjusted within R-squared.
    public var r2_a_within: Double
    /// Root mean squared error.
    public var rmse: Double
    /// Residual sum of squares (weighted).
    public var rss: Double
    /// Total sum of squares (centred when there is an intercept).
    public var tss: Double
    /// Sum of squares of the partialled-out depvar.
    public var tss_within: Double
    /// Model sum of squares tss - rss.
    public var mss: Double
    /// Wald F statistic of the non-constant coefficients (nil when it cannot be computed).
    public var F: Double?
    /// Its p-value with (df_m, df_r).
    public var F_p: Double?
    /// Numerator and denominator degrees of freedom of F.
    public var F_df: (Int, Int)
    /// Gaussian log-likelihood.
    public var ll: Double
    /// Log-likelihood of the constant-only (or FE-only) model.
    public var ll_0: Double
    /// Smallest number of clusters (nil without clustering).
    public var N_clust: Int?
    /// Clusters per cluster variable, in order.
    public var N_clust_list: [(name: String, count: Int)]
    /// Observations dropped as singletons.
    public var num_singletons: Int
    /// Observations before dropping singletons.
    public var N_full: Int
    /// Sum of the weights (as given, before normalisation); nil without weights.
    public var sumweights: Double?
    /// Estimation sample, full input length.
    public var esample: [Bool]
    /// Residuals y - xb - d (full length, missing outside the sample) when requested.
    public var residuals: [Double]?
    /// Linear prediction xb including `_cons` (full length, missing outside the sample).
    public var xb: [Double]?
    /// Sum of the absorbed fixed effects d (full length, missing outside; nil without absorb).
    public var d: [Double]?
    /// Saved fixed-effect estimates for `absorb(newvar=term)`: (newvar, full-length values).
    public var savedFixedEffects: [(name: String, values: [Double])]
    /// reghdfe's absorbed DoF table.
    public var dofTable: [AbsorbedDofRow]
    /// Small-sample factor applied to the VCE.
    public var smallSampleFactor: Double
    /// Whether the multiway VCE needed the eigenvalue fix.
    public var psdFixApplied: Bool
    /// Whether every demeaned column met the tolerance.
    public var converged: Bool
    /// Largest number of CG iterations over the demeaned columns.
    public var iterations: Int
    /// VCE label as Stata stores it (`ols`, `robust`, `cluster`).
    public var vceType: String

    /// Standard errors (square roots of the diagonal of V).
    public var se: [Double] { (0..<b.count).map { V[$0, $0] > 0 ? V[$0, $0].squareRoot() : 0 } }

    /// Index of a coefficient by name.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }
}
