// Sample selection, singleton dropping, column moments and the normal-equation solve of the
// linear-regression engine (see LinearModel.swift for the pipeline).

import Dispatch
import DidFrame
import DidKernel

extension LinearModel {
    /// The given columns of a matrix (whole columns, copied contiguously).
    static func columns(of Z: Matrix, _ idx: [Int]) -> Matrix {
        var out = Matrix(rows: 0, cols: 0)
        out.data.reserveCapacity(Z.rows * idx.count)
        for j in idx { out.data.append(contentsOf: Z.data[(j * Z.rows)..<((j + 1) * Z.rows)]) }
        out.rows = Z.rows; out.cols = idx.count
        return out
    }

    /// Group codes of several key sets, encoded concurrently (they are independent).
    static func encodeInParallel(_ keySets: [[[Double]]], rows: [Int]) -> [FactorCodes] {
        var out = [FactorCodes?](repeating: nil, count: keySets.count)
        out.withUnsafeMutableBufferPointer { op in
            let ob = op.baseAddress!
            DispatchQueue.concurrentPerform(iterations: keySets.count) { t in
                (ob + t).pointee = FactorCodes(keys: keySets[t], rows: rows)
            }
        }
        return out.map { $0! }
    }

    /// Checks that every column has the depvar's length.
    static func validate(_ spec: RegressionSpec) throws {
        let n = spec.y.count
        func check(_ count: Int, _ what: String) throws {
            if count != n { throw StataError(198, "\(what) has \(count) observations, expected \(n)") }
        }
        for r in spec.regressors { try check(r.values.count, "regressor \(r.name)") }
        if let t = spec.touse { try check(t.count, "sample marker") }
        if let w = spec.weights { try check(w.count, "weight variable") }
        for a in spec.absorb {
            if a.keys.isEmpty { throw StataError(198, "absorb term \(a.name) has no variables") }
            for k in a.keys { try check(k.count, "absorb variable \(a.name)") }
            for s in a.slopes { try check(s.values.count, "slope variable \(s.name)") }
        }
        if case .cluster(let terms) = spec.vce {
            if terms.isEmpty { throw StataError(198, "vce(cluster) needs a cluster variable") }
            for t in terms {
                if t.keys.isEmpty { throw StataError(198, "cluster term \(t.name) has no variables") }
                for k in t.keys { try check(k.count, "cluster variable \(t.name)") }
            }
        }
        if !(spec.tolerance > 0) { throw StataError(198, "tolerance() must be positive") }
        if spec.maxIterations < 1 { throw StataError(198, "maxiterations() must be positive") }
    }

    /// Rows with complete data inside the if/in sample and with positive weights (listwise deletion).
    static func estimationSample(_ spec: RegressionSpec) throws -> [Int] {
        let n = spec.y.count
        var ok = spec.touse ?? [Bool](repeating: true, count: n)
        // Missing values (and any non-finite value, which arithmetic should have mapped to `.`).
        func drop(_ col: [Double]) { for i in 0..<n where ok[i] && (Missing.isMissing(col[i]) || !col[i].isFinite) { ok[i] = false } }
        drop(spec.y)
        for r in spec.regressors { drop(r.values) }
        for a in spec.absorb { for k in a.keys { drop(k) }; for s in a.slopes { drop(s.values) } }
        if case .cluster(let terms) = spec.vce { for t in terms { for k in t.keys { drop(k) } } }
        if let w = spec.weights {
            for i in 0..<n where ok[i] {
                if Missing.isMissing(w[i]) || w[i] <= 0 { ok[i] = false; continue }
                if spec.weightKind == .fweight && w[i] != w[i].rounded() {
                    throw StataError(401, "may not use noninteger frequency weights")
                }
            }
        }
        return (0..<n).filter { ok[$0] }
    }

    /// Rows to keep after dropping singleton groups of any absorbed term, iterated until none remain.
    static func singletonMask(_ fes: [FactorCodes]) -> [Bool] {
        let n = fes[0].codes.count
        var keep = [Bool](repeating: true, count: n)
        var changed = true
        while changed {
            changed = false
            for f in fes {
                var counts = [Int32](repeating: 0, count: f.levels)
                for i in 0..<n where keep[i] { counts[Int(f.codes[i])] += 1 }
                for i in 0..<n where keep[i] && counts[Int(f.codes[i])] == 1 { keep[i] = false; changed = true }
            }
        }
        return keep
    }

    /// Weighted means, centred and raw sums of squares of each column (columns in parallel).
    static func columnMoments(_ Z: Matrix, _ w: [Double]?, _ sumW: Double)
        -> (means: [Double], centredSS: [Double], rawSS: [Double]) {
        let n = Z.rows, k = Z.cols
        var out = [(Double, Double, Double)](repeating: (0, 0, 0), count: k)
        Z.data.withUnsafeBufferPointer { zp in
            out.withUnsafeMutableBufferPointer { op in
                let ob = op.baseAddress!
                DispatchQueue.concurrentPerform(iterations: k) { j in
                    let col = zp.baseAddress! + j * n
                    var s = 0.0, r = 0.0
                    if let w = w { for i in 0..<n { let v = col[i]; s += w[i] * v; r += w[i] * v * v } } else {
                        for i in 0..<n { let v = col[i]; s += v; r += v * v }
                    }
                    var mean = s / sumW
                    // A second pass corrects the rounding of the first mean.
                    var corr = 0.0, c = 0.0
                    if let w = w { for i in 0..<n { corr += w[i] * (col[i] - mean) } } else { for i in 0..<n { corr += col[i] - mean } }
                    mean += corr / sumW
                    if let w = w { for i in 0..<n { let d = col[i] - mean; c += w[i] * d * d } } else {
                        for i in 0..<n { let d = col[i] - mean; c += d * d }
                    }
                    ob[j] = (mean, c, r)
                }
            }
        }
        return (out.map { $0.0 }, out.map { $0.1 }, out.map { $0.2 })
    }

    /// Subtracts each column's weighted mean (twice, so that the rounding of the first pass goes too).
    static func centreColumns(_ Z: inout Matrix, _ w: [Double]?, _ sumW: Double) {
        let n = Z.rows
        for j in 0..<Z.cols {
            let off = j * n
            for _ in 0..<2 {
                var s = 0.0
                if let w = w { for i in 0..<n { s += w[i] * Z.data[off + i] } } else { for i in 0..<n { s += Z.data[off + i] } }
                let m = s / sumW
                for i in 0..<n { Z.data[off + i] -= m }
            }
        }
    }

    /// Weighted sum of squares of each column.
    static func columnSS(_ Z: Matrix, _ w: [Double]?) -> [Double] {
        let n = Z.rows
        return (0..<Z.cols).map { j in
            var s = 0.0
            let off = j * n
            if let w = w { for i in 0..<n { let v = Z.data[off + i]; s += w[i] * v * v } } else {
                for i in 0..<n { let v = Z.data[off + i]; s += v * v }
            }
            return s
        }
    }

    /// b = (X'WX)^-1 X'Wy by equilibrated Cholesky with one step of iterative refinement on the
    /// residuals (which brings the error from cond(X)^2 eps down to about cond(X) eps).
    static func solveNormalEquations(_ X: Matrix, _ y: [Double], _ w: [Double]?) throws
        -> (b: [Double], residuals: [Double], inverse: Matrix) {
        let n = X.rows, k = X.cols
        if k == 0 { return ([], y, Matrix(rows: 0, cols: 0)) }
        let A = Dense.crossProduct(X, weights: w)
        func residuals(_ b: [Double]) -> [Double] {
            var e = X.multiply(b)
            for i in 0..<n { e[i] = y[i] - e[i] }
            return e
        }
        do {
            var b = try Dense.solveSymmetric(A, Dense.crossProduct(X, y, weights: w))
            // One refinement step: solve for the correction from the residuals of the first solve.
            let db = try Dense.solveSymmetric(A, Dense.crossProduct(X, residuals(b), weights: w))
            for a in 0..<k { b[a] += db[a] }
            return (b, residuals(b), try Dense.choleskyInverse(A))
        } catch {
            throw StataError(506, "matrix not positive definite: regressors are numerically collinear")
        }
    }

    /// Absorbed degrees of freedom for the convention in force.
    static func absorbedDof(_ spec: RegressionSpec, rows: [Int], fes: [FactorCodes], clusters: [FactorCodes],
                            clusterTerms: [ClusterTerm], hasCons: Bool) -> AbsorbedDof {
        if fes.isEmpty {
            // The intercept is the one absorbed level (reghdfe `noabsorb`); regress's K counts it.
            let c = hasCons ? 1 : 0
            return AbsorbedDof(rows: [], df_a: c, df_a_initial: c, df_a_redundant: 0, df_a_nested: 0)
        }
        let terms = zip(spec.absorb, fes).map { term, codes in
            (name: term.name, codes: codes, intercept: term.includeIntercept,
             slopes: term.slopes.map { sl in (name: sl.name, values: rows.map { sl.values[$0] }) })
        }
        switch spec.convention {
        case .reghdfe:
            let cl = zip(clusterTerms, clusters).map { (name: $0.0.name, codes: $0.1) }
            return AbsorbedDof.reghdfe(terms: terms, clusters: cl)
        case .regress, .areg, .xtregFE:
            // areg / xtreg: every absorbed level counts (no nesting in clusters); the constant is
            // reported separately, so df_a is the absorbed levels minus their redundancies minus 1.
            var d = AbsorbedDof.reghdfe(terms: terms, clusters: [])
            d.df_a -= 1
            return d
        }
    }

    /// Splits the sum of fixed effects d into each term's effects for `absorb(newvar=term)`, by
    /// alternating projections on d (which lies exactly in the span of the dummies).
    static func savedFixedEffects(_ spec: RegressionSpec, rows: [Int], fes: [FactorCodes], d: [Double]?,
                                  n0: Int) throws -> [(name: String, values: [Double])] {
        let wanted = spec.absorb.enumerated().compactMap { $0.element.saveAs == nil ? nil : $0.offset }
        guard !wanted.isEmpty else { return [] }
        guard let d = d else { return [] }
        if spec.absorb.contains(where: { !$0.slopes.isEmpty || !$0.includeIntercept }) {
            return savedFixedEffectsWithSlopes(spec, rows: rows, fes: fes, d: d, n0: n0)
        }
        let n = rows.count
        let dn = rows.map { d[$0] }
        var alpha = fes.map { [Double](repeating: 0, count: $0.levels) }
        let scale = max(dn.map(abs).max() ?? 0, 1e-300)
        for _ in 0..<10_000 {
            var change = 0.0
            for f in fes.indices {
                var sums = [Double](repeating: 0, count: fes[f].levels)
                var cnt = [Double](repeating: 0, count: fes[f].levels)
                for i in 0..<n {
                    var r = dn[i]
                    for h in fes.indices where h != f { r -= alpha[h][Int(fes[h].codes[i])] }
                    let g = Int(fes[f].codes[i])
                    sums[g] += r; cnt[g] += 1
                }
                for g in 0..<sums.count {
                    let v = cnt[g] > 0 ? sums[g] / cnt[g] : 0
                    change = max(change, abs(v - alpha[f][g]))
                    alpha[f][g] = v
                }
            }
            if change <= 1e-13 * scale { break }
        }
        return wanted.map { f in
            var out = [Double](repeating: Missing.dot, count: n0)
            for (i, r) in rows.enumerated() { out[r] = alpha[f][Int(fes[f].codes[i])] }
            return (spec.absorb[f].saveAs!, out)
        }
    }

    /// `absorb(newvar=a##c.x)`: as reghdfe, saves each term's per-level intercept as `newvar` (when
    /// the term has intercepts) and its slope coefficients as `newvarSlope1`, … (ftools'
    /// ms_parse_absvars names), in the uncentred parametrisation alpha_g + beta_g x. d lies in the
    /// span of the terms; it is split by block Gauss-Seidel over the demeaner's blocks
    /// (DidKernel/Demeaner+Slopes.swift: terms over one partition fitted jointly, spanned
    /// intercepts added to slope-only terms, coarser intercept terms and a global [1, x] given
    /// their slopes), without which the sweeps crawl along nearly parallel directions. Every
    /// block column has an owner (a term's intercept or slope) whose partition is nested in the
    /// block's or equal to it, so its coefficients add to the owner's saved values row by row.
    /// As with intercepts only, the split is one of many when the terms overlap.
    static func savedFixedEffectsWithSlopes(_ spec: RegressionSpec, rows: [Int], fes: [FactorCodes], d: [Double],
                                            n0: Int) -> [(name: String, values: [Double])] {
        let n = rows.count
        let dn = rows.map { d[$0] }
        let terms = spec.absorb
        let slopeValues = terms.map { t in t.slopes.map { sl in rows.map { sl.values[$0] } } }
        /// Owner of a block column: term and slope index (-1 = the term's intercept).
        struct Owner { var term: Int; var slope: Int }
        struct Block { var codes: FactorCodes; var intercept: Owner?; var x: [[Double]]; var owners: [Owner] }
        var bs = [Block]()
        for (t, codes) in fes.enumerated() {
            var k = bs.firstIndex { $0.codes.levels == codes.levels && codes.isNested(within: $0.codes) }
            if k == nil { bs.append(Block(codes: codes, intercept: nil, x: [], owners: [])); k = bs.count - 1 }
            if terms[t].includeIntercept && bs[k!].intercept == nil { bs[k!].intercept = Owner(term: t, slope: -1) }
            for (j, x) in slopeValues[t].enumerated() { bs[k!].x.append(x); bs[k!].owners.append(Owner(term: t, slope: j)) }
        }
        let interceptBlocks = bs.indices.filter { bs[$0].intercept != nil }
        var globalX = [[Double]](), globalOwners = [Owner]()
        for k in bs.indices where bs[k].intercept == nil {
            // Intercepts spanned by a finer intercept block u: owned by u's term.
            if let u = interceptBlocks.first(where: { bs[$0].codes.isNested(within: bs[k].codes) }) {
                bs[k].intercept = bs[u].intercept
                continue
            }
            for f in interceptBlocks where bs[k].codes.isNested(within: bs[f].codes) {
                bs[f].x += bs[k].x; bs[f].owners += bs[k].owners
            }
            globalX += bs[k].x; globalOwners += bs[k].owners
        }
        if !globalX.isEmpty, let first = interceptBlocks.first {
            bs.append(Block(codes: FactorCodes(codes: [Int32](repeating: 0, count: n), levels: 1),
                            intercept: bs[first].intercept, x: globalX, owners: globalOwners))
        }
        // Block Gauss-Seidel on the fits.
        let w: [Double] = spec.weights.map { ws in rows.map { ws[$0] } } ?? [Double](repeating: 1, count: n)
        var fits = bs.map { _ in [Double](repeating: 0, count: n) }
        var coefs = bs.map { [[Double]](repeating: [], count: $0.codes.levels) }
        let scale = max(dn.map(abs).max() ?? 0, 1e-300)
        for _ in 0..<10_000 {
            var change = 0.0
            for (k, b) in bs.enumerated() {
                var r = dn
                for (h, f) in fits.enumerated() where h != k { for i in 0..<n { r[i] -= f[i] } }
                coefs[k] = groupFit(r, b.codes, b.x, intercept: b.intercept != nil, w)
                for i in 0..<n {
                    let c = coefs[k][Int(b.codes.codes[i])]
                    var v = c[0]
                    for s in 0..<b.x.count { v += c[s + 1] * b.x[s][i] }
                    change = max(change, abs(v - fits[k][i]))
                    fits[k][i] = v
                }
            }
            if change <= 1e-13 * scale { break }
        }
        // Saved values: each block column added to its owner, row by row.
        var values = [String: [Double]]()
        func name(_ o: Owner) -> String? {
            guard let base = terms[o.term].saveAs else { return nil }
            return o.slope < 0 ? base : "\(base)Slope\(o.slope + 1)"
        }
        for (k, b) in bs.enumerated() {
            for (col, owner) in ([b.intercept] + b.owners.map { Optional($0) }).enumerated() {
                guard let o = owner, let nm = name(o) else { continue }
                var v = values[nm] ?? [Double](repeating: 0, count: n)
                for i in 0..<n { v[i] += coefs[k][Int(b.codes.codes[i])][col] }
                values[nm] = v
            }
        }
        var out = [(name: String, values: [Double])]()
        for (t, term) in terms.enumerated() where term.saveAs != nil {
            let owners = (term.includeIntercept ? [Owner(term: t, slope: -1)] : []) + term.slopes.indices.map { Owner(term: t, slope: $0) }
            for o in owners {
                let nm = name(o)!
                var full = [Double](repeating: Missing.dot, count: n0)
                let v = values[nm] ?? [Double](repeating: 0, count: n)
                for (i, r) in rows.enumerated() { full[r] = v[i] }
                out.append((nm, full))
            }
        }
        return out
    }

    /// Per-group weighted least squares of r on [1 (if `intercept`), x_1, …], solved on slopes
    /// centred at the group means and returned uncentred: [alpha, beta_1, …] per group (alpha 0
    /// without intercept). Directions that are constant (or zero) in a group get coefficient 0.
    static func groupFit(_ r: [Double], _ codes: FactorCodes, _ x: [[Double]], intercept: Bool, _ w: [Double]) -> [[Double]] {
        let g = codes.levels, p = x.count, n = r.count
        var sw = [Double](repeating: 0, count: g), mr = sw
        var mx = [[Double]](repeating: [Double](repeating: 0, count: g), count: p)
        for i in 0..<n { let c = Int(codes.codes[i]); sw[c] += w[i]; mr[c] += w[i] * r[i]; for s in 0..<p { mx[s][c] += w[i] * x[s][i] } }
        for c in 0..<g where sw[c] > 0 { mr[c] /= sw[c]; for s in 0..<p { mx[s][c] /= sw[c] } }
        if !intercept { for c in 0..<g { mr[c] = 0; for s in 0..<p { mx[s][c] = 0 } } }
        var xx = [Double](repeating: 0, count: g * p * p), xr = [Double](repeating: 0, count: g * p)
        var raw = [Double](repeating: 0, count: g * p)
        for i in 0..<n {
            let c = Int(codes.codes[i])
            for a in 0..<p {
                raw[c * p + a] += w[i] * x[a][i] * x[a][i]
                let xa = x[a][i] - mx[a][c]
                xr[c * p + a] += w[i] * xa * (r[i] - mr[c])
                for e in 0..<p { xx[c * p * p + a * p + e] += w[i] * xa * (x[e][i] - mx[e][c]) }
            }
        }
        return (0..<g).map { c in
            var beta = [Double](repeating: 0, count: p)
            if p > 0 {
                var A = Matrix(rows: p, cols: p, data: Array(xx[(c * p * p)..<((c + 1) * p * p)]))
                // A slope constant within the group is rounding noise once centred: drop it there.
                for a in 0..<p where A[a, a] <= 1e-24 * raw[c * p + a] { for e in 0..<p { A[a, e] = 0; A[e, a] = 0 } }
                let inv = Dense.invertSymmetricWithRank(A, tolerance: 1e-12).inverse
                for a in 0..<p { for e in 0..<p { beta[a] += inv[a, e] * xr[c * p + e] } }
            }
            var alpha = mr[c]
            for a in 0..<p { alpha -= beta[a] * mx[a][c] }
            return [alpha] + beta
        }
    }
}
