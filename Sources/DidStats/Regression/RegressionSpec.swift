// The input of the linear-regression engine (`regress`, `areg`, `xtreg, fe`, `reghdfe`): columns
// already built by the language layer (factor-variable dummies named the Stata way, strings encoded
// to numbers), plus the options that change the estimator. Nothing here is parsed.

/// Stata weight types accepted by the linear models.
public enum WeightKind: String, Sendable {
    /// Analytic weights (`[aw=]`): normalised to sum to N.
    case aweight
    /// Frequency weights (`[fw=]`): integers, N = sum of weights.
    case fweight
    /// Sampling weights (`[pw=]`): normalised like aweights, VCE robust by default.
    case pweight
    /// Importance weights (`[iw=]`): used as given.
    case iweight
}

/// Degrees-of-freedom and small-sample conventions of the command being emulated.
public enum DofConvention: String, Sendable {
    /// Stata `regress` (K counts `_cons`; cluster df_r = G - 1).
    case regress
    /// `reghdfe` 6 (pairwise mobility groups, FEs nested in clusters, df_r = min(N-K, G-1)).
    case reghdfe
    /// Stata `areg` (df_a = levels of the absorbed variable minus 1, counted even when clustering).
    case areg
    /// Stata `xtreg, fe` (cluster adjustment without df_a: the FE is nested in the panel cluster).
    case xtregFE
}

/// One absorbed term of `absorb()`: a factor or interaction of factors, optionally with slopes.
public struct AbsorbTerm: Sendable {
    /// The term as the user wrote it (`id`, `id#year`, `id##c.x`).
    public var name: String
    /// One column per interacted factor (length N each, strings already encoded to numbers).
    public var keys: [[Double]]
    /// Heterogeneous slopes `a#c.x`: (name, values) for each continuous variable.
    public var slopes: [(name: String, values: [Double])]
    /// Whether the term has its own intercepts (false for `a#c.x`, true for `a` and `a##c.x`).
    public var includeIntercept: Bool
    /// `newvar=` in `absorb(newvar=id)`: save this term's estimated effects (slopes as newvarSlope1, …).
    public var saveAs: String?

    /// A term with intercepts only unless slopes are given.
    public init(name: String, keys: [[Double]], slopes: [(name: String, values: [Double])] = [],
                includeIntercept: Bool = true, saveAs: String? = nil) {
        self.name = name; self.keys = keys; self.slopes = slopes
        self.includeIntercept = includeIntercept; self.saveAs = saveAs
    }
}

/// One cluster variable (or interaction of variables) of `vce(cluster ...)`.
public struct ClusterTerm: Sendable {
    /// The cluster variable as written (`id`, `id#year`).
    public var name: String
    /// One column per interacted variable (length N each).
    public var keys: [[Double]]

    /// A cluster term.
    public init(name: String, keys: [[Double]]) { self.name = name; self.keys = keys }
}

/// The variance estimator.
public enum VCE: Sendable {
    /// Classical OLS variance.
    case unadjusted
    /// Heteroskedasticity-robust (HC1-type small-sample factor).
    case robust
    /// Cluster-robust, one or more ways (multiway by inclusion-exclusion).
    case cluster([ClusterTerm])
}

/// Everything `LinearModel.fit` needs: data columns (full length N, Stata missing values allowed)
/// and options.
public struct RegressionSpec: Sendable {
    /// Name of the dependent variable.
    public var depvarName: String
    /// Dependent variable (length N).
    public var y: [Double]
    /// Regressors in varlist order, with their Stata names (`x1`, `2004.year`, `1.treat#1.post`).
    public var regressors: [(name: String, values: [Double])]
    /// Whether the model has an intercept (`noconstant` clears it; always true with `absorb`).
    public var constant: Bool = true
    /// The if/in sample (nil = all rows).
    public var touse: [Bool]? = nil
    /// Weights (length N) or nil.
    public var weights: [Double]? = nil
    /// Kind of `weights`.
    public var weightKind: WeightKind = .aweight
    /// Absorbed fixed effects (empty for `regress`).
    public var absorb: [AbsorbTerm] = []
    /// Variance estimator.
    public var vce: VCE = .unadjusted
    /// User tolerance of the demeaning (reghdfe's `tolerance()`); the engine always iterates to at
    /// least 1e-14 relative and only fails (r(430)) when it cannot reach this one.
    public var tolerance: Double = 1e-8
    /// Conjugate-gradient iteration budget per column.
    public var maxIterations: Int = 16_000
    /// Keep singleton groups (reghdfe `keepsingletons`); only the reghdfe convention drops them.
    public var keepSingletons: Bool = false
    /// Degrees-of-freedom conventions.
    public var convention: DofConvention = .reghdfe
    /// Whether to return per-observation residuals, fitted values and the FE sum.
    public var wantPredictions: Bool = true

    /// A specification with defaults: constant, no weights, unadjusted VCE, reghdfe conventions.
    public init(depvarName: String, y: [Double], regressors: [(name: String, values: [Double])]) {
        self.depvarName = depvarName; self.y = y; self.regressors = regressors
    }
}
