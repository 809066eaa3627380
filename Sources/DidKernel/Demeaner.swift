// Partialling out fixed effects: replaces each column v by M v, its weighted residual on the span
// of the fixed-effect dummies D = [D_1 … D_F] (M = I - D (D'WD)^+ D'W), without ever forming D.
//
// Dimension naming: N = rows, F = number of fixed effects, G_f = levels of fixed effect f.
//
// Algorithm (documented because accuracy matters: the estimators must match exact least squares to
// 1e-10 relative, far tighter than reghdfe's own 1e-8 stopping rule):
// 1. Exact first step: v <- M_1 v (group demeaning by the first factor, which the caller orders
//    largest first); with a single factor it is applied twice so that its rounding error goes too.
// 2. With F >= 2, the rest is a conjugate-gradient solve in the W inner product <a, b> = sum w a b,
//    on the range of M_1 (the first factor is eliminated exactly, as fixest does for two FEs).
//    Let P_f be the W-orthogonal projection on the dummies of factor f (group means broadcast
//    back), Q = P_2 + … + P_F and B = M_1 Q M_1. On range(M_1), B is W-self-adjoint and positive
//    semidefinite, and B v = 0 exactly when v is orthogonal to every factor; for v in range(M_1)
//    the projection P v of v on all the dummies lies in range(M_1) and B (P v) = B v. So CG on
//    B x = B v, started at x = 0, converges to x = P v, and the residual M v = v - x is
//    accumulated directly into the column. Eliminating the largest factor exactly leaves a much
//    better conditioned problem than the additive operator P_1 + … + P_F (about half the
//    iterations on panels), at three passes over the rows per iteration (see `demeanColumn`).
// 3. Convergence is judged on the true residual r = B v (zero exactly when the current column has
//    zero weighted means in every factor) relative to ||v||_W after step 1: stop when
//    ||r||_W <= tolerance * ||v||_W. The recursively updated CG residual can drift from the true one
//    in floating point, so CG runs in rounds: each round recomputes the true residual and restarts
//    (iterative refinement). A round ends at the target, when the residual blows up (100x its
//    best: rounding noise amplified), or when CG stops improving: 20 steps without a new best near
//    the rounding floor (relative residual < 1e-11), 200 farther out, where CG residuals may
//    oscillate on ill-conditioned designs. The rounds end when a restart near the floor no longer
//    halves the true residual, or at the iteration budget.
// 4. Columns are independent: they are split across `threads` workers, each with its own scratch.

import Dispatch

/// Outcome of demeaning one column.
public struct DemeanReport: Sendable, Equatable {
    /// CG iterations used (0 when one factor or none).
    public var iterations: Int
    /// Whether ||B v||_W <= tolerance * ||v||_W was reached (B: the CG operator of the file header).
    public var converged: Bool
    /// The final relative residual ||B v||_W / ||v||_W.
    public var relativeResidual: Double
}

/// Weighted partialling-out of several fixed effects from columns of data (see the file header).
public final class Demeaner: @unchecked Sendable {
    /// Number of rows N.
    public let rows: Int
    /// The fixed effects, as dense codes over the same N rows.
    public let factors: [FactorCodes]
    /// Row weights (nil = all 1).
    public let weights: [Double]?
    /// 1 / (sum of weights) per level of each factor (0 for an empty level).
    let inverseGroupWeight: [[Double]]
    private let codePtrs: [UnsafePointer<Int32>]
    private let invPtrs: [UnsafePointer<Double>]
    private let weightPtr: UnsafePointer<Double>?

    /// Per-factor bases for terms with heterogeneous slopes (all set when `generic`).
    let bases: [SlopeBasis]
    /// Whether some term has slopes or no intercept, which routes demeaning through the general
    /// (slower, per-group least squares) path of Demeaner+Slopes.swift.
    let generic: Bool

    /// Prepares the group weight sums. All factors must have N codes; weights (if any) must be > 0.
    public convenience init(factors: [FactorCodes], weights: [Double]?) {
        self.init(factors: factors, slopes: factors.map { _ in [] }, intercepts: factors.map { _ in true }, weights: weights)
    }

    /// A demeaner whose terms may carry heterogeneous slopes: term f spans, within each of its
    /// groups, an intercept (when `intercepts[f]`) and each column of `slopes[f]` (`a##c.x` /
    /// `a#c.x` in reghdfe's `absorb()`).
    public init(factors: [FactorCodes], slopes: [[[Double]]], intercepts: [Bool], weights: [Double]?) {
        precondition(slopes.count == factors.count && intercepts.count == factors.count, "Demeaner: one slope list per factor")
        let n = factors.first?.codes.count ?? weights?.count ?? 0
        for f in factors { precondition(f.codes.count == n, "Demeaner: factors of different lengths") }
        if let w = weights { precondition(w.count == n, "Demeaner: weights length") }
        let isGeneric = zip(slopes, intercepts).contains { !$0.0.isEmpty || !$0.1 }
        // With slopes, terms are first merged into blocks with the same span (Demeaner+Slopes.swift);
        // `factors` then lists the blocks' partitions.
        var blocks = zip(factors, zip(slopes, intercepts)).map { SlopeBlocks.Term(codes: $0.0, slopes: $0.1.0, intercept: $0.1.1) }
        if isGeneric { blocks = SlopeBlocks.canonical(blocks) }
        let factors = blocks.map(\.codes)
        self.rows = n
        self.factors = factors
        self.weights = weights
        self.inverseGroupWeight = factors.map { f in
            var s = [Double](repeating: 0, count: f.levels)
            if let w = weights { for i in 0..<n { s[Int(f.codes[i])] += w[i] } } else { for c in f.codes { s[Int(c)] += 1 } }
            return s.map { $0 > 0 ? 1 / $0 : 0 }
        }
        self.generic = isGeneric
        self.bases = isGeneric ? blocks.map {
            SlopeBasis(codes: $0.codes, slopes: $0.slopes, intercept: $0.intercept, weights: weights)
        } : []
        // Stable copies for the hot loops (freed in deinit).
        codePtrs = factors.map { f in
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(f.codes.count, 1))
            f.codes.withUnsafeBufferPointer { b in if let a = b.baseAddress { p.initialize(from: a, count: b.count) } }
            return UnsafePointer(p)
        }
        invPtrs = inverseGroupWeight.map { g in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(g.count, 1))
            g.withUnsafeBufferPointer { b in if let a = b.baseAddress { p.initialize(from: a, count: b.count) } }
            return UnsafePointer(p)
        }
        weightPtr = weights.map { w in
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(w.count, 1))
            w.withUnsafeBufferPointer { b in if let a = b.baseAddress { p.initialize(from: a, count: b.count) } }
            return UnsafePointer(p)
        }
    }

    deinit {
        for p in codePtrs { p.deallocate() }
        for p in invPtrs { p.deallocate() }
        weightPtr?.deallocate()
    }

    /// Replaces every column of `X` (N x K) by its residual on the fixed effects.
    /// `tolerance` is the relative stopping rule of step 3, `maxIterations` the CG budget per column.
    public func demean(_ X: inout Matrix, tolerance: Double = 1e-14, maxIterations: Int = 10_000,
                       threads: Int = 2) -> [DemeanReport] {
        precondition(X.rows == rows, "Demeaner: matrix has \(X.rows) rows, expected \(rows)")
        let k = X.cols
        var reports = [DemeanReport](repeating: DemeanReport(iterations: 0, converged: true, relativeResidual: 0), count: k)
        if k == 0 || rows == 0 || factors.isEmpty { return reports }
        let workers = max(1, min(threads, k))
        let n = rows
        X.data.withUnsafeMutableBufferPointer { xp in
            reports.withUnsafeMutableBufferPointer { rp in
                let base = xp.baseAddress!, rbase = rp.baseAddress!
                DispatchQueue.concurrentPerform(iterations: workers) { t in
                    let scratch = Scratch(rows: n, factors: factors)
                    var j = t
                    while j < k {
                        rbase[j] = demeanColumn(base + j * n, scratch, tolerance: tolerance, maxIterations: maxIterations)
                        j += workers
                    }
                }
            }
        }
        return reports
    }

    /// Demeans a single column (convenience over `demean(_:)`).
    public func demean(_ v: [Double], tolerance: Double = 1e-14, maxIterations: Int = 10_000) -> ([Double], DemeanReport) {
        var m = Matrix(rows: v.count, cols: 1, data: v)
        let r = demean(&m, tolerance: tolerance, maxIterations: maxIterations, threads: 1)
        return (m.data, r[0])
    }

    /// Weighted group means of `v` for factor `f` (length G_f).
    public func groupMeans(_ v: [Double], factor f: Int) -> [Double] {
        precondition(v.count == rows, "groupMeans: length")
        var s = [Double](repeating: 0, count: factors[f].levels)
        let codes = factors[f].codes
        if let w = weights { for i in 0..<rows { s[Int(codes[i])] += w[i] * v[i] } } else {
            for i in 0..<rows { s[Int(codes[i])] += v[i] }
        }
        let inv = inverseGroupWeight[f]
        for g in 0..<s.count { s[g] *= inv[g] }
        return s
    }

    /// Per-worker buffers (manually allocated so the hot loops use plain pointers): three
    /// N-vectors for CG and the group sums of every factor.
    final class Scratch {
        let r: UnsafeMutablePointer<Double>, u: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>
        let sums: [UnsafeMutablePointer<Double>]
        let sizes: [Int]
        init(rows n: Int, factors: [FactorCodes]) {
            r = .allocate(capacity: max(n, 1)); u = .allocate(capacity: max(n, 1)); v = .allocate(capacity: max(n, 1))
            sizes = factors.map { max($0.levels, 1) }
            sums = sizes.map { UnsafeMutablePointer<Double>.allocate(capacity: $0) }
        }
        deinit {
            r.deallocate(); u.deallocate(); v.deallocate()
            for s in sums { s.deallocate() }
        }
    }

    /// W-norm squared of a column.
    private func normSquared(_ c: UnsafeMutablePointer<Double>) -> Double {
        var s = 0.0
        if let w = weightPtr { for i in 0..<rows { s += w[i] * c[i] * c[i] } } else { for i in 0..<rows { s += c[i] * c[i] } }
        return s
    }

    /// c <- c - (weighted group means of c for factor f), broadcast.
    private func projectOut(_ c: UnsafeMutablePointer<Double>, factor f: Int, _ s: Scratch) {
        let n = rows, sp = s.sums[f], cp = codePtrs[f], ip = invPtrs[f], g = factors[f].levels
        for k in 0..<g { sp[k] = 0 }
        if let w = weightPtr { for i in 0..<n { sp[Int(cp[i])] += w[i] * c[i] } } else { for i in 0..<n { sp[Int(cp[i])] += c[i] } }
        for k in 0..<g { sp[k] *= ip[k] }
        for i in 0..<n { c[i] -= sp[Int(cp[i])] }
    }

    /// Clears the group sums of the factors from `first` on.
    private func clearSums(_ s: Scratch, from first: Int) {
        for f in first..<factors.count { let sp = s.sums[f]; for g in 0..<factors[f].levels { sp[g] = 0 } }
    }

    /// Turns the group sums of factor f into group means.
    private func sumsToMeans(_ s: Scratch, _ f: Int) {
        let sp = s.sums[f], ip = invPtrs[f]
        for g in 0..<factors[f].levels { sp[g] *= ip[g] }
    }

    /// Scatter pass over the factors after the first: sums[f][g] = sum of w x over level g.
    private func scatterRest(_ x: UnsafeMutablePointer<Double>, _ s: Scratch) {
        let n = rows, nf = factors.count
        clearSums(s, from: 1)
        let codeP = codePtrs, sumP = s.sums
        if let w = weightPtr {
            for f in 1..<nf { let cf = codeP[f], sf = sumP[f]; for i in 0..<n { sf[Int(cf[i])] += w[i] * x[i] } }
        } else if nf == 3 {
            let c1 = codeP[1], c2 = codeP[2], s1 = sumP[1], s2 = sumP[2]
            for i in 0..<n { let v = x[i]; s1[Int(c1[i])] += v; s2[Int(c2[i])] += v }
        } else {
            for f in 1..<nf { let cf = codeP[f], sf = sumP[f]; for i in 0..<n { sf[Int(cf[i])] += x[i] } }
        }
    }

    /// out = M_1 (sum over factors f >= 2 of the broadcast group means held in the sums): a gather
    /// pass that also scatters into the first factor's sums, then the subtraction of its means.
    /// Returns the weighted dots <u, out>, <r, out>, <out, out> (only the last when `u` is nil).
    private func applyReducedFromSums(_ out: UnsafeMutablePointer<Double>, _ s: Scratch,
                                      u: UnsafeMutablePointer<Double>?, r: UnsafeMutablePointer<Double>?)
        -> (uv: Double, rv: Double, vv: Double) {
        let n = rows, nf = factors.count
        for f in 1..<nf { sumsToMeans(s, f) }
        let codeP = codePtrs, sumP = s.sums
        let c0 = codeP[0], s0 = sumP[0]
        for g in 0..<factors[0].levels { s0[g] = 0 }
        // z = Q x and its scatter into the first factor.
        if nf == 2 {
            let c1 = codeP[1], s1 = sumP[1]
            if let w = weightPtr { for i in 0..<n { let z = s1[Int(c1[i])]; out[i] = z; s0[Int(c0[i])] += w[i] * z } }
            else { for i in 0..<n { let z = s1[Int(c1[i])]; out[i] = z; s0[Int(c0[i])] += z } }
        } else if nf == 3 {
            let c1 = codeP[1], c2 = codeP[2], s1 = sumP[1], s2 = sumP[2]
            if let w = weightPtr { for i in 0..<n { let z = s1[Int(c1[i])] + s2[Int(c2[i])]; out[i] = z; s0[Int(c0[i])] += w[i] * z } }
            else { for i in 0..<n { let z = s1[Int(c1[i])] + s2[Int(c2[i])]; out[i] = z; s0[Int(c0[i])] += z } }
        } else {
            for i in 0..<n {
                var z = 0.0
                for f in 1..<nf { z += sumP[f][Int(codeP[f][i])] }
                out[i] = z
                s0[Int(c0[i])] += (weightPtr?[i] ?? 1) * z
            }
        }
        sumsToMeans(s, 0)
        // out = z - (group means of z in the first factor), with the dot products.
        var uv = 0.0, rv = 0.0, vv = 0.0
        if let u = u, let r = r {
            if let w = weightPtr {
                for i in 0..<n { let v = out[i] - s0[Int(c0[i])]; out[i] = v; let wv = w[i] * v; uv += u[i] * wv; rv += r[i] * wv; vv += v * wv }
            } else {
                for i in 0..<n { let v = out[i] - s0[Int(c0[i])]; out[i] = v; uv += u[i] * v; rv += r[i] * v; vv += v * v }
            }
        } else if let w = weightPtr {
            for i in 0..<n { let v = out[i] - s0[Int(c0[i])]; out[i] = v; vv += w[i] * v * v }
        } else {
            for i in 0..<n { let v = out[i] - s0[Int(c0[i])]; out[i] = v; vv += v * v }
        }
        return (uv, rv, vv)
    }

    /// The fused CG update pass: c -= alpha u; r -= alpha v; u = r + beta u; then scatters u into
    /// the factors after the first. Returns the exact ||r||_W^2 after the update.
    private func updateAndScatterRest(c: UnsafeMutablePointer<Double>, r: UnsafeMutablePointer<Double>,
                                      u: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>,
                                      alpha: Double, beta: Double, _ s: Scratch) -> Double {
        let n = rows, nf = factors.count
        clearSums(s, from: 1)
        let codeP = codePtrs, sumP = s.sums
        var ssr = 0.0
        if let w = weightPtr {
            for i in 0..<n {
                c[i] -= alpha * u[i]
                let ri = r[i] - alpha * v[i]; r[i] = ri; ssr += w[i] * ri * ri
                let ui = ri + beta * u[i]; u[i] = ui
                let x = w[i] * ui
                for f in 1..<nf { sumP[f][Int(codeP[f][i])] += x }
            }
        } else if nf == 2 {
            let c1 = codeP[1], s1 = sumP[1]
            for i in 0..<n {
                c[i] -= alpha * u[i]
                let ri = r[i] - alpha * v[i]; r[i] = ri; ssr += ri * ri
                let ui = ri + beta * u[i]; u[i] = ui
                s1[Int(c1[i])] += ui
            }
        } else if nf == 3 {
            let c1 = codeP[1], c2 = codeP[2], s1 = sumP[1], s2 = sumP[2]
            for i in 0..<n {
                c[i] -= alpha * u[i]
                let ri = r[i] - alpha * v[i]; r[i] = ri; ssr += ri * ri
                let ui = ri + beta * u[i]; u[i] = ui
                s1[Int(c1[i])] += ui; s2[Int(c2[i])] += ui
            }
        } else {
            for i in 0..<n {
                c[i] -= alpha * u[i]
                let ri = r[i] - alpha * v[i]; r[i] = ri; ssr += ri * ri
                let ui = ri + beta * u[i]; u[i] = ui
                for f in 1..<nf { sumP[f][Int(codeP[f][i])] += ui }
            }
        }
        return ssr
    }

    /// Demeans one column in place (steps 1-3 of the file header). CG is pipelined so that an
    /// iteration costs three passes over the rows: the update fused with the scatter of the new
    /// direction into factors 2..F, a gather of their means fused with the scatter into factor 1,
    /// and the subtraction of factor 1's means fused with the dot products <u,v>, <r,v>, <v,v>.
    /// ||r_new||^2 for beta comes from ||r - alpha v||^2 = ||r||^2 - 2 alpha <r,v> + alpha^2 <v,v>;
    /// the exact value from the update pass drives the next step and the stopping rule.
    private func demeanColumn(_ c: UnsafeMutablePointer<Double>, _ s: Scratch, tolerance: Double,
                              maxIterations: Int) -> DemeanReport {
        if generic { return demeanColumnGeneric(c, tolerance: tolerance, maxIterations: maxIterations) }
        projectOut(c, factor: 0, s)
        if factors.count == 1 {
            // With one factor this is the exact answer; a second pass removes its rounding error.
            projectOut(c, factor: 0, s)
            return DemeanReport(iterations: 0, converged: true, relativeResidual: 0)
        }
        let ref = normSquared(c).squareRoot()
        if ref == 0 { return DemeanReport(iterations: 0, converged: true, relativeResidual: 0) }
        let n = rows
        var iterations = 0
        var rel = Double.infinity
        let r = s.r, u = s.u, v = s.v
        var previousRel = Double.infinity
        // Stagnation guards only apply near the rounding floor; far from it CG residuals may
        // oscillate for a while on ill-conditioned designs and must be allowed to.
        let floor = 1e-11
        for round in 0..<64 {
            // True residual r = B c. c is re-projected on the range of M_1 first (directions added
            // by CG lie there only up to rounding); in the first round it just was.
            if round > 0 { projectOut(c, factor: 0, s) }
            scatterRest(c, s)
            var ssr = applyReducedFromSums(r, s, u: nil, r: nil).vv
            rel = ssr.squareRoot() / ref
            if rel <= tolerance || iterations >= maxIterations { break }
            // Near the floor, a restart that did not halve the true residual means rounding noise.
            if rel < floor && rel > 0.5 * previousRel { break }
            previousRel = rel
            for i in 0..<n { u[i] = r[i] }
            scatterRest(u, s)
            var best = ssr, sinceBest = 0
            while iterations < maxIterations {
                // v = B u; alpha = ssr / <u, B u>.
                let d = applyReducedFromSums(v, s, u: u, r: r)
                iterations += 1
                guard d.uv > 0 else { break }
                let alpha = ssr / d.uv
                let predicted = max(ssr - 2 * alpha * d.rv + alpha * alpha * d.vv, 0)
                let beta = predicted / ssr
                let exact = updateAndScatterRest(c: c, r: r, u: u, v: v, alpha: alpha, beta: beta, s)
                if exact < best { best = exact; sinceBest = 0 } else { sinceBest += 1 }
                // Stop at the target, when rounding noise blows up, or when CG stops improving.
                let nearFloor = exact.squareRoot() < floor * ref
                if exact.squareRoot() <= tolerance * ref || exact == 0 || exact > 100 * best
                    || (nearFloor && sinceBest >= 20) || sinceBest >= 200 { break }
                ssr = exact
            }
        }
        return DemeanReport(iterations: iterations, converged: rel <= tolerance, relativeResidual: rel)
    }
}

