// The general demeaning path, for absorbed terms with heterogeneous slopes (`a##c.x`, `a#c.x`):
// term f's projection P_f fits, within each of its groups g, a weighted least-squares regression
// on the term's basis [1 (if the term has intercepts), x_1 - c_g1, …] and broadcasts the fit.
//
// Dimension naming: N rows, G levels of the term, d = basis size (intercept + slopes).
//
// Accuracy and conditioning (why the code does what it does):
// 1. Canonical blocks (`SlopeBlocks.canonical`). Only the span of all the terms matters, so before
//    solving, terms over the same partition of the rows are merged into one block (`a` next to
//    `a#c.x` becomes `a##c.x`), and a slope-only term `a#c.x` whose intercepts are already spanned
//    by a finer-or-equal intercept term (`i.zip state#c.year` with zip nested in state) gets
//    intercepts too. Neither changes the span. Both matter: an uncentred slope like year ~ 2005
//    is within 1e-6 of its group's constant, so `a` and `a#c.x` as two CG terms are two nearly
//    parallel subspaces and CG on them stalls (mpdta `absorb(countyreal year countyreal#c.year)`
//    stopped at a relative residual of 1e-5). Inside one block the per-group fit is exact.
//    A slope-only term that stays one is nearly parallel to every coarser intercept term F (and to
//    the constant): x 1[F], a sum of its own columns, is close to mean(x) 1[F]. Giving F the
//    slope too (F##c.x) and adding a global [1, x] block removes those near-null directions of
//    the CG operator, again without changing the span.
// 2. Within a block with intercepts the slopes are centred on their group means, which leaves the
//    span unchanged but keeps the small per-group Gram matrices well conditioned. A slope that is
//    constant within a group (its range is at rounding level, 1e-13 of its magnitude) adds
//    nothing to that group's span and is dropped there explicitly: after centring it would be a
//    vector of rounding noise, which the equilibrated rank test would otherwise keep. Slopes
//    collinear with each other in a group are dropped by that rank test (generalised inverse).
// 3. The solver is the fast path's (Demeaner.swift): the largest block is eliminated exactly
//    (M_1, applied twice), the rest is CG on B = M_1 (P_2 + … + P_F) M_1 over range(M_1), with
//    the same true-residual restarts and stopping rules; written plainly over arrays.

/// Canonicalises absorbed terms (see note 1 of the file header).
public enum SlopeBlocks {
    /// One absorbed term as the demeaner sees it.
    public struct Term {
        /// Group codes of the term.
        public var codes: FactorCodes
        /// Slope columns (length N each).
        public var slopes: [[Double]]
        /// Whether the term spans its groups' intercepts.
        public var intercept: Bool
        /// A term.
        public init(codes: FactorCodes, slopes: [[Double]], intercept: Bool) {
            self.codes = codes; self.slopes = slopes; self.intercept = intercept
        }
    }

    /// Terms with the same span as `terms`: terms over the same partition merged into the first
    /// of them (slopes appended, intercept if any had one); slope-only terms given intercepts
    /// when an intercept term nested within their factor spans them already; the slopes of the
    /// remaining slope-only terms also given to every coarser intercept term, plus a global
    /// [1, x] block unless an intercept term spans x already. Order is preserved, new blocks last.
    public static func canonical(_ terms: [Term]) -> [Term] {
        var out = [Term]()
        for t in terms {
            if let k = out.firstIndex(where: { samePartition($0.codes, t.codes) }) {
                out[k].intercept = out[k].intercept || t.intercept
                out[k].slopes += t.slopes
            } else {
                out.append(t)
            }
        }
        // Intercepts of a slope-only block are spanned when some intercept block is nested in it.
        let interceptBlocks = out.filter(\.intercept).map(\.codes)
        for k in out.indices where !out[k].intercept {
            if interceptBlocks.contains(where: { $0.isNested(within: out[k].codes) }) { out[k].intercept = true }
        }
        // The slope-only blocks left, `a#c.x`, lie close to any intercept block F coarser than a
        // (x 1[F] = sum over a in F of x 1[a] is nearly c 1[F] when x has a large mean), so
        // coarser intercept blocks take x as a slope too (F##c.x), and one global block [1, x] is
        // added (every a is nested in the constant, which the intercept blocks span).
        let slopeOnly = out.indices.filter { !out[$0].intercept }
        guard !slopeOnly.isEmpty, !interceptBlocks.isEmpty else { return out }
        var global = [[Double]]()
        for k in slopeOnly {
            for f in out.indices where out[f].intercept && out[k].codes.isNested(within: out[f].codes) {
                out[f].slopes += out[k].slopes
            }
            global += out[k].slopes
        }
        // Not needed when some intercept block spans 1 and x already: it has x as a slope now, or x
        // is constant within its groups (`year id#c.year`).
        if out.contains(where: { b in b.intercept && global.allSatisfy { x in b.slopes.contains(x) || constantWithin(b.codes, x) } }) {
            return out
        }
        let n = out[0].codes.codes.count
        out.append(Term(codes: FactorCodes(codes: [Int32](repeating: 0, count: n), levels: 1), slopes: global, intercept: true))
        return out
    }

    /// Whether x takes one value within each group.
    static func constantWithin(_ f: FactorCodes, _ x: [Double]) -> Bool {
        var first = [Double](repeating: .nan, count: f.levels)
        for i in 0..<x.count {
            let c = Int(f.codes[i])
            if first[c].isNaN { first[c] = x[i] } else if first[c] != x[i] { return false }
        }
        return true
    }

    /// Whether two codings split the rows into the same groups.
    static func samePartition(_ a: FactorCodes, _ b: FactorCodes) -> Bool {
        a.levels == b.levels && a.isNested(within: b)
    }
}

/// The per-group basis and inverse Gram matrices of one absorbed block.
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
            return SlopeBasis.groupMeans(x, f.codes, weights, wsum)
        }
        // Slopes constant within a group (note 2): their basis entry is dropped there.
        var constant = [[Bool]](repeating: [Bool](repeating: false, count: g), count: slopes.count)
        if intercept {
            for (s, x) in slopes.enumerated() {
                var lo = [Double](repeating: .infinity, count: g), hi = [Double](repeating: -.infinity, count: g)
                for i in 0..<n { let c = Int(f.codes[i]); lo[c] = min(lo[c], x[i]); hi[c] = max(hi[c], x[i]) }
                for c in 0..<g { constant[s][c] = hi[c] - lo[c] <= 1e-13 * max(abs(hi[c]), abs(lo[c])) }
            }
        }
        var gram = [Double](repeating: 0, count: g * d * d)
        var b = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let c = Int(f.codes[i]), w = weights?[i] ?? 1
            SlopeBasis.fill(&b, i, c, intercept, slopes, centres)
            for a in 0..<d { for e in 0..<d { gram[c * d * d + a * d + e] += w * b[a] * b[e] } }
        }
        let first = intercept ? 1 : 0
        var inv = [Double](repeating: 0, count: g * d * d)
        for c in 0..<g {
            var block = Matrix(rows: d, cols: d, data: Array(gram[(c * d * d)..<((c + 1) * d * d)]))
            // A zero row and column make the rank test omit the direction.
            for s in 0..<slopes.count where constant[s][c] {
                for e in 0..<d { block[first + s, e] = 0; block[e, first + s] = 0 }
            }
            let r = Dense.invertSymmetricWithRank(block, tolerance: 1e-12)
            for a in 0..<d { for e in 0..<d { inv[c * d * d + a * d + e] = r.inverse[a, e] } }
        }
        ginv = inv
    }

    /// Weighted group means of x, corrected by a second pass (uncentred slopes such as years are
    /// large next to their spread).
    static func groupMeans(_ x: [Double], _ codes: [Int32], _ w: [Double]?, _ wsum: [Double]) -> [Double] {
        let g = wsum.count
        var m = [Double](repeating: 0, count: g)
        for i in 0..<x.count { m[Int(codes[i])] += (w?[i] ?? 1) * x[i] }
        for c in 0..<g { m[c] = wsum[c] > 0 ? m[c] / wsum[c] : 0 }
        var corr = [Double](repeating: 0, count: g)
        for i in 0..<x.count { let c = Int(codes[i]); corr[c] += (w?[i] ?? 1) * (x[i] - m[c]) }
        for c in 0..<g where wsum[c] > 0 { m[c] += corr[c] / wsum[c] }
        return m
    }

    /// The basis values at row i (group c).
    @inline(__always)
    static func fill(_ b: inout [Double], _ i: Int, _ c: Int, _ intercept: Bool, _ slopes: [[Double]], _ centres: [[Double]]) {
        var k = 0
        if intercept { b[0] = 1; k = 1 }
        for s in 0..<slopes.count { b[k + s] = slopes[s][i] - centres[s][c] }
    }

    /// Per-group coefficients of the weighted least-squares fit of v on the basis (G x d, row-major).
    func coefficients(of v: [Double], weights: [Double]?) -> [Double] {
        var rhs = [Double](repeating: 0, count: levels * d)
        var b = [Double](repeating: 0, count: d)
        for i in 0..<v.count {
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
        return coef
    }

    /// P v: the per-group weighted least-squares fit of v on the basis, broadcast; added into `out`
    /// (subtracted when `sign` is -1).
    func addProjection(of v: [Double], weights: [Double]?, into out: inout [Double], sign: Double = 1) {
        let coef = coefficients(of: v, weights: weights)
        var b = [Double](repeating: 0, count: d)
        for i in 0..<v.count {
            let c = Int(codes[i])
            SlopeBasis.fill(&b, i, c, intercept, slopes, centres)
            var y = 0.0
            for a in 0..<d { y += coef[c * d + a] * b[a] }
            out[i] += sign * y
        }
    }
}

extension Demeaner {
    /// v <- M_1 v: removes the first block's per-group fit.
    func projectOutFirst(_ v: inout [Double]) {
        let input = v
        bases[0].addProjection(of: input, weights: weights, into: &v, sign: -1)
    }

    /// B x = M_1 (P_2 + … + P_F) x, the CG operator on range(M_1).
    func applyReduced(_ x: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        for b in bases.dropFirst() { b.addProjection(of: x, weights: weights, into: &out) }
        projectOutFirst(&out)
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
        // Exact first step with the first block; the second pass removes its rounding error.
        projectOutFirst(&v)
        projectOutFirst(&v)
        if bases.count == 1 { return DemeanReport(iterations: 0, converged: true, relativeResidual: 0) }
        let ref = dotW(v, v).squareRoot()
        if ref == 0 { return DemeanReport(iterations: 0, converged: true, relativeResidual: 0) }
        var iterations = 0, rel = Double.infinity, previousRel = Double.infinity
        let floor = 1e-11
        for round in 0..<64 {
            // Directions lie in range(M_1) only up to rounding: re-project before each restart.
            if round > 0 { projectOutFirst(&v) }
            var r = applyReduced(v)
            var ssr = dotW(r, r)
            rel = ssr.squareRoot() / ref
            if rel <= tolerance || iterations >= maxIterations || (rel < floor && rel > 0.5 * previousRel) { break }
            previousRel = rel
            var u = r
            var best = ssr, sinceBest = 0
            while iterations < maxIterations {
                let q = applyReduced(u)
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
