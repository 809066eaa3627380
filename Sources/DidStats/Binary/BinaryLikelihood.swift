// Log likelihood, score and negative Hessian of logit/probit over an N x K design, plus the
// "meat" matrices of the robust and cluster sandwiches. Per-observation formulas in
// BinaryModel.swift; the log likelihood uses log1p/erfc forms that stay finite for |xb| large.

import Foundation
import DidKernel

/// Likelihood pieces of a binary model at given coefficients.
struct BinaryLikelihood {
    let link: BinaryLink
    let X: Matrix
    let y: [Double]
    let w: [Double]

    /// xb = X b (length N).
    func index(_ b: [Double]) -> [Double] {
        var xb = [Double](repeating: 0, count: X.rows)
        for k in 0..<X.cols {
            let bk = b[k]
            if bk == 0 { continue }
            X.data.withUnsafeBufferPointer { xp in
                let base = k * X.rows
                for i in 0..<X.rows { xb[i] += bk * xp[base + i] }
            }
        }
        return xb
    }

    /// Σ w ln L_i at coefficients b.
    func logLikelihood(_ b: [Double]) -> Double { logLikelihood(index: index(b)) }

    /// Σ w ln L_i at a given linear index.
    func logLikelihood(index xb: [Double]) -> Double {
        var ll = 0.0
        switch link {
        case .logit:
            for i in 0..<xb.count {
                let t = y[i] == 1 ? -xb[i] : xb[i]           // ln L = -softplus(t)
                let sp = t > 0 ? t + log1p(exp(-t)) : log1p(exp(t))
                ll -= w[i] * sp
            }
        case .probit:
            for i in 0..<xb.count {
                ll += w[i] * BinaryProbability.lnNormal(y[i] == 1 ? xb[i] : -xb[i])
            }
        }
        return ll
    }

    /// Per-observation score s_i and curvature h_i.
    func scores(_ b: [Double]) -> (s: [Double], h: [Double]) { scores(index: index(b)) }

    /// Per-observation score and curvature at a given linear index.
    func scores(index xb: [Double]) -> (s: [Double], h: [Double]) {
        var s = [Double](repeating: 0, count: xb.count), h = s
        switch link {
        case .logit:
            for i in 0..<xb.count {
                let p = 1 / (1 + exp(-xb[i]))
                s[i] = y[i] - p; h[i] = p * (1 - p)
            }
        case .probit:
            for i in 0..<xb.count {
                let q = y[i] == 1 ? 1.0 : -1.0
                let z = q * xb[i]
                let lam = BinaryProbability.millsRatio(z)
                s[i] = q * lam; h[i] = lam * (lam + z)
            }
        }
        return (s, h)
    }

    /// Score vector g = X'(w s) and negative Hessian H = X' diag(w h) X.
    func derivatives(_ b: [Double]) -> (g: [Double], H: Matrix) { derivatives(index: index(b)) }

    /// g and H at a given linear index.
    func derivatives(index xb: [Double]) -> (g: [Double], H: Matrix) {
        var (ws, wh) = scores(index: xb)
        for i in 0..<ws.count { ws[i] *= w[i]; wh[i] *= w[i] }
        return (Dense.crossProduct(X, ws), Dense.crossProduct(X, weights: wh))
    }

    /// Σ (w s)^2 x x' (frequency weights: Σ f s^2 x x').
    func robustMeat(_ b: [Double], frequency: Bool) -> Matrix {
        let (s, _) = scores(b)
        var m = [Double](repeating: 0, count: s.count)
        for i in 0..<s.count {
            let s2 = s[i] * s[i]
            m[i] = frequency ? w[i] * s2 : w[i] * w[i] * s2
        }
        return Dense.crossProduct(X, weights: m)
    }

    /// Σ_g u_g u_g' with u_g = Σ_{i in g} w s x, and the number of clusters G.
    func clusterMeat(_ b: [Double], keys: [Double]) -> (Matrix, Int) {
        let (s, _) = scores(b)
        var code: [Double: Int] = [:]
        let g = keys.map { k -> Int in
            if let c = code[k] { return c }
            let c = code.count; code[k] = c; return c
        }
        let G = code.count, K = X.cols
        var U = Matrix(rows: G, cols: K)
        for k in 0..<K {
            for i in 0..<s.count { U[g[i], k] += w[i] * s[i] * X[i, k] }
        }
        return (Dense.crossProduct(U), G)
    }
}
