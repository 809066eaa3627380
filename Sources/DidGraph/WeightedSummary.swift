// The parts of `summarize, detail` that kdensity's default bandwidth needs: N, standard
// deviation and percentiles, with Stata's definitions for unweighted, frequency- and
// analytic-weighted data.
import Foundation

/// Sample statistics as Stata's `summarize, detail` computes them.
struct WeightedSummary {
    /// r(N): the number of observations, or the sum of frequency weights.
    let n: Double
    /// r(mean) and r(sd) (sd is NaN with fewer than two observations).
    let mean: Double, sd: Double
    /// r(min), r(max).
    let min: Double, max: Double
    private let sorted: [(x: Double, w: Double)]
    private let totalWeight: Double

    /// `frequency`: weights count observations; otherwise they are analytic (N = number of rows).
    /// `sorted`: the values are already in ascending order (weights alongside).
    init(_ xs: [Double], weights: [Double]?, frequency: Bool, sorted presorted: Bool = false) {
        let ws = weights ?? [Double](repeating: 1, count: xs.count)
        let wsum = ws.reduce(0, +)
        let rows = Double(xs.count)
        n = frequency || weights == nil ? wsum : rows
        let m = zip(xs, ws).reduce(0) { $0 + $1.0 * $1.1 } / wsum
        mean = m
        let ss = zip(xs, ws).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) }
        if frequency || weights == nil {
            sd = n > 1 ? (ss / (n - 1)).squareRoot() : .nan
        } else {
            // aweights are rescaled to sum to the number of rows before the usual formula.
            sd = rows > 1 ? (ss * rows / wsum / (rows - 1)).squareRoot() : .nan
        }
        let pairs = zip(xs, ws).map { (x: $0.0, w: $0.1) }
        sorted = presorted ? pairs : pairs.sorted { $0.x < $1.x }
        totalWeight = wsum
        min = sorted.first?.x ?? .nan
        max = sorted.last?.x ?? .nan
    }

    /// The p-th percentile: with cumulative weights W_i and P = W·p/100, x_(1) if P < W_1, the
    /// mean of x_(i) and x_(i+1) if W_i = P, else x_(i+1) for W_i < P < W_(i+1).
    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let target = totalWeight * p / 100
        var cum = 0.0
        for (i, e) in sorted.enumerated() {
            cum += e.w
            if cum == target && i + 1 < sorted.count { return (e.x + sorted[i + 1].x) / 2 }
            if cum > target { return e.x }
        }
        return sorted[sorted.count - 1].x
    }
}
