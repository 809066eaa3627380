// The fast re-fit engine behind placebo tests: the outcome and the controls are partialled out
// of the fixed effects ONCE, and each replicate only partials its own treatment column and solves
// a one-coefficient regression (Frisch–Waugh–Lovell).
//
// Dimension naming: N = rows of the estimation sample (the caller passes only those rows),
// P = controls kept, F = fixed effects.
//
// Algorithm:
// 1. M_FE = residual maker of the fixed-effect dummies (DidKernel's Demeaner, W-weighted; with no
//    fixed effect but a constant it is the weighted demeaning by one group). y~ = M_FE y and
//    X~ = M_FE X are computed once.
// 2. The controls X~ are orthonormalised in the W inner product by modified Gram–Schmidt applied
//    twice (a control whose residual is <= 1e-9 of its norm is collinear and dropped). Then
//    M_X v = v - Q Q'W v, and y^ = M_X y~ is stored.
// 3. Per replicate with treatment d: r = M_X M_FE d, b = r'W y^ / r'W r, e = y^ - r b. By FWL,
//    b is the coefficient of d in the full regression and e its residual vector; the row of
//    (X'WX)^-1 X'W belonging to d is r'W / r'W r, so every sandwich variance of b is a sum over
//    rows of r and e (`rawVariance`), up to the small-sample factor of the original command.
// 3a. Shortcut: with exactly two fixed effects forming a complete grid (a balanced panel, every
//    unit x period cell once, no weights), M_FE v = v - row mean - column mean + grand mean
//    exactly, so a replicate costs a few passes over the rows instead of an iterative solve.
// 4. The small-sample factor (reghdfe/regress/areg/xtreg conventions differ: df_a, nested FE,
//    G/(G-1)) does not depend on the treatment column, so it is set once: either given, or
//    calibrated from the original estimate's variance of its own treatment (`calibrate`).

import DidKernel
import Foundation

/// Outcome and controls partialled out of the fixed effects once; replicates re-fit in O(N P).
public final class PartialledDesign: @unchecked Sendable {
    /// Rows of the estimation sample.
    public let rows: Int
    /// Controls kept after dropping collinear ones.
    public private(set) var controlsKept: Int = 0
    /// Factor multiplying the raw sandwich (1 until set or calibrated).
    public var smallSampleFactor: Double = 1
    let demeaner: Demeaner?
    let weights: [Double]?
    let frequencyWeights: Bool
    let variance: PlaceboVariance
    let tolerance: Double
    /// W-orthonormal basis of the partialled controls (column by column).
    var basis: [[Double]] = []
    /// y^ = M_X M_FE y.
    var yHat: [Double] = []
    /// Codes of the two factors when they form a complete balanced grid (closed-form demeaning).
    var grid: (a: FactorCodes, b: FactorCodes)? = nil

    /// Partials `y` and `controls` out of `fixedEffects` (and of the constant when `constant` and
    /// there is no fixed effect). Every array holds the N estimation-sample rows. `weights` are
    /// analytic/probability weights (frequency weights when `frequencyWeights`).
    public init(y: [Double], controls: [[Double]], fixedEffects: [FactorCodes], slopes: [[[Double]]]? = nil,
                intercepts: [Bool]? = nil, constant: Bool = true, weights: [Double]? = nil,
                frequencyWeights: Bool = false, variance: PlaceboVariance, tolerance: Double = 1e-14) throws {
        let n = y.count
        guard n > 0 else { throw PlaceboError.invalidInput("no observations") }
        guard controls.allSatisfy({ $0.count == n }), fixedEffects.allSatisfy({ $0.codes.count == n }),
              weights.map({ $0.count == n }) ?? true else {
            throw PlaceboError.invalidInput("columns of different lengths")
        }
        if let w = weights, w.contains(where: { !($0 > 0) || !$0.isFinite }) {
            throw PlaceboError.invalidInput("weights must be positive")
        }
        if case .cluster(let c) = variance, c.codes.count != n { throw PlaceboError.invalidInput("cluster codes length") }
        rows = n
        self.weights = weights
        self.frequencyWeights = frequencyWeights
        self.variance = variance
        self.tolerance = tolerance
        var factors = fixedEffects
        if factors.isEmpty && constant { factors = [FactorCodes(codes: [Int32](repeating: 0, count: n), levels: 1)] }
        if factors.isEmpty {
            demeaner = nil
        } else if let sl = slopes, let ic = intercepts {
            demeaner = Demeaner(factors: factors, slopes: sl, intercepts: ic, weights: weights)
        } else {
            demeaner = Demeaner(factors: factors, weights: weights)
        }
        if factors.count == 2, weights == nil, slopes == nil, Self.isCompleteGrid(factors[0], factors[1]) {
            grid = (factors[0], factors[1])
        }
        // Partial y and the controls together (one pass of the demeaner over all columns).
        var m = Matrix(columns: [y] + controls)
        _ = demeaner?.demean(&m, tolerance: tolerance)
        let yTilde = m.column(0)
        for j in 0..<controls.count { addToBasis(m.column(j + 1), centredSS: centredSumOfSquares(controls[j])) }
        controlsKept = basis.count
        yHat = projectOut(yTilde)
    }

    /// W inner product (raw buffers: this runs several times per replicate).
    func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        let n = rows
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                if let w = weights {
                    w.withUnsafeBufferPointer { wp in for i in 0..<n { s += wp[i] * ap[i] * bp[i] } }
                } else {
                    for i in 0..<n { s += ap[i] * bp[i] }
                }
            }
        }
        return s
    }

    /// Weighted sum of squares around the weighted mean (the scale collinearity is judged on).
    func centredSumOfSquares(_ v: [Double]) -> Double {
        let n = rows
        let ones = weights == nil
        var sw = 0.0, swv = 0.0, s = 0.0
        v.withUnsafeBufferPointer { vp in
            (weights ?? []).withUnsafeBufferPointer { wp in
                for i in 0..<n { let w = ones ? 1 : wp[i]; sw += w; swv += w * vp[i] }
                let mean = swv / sw
                for i in 0..<n { let w = ones ? 1 : wp[i]; let c = vp[i] - mean; s += w * c * c }
            }
        }
        return s
    }

    /// Adds a partialled control to the orthonormal basis unless it is collinear: absorbed by the
    /// fixed effects (partialled SS <= 1e-9 of its centred SS, reghdfe's rule) or a combination of
    /// the controls already kept (residual SS <= 1e-9 of its partialled SS).
    func addToBasis(_ v: [Double], centredSS: Double) {
        let ss0 = dot(v, v)
        guard ss0 > 1e-9 * centredSS, ss0 > 0 else { return }
        let u = projectOut(projectOut(v))   // twice: re-orthogonalisation keeps Q'WQ = I to rounding
        let ss = dot(u, u)
        guard ss > 1e-9 * ss0 else { return }
        let norm = ss.squareRoot()
        basis.append(u.map { $0 / norm })
    }

    /// M_X v for the current basis (modified Gram–Schmidt order).
    func projectOut(_ v: [Double]) -> [Double] {
        var u = v
        for q in basis {
            let c = dot(q, u)
            for i in 0..<rows { u[i] -= c * q[i] }
        }
        return u
    }

    /// The treatment column fully partialled: r = M_X M_FE d.
    public func partial(_ treatment: [Double]) throws -> [Double] {
        guard treatment.count == rows else { throw PlaceboError.invalidInput("treatment has \(treatment.count) rows, expected \(rows)") }
        var d = treatment
        if let g = grid { d = Self.twoWayDemean(d, g.a, g.b) } else if let dm = demeaner { d = dm.demean(d, tolerance: tolerance).0 }
        return projectOut(d)
    }

    /// True when every (a, b) cell occurs exactly once (N = G_a x G_b).
    static func isCompleteGrid(_ a: FactorCodes, _ b: FactorCodes) -> Bool {
        let n = a.codes.count
        guard n == a.levels * b.levels, n > 0 else { return false }
        var seen = [Bool](repeating: false, count: n)
        for i in 0..<n {
            let cell = Int(a.codes[i]) * b.levels + Int(b.codes[i])
            if seen[cell] { return false }
            seen[cell] = true
        }
        return true
    }

    /// Exact two-way demeaning on a complete grid: v - mean_a - mean_b + grand mean.
    static func twoWayDemean(_ v: [Double], _ a: FactorCodes, _ b: FactorCodes) -> [Double] {
        let n = v.count
        var sa = [Double](repeating: 0, count: a.levels), sb = [Double](repeating: 0, count: b.levels)
        var total = 0.0
        v.withUnsafeBufferPointer { vp in
            a.codes.withUnsafeBufferPointer { ap in
                b.codes.withUnsafeBufferPointer { bp in
                    for i in 0..<n { sa[Int(ap[i])] += vp[i]; sb[Int(bp[i])] += vp[i]; total += vp[i] }
                }
            }
        }
        let ia = 1 / Double(b.levels), ib = 1 / Double(a.levels), grand = total / Double(n)
        for j in 0..<sa.count { sa[j] *= ia }
        for j in 0..<sb.count { sb[j] *= ib }
        var out = v
        out.withUnsafeMutableBufferPointer { op in
            a.codes.withUnsafeBufferPointer { ap in
                b.codes.withUnsafeBufferPointer { bp in
                    for i in 0..<n { op[i] = op[i] - sa[Int(ap[i])] - sb[Int(bp[i])] + grand }
                }
            }
        }
        return out
    }

    /// Coefficient and the raw (unscaled) variance of the treatment in the full regression.
    public func rawEstimate(_ treatment: [Double]) throws -> (b: Double, rawVariance: Double) {
        let d = try partial(treatment)
        let rr = dot(d, d)
        guard rr > 1e-9 * centredSumOfSquares(treatment), rr > 0 else { throw PlaceboError.collinearTreatment }
        let b = dot(d, yHat) / rr
        var e = yHat
        e.withUnsafeMutableBufferPointer { ep in d.withUnsafeBufferPointer { dp in for i in 0..<rows { ep[i] -= dp[i] * b } } }
        return (b, rawVariance(d, e, rr))
    }

    /// Sandwich pieces: unadjusted e'We / r'Wr; robust sum (w r e)^2 / (r'Wr)^2; cluster the same
    /// with scores summed within clusters (frequency weights enter the meat once, not squared).
    func rawVariance(_ r: [Double], _ e: [Double], _ rr: Double) -> Double {
        let n = rows
        if case .unadjusted = variance { return dot(e, e) / rr }
        var s = 0.0
        r.withUnsafeBufferPointer { rp in
            e.withUnsafeBufferPointer { ep in
                (weights ?? []).withUnsafeBufferPointer { wp in
                    let weighted = weights != nil
                    // Score of row i: w r e (aweights/pweights); frequency weights enter the meat
                    // once, so their robust meat is w (r e)^2.
                    switch variance {
                    case .unadjusted:
                        break
                    case .robust:
                        for i in 0..<n {
                            let u = rp[i] * ep[i]
                            s += !weighted ? u * u : frequencyWeights ? wp[i] * u * u : wp[i] * wp[i] * u * u
                        }
                    case .cluster(let c):
                        var sums = [Double](repeating: 0, count: c.levels)
                        c.codes.withUnsafeBufferPointer { cp in
                            for i in 0..<n { sums[Int(cp[i])] += weighted ? wp[i] * rp[i] * ep[i] : rp[i] * ep[i] }
                        }
                        for x in sums { s += x * x }
                    }
                }
            }
        }
        return s / (rr * rr)
    }

    /// One replicate: coefficient and standard error (raw variance times the small-sample factor).
    public func estimate(_ treatment: [Double]) throws -> PlaceboEstimate {
        let (b, v) = try rawEstimate(treatment)
        return PlaceboEstimate(b: b, se: (max(v, 0) * smallSampleFactor).squareRoot())
    }

    /// Sets the small-sample factor so that `treatment` gets the variance `variance` the original
    /// command reported for it; returns the engine's coefficient for that treatment, which the
    /// caller compares with the original one (a mismatch means the data changed since estimation).
    @discardableResult
    public func calibrate(treatment: [Double], variance target: Double) throws -> Double {
        let (b, v) = try rawEstimate(treatment)
        guard v > 0, target.isFinite, target >= 0 else { throw PlaceboError.invalidInput("original variance not usable") }
        smallSampleFactor = target / v
        return b
    }
}
