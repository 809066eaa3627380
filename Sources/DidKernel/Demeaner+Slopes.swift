// The general demeaning path, for absorbed terms with heterogeneous slopes (`a##c.x`, `a#c.x`):
// term f's projection P_f fits, within each of its groups g, a weighted least-squares regression
// on the term's basis [1 (if the term has intercepts), x_1 - c_g1, …] and broadcasts the fit.
// Slopes are centred on their group means when the term has intercepts, which leaves the span
// unchanged but keeps the small per-group Gram matrices well conditioned. Groups where a slope is
// constant (or zero without intercept) get a generalised inverse that drops that direction.
//
// The solver is the same CG as the fast path (A = sum of P_f, W inner product, true-residual
// restarts, see Demeaner.swift), written plainly over arrays: three passes per iteration is fine
// for these rarer models.
//
// Dimension naming: N rows, G levels of the term, d = basis size (intercept + slopes).

/// The per-group basis and inverse Gram matrices of one absorbed term.
struct SlopeBasis {
    let codes: [Int32]
    let intercept: Bool
    let slopes: [[Double]]
    /// Group means of each slope, [s][g] (zeros without intercept).
    let centres: [[Double]]
    /// Basis size.
    let d: Int
    /// Generalised inverses of the per-group Gram matrices, G blocks of d x d (row-major).
    let ginv: [Double]
    let levels: Int

    init(codes f: FactorCodes, slopes: [[Double]], intercept: Bool, weights: [Double]?) {
        let n = f.codes.count, g = f.levels
        codes = f.codes; levels = g
        self.intercept = intercept; self.slopes = slopes
        d = (intercept ? 1 : 0) + slopes.count
        var wsum = [Double](repeating: 0, count: g)
        for i in 0..<n { wsum[Int(f.codes[i])] += weights?[i] ?? 1 }
        centres = slopes.map { x in
            guard intercept else { return [Double](repeating: 0, count: g) }
            var m = [Double](repeating: 0, count: g)
            for i in 0..<n { m[Int(f.codes[i])] += (weights?[i] ?? 1) * x[i] }
            return (0..<g).map { wsum[$0] > 0 ? m[$0] / wsum[$0] : 0 }
        }
        var gram = [Double](repeating: 0, count: g * d * d)
        var b = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let c = Int(f.codes[i]), w = weights?[i] ?? 1
            SlopeBasis.fill(&b, i, c, intercept, slopes, centres)
            for a in 0..<d { for e in 0..<d { gram[c * d * d + a * d + e] += w * b[a] * b[e] } }
        }
        var inv = [Double](repeating: 0, count: g * d * d)
        for c in 0..<g {
            let block = Matrix(rows: d, cols: d, data: Array(gram[(c * d * d)..<((c + 1) * d * d)]))
            let r = Dense.invertSymmetricWithRank(block, tolerance: 1e-12)
            for a in 0..<d { for e in 0..<d { inv[c * d * d + a * d + e] = r.inverse[a, e] } }
        }
        ginv = inv
    }

    /// The basis values at row i (group c).
    @inline(__always)
    static func fill(_ b: inout [Double], _ i: Int, _ c: Int, _ intercept: Bool, _ slopes: [[Double]], _ centres: [[Double]]) {
        var k = 0
        if intercept { b[0] = 1; k = 1 }
        for s in 0..<slopes.count { b[k + s] = slopes[s][i] - centres[s][c] }
    }

    /// P v: the per-group weighted least-squares fit of v on the basis, broadcast; added into `out`.
    func addProjection(of v: [Double], weights: [Double]?, into out: inout [Double]) {
        let n = v.count
        var rhs = [Double](repeating: 0, count: levels * d)
        var b = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let c = Int(codes[i]), wv = (weights?[i] ?? 1) * v[i]
            SlopeBasis.fill(&b, i, c, intercept, slopes, centres)
            for a in 0..<d { rhs[c * d + a] += wv * b[a] }
        }
        var coef = [Double](repeating: 0, count: levels * d)
        for c in 0..<levels {
            for a in 0..<d {
                var x = 0.0
                for e in 0..<d { x += ginv[c * d * d + a * d + e] * rhs[c * d + e] }
                coef[c * d + a] = x
            }
        }
        for i in 0..<n {
            let c = Int(codes[i])
            SlopeBasis.fill(&b, i, c, intercept, slopes, centres)
            var y = 0.0
            for a in 0..<d { y += coef[c * d + a] * b[a] }
            out[i] += y
        }
    }
}

extension Demeaner {
    /// A v = sum over terms of P_f v.
    func applyGeneric(_ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: v.count)
        for b in bases { b.addProjection(of: v, weights: weights, into: &out) }
        return out
    }

    /// <a, b>_W.
    private func dotW(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        if let w = weights { for i in 0..<a.count { s += w[i] * a[i] * b[i] } } else { for i in 0..<a.count { s += a[i] * b[i] } }
        return s
    }

    /// Demeans one column through the general path (see the file header).
    func demeanColumnGeneric(_ c: UnsafeMutablePointer<Double>, tolerance: Double, maxIterations: Int) -> DemeanReport {
        let n = rows
        var v = (0..<n).map { c[$0] }
        defer { for i in 0..<n { c[i] = v[i] } }
        // Exact first step with the first term.
        for _ in 0..<2 {
            var p = [Double](repeating: 0, count: n)
            bases[0].addProjection(of: v, weights: weights, into: &p)
            for i in 0..<n { v[i] -= p[i] }
        }
        if bases.count == 1 { return DemeanReport(iterations: 0, converged: true, relativeResidual: 0) }
        let ref = dotW(v, v).squareRoot()
        if ref == 0 { return DemeanReport(iterations: 0, converged: true, relativeResidual: 0) }
        var iterations = 0, rel = Double.infinity, previousRel = Double.infinity
        let floor = 1e-11
        for _ in 0..<64 {
            var r = applyGeneric(v)
            var ssr = dotW(r, r)
            rel = ssr.squareRoot() / ref
            if rel <= tolerance || iterations >= maxIterations || (rel < floor && rel > 0.5 * previousRel) { break }
            previousRel = rel
            var u = r
            var best = ssr, sinceBest = 0
            while iterations < maxIterations {
                let q = applyGeneric(u)
                iterations += 1
                let uq = dotW(u, q)
                guard uq > 0 else { break }
                let alpha = ssr / uq
                for i in 0..<n { v[i] -= alpha * u[i]; r[i] -= alpha * q[i] }
                let newSsr = dotW(r, r)
                if newSsr < best { best = newSsr; sinceBest = 0 } else { sinceBest += 1 }
                let nearFloor = newSsr.squareRoot() < floor * ref
                if newSsr.squareRoot() <= tolerance * ref || newSsr == 0 || newSsr > 100 * best
                    || (nearFloor && sinceBest >= 20) || sinceBest >= 200 { break }
                let beta = newSsr / ssr
                for i in 0..<n { u[i] = r[i] + beta * u[i] }
                ssr = newSsr
            }
        }
        return DemeanReport(iterations: iterations, converged: rel <= tolerance, relativeResidual: rel)
    }
}
