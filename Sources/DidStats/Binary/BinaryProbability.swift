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
        return gammaQ(0.5 * df, 0.5 * x)
    }

    /// Two-sided t p-value 2 P(T_df > |t|) (Stata `2*ttail(df, abs(t))`).
    static func tTwoSided(_ df: Double, _ t: Double) -> Double {
        betaI(0.5 * df, 0.5, df / (df + t * t))
    }

    /// Upper tail of F(d1, d2) at x (Stata `Ftail()`).
    static func fTail(_ d1: Double, _ d2: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        return betaI(0.5 * d2, 0.5 * d1, d2 / (d2 + d1 * x))
    }

    /// Lower-tail quantile of F(d1, d2) (Stata `invF()`), by bisection in log space.
    static func invF(_ d1: Double, _ d2: Double, _ p: Double) -> Double {
        var lo = -60.0, hi = 60.0                     // bracket ln x
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if 1 - fTail(d1, d2, exp(mid)) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-15 { break }
        }
        return exp(0.5 * (lo + hi))
    }

    /// Regularised upper incomplete gamma Q(a, x).
    static func gammaQ(_ a: Double, _ x: Double) -> Double {
        if x < a + 1 { return 1 - gammaPSeries(a, x) }
        // Continued fraction (modified Lentz).
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }

    private static func gammaPSeries(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        var ap = a, sum = 1 / a, del = sum
        for _ in 0..<10000 {
            ap += 1; del *= x / ap; sum += del
            if abs(del) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    /// Regularised incomplete beta I_x(a, b).
    static func betaI(_ a: Double, _ b: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) { return exp(lnFront) * betaCF(a, b, x) / a }
        return 1 - exp(lnFront) * betaCF(b, a, 1 - x) / b
    }

    private static func betaCF(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0, d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10000 {
            let m2 = Double(2 * m), md = Double(m)
            var aa = md * (b - md) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return h
    }
}
