// Inputs and outputs of `pstest` (4.2.2, `both` table): per-covariate balance before (U) and after
// (M) matching and the overall summary rows. Values missing in Stata are `Missing.dot` here.

import DidFrame

/// What `pstest` needs, one value per dataset row in every array.
public struct BalanceSpec: Sendable {
    /// Treatment indicator (`_treated` after psmatch2, or `treated()`); missing rows are ignored.
    public var treated: [Double]
    /// Covariates in varlist order.
    public var covariates: [(name: String, values: [Double])]
    /// `_support` (nil: everyone on support, as with `raw`).
    public var support: [Double]?
    /// Matching weights `_weight` / `mweight()` for controls (nil: 1 for everyone, as with `raw`).
    /// Treated units get their support value, as pstest does (controls with `atu`).
    public var weight: [Double]?
    /// `if`/`in` sample (nil = all rows).
    public var touse: [Bool]?
    /// `atu`: the support value replaces the weight of the controls instead of the treated.
    public var atu: Bool

    /// A specification; nil support/weight behave like pstest's `raw`.
    public init(treated: [Double], covariates: [(name: String, values: [Double])], support: [Double]? = nil,
                weight: [Double]? = nil, touse: [Bool]? = nil, atu: Bool = false) {
        self.treated = treated; self.covariates = covariates; self.support = support
        self.weight = weight; self.touse = touse; self.atu = atu
    }
}

/// One covariate's line pair (U = unmatched, M = matched).
public struct BalanceVariable: Sendable {
    /// Covariate name.
    public var name: String
    /// Means and variances (sample variance; iweighted `Σw(x-m)²/(Σw-1)` for M).
    public var meanTreatedU: Double, meanControlU: Double, varTreatedU: Double, varControlU: Double
    /// Matched (iweighted) means and variances.
    public var meanTreatedM: Double, meanControlM: Double, varTreatedM: Double, varControlM: Double
    /// Standardised % bias, both with the unmatched variances in the denominator.
    public var biasU: Double, biasM: Double
    /// % reduction in |bias|.
    public var reduction: Double
    /// t-tests from `regress x treat` (U) and `regress x treat [iw=w] if support` (M).
    public var tU: Double, pU: Double, dfU: Double, tM: Double, pM: Double, dfM: Double
    /// False for 0/1 variables (no variance ratio).
    public var continuous: Bool
    /// V(T)/V(C) (missing for 0/1 variables).
    public var varRatioU: Double, varRatioM: Double
    /// Ratio outside the F(N1-1, N1-1) 2.5%/97.5% bounds (the `*` in the table).
    public var flaggedU: Bool, flaggedM: Bool
}

/// One row of the summary table.
public struct BalanceSummary: Sendable {
    /// Pseudo R2 of `probit treat x` (M: with `[iw=w] if support`).
    public var pseudoR2: Double
    /// LR chi2 of that probit and its p-value.
    public var lrChi2: Double, pChi2: Double
    /// Log likelihoods of that probit.
    public var ll: Double, ll_0: Double
    /// Mean and median |%bias| as pstest computes them (from float-stored |bias|).
    public var meanBias: Double, medianBias: Double
    /// The same in double precision.
    public var meanBiasExact: Double, medianBiasExact: Double
    /// Rubin's B: standardised difference of the probit index means (×100).
    public var B: Double
    /// Rubin's R: ratio of treated to control variance of the index.
    public var R: Double
    /// % of continuous covariates with a flagged variance ratio.
    public var pctVarOutside: Double
    /// F(N1-1, N1-1) 2.5% and 97.5% quantiles used for the flags.
    public var fLow: Double, fHigh: Double
}

/// Result of `BalanceTest.compute` (`pstest ..., both`).
public struct BalanceResult: Sendable {
    /// Per covariate, in varlist order.
    public var variables: [BalanceVariable]
    /// Summary before matching.
    public var unmatched: BalanceSummary
    /// Summary after matching.
    public var matched: BalanceSummary
    /// Number of continuous (non 0/1) covariates.
    public var continuousCount: Int
}

extension BalanceResult {
    /// pstest's `r()` scalars after `both`, in the order pstest sets them.
    public var returnScalars: [(name: String, value: Double)] {
        [("r2bef", unmatched.pseudoR2), ("chiprobbef", unmatched.pChi2),
         ("r2aft", matched.pseudoR2), ("chiprobaft", matched.pChi2),
         ("meanbiasbef", unmatched.meanBias), ("medbiasbef", unmatched.medianBias),
         ("meanbiasaft", matched.meanBias), ("medbiasaft", matched.medianBias),
         ("Bbef", unmatched.B), ("Rbef", unmatched.R), ("Baft", matched.B), ("Raft", matched.R)]
    }
}
