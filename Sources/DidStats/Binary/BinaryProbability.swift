// Distribution functions needed by logit/probit, psmatch2 and pstest, written here so the
// estimators do not depend on the language layer (which has its own, user-facing versions).
//
// Methods: Φ through erfc (full relative accuracy in the lower tail down to z ≈ -37, then the
// asymptotic Mills-ratio series); regularised incomplete gamma and beta by series / Lentz
// continued fractions (Numerical Recipes §6.2, §6.4 formulations, relative accuracy ~1e-15 in both
// tails, so tiny p-values keep their digits); F quantiles by bisection on the beta function.

import Foundation

/// Probability functions used inside DidStats (normal, chi2, t, F).
enum BinaryProbability {
    static let invSqrt2Pi = 0.3989422804014327
    static let lnSqrt2Pi = 0.9189385332046728

    /// Standard normal density.
    static func normalDensity(_ z: Double) -> Double { invSqrt2Pi * exp(-0.5 * z * z) }

    /// Standard normal CDF Φ(z) (Stata `normal()`).
    static func normal(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// ln Φ(z), accurate far into the lower tail.
    static func lnNormal(_ z: Double) -> Double {
        if z > -30 { return log(normal(z)) }
        // Φ(z) = φ(z)/(-z) (1 - 1/z² + 3/z⁴ - 15/z⁶ + …) for z → -∞.
        let z2 = z * z
        let series = 1 - 1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2) + 105 / (z2 * z2 * z2 * z2)
        return -0.5 * z2 - lnSqrt2Pi - log(-z) + log(series)
    }

    /// φ(z)/Φ(z) (the inverse Mills ratio), stable in the lower tail.
    static func millsRatio(_ z: Double) -> Double {
        if z > -30 { return normalDensity(z) / normal(z) }
        return exp(-0.5 * z * z - lnSqrt2Pi - lnNormal(z))
    }

    /// Two-sided normal p-value 2Φ(-|z|).
    static func normalTwoSided(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// Upper tail of chi2(df) at x (Stata `chi2tail()`).
    static func chi2Tail(_ df: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        return Distributions.chi2tail(df, x)
    }

    /// Two-sided t p-value 2 P(T_df > |t|) (Stata `2*ttail(df, abs(t))`).
    static func tTwoSided(_ df: Double, _ t: Double) -> Double {
        2 * Distributions.ttail(df, Swift.abs(t))
    }

    /// Upper tail of F(d1, d2) at x (Stata `Ftail()`).
    static func fTail(_ d1: Double, _ d2: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        return Distributions.Ftail(d1, d2, x)
    }

    /// Lower-tail quantile of F(d1, d2) (Stata `invF()`).
    static func invF(_ d1: Double, _ d2: Double, _ p: Double) -> Double {
        Distributions.invFtail(d1, d2, 1 - p)
    }
}
