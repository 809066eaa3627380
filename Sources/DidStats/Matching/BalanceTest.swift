// pstest 4.2.2 (`both`): covariate balance before and after matching.
//
// U rows use the sample (treated non-missing, `if`/`in`); M rows use units on support with a
// non-missing weight, as iweights: treated weigh their `_support` value (1), controls `_weight`
// (unmatched controls have a missing weight and drop out). Formulas (from pstest's source):
//   %bias   = 100 (mean_T - mean_C) / sqrt((V_T,U + V_C,U)/2)   — unmatched variances in both rows
//   %reduct = -100 (|bias_M| - |bias_U|) / |bias_U|
//   t       = coefficient/SE of `regress x treat` (M: `[iw=w]`, df = Σw - 2), p = 2 ttail(df, |t|)
//   V ratio = V_T/V_C for variables that are not 0/1, flagged outside F(N1-1, N1-1) 2.5%/97.5%
//   summary = `probit treat x` (M: `[iw=w] if support`): pseudo R2, LR chi2, p; mean/median of
//             |%bias| stored in float variables (so rounded to float first, as pstest does);
//             Rubin's B = 100 (mean_T - mean_C)/sqrt((V_T + V_C)/2) of the probit index, R = V_T/V_C.
// iweighted variances are Σw(x - m)²/(Σw - 1), Stata's `summarize [iw=]`.

import DidFrame

/// Balance statistics of `pstest`.
public enum BalanceTest {
    /// Computes pstest's `both` table; throws if a probit cannot be fitted.
    public static func compute(_ spec: BalanceSpec) throws -> BalanceResult {
        let n = spec.treated.count
        for c in spec.covariates where c.values.count != n {
            throw StataError(198, "covariate \(c.name) has \(c.values.count) values, expected \(n)")
        }
        guard !spec.covariates.isEmpty else { throw StataError(198, "Error: specify covariates") }
        // U sample and M weights (nil = not in the matched sample).
        var inU = [Bool](repeating: false, count: n)
        var wM = [Double?](repeating: nil, count: n)
        for i in 0..<n {
            guard spec.touse?[i] ?? true else { continue }
            let t = spec.treated[i]
            guard t == 0 || t == 1 else { continue }
            inU[i] = true
            let s = spec.support?[i] ?? 1
            var w = spec.weight?[i] ?? 1
            if (spec.atu ? t == 0 : t == 1) { w = s }
            if s == 1 && !Missing.isMissing(w) { wM[i] = w }
        }
        let n1U = (0..<n).filter { inU[$0] && spec.treated[$0] == 1 }.count
        let n1M = (0..<n).filter { wM[$0] != nil && spec.treated[$0] == 1 }.count
        let fLowU = BinaryProbability.invF(Double(n1U - 1), Double(n1U - 1), 0.025)
        let fHighU = BinaryProbability.invF(Double(n1U - 1), Double(n1U - 1), 0.975)
        let fLowM = BinaryProbability.invF(Double(n1M - 1), Double(n1M - 1), 0.025)
        let fHighM = BinaryProbability.invF(Double(n1M - 1), Double(n1M - 1), 0.975)

        var vars: [BalanceVariable] = []
        var contU = 0, contM = 0, continuousCount = 0
        for cov in spec.covariates {
            let x = cov.values
            func stats(_ group: Double, matched: Bool) -> (mean: Double, variance: Double) {
                var xs: [Double] = [], ws: [Double] = []
                for i in 0..<n where spec.treated[i] == group && !Missing.isMissing(x[i]) {
                    if matched { if let w = wM[i] { xs.append(x[i]); ws.append(w) } }
                    else if inU[i] { xs.append(x[i]); ws.append(1) }
                }
                return weightedMoments(xs, ws)
            }
            let (m1u, v1u) = stats(1, matched: false), (m0u, v0u) = stats(0, matched: false)
            let (m1m, v1m) = stats(1, matched: true), (m0m, v0m) = stats(0, matched: true)
            let continuous = x.contains { !($0 == 0 || $0 == 1 || Missing.isMissing($0)) }
            let denom = ((v1u + v0u) / 2).squareRoot()
            let biasU = safe(100 * (m1u - m0u) / denom, m1u, m0u, v1u, v0u)
            let biasM = safe(100 * (m1m - m0m) / denom, m1m, m0m, v1u, v0u)
            let reduct = safe(-100 * (abs(biasM) - abs(biasU)) / abs(biasU), biasU, biasM)
            var rows: [(x: Double, t: Double, w: Double)] = []
            for i in 0..<n where inU[i] && !Missing.isMissing(x[i]) { rows.append((x[i], spec.treated[i], 1)) }
            let tu = weightedTTest(rows)
            rows = []
            for i in 0..<n where !Missing.isMissing(x[i]) { if let w = wM[i] { rows.append((x[i], spec.treated[i], w)) } }
            let tm = weightedTTest(rows)
            var ratioU = Missing.dot, ratioM = Missing.dot, flagU = false, flagM = false
            if continuous {
                continuousCount += 1
                ratioU = safe(v1u / v0u, v1u, v0u); ratioM = safe(v1m / v0m, v1m, v0m)
                flagU = !Missing.isMissing(ratioU) && (ratioU > fHighU || ratioU < fLowU)
                flagM = !Missing.isMissing(ratioM) && (ratioM > fHighM || ratioM < fLowM)
                if flagU { contU += 1 }
                if flagM { contM += 1 }
            }
            vars.append(BalanceVariable(name: cov.name, meanTreatedU: m1u, meanControlU: m0u, varTreatedU: v1u,
                                        varControlU: v0u, meanTreatedM: m1m, meanControlM: m0m, varTreatedM: v1m,
                                        varControlM: v0m, biasU: biasU, biasM: biasM, reduction: reduct,
                                        tU: tu.t, pU: tu.p, dfU: tu.df, tM: tm.t, pM: tm.p, dfM: tm.df,
                                        continuous: continuous, varRatioU: ratioU, varRatioM: ratioM,
                                        flaggedU: flagU, flaggedM: flagM))
        }
        let pctU = continuousCount > 0 ? 100 * Double(contU) / Double(continuousCount) : Missing.dot
        let pctM = continuousCount > 0 ? 100 * Double(contM) / Double(continuousCount) : Missing.dot
        let unmatched = try summary(spec, weights: nil, rowsIn: inU, biases: vars.map { $0.biasU },
                                    pctVar: pctU, fLow: fLowU, fHigh: fHighU)
        let matched = try summary(spec, weights: wM, rowsIn: wM.map { $0 != nil }, biases: vars.map { $0.biasM },
                                  pctVar: pctM, fLow: fLowM, fHigh: fHighM)
        return BalanceResult(variables: vars, unmatched: unmatched, matched: matched, continuousCount: continuousCount)
    }

    /// Probit summary row, bias distribution and Rubin's B and R.
    static func summary(_ spec: BalanceSpec, weights: [Double?]?, rowsIn: [Bool], biases: [Double],
                        pctVar: Double, fLow: Double, fHigh: Double) throws -> BalanceSummary {
        let n = spec.treated.count
        let w: [Double]? = weights.map { ws in ws.map { $0 ?? Missing.dot } }
        let fit = try BinaryModel.fit(BinarySpec(depvar: "treated", y: spec.treated, regressors: spec.covariates,
                                                 touse: rowsIn, weights: w, weightKind: .importance, link: .probit))
        let index = fit.predictXB()
        var idx1: [Double] = [], w1: [Double] = [], idx0: [Double] = [], w0: [Double] = []
        for i in 0..<n where fit.sample[i] {
            let wi = w?[i] ?? 1
            if spec.treated[i] == 1 { idx1.append(index[i]); w1.append(wi) } else { idx0.append(index[i]); w0.append(wi) }
        }
        let (mi1, vi1) = weightedMoments(idx1, w1), (mi0, vi0) = weightedMoments(idx0, w0)
        let absBias = biases.filter { !Missing.isMissing($0) }.map { abs($0) }
        let stored = absBias.map { Double(Float($0)) }          // pstest's float variables
        return BalanceSummary(pseudoR2: fit.r2_p, lrChi2: fit.chi2, pChi2: fit.p, ll: fit.ll, ll_0: fit.ll_0,
                              meanBias: MatchEffects.mean(stored), medianBias: CommonSupport.percentile(stored, 50),
                              meanBiasExact: MatchEffects.mean(absBias), medianBiasExact: CommonSupport.percentile(absBias, 50),
                              B: safe(100 * (mi1 - mi0) / ((vi1 + vi0) / 2).squareRoot(), mi1, mi0, vi1, vi0),
                              R: safe(vi1 / vi0, vi1, vi0), pctVarOutside: pctVar, fLow: fLow, fHigh: fHigh)
    }

    /// iweighted mean and variance Σw(x-m)²/(Σw-1) (plain sample moments when all w = 1).
    static func weightedMoments(_ x: [Double], _ w: [Double]) -> (mean: Double, variance: Double) {
        let sw = w.reduce(0, +)
        guard sw > 0 else { return (Missing.dot, Missing.dot) }
        var m = 0.0
        for i in 0..<x.count { m += w[i] * x[i] }
        m /= sw
        guard sw > 1 else { return (m, Missing.dot) }
        var ss = 0.0
        for i in 0..<x.count { ss += w[i] * (x[i] - m) * (x[i] - m) }
        return (m, ss / (sw - 1))
    }

    /// `regress x treat [iw=w]`: t of the treatment coefficient, its p-value and df = Σw - 2.
    static func weightedTTest(_ rows: [(x: Double, t: Double, w: Double)]) -> (t: Double, p: Double, df: Double) {
        var sw1 = 0.0, sw0 = 0.0, sx1 = 0.0, sx0 = 0.0
        for r in rows { if r.t == 1 { sw1 += r.w; sx1 += r.w * r.x } else { sw0 += r.w; sx0 += r.w * r.x } }
        guard sw1 > 0, sw0 > 0 else { return (Missing.dot, Missing.dot, Missing.dot) }
        let m1 = sx1 / sw1, m0 = sx0 / sw0
        var rss = 0.0
        for r in rows { let e = r.x - (r.t == 1 ? m1 : m0); rss += r.w * e * e }
        let df = sw1 + sw0 - 2
        guard df > 0 else { return (Missing.dot, Missing.dot, df) }
        let se = (rss / df * (1 / sw1 + 1 / sw0)).squareRoot()
        guard se > 0 else { return (Missing.dot, Missing.dot, df) }
        let t = (m1 - m0) / se
        return (t, BinaryProbability.tTwoSided(df, t), df)
    }

    /// `value`, or missing when any input is missing or the result is not finite.
    static func safe(_ value: Double, _ inputs: Double...) -> Double {
        if inputs.contains(where: { Missing.isMissing($0) }) || !value.isFinite { return Missing.dot }
        return value
    }
}
