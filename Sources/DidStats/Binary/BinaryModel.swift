// logit and probit by Newton–Raphson with step halving (Stata's `ml` method for these commands),
// iterated until the Newton decrement g'H⁻¹g is below 1e-20 (far tighter than Stata's default
// nrtolerance(1e-5): the references need 1e-8 relative coefficients); the iteration log and
// e(ic) stop where Stata's default criteria would have stopped.
//
// Dimension naming: N = observations in the sample, K = kept terms (regressors + `_cons`); the design
// matrix is N x K column-major. H is the negative Hessian X' diag(w h) X, g the score X'(w s), with
// per-observation score s and curvature h:
//   logit:  p = 1/(1+e^-xb), s = y - p, h = p(1 - p)
//   probit: q = 2y - 1, z = q xb, λ = φ(z)/Φ(z), s = q λ, h = λ(λ + z)   (exact observed Hessian)
// Iteration 0 is the constant-only fit (its log likelihood is ll_0), as in Stata's log.
// VCE: oim = H⁻¹; robust = H⁻¹ (Σ (w s x)(w s x)') H⁻¹ N/(N-1) (fweights: Σ f s² x x', N = Σ f);
// cluster = H⁻¹ (Σ_g u_g u_g') H⁻¹ G/(G-1), u_g = Σ_{i in g} w s x.

import Foundation
import DidFrame
import DidKernel

/// Binary-outcome models (`logit`, `probit`).
public enum BinaryModel {
    /// Fits the model; throws `StataError` (r(2000) no variation / perfect prediction, r(430) no convergence, …).
    public static func fit(_ spec: BinarySpec) throws -> BinaryResult {
        let screen = try BinaryScreen.run(spec)
        let kept = (0..<spec.regressors.count).filter { !screen.omitted[$0] }
        let N = screen.rows.count
        var X = Matrix(rows: N, cols: kept.count + (spec.constant ? 1 : 0), repeating: 1)
        for (c, j) in kept.enumerated() {
            spec.regressors[j].values.withUnsafeBufferPointer { v in
                for (s, r) in screen.rows.enumerated() { X.data[c * N + s] = v[r] }
            }
        }
        let K = X.cols
        let y = screen.y_S, w = screen.w_S
        let wsum = w.reduce(0, +)
        let w1 = zip(y, w).reduce(0) { $0 + $1.0 * $1.1 }
        let pbar = w1 / wsum
        let ll0 = spec.constant ? (w1 * log(pbar) + (wsum - w1) * log1p(-pbar)) : wsum * log(0.5)

        var b = [Double](repeating: 0, count: K)
        if spec.constant { b[K - 1] = spec.link == .logit ? log(pbar / (1 - pbar)) : invNormal(pbar) }
        let eval = BinaryLikelihood(link: spec.link, X: X, y: y, w: w)
        var xb = eval.index(b)
        var ll = eval.logLikelihood(index: xb)
        var log_ = [ll]
        var converged = false, iterations = 0
        // The iteration at which Stata's ml would have declared convergence: nrtolerance
        // (g'H⁻¹g < 1e-5 at the new point) and either tolerance (coefficients' mreldif < 1e-6) or
        // ltolerance (log-likelihood reldif < 1e-7), as [R] maximize states. We iterate further
        // for the last digits, but print and report the log Stata would show.
        var stataStop: Int? = nil
        var previousB = b, previousLL = ll
        while iterations < spec.maxIterations {
            let (g, H) = eval.derivatives(index: xb)
            guard let delta = try? Dense.solveSymmetric(H, g) else {
                throw StataError(430, "Hessian is not negative definite; convergence not achieved")
            }
            let decrement = zip(g, delta).reduce(0) { $0 + $1.0 * $1.1 }
            if iterations > 0 && stataStop == nil && decrement < 1e-5 {
                let bRel = zip(b, previousB).map { abs($0 - $1) / (abs($0) + 1) }.max() ?? 0
                let llRel = abs(ll - previousLL) / (abs(previousLL) + 1)
                if bRel < 1e-6 || llRel < 1e-7 { stataStop = iterations }
            }
            previousB = b; previousLL = ll
            var step = 1.0, trial = b, trialLL = -Double.infinity, trialXB = xb
            for _ in 0..<60 {
                for k in 0..<K { trial[k] = b[k] + step * delta[k] }
                trialXB = eval.index(trial)
                trialLL = eval.logLikelihood(index: trialXB)
                if trialLL >= ll - 1e-12 * abs(ll) { break }
                step *= 0.5
            }
            if !(trialLL >= ll - 1e-12 * abs(ll)) {
                if decrement < 1e-12 { converged = true; break }
                throw StataError(430, "convergence not achieved")
            }
            iterations += 1
            b = trial; xb = trialXB; ll = trialLL; log_.append(ll)
            if decrement < 1e-20 { converged = true; break }
        }
        guard converged else { throw StataError(430, "convergence not achieved") }
        if !ll.isFinite { throw StataError(430, "convergence not achieved") }
        let shown = min(stataStop ?? iterations, iterations)
        log_ = Array(log_.prefix(shown + 1))
        iterations = shown

        let (_, H) = eval.derivatives(index: xb)
        let Hinv = try? Dense.choleskyInverse(H)
        guard let Hinv else { throw StataError(430, "Hessian is not negative definite; convergence not achieved") }
        // e(N): the sum of the weights for fweights and iweights (Stata), the row count otherwise.
        let nObs = spec.weights != nil && spec.weightKind != .probability ? Int(wsum.rounded(.down)) : screen.rows.count
        var vcetype = "oim", nClust: Int? = nil
        var V = Hinv
        var vce = spec.vce
        if vce == .oim && spec.weights != nil && spec.weightKind == .probability { vce = .robust }
        switch vce {
        case .oim: break
        case .robust:
            let meat = eval.robustMeat(b, frequency: spec.weights != nil && spec.weightKind == .frequency)
            V = sandwich(Hinv, meat, factor: Double(nObs) / Double(nObs - 1))
            vcetype = "robust"
        case .cluster(let keys):
            let codes = screen.rows.map { keys[$0] }
            let (meat, G) = eval.clusterMeat(b, keys: codes)
            V = sandwich(Hinv, meat, factor: Double(G) / Double(G - 1))
            vcetype = "cluster"; nClust = G
        }

        // Expand to e(b) layout: every regressor (omitted ones with 0), then _cons.
        let names = spec.regressors.map { $0.name } + (spec.constant ? ["_cons"] : [])
        let full = names.count
        var position = kept
        if spec.constant { position.append(full - 1) }
        var bFull = [Double](repeating: 0, count: full), VFull = Matrix(rows: full, cols: full)
        for (a, pa) in position.enumerated() {
            bFull[pa] = b[a]
            for (c, pc) in position.enumerated() { VFull[pa, pc] = V[a, c] }
        }
        var omittedFull = screen.omitted
        if spec.constant { omittedFull.append(false) }

        let slopes = Array(0..<(spec.constant ? K - 1 : K))
        var chi2 = 2 * (ll - ll0), chi2type = "LR", dfm = slopes.count
        if vcetype != "oim" && !slopes.isEmpty {
            let Vs = V.submatrix(rows: slopes, cols: slopes)
            let inv = Dense.invertSymmetricWithRank(Vs)
            let bs = slopes.map { b[$0] }
            var q = 0.0
            for i in 0..<bs.count { for j in 0..<bs.count { q += bs[i] * inv.inverse[i, j] * bs[j] } }
            chi2 = q; chi2type = "Wald"; dfm = inv.rank
        }
        let p = dfm > 0 ? BinaryProbability.chi2Tail(Double(dfm), chi2) : Missing.dot
        var sample = [Bool](repeating: false, count: spec.y.count)
        for r in screen.rows { sample[r] = true }
        return BinaryResult(link: spec.link, names: names, b: bFull, V: VFull, omitted: omittedFull,
                            notes: screen.notes, sample: sample, N: nObs, ll: ll, ll_0: ll0,
                            chi2: dfm > 0 ? chi2 : 0, chi2type: chi2type, p: p, r2_p: 1 - ll / ll0, df_m: dfm,
                            N_clust: nClust, iterations: iterations, iterationLog: log_, converged: converged,
                            vcetype: vcetype, rules: screen.rules, regressorValues: spec.regressors.map { $0.values })
    }

    /// A⁻¹ M A⁻¹ times a small-sample factor.
    static func sandwich(_ Ainv: Matrix, _ M: Matrix, factor: Double) -> Matrix {
        let K = Ainv.rows
        var t = Matrix(rows: K, cols: K), v = Matrix(rows: K, cols: K)
        for j in 0..<K { for l in 0..<K { let m = M[l, j]; if m == 0 { continue }; for i in 0..<K { t[i, j] += Ainv[i, l] * m } } }
        for j in 0..<K { for l in 0..<K { let a = Ainv[l, j]; if a == 0 { continue }; for i in 0..<K { v[i, j] += t[i, l] * a } } }
        for j in 0..<K { for i in 0..<K { v[i, j] *= factor } }
        for j in 0..<K { for i in (j + 1)..<K { let a = 0.5 * (v[i, j] + v[j, i]); v[i, j] = a; v[j, i] = a } }
        return v
    }

    /// Φ⁻¹(p) by bisection (only used once, for the probit starting value).
    static func invNormal(_ p: Double) -> Double {
        var lo = -40.0, hi = 40.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if BinaryProbability.normal(mid) < p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}
