// Tail probabilities of the F and t distributions, for the p-values of regression tables.
// Both reduce to the regularised incomplete beta function I_x(a, b), evaluated by its continued
// fraction (modified Lentz) on the side where it converges fast; accurate to ~1e-14 relative.

import Foundation

/// Upper-tail probabilities used by the linear models (Stata's `Ftail`, `ttail`, `invttail`).
public enum TailProbability {
    /// P(F(d1, d2) > f), Stata's `Ftail(d1, d2, f)`.
    public static func F(_ d1: Double, _ d2: Double, _ f: Double) -> Double {
        guard d1 > 0, d2 > 0, !f.isNaN else { return .nan }
        if f <= 0 { return 1 }
        if f.isInfinite { return 0 }
        return incompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2)
    }

    /// P(T(df) > t), Stata's `ttail(df, t)`.
    public static func t(_ df: Double, _ t: Double) -> Double {
        guard df > 0, !t.isNaN else { return .nan }
        let tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5)
        return t >= 0 ? tail : 1 - tail
    }

    /// The t such that P(T(df) > t) = p, Stata's `invttail(df, p)` (bisection refined on `t`).
    public static func invT(_ df: Double, _ p: Double) -> Double {
        guard df > 0, p > 0, p < 1 else { return .nan }
        if p == 0.5 { return 0 }
        if p > 0.5 { return -invT(df, 1 - p) }
        var lo = 0.0, hi = 1.0
        while t(df, hi) > p { hi *= 2; if hi > 1e300 { return .infinity } }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid == lo || mid == hi { break }
            if t(df, mid) > p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// Regularised incomplete beta I_x(a, b).
    static func incompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        // The continued fraction converges quickly for x < (a+1)/(a+b+2); use symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return exp(lnFront) * betaFraction(x, a, b) / a
        }
        return 1 - exp(lnFront) * betaFraction(1 - x, b, a) / b
    }

    /// Continued fraction for I_x(a, b) (Numerical Recipes' betacf form, modified Lentz).
    private static func betaFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
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
