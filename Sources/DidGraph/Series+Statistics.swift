// Series built from data by the plot statistics, as `twoway kdensity` and `twoway histogram`
// layers, so callers need not wire KernelDensity and Histogram output into bars and lines.
import Foundation

extension Series {
    /// A `twoway kdensity` layer: the density line of `values` (see `KernelDensity.estimate`).
    public static func kdensity(_ values: [Double], weights: [Double]? = nil,
                                weightKind: KernelDensity.WeightKind = .analytic,
                                kernel: KernelDensity.Kernel = .epanechnikov, bandwidth: Double? = nil,
                                points: Int = 50, range: (lo: Double, hi: Double)? = nil, label: String? = nil,
                                color: Color? = nil, pattern: LinePattern = .solid) throws -> Series {
        let r = try KernelDensity.estimate(values: values, weights: weights, weightKind: weightKind, kernel: kernel,
                                           bandwidth: bandwidth, points: points, range: range)
        return .line(x: r.x, y: r.density, label: label, color: color, pattern: pattern)
    }

    /// A `twoway histogram` layer: bars of `values` (see `Histogram.bins`).
    public static func histogram(_ values: [Double], weights: [Double]? = nil, bins: Int? = nil, width: Double? = nil,
                                 start: Double? = nil, scale: Histogram.Scale = .density, discrete: Bool = false,
                                 label: String? = nil, color: Color? = nil) throws -> Series {
        let b = try Histogram.bins(values, weights: weights, bins: bins, width: width, start: start, scale: scale,
                                   discrete: discrete)
        return .histogram(b, label: label, color: color)
    }
}

extension KernelDensity.Result {
    /// The note Stata's `kdensity` graph carries: "kernel = epanechnikov, bandwidth = 0.1234"
    /// (bandwidth rounded to 4 decimals, or in %10.3e form when that rounds to 0).
    public var stataNote: String {
        let rounded = (bandwidth / 0.0001).rounded() * 0.0001
        let bw = rounded == 0 ? String(format: "%10.3e", bandwidth).trimmingCharacters(in: .whitespaces)
                              : String(format: "%6.4f", bandwidth)
        return "kernel = \(kernel.rawValue), bandwidth = \(bw)"
    }
}
