// Kernel and radius matching as psmatch2 4.0.12 `_Match_kernel` / `_Kernel_` do it: for each query
// unit, every candidate with |dp| <= bandwidth (all candidates for the normal kernel) gets the
// kernel weight of u = dp / bandwidth, weights are divided by their sum, added to the candidates'
// `_weight`, and the query's matched outcome is the weighted mean of the candidates' outcomes.
// A query with no candidate in its window is put off support.
//
// Candidates are sorted by score so the window is found by bisection (O(log n) plus its size);
// psmatch2 visits candidates in row order, which only changes the order of additions (~1 ulp).

import Foundation

/// Kernel weights of one query over candidates sorted by ascending score.
struct KernelWindow {
    /// Candidate scores, ascending.
    let cp: [Double]
    /// Kernel shape.
    let kernel: MatchKernel
    /// Bandwidth (psmatch2's `bwidth()`, or the caliper for radius matching; infinity = all).
    let bandwidth: Double

    /// Candidate indices and normalised weights for one query (empty when no candidate is in reach).
    func weights(for q: Double) -> (index: [Int], weight: [Double]) {
        let n = cp.count
        guard n > 0 else { return ([], []) }
        var first = 0, last = n - 1
        if kernel != .normal && bandwidth.isFinite {
            var lo = 0, hi = n
            while lo < hi { let mid = (lo + hi) >> 1; if cp[mid] < q { lo = mid + 1 } else { hi = mid } }
            let split = lo
            // Left part: "inside" is false then true as the index grows; right part: true then false.
            var a = 0, b = split
            while a < b { let mid = (a + b) >> 1; if abs(cp[mid] - q) <= bandwidth { b = mid } else { a = mid + 1 } }
            first = a
            a = split; b = n
            while a < b { let mid = (a + b) >> 1; if abs(cp[mid] - q) <= bandwidth { a = mid + 1 } else { b = mid } }
            last = a - 1
            if last < first { return ([], []) }
        }
        var index = [Int](); index.reserveCapacity(last - first + 1)
        var weight = [Double](); weight.reserveCapacity(last - first + 1)
        var total = 0.0
        for j in first...last {
            let dif = cp[j] - q
            let w = Self.kernelWeight(kernel, dif: dif, bandwidth: bandwidth)
            index.append(j); weight.append(w); total += w
        }
        guard total > 0 else { return ([], []) }
        for t in 0..<weight.count { weight[t] /= total }
        return (index, weight)
    }

    /// psmatch2's `_Kernel_` formulas at u = dif / bandwidth (|dif| <= bandwidth checked by the caller).
    static func kernelWeight(_ kernel: MatchKernel, dif: Double, bandwidth: Double) -> Double {
        if !bandwidth.isFinite { return kernel == .normal ? 0.3989422804014327 : 1 }
        let u = dif / bandwidth
        switch kernel {
        case .epan: return 1 - u * u
        case .normal: return exp(-0.5 * u * u) * 0.3989422804014327
        case .biweight: let v = 1 - u * u; return v * v
        case .uniform: return 1
        case .tricube: let a = abs(u); let v = 1 - a * a * a; return v * v * v
        }
    }
}
