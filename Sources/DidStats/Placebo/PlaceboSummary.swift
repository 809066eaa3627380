// Summary of a placebo distribution against the real estimate: mean, SD and the randomisation
// p-values (shares of placebo estimates at least as extreme as the real one, Fisher-style).

import Foundation

/// Summary of a placebo distribution against the real estimate.
public struct PlaceboSummary: Sendable, Equatable {
    /// Replicates with an estimate.
    public var reps: Int
    /// Mean and standard deviation (n - 1) of the placebo estimates.
    public var mean: Double, sd: Double
    /// Shares of placebo estimates at least as extreme as the real one: b_p <= b, b_p >= b,
    /// |b_p| >= |b|.
    public var pLeft: Double, pRight: Double, pTwoSided: Double

    /// Summarises `placebo` (NaN entries = failed replicates, skipped) against `real`.
    public init(placebo: [Double], real: Double) {
        let v = placebo.filter { $0.isFinite }
        reps = v.count
        let n = Double(v.count)
        mean = v.isEmpty ? .nan : v.reduce(0, +) / n
        let m = mean
        sd = v.count > 1 ? (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() : .nan
        pLeft = v.isEmpty ? .nan : Double(v.filter { $0 <= real }.count) / n
        pRight = v.isEmpty ? .nan : Double(v.filter { $0 >= real }.count) / n
        pTwoSided = v.isEmpty ? .nan : Double(v.filter { abs($0) >= abs(real) }.count) / n
    }
}
