// Variance estimators and summary statistics of the linear-regression engine.
//
// Bread: for the kept regressors plus `_cons`, reghdfe's bordered inverse of
//   [X~'WX~ + s xbar xbar', s xbar; s xbar', s]   (s = sum of weights, X~ partialled, xbar means)
// i.e. B = [A^-1, -A^-1 xbar; -xbar'A^-1, 1/s + xbar'A^-1 xbar] with A = X~'WX~; for `regress` this
// is exactly inv([X 1]'W[X 1]). Scores use the rows z_i = [x~_i + xbar, 1].
//
// Small-sample factors q and residual df (N = obs, or sum of fweights; k = kept regressors):
//   reghdfe  unadjusted s2 = rss/(N-df_a-k); robust q = N/(N-df_a-k);
//            cluster q = (N-1)/(N-nested_adj-k-df_a) * G/(G-1), df_r = min(N-df_a-k, G-1)
//   regress  the same with df_a = 1 (the intercept) except cluster df_r = G-1
//   areg     df_a = absorbed levels - 1 (counted even when nested in the cluster):
//            s2 = rss/(N-k-1-df_a); robust q = N/(N-k-1-df_a);
//            cluster q = (N-1)/(N-k-1-df_a) * G/(G-1), df_r = G-1
//   xtregFE  s2 = rss/(N-k-1-df_a); cluster (and robust = cluster by panel)
//            q = (N-1)/(N-k-1) * G/(G-1), df_r = G-1 (the FE is nested in the panel cluster)
// Multiway clustering: meat by inclusion-exclusion over all intersections, G = min over variables;
// if V is not PSD, negative eigenvalues are set to 0, and the block without `_cons` is fixed
// separately and put back (reghdfe's reghdfe_fix_psd).
// Robust meat weights: e^2 unweighted, f e^2 with fweights, (w e)^2 otherwise; cluster scores w e.

import DidFrame
import Foundation
import DidKernel

/// What the variance step needs from the fit.
struct VarianceInputs {
    var X: Matrix              // n x k partialled kept regressors
    var xbar: [Double]         // their weighted means
    var residuals: [Double]
    var weights: [Double]?     // normalised weights
    var weightKind: WeightKind?
    var inverse: Matrix        // (X~'WX~)^-1
    var sumW: Double
    var hasCons: Bool
    var clusters: [FactorCodes]
}

/// VCE and the degrees of freedom it implies.
struct VarianceOutput {
    var V: Matrix
    var q: Double
    var df_r: Int
    var residualDf: Int
    var minClusters: Int?
    var psdFixApplied: Bool
    var label: String
}

/// R-squared family and likelihoods.
struct SummaryStatistics {
    var r2: Double, r2_a: Double, r2_within: Double, r2_a_within: Double
    var rmse: Double, ll: Double, ll_0: Double
    var df_r: Int
}

extension LinearModel {
    /// The bordered bread (m x m, m = k + hasCons).
    static func bread(_ inp: VarianceInputs) -> Matrix {
        let k = inp.X.cols
        guard inp.hasCons else { return inp.inverse }
        var B = Matrix(rows: k + 1, cols: k + 1)
        let ax = inp.inverse.multiply(inp.xbar)
        var corner = 1 / inp.sumW
        for a in 0..<k { corner += inp.xbar[a] * ax[a] }
        for j in 0..<k {
            for i in 0..<k { B[i, j] = inp.inverse[i, j] }
            B[k, j] = -ax[j]; B[j, k] = -ax[j]
        }
        B[k, k] = corner
        return B
    }

    /// Score rows z_i = [x~_i + xbar, 1] (n x m).
    static func scoreRows(_ inp: VarianceInputs) -> Matrix {
        let n = inp.X.rows, k = inp.X.cols
        var S = Matrix(rows: n, cols: k + (inp.hasCons ? 1 : 0))
        for j in 0..<k {
            let m = inp.xbar[j]
            for i in 0..<n { S.data[j * n + i] = inp.X.data[j * n + i] + (inp.hasCons ? m : 0) }
        }
        if inp.hasCons { for i in 0..<n { S.data[k * n + i] = 1 } }
        return S
    }

    /// Sum over clusters of (sum_i in g  s_i z_i)(…)' for the cluster codes `c`.
    static func clusterMeat(_ Zs: Matrix, _ score: [Double], _ c: FactorCodes) -> Matrix {
        let n = Zs.rows, m = Zs.cols, levels = c.levels
        var G = Matrix(rows: levels, cols: m)
        // Columns are independent: each worker fills its own column of the cluster sums.
        G.data.withUnsafeMutableBufferPointer { gp in
            let gb = gp.baseAddress!
            Zs.data.withUnsafeBufferPointer { zp in
                c.codes.withUnsafeBufferPointer { cp in
                    score.withUnsafeBufferPointer { sp in
                        DispatchQueue.concurrentPerform(iterations: m) { j in
                            let z = zp.baseAddress! + j * n, g = gb + j * levels
                            for i in 0..<n { g[Int(cp[i])] += sp[i] * z[i] }
                        }
                    }
                }
            }
        }
        return Dense.crossProduct(G)
    }

    /// V, its small-sample factor and the residual df under `convention` (see the file header).
    static func computeVariance(_ inp: VarianceInputs, vce: VCE, convention: DofConvention, dof: AbsorbedDof,
                                N: Int, k: Int, rss: Double, absorbedLevels: [Int]) throws -> VarianceOutput {
        let B = bread(inp)
        let nestedAdj = dof.df_a_nested > 0 ? 1 : 0
        // Residual df before clustering.
        let residualDf: Int
        switch convention {
        case .reghdfe, .regress: residualDf = N - dof.df_a - k
        case .areg, .xtregFE: residualDf = N - k - (inp.hasCons ? 1 : 0) - dof.df_a
        }
        guard residualDf > 0 else { throw StataError(2001, "insufficient observations") }
        let n = inp.X.rows
        let e = inp.residuals
        switch vce {
        case .unadjusted:
            let s2 = rss / Double(residualDf)
            // Stored as reghdfe does: V = (rss/N) * q * bread with q = N / df_r.
            return VarianceOutput(V: s2 * B, q: Double(N) / Double(residualDf), df_r: residualDf, residualDf: residualDf, minClusters: nil,
                                  psdFixApplied: false, label: "ols")
        case .robust:
            var m = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let wi = inp.weights?[i] ?? 1
                m[i] = inp.weightKind == .fweight ? wi * e[i] * e[i] : (wi * e[i]) * (wi * e[i])
            }
            let meat = Dense.crossProduct(scoreRows(inp), weights: m)
            let q = Double(N) / Double(residualDf)
            return VarianceOutput(V: q * (B * meat * B), q: q, df_r: residualDf, residualDf: residualDf,
                                  minClusters: nil, psdFixApplied: false, label: "robust")
        case .cluster:
            let Zs = scoreRows(inp)
            let score = (0..<n).map { (inp.weights?[$0] ?? 1) * e[$0] }
            let cl = inp.clusters
            var meat = Matrix(rows: Zs.cols, cols: Zs.cols)
            for mask in 1..<(1 << cl.count) {
                let members = (0..<cl.count).filter { mask & (1 << $0) != 0 }
                var codes = cl[members[0]]
                for h in members.dropFirst() {
                    codes = FactorCodes(keys: [codes.codes.map(Double.init), cl[h].codes.map(Double.init)])
                }
                let part = clusterMeat(Zs, score, codes)
                meat = members.count % 2 == 1 ? meat + part : meat - part
            }
            let G = cl.map(\.levels).min() ?? 1
            guard G > 1 else {
                throw StataError(2001, "insufficient observations: only one cluster, the cluster-robust VCE needs at least two")
            }
            let g = Double(G) / Double(G - 1)
            let q: Double, df_r: Int
            switch convention {
            case .reghdfe:
                q = Double(N - 1) / Double(N - nestedAdj - k - dof.df_a) * g
                df_r = min(residualDf, G - 1)
            case .regress:
                q = Double(N - 1) / Double(residualDf) * g
                df_r = G - 1
            case .areg:
                q = Double(N - 1) / Double(residualDf) * g
                df_r = G - 1
            case .xtregFE:
                q = Double(N - 1) / Double(N - k - (inp.hasCons ? 1 : 0)) * g
                df_r = G - 1
            }
            var V = q * (B * meat * B)
            var fixed = false
            if cl.count > 1 { fixed = try fixPSD(&V, hasCons: inp.hasCons) }
            return VarianceOutput(V: V, q: q, df_r: df_r, residualDf: residualDf, minClusters: G,
                                  psdFixApplied: fixed, label: "cluster")
        }
    }

    /// Clips negative eigenvalues (Cameron, Gelbach & Miller), treating the block without `_cons`
    /// separately as reghdfe does. Returns whether a fix was needed.
    static func fixPSD(_ V: inout Matrix, hasCons: Bool) throws -> Bool {
        func clip(_ M: Matrix) throws -> (Matrix, Bool) {
            var S = M
            for j in 0..<S.cols { for i in (j + 1)..<max(S.rows, j + 1) { let a = 0.5 * (S[i, j] + S[j, i]); S[i, j] = a; S[j, i] = a } }
            let (vals, vecs) = try Dense.symmetricEigen(S)
            guard let lo = vals.min(), lo < 0 else { return (S, false) }
            let clipped = vals.map { max($0, 0) }
            return (vecs * Matrix.diagonal(clipped) * vecs.transposed, true)
        }
        let (full, needed) = try clip(V)
        guard needed else { return false }
        var out = full
        if hasCons && V.rows > 1 {
            let idx = Array(0..<(V.rows - 1))
            let (block, _) = try clip(V.submatrix(rows: idx, cols: idx))
            for j in idx { for i in idx { out[i, j] = block[i, j] } }
        }
        V = out
        return true
    }

    /// R-squared variants, rmse and log-likelihoods (see the file header of LinearModel+Variance).
    static func summaryStatistics(convention: DofConvention, dof: AbsorbedDof, N: Int, k: Int, rss: Double,
                                  tss: Double, tssWithin: Double, hasCons: Bool, absorbed: Bool,
                                  residualDf: Int) -> SummaryStatistics {
        let nd = Double(N)
        let used: Double = convention == .reghdfe ? Double(N - dof.df_a - k - dof.df_a_nested) : Double(residualDf)
        let r2 = 1 - rss / tss
        let r2w = 1 - rss / tssWithin
        let r2a = 1 - (rss / used) / (tss / (hasCons ? nd - 1 : nd))
        let r2aw = absorbed ? 1 - (rss / used) / (tssWithin / (used + Double(k))) : r2a
        let c = 1 + log(2 * Double.pi)
        let ll = -0.5 * nd * (c + log(rss / nd))
        let ll0 = -0.5 * nd * (c + log((absorbed ? tssWithin : tss) / nd))
        return SummaryStatistics(r2: r2, r2_a: r2a, r2_within: absorbed ? r2w : r2, r2_a_within: r2aw,
                                 rmse: (rss / used).squareRoot(), ll: ll, ll_0: ll0, df_r: residualDf)
    }

    /// Wald F of the kept non-constant coefficients with (k, df_r); nil when V is singular there or
    /// there are more coefficients than clusters allow (Stata reports it missing).
    static func waldF(_ b: [Double], _ V: Matrix, k: Int, df_r: Int, clusters: Int?) -> (Double?, Double?) {
        guard k > 0, df_r > 0 else { return (nil, nil) }
        if let g = clusters, k > g - 1 { return (nil, nil) }
        let idx = Array(0..<k)
        guard let Vinv = try? Dense.choleskyInverse(V.submatrix(rows: idx, cols: idx)) else { return (nil, nil) }
        let vb = Vinv.multiply(b)
        var w = 0.0
        for a in 0..<k { w += b[a] * vb[a] }
        let F = w / Double(k)
        return (F, TailProbability.F(Double(k), Double(df_r), F))
    }
}
