// Summary statistics as Stata's summarize computes them ([R] summarize, Methods and formulas).
//
// Inputs: the non-missing values x_i of one variable over the sample and, optionally, weights
// w_i (already filtered: no missing or zero weights). W = Σw.
//   mean     = Σ w x / W
//   variance = Σ w (x - mean)^2 / (W - 1), where for aweights the weights are first rescaled to
//              sum to n (so the divisor is n - 1); fweights and iweights use W as given.
//   N        = n, except fweights: N = W.
//   skewness = m3 / m2^(3/2), kurtosis = m4 / m2^2 with m_r = Σ w (x - mean)^r / W.
//   percentile p: with x sorted and cumulative weights W_i, P = W p / 100; the first i with
//              W_i > P gives x_i, and W_i == P exactly gives (x_i + x_{i+1}) / 2. Without
//              weights the comparison is done in integers (n p against 100 i) so it is exact.

import DidFrame
import DidStats
import Foundation

/// Results of summarizing one variable.
struct SummaryStats {
    var n: Int = 0
    var N: Double = 0
    var sumW: Double = 0
    var sum: Double = 0
    var mean: Double = Missing.dot
    var variance: Double = Missing.dot
    var min: Double = Missing.dot
    var max: Double = Missing.dot
    var skewness: Double = Missing.dot
    var kurtosis: Double = Missing.dot
    /// Percentiles 1 5 10 25 50 75 90 95 99 (detail only).
    var percentiles: [Double] = []
    /// The four smallest and largest values (missing when fewer observations).
    var smallest: [Double] = []
    var largest: [Double] = []

    /// The percentile points summarize reports.
    static let points: [Int] = [1, 5, 10, 25, 50, 75, 90, 95, 99]

    var sd: Double { Missing.isMissing(variance) ? Missing.dot : variance.squareRoot() }

    /// Computes the statistics; `detail` adds percentiles, extremes and moments.
    static func compute(_ x: [Double], weights: [Double]?, kind: WeightSpec.Kind?, detail: Bool) -> SummaryStats {
        var r = SummaryStats()
        let n = x.count
        r.n = n
        guard n > 0 else { r.mean = Missing.dot; return r }
        let w = weights ?? []
        let weighted = weights != nil
        var W = 0.0, sx = 0.0
        for i in 0..<n {
            let wi = weighted ? w[i] : 1
            W += wi; sx += wi * x[i]
        }
        r.sumW = W
        r.sum = sx
        r.N = kind == .fweight ? W : Double(n)
        r.mean = sx / W
        var lo = x[0], hi = x[0]
        var m2 = 0.0, m3 = 0.0, m4 = 0.0
        for i in 0..<n {
            let wi = weighted ? w[i] : 1
            let d = x[i] - r.mean
            let d2 = d * d
            m2 += wi * d2
            if detail { m3 += wi * d2 * d; m4 += wi * d2 * d2 }
            if x[i] < lo { lo = x[i] }
            if x[i] > hi { hi = x[i] }
        }
        r.min = lo; r.max = hi
        // aweights are rescaled to sum to n before the variance divisor is applied.
        let scale = kind == .aweight ? Double(n) / W : 1
        let denom = kind == .aweight ? Double(n) - 1 : W - 1
        r.variance = denom > 0 ? Missing.clean(m2 * scale / denom) : Missing.dot
        if detail {
            let mm2 = m2 / W, mm3 = m3 / W, mm4 = m4 / W
            r.skewness = mm2 > 0 ? Missing.clean(mm3 / Foundation.pow(mm2, 1.5)) : Missing.dot
            r.kurtosis = mm2 > 0 ? Missing.clean(mm4 / (mm2 * mm2)) : Missing.dot
            r.fillOrderStatistics(x, w: weighted ? w : nil)
        }
        return r
    }

    /// Percentiles and the four smallest/largest values.
    private mutating func fillOrderStatistics(_ x: [Double], w: [Double]?) {
        let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
        let sorted = order.map { x[$0] }
        let n = sorted.count
        smallest = (0..<4).map { $0 < n ? sorted[$0] : Missing.dot }
        largest = (0..<4).map { k in let i = n - 4 + k; return i >= 0 ? sorted[i] : Missing.dot }
        if let w = w {
            let sw = order.map { w[$0] }
            let W = sw.reduce(0, +)
            percentiles = Self.points.map { p in Self.weightedPercentile(sorted, sw, total: W, p: Double(p)) }
        } else {
            percentiles = Self.points.map { p in Self.percentile(sorted, p: p) }
        }
    }

    /// Unweighted percentile of sorted values (exact integer comparison of n·p with 100·i).
    static func percentile(_ sorted: [Double], p: Int) -> Double {
        let n = sorted.count
        guard n > 0 else { return Missing.dot }
        let np = n * p
        let i = np / 100                 // number of observations at or below P
        if np % 100 == 0 {
            return i >= n ? sorted[n - 1] : (i == 0 ? sorted[0] : (sorted[i - 1] + sorted[i]) / 2)
        }
        return sorted[Swift.min(i, n - 1)]
    }

    /// Weighted percentile with cumulative weights.
    static func weightedPercentile(_ sorted: [Double], _ w: [Double], total: Double, p: Double) -> Double {
        let P = total * p / 100
        var cum = 0.0
        for i in 0..<sorted.count {
            cum += w[i]
            if cum == P { return i + 1 < sorted.count ? (sorted[i] + sorted[i + 1]) / 2 : sorted[i] }
            if cum > P { return sorted[i] }
        }
        return sorted[sorted.count - 1]
    }
}

/// Upper tail of the chi-squared distribution, for tabulate's Pearson test (DidStats'
/// `Distributions`, the one implementation of the distribution functions).
enum ChiSquared {
    static func tail(df: Double, _ x: Double) -> Double {
        guard df > 0, x > 0 else { return x <= 0 ? 1 : Missing.dot }
        return Distributions.chi2tail(df, x)
    }
}
