// Tail probabilities of the F and t distributions, for the p-values of regression tables: thin
// wrappers over `Distributions` (the one implementation, shared with the language's functions)
// that keep NaN for invalid arguments, which the estimators test for.

import Foundation

/// Upper-tail probabilities used by the linear models (Stata's `Ftail`, `ttail`, `invttail`).
public enum TailProbability {
    /// P(F(d1, d2) > f), Stata's `Ftail(d1, d2, f)`.
    public static func F(_ d1: Double, _ d2: Double, _ f: Double) -> Double {
        guard d1 > 0, d2 > 0, !f.isNaN else { return .nan }
        if f <= 0 { return 1 }
        if f.isInfinite { return 0 }
        return Distributions.Ftail(d1, d2, f)
    }

    /// P(T(df) > t), Stata's `ttail(df, t)`.
    public static func t(_ df: Double, _ t: Double) -> Double {
        guard df > 0, !t.isNaN else { return .nan }
        if t.isInfinite { return t > 0 ? 0 : 1 }
        return Distributions.ttail(df, t)
    }

    /// The t such that P(T(df) > t) = p, Stata's `invttail(df, p)`.
    public static func invT(_ df: Double, _ p: Double) -> Double {
        guard df > 0, p > 0, p < 1 else { return .nan }
        return Distributions.invttail(df, p)
    }
}
