// Probability distributions behind normal(), ttail(), Ftail(), chi2tail() and their inverses.
//
// Method (written for relative accuracy ~1e-13 or better, including far tails):
//   * Φ(x) = erfc(-x/√2)/2 with the C library's erfc (≈1 ulp), so tails keep relative precision.
//   * Φ⁻¹(p): Wichura's AS 241 (shared with StataRandom.normal).
//   * Regularized incomplete beta I_x(a,b): the continued fraction (modified Lentz) on whichever
//     side of the mode converges, with x and 1-x passed separately so t- and F-tails never
//     compute 1-x by subtraction; the prefactor x^a (1-x)^b / B(a,b) is taken in logs with log1p.
//   * Regularized incomplete gamma P(a,x)/Q(a,x): series below a+1, continued fraction above.
//   * Large parameters: ln B(a,b) and x^a e^-x/Γ(a) use Stirling differences (δ(x) series)
//     instead of subtracting huge lnΓ values, which would cost a·1e-16 absolute; t with
//     df > 1e8 uses the df-corrected normal approximation (error O(df⁻²)).
//   * Inverses (invttail, invFtail, invchi2tail, …): safeguarded Newton on ln S(x) − ln p with a
//     bisection bracket, S the upper tail and its derivative −density/S; converges in a few steps
//     from any starting point and keeps relative accuracy for tiny p.
// Domains follow Stata: df must be positive (non-integer allowed); out-of-domain gives missing.
import DidFrame
import Foundation

/// Distribution functions (probabilities, densities, quantiles).
public enum Distributions {
    /// Standard normal CDF Φ(x).
    public static func normal(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Standard normal density φ(x).
    public static func normalDen(_ x: Double) -> Double { Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }

    /// Φ⁻¹(p) for 0 < p < 1 (NaN otherwise): AS 241 plus one Newton step on the lower tail,
    /// where Φ is known to ~1 ulp relative, so far tails keep full relative accuracy.
    public static func invNormal(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return .nan }
        if p > 0.5 { return -invNormal(1 - p) }   // 1 - p is exact for p ≥ 0.5
        let z = StataRandom.inverseNormal(p)
        let dens = normalDen(z)
        guard dens > 0 else { return z }
        return z - (normal(z) - p) / dens
    }

    /// Stirling remainder δ(x) = lnΓ(x) − [(x−½)ln x − x + ½ln 2π], for x ≥ 15 (error < 1e-17).
    static func stirlingDelta(_ x: Double) -> Double {
        let r = 1 / x, r2 = r * r
        return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))))
    }

    /// ln(1+u) − u without cancellation for small u.
    static func log1pmx(_ u: Double) -> Double {
        guard abs(u) < 0.25 else { return Foundation.log1p(u) - u }
        var term = u, sum = 0.0
        for k in 2...60 {
            term *= -u
            let t = term / Double(k)
            sum += t
            if abs(t) < 1e-18 * abs(sum) { break }
        }
        return sum
    }

    /// lnΓ(a) − lnΓ(a+b) for a ≥ 15, by Stirling differences (no cancellation of two huge
    /// lnΓ values, which would cost ~a·1e-16 absolute).
    static func lnGammaRatio(_ a: Double, _ b: Double) -> Double {
        -(a - 0.5) * Foundation.log1p(b / a) - b * Foundation.log(a + b) + b + stirlingDelta(a) - stirlingDelta(a + b)
    }

    /// ln B(a, b), accurate when one or both arguments are large.
    static func lnBeta(_ a0: Double, _ b0: Double) -> Double {
        let a = max(a0, b0), b = min(a0, b0)
        if a < 15 { return lgamma(a) + lgamma(b) - lgamma(a + b) }
        if b < 15 { return lgamma(b) + lnGammaRatio(a, b) }
        let lnSqrt2Pi = 0.9189385332046727418
        return lnSqrt2Pi - 0.5 * Foundation.log(b) + (a - 0.5) * -Foundation.log1p(b / a)
            + b * (Foundation.log(b) - Foundation.log(a + b)) + stirlingDelta(a) + stirlingDelta(b) - stirlingDelta(a + b)
    }

    /// Regularized incomplete beta I_x(a, b), given x and y = 1 - x separately, and optionally
    /// ln x and ln y when the caller can compute them more accurately than log(x) (t and F tails).
    public static func incompleteBeta(_ a: Double, _ b: Double, x: Double, y: Double,
                                      lnx: Double? = nil, lny: Double? = nil, swapped: Bool = false) -> Double {
        guard a > 0, b > 0, x >= 0, y >= 0, a <= maxShape, b <= maxShape else { return .nan }
        if x == 0 { return 0 }
        if y == 0 { return 1 }
        // The continued fraction converges fast for x < (a+1)/(a+b+2); otherwise use symmetry
        // (once: with rounding both sides can look "too large" for astronomically large a, b).
        if !swapped && x > (a + 1) / (a + b + 2) {
            return 1 - incompleteBeta(b, a, x: y, y: x, lnx: lny, lny: lnx, swapped: true)
        }
        let lnPre: Double
        if a >= 15 && b >= 15 {
            // x^a y^b / B(a,b) around the mode x0 = a/(a+b): with u = x/x0 − 1 = (bx − ay)/a and
            // v = y/y0 − 1 = (ay − bx)/b we have a·u + b·v = 0, so the exponent is
            // a·(ln(1+u) − u) + b·(ln(1+v) − v) + ½ln(ab/(a+b)) − ½ln 2π − Δδ, with no large
            // terms to cancel.
            let u = (b * x - a * y) / a, v = (a * y - b * x) / b
            let lnSqrt2Pi = 0.9189385332046727418
            lnPre = a * log1pmx(u) + b * log1pmx(v) + 0.5 * Foundation.log(a * b / (a + b)) - lnSqrt2Pi
                - (stirlingDelta(a) + stirlingDelta(b) - stirlingDelta(a + b))
        } else {
            let lx = lnx ?? (x < 0.5 ? Foundation.log(x) : Foundation.log1p(-y))
            let ly = lny ?? (y < 0.5 ? Foundation.log(y) : Foundation.log1p(-x))
            lnPre = a * lx + b * ly - lnBeta(a, b)
        }
        return Foundation.exp(lnPre) * betaFraction(a, b, x, y) / a
    }

    /// Upper tail 1 - I_x(a, b) computed without cancellation.
    public static func incompleteBetaUpper(_ a: Double, _ b: Double, x: Double, y: Double) -> Double {
        incompleteBeta(b, a, x: y, y: x)
    }

    // Continued fraction for I_x(a,b) (Numerical Recipes' betacf form), modified Lentz. Large
    // shape parameters run in double-double with x = 1 − y exact (see DoubleDouble.swift).
    static func betaFraction(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> Double {
        if max(a, b) > 500 {
            let xx = x < 0.5 ? DoubleDouble(x) : DoubleDouble(1) - DoubleDouble(y)
            return betaFractionDD(a, b, xx)
        }
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...100_000 {
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

    static func betaFractionDD(_ a: Double, _ b: Double, _ x: DoubleDouble) -> Double {
        typealias D = DoubleDouble
        let tiny = 1e-300
        let one = D(1), A = D(a), B = D(b)
        let qab = A + B, qap = A + one, qam = A - one
        func guardTiny(_ v: D) -> D { abs(v.hi) < tiny ? D(tiny) : v }
        var c = one
        var d = guardTiny(one - qab * x / qap)
        d = one / d
        var h = d
        for m in 1...1_000_000 {
            let md = D(Double(m)), m2 = D(Double(2 * m))
            var aa = md * (B - md) * x / ((qam + m2) * (A + m2))
            d = guardTiny(one + aa * d)
            c = guardTiny(one + aa / c)
            d = one / d; h = h * d * c
            aa = -((A + md) * (qab + md) * x) / ((A + m2) * (qap + m2))
            d = guardTiny(one + aa * d)
            c = guardTiny(one + aa / c)
            d = one / d
            let del = d * c
            h = h * del
            if abs((del - one).hi) < 1e-20 { break }
        }
        return h.value
    }

    /// Largest shape parameter (df/2) accepted: beyond it the series and continued fractions
    /// would need ~√a terms; results there are missing rather than slow or inexact.
    public static let maxShape = 1e9

    /// Regularized lower incomplete gamma P(a, x).
    public static func gammaP(_ a: Double, _ x: Double) -> Double {
        guard a > 0, x >= 0, a <= maxShape else { return .nan }
        if x == 0 { return 0 }
        if x < a + 1 { return gammaSeries(a, x) }
        return 1 - gammaFraction(a, x)
    }

    /// Regularized upper incomplete gamma Q(a, x).
    public static func gammaQ(_ a: Double, _ x: Double) -> Double {
        guard a > 0, x >= 0, a <= maxShape else { return .nan }
        if x == 0 { return 1 }
        if x < a + 1 { return 1 - gammaSeries(a, x) }
        return gammaFraction(a, x)
    }

    static func gammaSeries(_ a: Double, _ x: Double) -> Double {
        var ap = a, sum = 1 / a, del = sum
        for _ in 0..<1_000_000 {
            ap += 1; del *= x / ap; sum += del
            if abs(del) < abs(sum) * 1e-17 { break }
        }
        return sum * gammaPrefactor(a, x)
    }

    /// x^a e^(−x) / Γ(a), via Stirling for a ≥ 15 so that large a keeps full precision.
    static func gammaPrefactor(_ a: Double, _ x: Double) -> Double {
        if a < 15 { return Foundation.exp(-x + a * Foundation.log(x) - lgamma(a)) }
        let ln2Pi = 1.8378770664093454836
        return Foundation.exp(a * log1pmx((x - a) / a) + 0.5 * (Foundation.log(a) - ln2Pi) - stirlingDelta(a))
    }

    static func gammaFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return gammaPrefactor(a, x) * h
    }

    // MARK: Student t

    /// Upper tail P(T > t) of Student's t with df degrees of freedom.
    public static func ttail(_ df: Double, _ t: Double) -> Double {
        guard df > 0, !t.isNaN else { return .nan }
        if t.isInfinite { return t > 0 ? 0 : 1 }
        if df > 1e8 {
            // The beta continued fraction needs ~√df terms here; use the normal approximation
            // with the first-order df correction instead (relative error O(df⁻²) < 1e-16).
            let z = t * (1 - 1 / (4 * df)) / (1 + t * t / (2 * df)).squareRoot()
            return normal(-z)
        }
        let t2 = t * t
        // x = df/(df+t²), 1-x = t²/(df+t²), and their logs, all without subtraction.
        let r = t2 / df
        let x = df / (df + t2), y = t2 / (df + t2)
        let lnx = -Foundation.log1p(r), lny = Foundation.log(r) - Foundation.log1p(r)
        let half = 0.5 * incompleteBeta(df / 2, 0.5, x: x, y: y, lnx: lnx, lny: lny)
        return t >= 0 ? half : 1 - half
    }

    /// Student's t density.
    public static func tden(_ df: Double, _ t: Double) -> Double {
        guard df > 0 else { return .nan }
        return Foundation.exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Foundation.log(df * Double.pi)
                              - (df + 1) / 2 * Foundation.log1p(t * t / df))
    }

    /// t such that ttail(df, t) = p.
    public static func invttail(_ df: Double, _ p: Double) -> Double {
        guard df > 0, p > 0, p < 1 else { return .nan }
        if p == 0.5 { return 0 }
        if p > 0.5 { return -invttail(df, 1 - p) }
        return invertTail(p, start: max(invNormal(1 - p), 1e-3)) { t in (ttail(df, t), tden(df, t)) }
    }

    // MARK: F

    /// Upper tail P(F > f) with (df1, df2) degrees of freedom.
    public static func Ftail(_ df1: Double, _ df2: Double, _ f: Double) -> Double {
        guard df1 > 0, df2 > 0, !f.isNaN else { return .nan }
        if f <= 0 { return 1 }
        if f.isInfinite { return 0 }
        let den = df2 + df1 * f, r = df1 * f / df2
        return incompleteBeta(df2 / 2, df1 / 2, x: df2 / den, y: df1 * f / den,
                              lnx: -Foundation.log1p(r), lny: Foundation.log(r) - Foundation.log1p(r))
    }

    /// F density.
    public static func Fden(_ df1: Double, _ df2: Double, _ f: Double) -> Double {
        guard df1 > 0, df2 > 0 else { return .nan }
        if f < 0 { return 0 }
        if f == 0 { return df1 < 2 ? .infinity : (df1 == 2 ? 1 : 0) }
        let a: Double = 0.5 * df1 * Foundation.log(df1) + 0.5 * df2 * Foundation.log(df2)
        let b: Double = (0.5 * df1 - 1) * Foundation.log(f)
        let c: Double = 0.5 * (df1 + df2) * Foundation.log(df2 + df1 * f)
        let l: Double = a + b - c - lnBeta(df1 / 2, df2 / 2)
        return Foundation.exp(l)
    }

    /// f such that Ftail(df1, df2, f) = p.
    public static func invFtail(_ df1: Double, _ df2: Double, _ p: Double) -> Double {
        guard df1 > 0, df2 > 0, p > 0, p < 1 else { return .nan }
        return invertTail(p, start: 1) { f in (Ftail(df1, df2, f), Fden(df1, df2, f)) }
    }

    // MARK: chi-squared

    /// Upper tail P(X > x) of χ²(df).
    public static func chi2tail(_ df: Double, _ x: Double) -> Double {
        guard df > 0, !x.isNaN else { return .nan }
        if x <= 0 { return 1 }
        return gammaQ(df / 2, x / 2)
    }

    /// χ²(df) density.
    public static func chi2den(_ df: Double, _ x: Double) -> Double {
        guard df > 0 else { return .nan }
        if x < 0 { return 0 }
        if x == 0 { return df < 2 ? .infinity : (df == 2 ? 0.5 : 0) }
        let k: Double = df / 2
        let l: Double = (k - 1) * Foundation.log(x) - x / 2
        return Foundation.exp(l - k * M_LN2 - lgamma(k))
    }

    /// x such that chi2tail(df, x) = p.
    public static func invchi2tail(_ df: Double, _ p: Double) -> Double {
        guard df > 0, p > 0, p < 1 else { return .nan }
        return invertTail(p, start: df) { x in (chi2tail(df, x), chi2den(df, x)) }
    }

    // MARK: inversion

    /// Solves S(x) = p for a decreasing upper tail S on [0, ∞) with S(0) > p: Newton on
    /// ln S(x) − ln p (derivative −density/S), kept inside a bisection bracket.
    static func invertTail(_ p: Double, start: Double, _ s: (Double) -> (tail: Double, density: Double)) -> Double {
        let target = Foundation.log(p)
        var lo = 0.0, hi = max(start, 1e-8)
        var guardCount = 0
        while s(hi).tail > p && guardCount < 2000 { lo = hi; hi *= 2; guardCount += 1 }
        if hi.isInfinite { return .infinity }
        var x = min(max(start, lo), hi)
        if x <= lo || x >= hi { x = 0.5 * (lo + hi) }
        for _ in 0..<300 {
            let (tail, dens) = s(x)
            guard tail > 0 else { hi = x; x = 0.5 * (lo + hi); continue }
            let g = Foundation.log(tail) - target
            if g > 0 { lo = x } else { hi = x }
            if g == 0 { return x }
            var next = dens > 0 ? x + g * tail / dens : .nan
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 1e-15 * abs(x) || hi - lo <= 2 * hi.ulp { return next }
            x = next
        }
        return x
    }

    // MARK: combinatorics

    /// n choose k for whole numbers 0 ≤ k ≤ n (exact while the result is below 2^53).
    public static func comb(_ n: Double, _ k: Double) -> Double {
        guard n == n.rounded(), k == k.rounded(), k >= 0, n >= k else { return .nan }
        let kk = min(k, n - k)
        if kk == 0 { return 1 }
        // The multiplicative formula is exact while r < 2^53 and then accurate to a few ulps.
        if kk <= 100_000 {
            var r = 1.0
            for i in 1...Int(kk) { r = r * (n - kk + Double(i)) / Double(i) }
            return r.rounded()
        }
        return Foundation.exp(lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)).rounded()
    }
}
