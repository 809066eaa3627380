// psmatch2's `common` and `trim()` (`_Support_`, `_Support_trim`).
//
// common: a treated unit whose score is below the smallest or above the largest control score is
// off support (with `ate`, also controls outside the treated range).
// trim(p): the density of the controls' scores is estimated at each treated score with Stata's
// `kdensity` defaults (Epanechnikov kernel K(z) = 3/4 (1 - z^2/5)/sqrt(5) on |z| < sqrt(5), width
// 0.9 min(sd, iqr/1.349) n^(-1/5)); treated where it is 0, and those below the p-th percentile
// (`_pctile` definition) of these densities, go off support. `ate` repeats it for the controls.
// Estimating the density is O(N1 x N0); psmatch2 does the same work.

import Foundation
import DidFrame

/// Common-support rules applied before matching.
enum CommonSupport {
    /// Sets `support` to 0 for units off common support (rows in the sample only).
    static func apply(pscore: [Double], treated: [Double], support: inout [Double], trim: Double, ate: Bool) throws {
        let groups: [Double] = ate ? [1, 0] : [1]
        for g in groups {
            let own = (0..<pscore.count).filter { treated[$0] == g && !Missing.isMissing(pscore[$0]) }
            let other = (0..<pscore.count).filter { treated[$0] == 1 - g && !Missing.isMissing(pscore[$0]) }.map { pscore[$0] }
            if trim >= 100 {
                guard let lo = other.min(), let hi = other.max() else {
                    for r in own { support[r] = 0 }
                    continue
                }
                for r in own where pscore[r] < lo || pscore[r] > hi { support[r] = 0 }
            } else {
                let density = kdensity(other, at: own.map { pscore[$0] })
                for (t, r) in own.enumerated() where density[t] == 0 { support[r] = 0 }
                if trim > 0 && !density.isEmpty {
                    let cut = percentile(density, trim)
                    for (t, r) in own.enumerated() where density[t] < cut { support[r] = 0 }
                }
            }
        }
    }

    /// Stata `kdensity` with its default kernel and width, evaluated at `points`.
    static func kdensity(_ x: [Double], at points: [Double]) -> [Double] {
        let n = x.count
        guard n > 1 else { return points.map { _ in 0 } }
        let mean = x.reduce(0, +) / Double(n)
        let sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)).squareRoot()
        let iqr = percentile(x, 75) - percentile(x, 25)
        var m = sd
        if iqr > 0 { m = min(sd, iqr / 1.349) }
        let h = 0.9 * m / pow(Double(n), 0.2)
        guard h > 0 else { return points.map { p in x.contains(p) ? Double.infinity : 0 } }
        let sorted = x.sorted()
        let reach = h * 5.0.squareRoot()
        return points.map { p in
            var lo = 0, hi = n
            while lo < hi { let mid = (lo + hi) >> 1; if sorted[mid] <= p - reach { lo = mid + 1 } else { hi = mid } }
            var s = 0.0, j = lo
            while j < n && sorted[j] < p + reach {
                let z = (p - sorted[j]) / h
                if z * z < 5 { s += 0.75 * (1 - z * z / 5) / 5.0.squareRoot() }
                j += 1
            }
            return s / (Double(n) * h)
        }
    }

    /// Stata's `_pctile`/`summarize, detail` percentile: P = n p / 100; x[ceil(P)] or the mean
    /// of x[P] and x[P+1] when P is an integer.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let s = values.sorted(), n = s.count
        guard n > 0 else { return Missing.dot }
        let P = Double(n) * p / 100
        let i = Int(P.rounded(.down))
        if Double(i) == P { return i <= 0 ? s[0] : (i >= n ? s[n - 1] : (s[i - 1] + s[i]) / 2) }
        return s[min(n - 1, max(0, i))]
    }
}
