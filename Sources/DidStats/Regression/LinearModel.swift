// The one linear-regression engine behind `regress`, `areg`, `xtreg, fe` and `reghdfe`.
//
// Pipeline (each step a function below or in a LinearModel+… file):
//   sample      rows with complete data, positive weights, inside if/in      (`estimationSample`)
//   singletons  groups of one observation dropped iteratively over all absvars
//   partial out y and X demeaned together by the kernel's CG demeaner (exact LS to ~1e-14)
//   collinear   regressors absorbed by the FEs (SS ratio <= 1e-9), then invsym-style in varlist order
//   solve       normal equations on the partialled data (equilibrated Cholesky + one refinement step)
//   _cons       regression through the means, its variance by the bordered inverse (reghdfe)
//   VCE, stats  per `DofConvention` (see LinearModel+Variance.swift and AbsorbedDof.swift)
//
// Dimension naming: N0 = input rows, n = estimation rows, p = regressors given, k = kept ones,
// m = k + 1 with `_cons`.

import DidFrame
import DidKernel

/// Least squares with absorbed fixed effects and Stata's small-sample conventions.
public enum LinearModel {
    /// Internal stopping rule of the demeaning: far tighter than any user tolerance, so that the
    /// coefficients match exact least squares (the user's `tolerance` only decides failure).
    static let internalTolerance = 1e-14
    /// Relative threshold for collinearity (reghdfe and invsym).
    static let collinearityTolerance = 1e-9

    /// Fits the model described by `spec`; throws `StataError` on bad input (r(2000) no
    /// observations, r(198) inconsistent columns, r(401) non-integer fweights, r(430) no convergence).
    public static func fit(_ spec: RegressionSpec) throws -> RegressionResult {
        try validate(spec)
        let n0 = spec.y.count
        var vce = spec.vce
        if spec.weights != nil, spec.weightKind == .pweight, case .unadjusted = vce { vce = .robust }
        // With absorbed terms the constant is spanned when some term has intercepts; with only
        // slope terms (`absorb(a#c.x)`) there is none, and reghdfe reports no _cons and an
        // uncentred TSS (reghdfe.ado: report_constant = has_intercept & !noconstant).
        let hasCons = spec.absorb.isEmpty ? spec.constant : spec.absorb.contains(where: \.includeIntercept)

        // Sample and group codes.
        var rows = try estimationSample(spec)
        guard !rows.isEmpty else { throw StataError.noObservations() }
        var fes = encodeInParallel(spec.absorb.map(\.keys), rows: rows)
        var clusterTerms: [ClusterTerm] = []
        if case .cluster(let terms) = vce { clusterTerms = terms }
        // A cluster variable that is also an absorbed term reuses its codes.
        var clusters = clusterTerms.map { t in
            spec.absorb.firstIndex { $0.name == t.name }.map { fes[$0] } ?? FactorCodes(keys: t.keys, rows: rows)
        }
        let nFull = rows.count
        var numSingletons = 0
        // Only reghdfe drops singletons; areg and xtreg, fe keep every group.
        if !fes.isEmpty && !spec.keepSingletons && spec.convention == .reghdfe {
            let keep = singletonMask(fes)
            numSingletons = keep.reduce(0) { $0 + ($1 ? 0 : 1) }
            if numSingletons > 0 {
                rows = zip(rows, keep).filter { $0.1 }.map { $0.0 }
                fes = fes.map { $0.subset(keep) }
                clusters = clusters.map { $0.subset(keep) }
            }
        }
        guard !rows.isEmpty else { throw StataError.noObservations() }
        if case .robust = vce, spec.convention == .xtregFE, let panel = fes.first {
            // xtreg, fe's vce(robust) is the cluster-robust VCE by panel.
            vce = .cluster([ClusterTerm(name: spec.absorb[0].name, keys: [])])
            clusterTerms = [ClusterTerm(name: spec.absorb[0].name, keys: [])]
            clusters = [panel]
        }

        // Weights: aweights and pweights normalised to sum to n.
        let n = rows.count, p = spec.regressors.count
        var w: [Double]? = spec.weights.map { ws in rows.map { ws[$0] } }
        let sumWeights = w?.reduce(0, +)
        if let s = sumWeights, spec.weightKind == .aweight || spec.weightKind == .pweight {
            let scale = Double(n) / s
            w = w!.map { $0 * scale }
        }
        // N is the sum of the weights for fweights and iweights (Stata's e(N)), the row count otherwise.
        let bigN: Int = (sumWeights != nil && (spec.weightKind == .fweight || spec.weightKind == .iweight))
            ? Int(sumWeights!.rounded()) : n
        let sumW = w?.reduce(0, +) ?? Double(n)

        // Data matrix [y, X] over the sample, its means and centred sums of squares.
        var Z = Matrix(rows: 0, cols: 0)
        Z.data.reserveCapacity(n * (p + 1))
        for col in [spec.y] + spec.regressors.map(\.values) {
            if n == n0 { Z.data.append(contentsOf: col) } else { for r in rows { Z.data.append(col[r]) } }
        }
        Z.rows = n; Z.cols = p + 1
        let moments = columnMoments(Z, w, sumW)
        let tss = hasCons ? moments.centredSS[0] : moments.rawSS[0]

        // Partial out the fixed effects (or the constant).
        // Reaching the fit means every column met the user's tolerance (else r(430) below).
        var iterations = 0
        let converged = true
        if !fes.isEmpty {
            let order = fes.indices.sorted { fes[$0].levels > fes[$1].levels }
            // Slopes are taken on the final sample rows.
            let slopes = order.map { t in spec.absorb[t].slopes.map { sl in rows.map { sl.values[$0] } } }
            let demeaner = Demeaner(factors: order.map { fes[$0] }, slopes: slopes,
                                    intercepts: order.map { spec.absorb[$0].includeIntercept }, weights: w)
            let reports = demeaner.demean(&Z, tolerance: min(internalTolerance, spec.tolerance),
                                          maxIterations: spec.maxIterations)
            iterations = reports.map(\.iterations).max() ?? 0
            let worst = reports.map(\.relativeResidual).max() ?? 0
            if worst > spec.tolerance {
                throw StataError(430, "convergence not achieved (relative residual \(worst) after \(iterations) iterations)")
            }
        } else if hasCons {
            centreColumns(&Z, w, sumW)
        }
        let partialledSS = columnSS(Z, w)
        let tssWithin = partialledSS[0]

        // Collinearity: with the fixed effects (or constant), then among regressors in varlist order.
        var omitted = [OmittedReason?](repeating: nil, count: p)
        var candidates = [Int]()
        for j in 0..<p {
            let c = hasCons ? moments.centredSS[j + 1] : moments.rawSS[j + 1]
            let isConstant = c <= 1e-24 * moments.rawSS[j + 1]
            if c <= 0 || isConstant || partialledSS[j + 1] <= collinearityTolerance * c {
                omitted[j] = .collinearWithFixedEffects
            } else { candidates.append(j) }
        }
        let candX = columns(of: Z, candidates.map { $0 + 1 })
        let rank = Dense.invertSymmetricWithRank(Dense.crossProduct(candX, weights: w), tolerance: collinearityTolerance)
        for (ci, j) in candidates.enumerated() where rank.omitted[ci] { omitted[j] = .collinearWithRegressors }
        let kept = candidates.enumerated().filter { !rank.omitted[$0.offset] }.map { $0.element }
        let k = kept.count

        // Coefficients on the partialled data.
        let X = columns(of: Z, kept.map { $0 + 1 })
        let yt = Z.column(0)
        let solved = try solveNormalEquations(X, yt, w)
        let bk = solved.b, e = solved.residuals, Ainv = solved.inverse
        let xbar = kept.map { moments.means[$0 + 1] }
        var cons = 0.0
        if hasCons {
            cons = moments.means[0]
            for a in kept.indices { cons -= xbar[a] * bk[a] }
        }
        var rss = 0.0
        if let w = w { for i in 0..<n { rss += w[i] * e[i] * e[i] } } else { for i in 0..<n { rss += e[i] * e[i] } }

        // Degrees of freedom, VCE and summary statistics.
        let dof = absorbedDof(spec, rows: rows, fes: fes, clusters: clusters, clusterTerms: clusterTerms, hasCons: hasCons)
        let inputs = VarianceInputs(X: X, xbar: xbar, residuals: e, weights: w, weightKind: spec.weights == nil ? nil : spec.weightKind,
                                    inverse: Ainv, sumW: sumW, hasCons: hasCons, clusters: clusters)
        let variance = try computeVariance(inputs, vce: vce, convention: spec.convention, dof: dof,
                                           N: bigN, k: k, rss: rss, absorbedLevels: fes.map(\.levels))
        var stats = summaryStatistics(convention: spec.convention, dof: dof, N: bigN, k: k, rss: rss, tss: tss,
                                      tssWithin: tssWithin, hasCons: hasCons, absorbed: !fes.isEmpty,
                                      residualDf: variance.residualDf)
        stats.df_r = variance.df_r

        // Expand to the full varlist (+ _cons) with omitted regressors at zero.
        let names = spec.regressors.map(\.name) + (hasCons ? ["_cons"] : [])
        let full = p + (hasCons ? 1 : 0)
        let position = kept + (hasCons ? [p] : [])
        var b = [Double](repeating: 0, count: full)
        for (a, j) in kept.enumerated() { b[j] = bk[a] }
        if hasCons { b[p] = cons }
        var V = Matrix(rows: full, cols: full)
        for (a, i) in position.enumerated() { for (c, j) in position.enumerated() { V[i, j] = variance.V[a, c] } }
        let (F, F_p) = waldF(bk, variance.V, k: k, df_r: variance.df_r, clusters: variance.minClusters)

        // Per-observation predictions.
        var residuals: [Double]? = nil, xbOut: [Double]? = nil, dOut: [Double]? = nil
        var esample = [Bool](repeating: false, count: n0)
        for r in rows { esample[r] = true }
        if spec.wantPredictions {
            var res = [Double](repeating: Missing.dot, count: n0)
            var xb = res
            var d: [Double]? = fes.isEmpty ? nil : res
            for (i, r) in rows.enumerated() {
                var v = hasCons ? cons : 0
                for (a, j) in kept.enumerated() { v += bk[a] * spec.regressors[j].values[r] }
                xb[r] = v
                res[r] = e[i]
                if d != nil { d![r] = spec.y[r] - v - e[i] }
            }
            residuals = res; xbOut = xb; dOut = d
        }
        let saved = try savedFixedEffects(spec, rows: rows, fes: fes, d: dOut, n0: n0)

        return RegressionResult(
            depvar: spec.depvarName, names: names, b: b, V: V,
            omitted: omitted + (hasCons ? [nil] : []),
            N: bigN, df_r: variance.df_r, df_m: k, df_a: dof.df_a, df_a_initial: dof.df_a_initial,
            df_a_redundant: dof.df_a_redundant, df_a_nested: dof.df_a_nested,
            r2: stats.r2, r2_a: stats.r2_a, r2_within: stats.r2_within, r2_a_within: stats.r2_a_within,
            rmse: stats.rmse, rss: rss, tss: tss, tss_within: tssWithin, mss: tss - rss,
            F: F, F_p: F_p, F_df: (k, variance.df_r), ll: stats.ll, ll_0: stats.ll_0,
            N_clust: variance.minClusters,
            N_clust_list: zip(clusterTerms, clusters).map { ($0.0.name, $0.1.levels) },
            num_singletons: numSingletons, N_full: nFull, sumweights: sumWeights, esample: esample,
            residuals: residuals, xb: xbOut, d: dOut, savedFixedEffects: saved, dofTable: dof.rows,
            smallSampleFactor: variance.q, psdFixApplied: variance.psdFixApplied,
            converged: converged, iterations: iterations, vceType: variance.label)
    }

}
