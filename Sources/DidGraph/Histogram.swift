// Histogram bins the way Stata's `histogram` (twoway__histogram_gen) makes them: by default
// int(min(sqrt(N), 10·log10(N))) equal bins from the minimum to the maximum; a value on an
// inner edge goes to the bin above it, the maximum to the last bin. Heights are density
// (default), fraction, frequency or percent. N counts frequency weights.
import Foundation

/// Histogram binning, Stata style.
public enum Histogram {
    /// What the bar heights measure (`density`, `fraction`, `frequency`, `percent`).
    public enum Scale: String, Sendable, CaseIterable {
        /// Count / (N · width): the bars' area is 1 (Stata's default).
        case density
        /// Count / N.
        case fraction
        /// Count.
        case frequency
        /// 100 · count / N.
        case percent
    }

    /// One bar: its edges, its height on the chosen scale and the (weighted) count in it.
    public struct Bin: Equatable, Sendable {
        /// Lower and upper edge.
        public var lo: Double, hi: Double
        /// Height on the chosen scale.
        public var height: Double
        /// Number of observations (sum of frequency weights) in the bin.
        public var count: Double
    }

    /// Stata's default number of bins for N observations: int(min(sqrt(N), 10·ln(N)/ln(10))), at least 1.
    public static func defaultBinCount(_ n: Double) -> Int {
        max(1, Int(min(n.squareRoot(), 10 * log(n) / log(10))))
    }

    /// Bins `values` (NaN = missing, skipped). `weights` are frequency weights (nonnegative
    /// integers). Give at most one of `bins` and `width`; `start` may not exceed the minimum.
    /// `discrete` makes one bin per distinct step of the data, centred on the values.
    public static func bins(_ values: [Double], weights: [Double]? = nil, bins: Int? = nil, width: Double? = nil,
                            start: Double? = nil, scale: Scale = .density, discrete: Bool = false) throws -> [Bin] {
        if bins != nil && width != nil { throw GraphError(.invalidInput, "options bin() and width() may not be combined") }
        if discrete && bins != nil { throw GraphError(.invalidInput, "options discrete and bin() may not be combined") }
        if let b = bins, b <= 0 { throw GraphError(.invalidInput, "bin() must be a positive integer") }
        if let w = width, !(w.isFinite && w > 0) { throw GraphError(.invalidInput, "width() must be a positive number") }
        if let w = weights, w.count != values.count {
            throw GraphError(.invalidInput, "weights and values differ in length (\(w.count) vs \(values.count))")
        }
        var xs: [Double] = [], ws: [Double] = []
        for (i, v) in values.enumerated() where v.isFinite {
            let w = weights?[i] ?? 1
            if w.isNaN { continue }
            guard w >= 0, w.isFinite, w == w.rounded() else {
                throw GraphError(.invalidInput, "may not use noninteger or negative frequency weights")
            }
            if w > 0 { xs.append(v); ws.append(w) }
        }
        guard !xs.isEmpty else { throw GraphError(.noObservations, "no observations") }
        let n = ws.reduce(0, +)
        var lo = xs.min()!
        let hi = xs.max()!
        guard (hi - lo).isFinite, n.isFinite else { throw GraphError(.invalidInput, "values too large in magnitude") }
        var h: Double, count: Int
        if let s = start {
            if lo < s && reldif(lo, s) > 1e-5 {
                throw GraphError(.invalidInput, "option start() may not be larger than minimum of the variable")
            }
            if !discrete { lo = s }
        }
        if !discrete {
            if let w = width ?? (lo == hi ? 1 : nil) {
                h = w
                let bins = ((hi - lo) / h).rounded(.up)
                guard bins <= 100_000 else { throw GraphError(.invalidInput, "too many bins") }
                count = max(1, Int(bins))
            } else {
                count = bins ?? defaultBinCount(n)
                h = (hi - lo) / Double(count)
            }
        } else {
            h = width ?? smallestGap(xs)
            lo -= h / 2
            let bins = (hi - lo) / h + 0.5
            guard bins <= 100_000 else { throw GraphError(.invalidInput, "too many bins") }
            count = max(1, Int(bins))
        }
        guard h > 0, h.isFinite else { throw GraphError(.invalidInput, "bin width must be positive") }
        guard count <= 100_000 else { throw GraphError(.invalidInput, "too many bins") }
        var counts = [Double](repeating: 0, count: count)
        for (v, w) in zip(xs, ws) {
            // Floor of the offset in widths; edge cases from rounding go to the nearest end bin.
            let offset = ((v - lo) / h).rounded(.down)
            let k = offset.isNaN ? 0 : Int(min(max(offset, 0), Double(count - 1)))
            counts[k] += w
        }
        return counts.enumerated().map { k, c in
            let height: Double
            switch scale {
            case .density: height = c / (n * h)
            case .fraction: height = c / n
            case .frequency: height = c
            case .percent: height = 100 * c / n
            }
            return Bin(lo: lo + Double(k) * h, hi: lo + Double(k + 1) * h, height: height, count: c)
        }
    }

    /// Stata's reldif(): |a−b| / (|b| + 1).
    static func reldif(_ a: Double, _ b: Double) -> Double { abs(a - b) / (abs(b) + 1) }

    /// The smallest positive difference between sorted values (1 if there is none).
    static func smallestGap(_ xs: [Double]) -> Double {
        let sorted = xs.sorted()
        var gap = Double.infinity
        for i in 1..<max(1, sorted.count) where sorted[i] > sorted[i - 1] { gap = min(gap, sorted[i] - sorted[i - 1]) }
        return gap.isFinite ? gap : 1
    }
}
