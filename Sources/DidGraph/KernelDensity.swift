// Univariate kernel density estimation as Stata's `kdensity` does it:
//   f(m) = 1/(W·h) · Σ_i w_i · K((m − x_i)/h),   W = Σ_i w_i,
// with Stata's kernel functions (epanechnikov is the variance-1 version with support |z| < √5),
// the default bandwidth h = 0.9 · min(sd, IQR/1.349) / N^(1/5) (sd alone if that minimum is not
// positive; sd, percentiles and N from `summarize, detail`, which ignores iweights), and the
// default grid of n() points (default 50, at most the number of rows) equally spaced from
// min − h to max + h. Evaluation sums the kernel over the observations within its support
// (binary search in the sorted data; the gaussian is cut at |z| > 40, where exp(−z²/2) is 0 in
// double precision), so the result equals the direct O(n·m) sum up to summation order.
import Foundation

/// Kernel density estimates, Stata style.
public enum KernelDensity {
    /// Kernel functions of `kdensity, kernel()`.
    public enum Kernel: String, Sendable, CaseIterable {
        /// 3/4 · (1 − z²/5) / √5 for |z| < √5 (Stata's default).
        case epanechnikov
        /// 3/4 · (1 − z²) for |z| < 1.
        case epan2
        /// 15/16 · (1 − z²)² for |z| < 1.
        case biweight
        /// 1 + cos(2πz) for |z| < 1/2.
        case cosine
        /// The standard normal density.
        case gaussian
        /// 4/3 − 8z² + 8|z|³ for |z| ≤ 1/2, 8(1 − |z|)³/3 for 1/2 < |z| ≤ 1.
        case parzen
        /// 1/2 for |z| < 1.
        case rectangle
        /// 1 − |z| for |z| < 1.
        case triangle

        /// Half-width of the support in units of h (the gaussian's numerical support).
        var support: Double {
            switch self {
            case .epanechnikov: return 5.0.squareRoot()
            case .cosine: return 0.5
            case .gaussian: return 40
            default: return 1
            }
        }

        /// K(z).
        public func callAsFunction(_ z: Double) -> Double {
            let a = abs(z)
            switch self {
            case .epanechnikov:
                return a < 5.0.squareRoot() ? 0.75 * (1 - z * z / 5) / 5.0.squareRoot() : 0
            case .epan2: return a < 1 ? 0.75 * (1 - z * z) : 0
            case .biweight: return a < 1 ? 15.0 / 16 * (1 - z * z) * (1 - z * z) : 0
            case .cosine: return a < 0.5 ? 1 + cos(2 * .pi * z) : 0
            case .gaussian: return exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            case .parzen:
                if a <= 0.5 { return 4.0 / 3 - 8 * z * z + 8 * a * a * a }
                return a <= 1 ? 8 * (1 - a) * (1 - a) * (1 - a) / 3 : 0
            case .rectangle: return a < 1 ? 0.5 : 0
            case .triangle: return a < 1 ? 1 - a : 0
            }
        }

        /// The kernel a (possibly abbreviated) Stata name denotes: `ep`, `epan2`, `bi`, `cos`,
        /// `gau`, `par`, `rec`, `tri` (minimum abbreviations as kdensity accepts them), or nil.
        public static func named(_ name: String) -> Kernel? {
            let minimum: [(Kernel, Int)] = [(.epan2, 5), (.epanechnikov, 2), (.biweight, 2), (.cosine, 3),
                                            (.gaussian, 3), (.parzen, 3), (.rectangle, 3), (.triangle, 3)]
            let n = name.lowercased()
            return minimum.first { k, len in n.count >= len && k.rawValue.hasPrefix(n) }?.0
        }
    }

    /// How weights count (Stata's `[fw]`, `[aw]`, `[iw]`); this only changes the default bandwidth.
    public enum WeightKind: Sendable {
        /// Frequency weights: N is their sum.
        case frequency
        /// Analytic weights: N is the number of observations.
        case analytic
        /// Importance weights: the bandwidth ignores them.
        case importance
    }

    /// An estimate: evaluation points, densities, the bandwidth used and Stata's r(scale).
    public struct Result: Sendable {
        /// Where the density was evaluated.
        public var x: [Double]
        /// The density at each point.
        public var density: [Double]
        /// The half-width h of the kernel.
        public var bandwidth: Double
        /// The kernel.
        public var kernel: Kernel
        /// r(scale) = 1/(n · mean density).
        public var scale: Double
    }

    /// Stata's default bandwidth 0.9 · min(sd, IQR/1.349) · N^(−1/5) (NaN = missing values skipped).
    public static func defaultBandwidth(values: [Double], weights: [Double]? = nil,
                                        weightKind: WeightKind = .analytic) throws -> Double {
        let (xs, ws) = try clean(values, weights)
        return try bandwidth(xs, ws, weightKind)
    }

    /// Density of `values` at `points` equally spaced points (default 50, capped at the number of
    /// values as Stata caps n() at _N) over `range` (default min − h … max + h), or at `at`.
    public static func estimate(values: [Double], weights: [Double]? = nil, weightKind: WeightKind = .analytic,
                                kernel: Kernel = .epanechnikov, bandwidth: Double? = nil, points: Int = 50,
                                range: (lo: Double, hi: Double)? = nil, at: [Double]? = nil) throws -> Result {
        let (xs, ws) = try clean(values, weights, sorted: true)
        let h: Double
        if let b = bandwidth {
            guard b.isFinite, b > 0 else { throw GraphError(.invalidInput, "bandwidth must be positive") }
            h = b
        } else {
            h = try self.bandwidth(xs, ws, weightKind, sorted: true)
        }
        let grid: [Double]
        if let at {
            grid = at
        } else {
            var n = points <= 1 ? 50 : points
            n = min(n, values.count)
            if n < 2 { n = 2 }
            let lo = range?.lo ?? (xs.first! - h), hi = range?.hi ?? (xs.last! + h)
            guard lo.isFinite, hi.isFinite, lo <= hi else { throw GraphError(.invalidInput, "invalid range") }
            let delta = (hi - lo) / Double(n - 1)
            grid = (0..<n).map { lo + Double($0) * delta }
        }
        let wsum = ws?.reduce(0, +) ?? Double(xs.count)
        let reach = kernel.support * h
        let density = grid.map { m -> Double in
            guard m.isFinite else { return .nan }
            var total = 0.0
            var i = lowerBound(xs, m - reach)
            while i < xs.count && xs[i] <= m + reach {
                total += (ws?[i] ?? 1) * kernel((m - xs[i]) / h)
                i += 1
            }
            return total / (wsum * h)
        }
        let finite = density.filter(\.isFinite)
        let mean = finite.reduce(0, +) / Double(max(1, finite.count))
        return Result(x: grid, density: density, bandwidth: h, kernel: kernel, scale: 1 / (Double(grid.count) * mean))
    }

    /// First index whose value is ≥ `v` in ascending `xs`.
    static func lowerBound(_ xs: [Double], _ v: Double) -> Int {
        var lo = 0, hi = xs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if xs[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Drops missing values (and observations with missing weight); rejects negative weights.
    /// `sorted` returns the values in ascending order, weights alongside.
    static func clean(_ values: [Double], _ weights: [Double]?, sorted: Bool = false) throws -> ([Double], [Double]?) {
        if let w = weights, w.count != values.count {
            throw GraphError(.invalidInput, "weights and values differ in length (\(w.count) vs \(values.count))")
        }
        var xs: [Double] = [], ws: [Double] = []
        for (i, v) in values.enumerated() where v.isFinite {
            if let w = weights?[i] {
                guard !w.isNaN else { continue }
                guard w.isFinite, w >= 0 else { throw GraphError(.invalidInput, "negative weights encountered") }
                if w == 0 { continue }
                ws.append(w)
            }
            xs.append(v)
        }
        guard !xs.isEmpty else { throw GraphError(.noObservations, "no observations") }
        guard sorted else { return (xs, weights == nil ? nil : ws) }
        if weights == nil { return (xs.sorted(), nil) }
        let order = xs.indices.sorted { xs[$0] < xs[$1] }
        return (order.map { xs[$0] }, order.map { ws[$0] })
    }

    static func bandwidth(_ xs: [Double], _ ws: [Double]?, _ kind: WeightKind, sorted: Bool = false) throws -> Double {
        let summary = WeightedSummary(xs, weights: kind == .importance ? nil : ws, frequency: kind == .frequency,
                                      sorted: sorted)
        guard !summary.sd.isNaN else {
            throw GraphError(.insufficientObservations, "insufficient observations to compute the bandwidth")
        }
        guard summary.sd.isFinite else { throw GraphError(.invalidInput, "values too large in magnitude") }
        var spread = min(summary.sd, (summary.percentile(75) - summary.percentile(25)) / 1.349)
        if spread <= 0 { spread = summary.sd }
        let h = 0.9 * spread / pow(summary.n, 0.2)
        guard h.isFinite else { throw GraphError(.invalidInput, "values too large in magnitude") }
        guard h > 0 else {
            throw GraphError(.invalidInput, "bandwidth is zero: all values are equal; specify bwidth()")
        }
        return h
    }
}
