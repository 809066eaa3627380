// psmatch2's effect table (`_mktab`) for one outcome, with its default standard error (no `ai()`):
//   ATT = mean(y | treated on support) - mean(_y | treated on support)
//   se  = sqrt(var1/N1 + var0 * sum(_weight^2 over controls) / N1^2)
// var1 = sample variance of y over treated on support; var0 = sample variance of y over controls
// with a non-missing `_weight` (psmatch2 4.0.12). The unmatched row is `regress y _treated` on the
// whole sample. ATU/ATE (`ate`) have no standard error without `ai()` (missing, as psmatch2).

import DidFrame

/// Effect computations for psmatch2's table.
enum MatchEffects {
    /// Effects for one outcome from the finished psmatch2 variables (`_N` arrays).
    static func compute(name: String, y: [Double], matched: [Double], treated: [Double], support: [Double],
                        weight: [Double], ate: Bool) -> MatchOutcomeEffects {
        let miss = Missing.dot
        let n = y.count
        var y1: [Double] = [], y0: [Double] = []
        var y1s: [Double] = [], m1s: [Double] = [], y0s: [Double] = [], m0s: [Double] = []
        var y0matched: [Double] = []
        var wtot = 0.0, wtotFloat = 0.0
        for i in 0..<n where !Missing.isMissing(treated[i]) {
            if treated[i] == 1 {
                y1.append(y[i])
                if support[i] == 1 { y1s.append(y[i]); m1s.append(matched[i]) }
            } else {
                y0.append(y[i])
                if support[i] == 1 { y0s.append(y[i]); m0s.append(matched[i]) }
                if !Missing.isMissing(weight[i]) {
                    y0matched.append(y[i]); wtot += weight[i] * weight[i]
                    wtotFloat += Double(Float(weight[i] * weight[i]))
                }
            }
        }
        // Unmatched: regress y treat.
        let u1 = mean(y1), u0 = mean(y0)
        var unmatched = MatchContrast(treated: u1, controls: u0, difference: miss, se: miss, t: miss)
        if y1.count > 0 && y0.count > 0 && y1.count + y0.count > 2 {
            let rss = y1.reduce(0) { $0 + ($1 - u1) * ($1 - u1) } + y0.reduce(0) { $0 + ($1 - u0) * ($1 - u0) }
            let s2 = rss / Double(y1.count + y0.count - 2)
            unmatched.difference = u1 - u0
            unmatched.se = (s2 * (1 / Double(y1.count) + 1 / Double(y0.count))).squareRoot()
            unmatched.t = ratio(unmatched.difference, unmatched.se)
        }
        let m1t = mean(y1s), m0t = mean(m1s)
        let n1 = Double(y1s.count)
        let att = sub(m1t, m0t)
        let var1 = variance(y1s), var0 = variance(y0matched)
        var seatt = miss, seFloat = miss
        if y1s.count > 0, !Missing.isMissing(var1), !Missing.isMissing(var0) {
            seatt = (var1 / n1 + var0 * wtot / (n1 * n1)).squareRoot()
            seFloat = (var1 / n1 + var0 * wtotFloat / (n1 * n1)).squareRoot()
        }
        let attRow = MatchContrast(treated: m1t, controls: m0t, difference: att, se: seatt, t: ratio(att, seatt))
        var atuRow: MatchContrast? = nil, ateRow: MatchContrast? = nil
        if ate {
            let m1u = mean(m0s), m0u = mean(y0s)
            let atu = sub(m1u, m0u)
            atuRow = MatchContrast(treated: m1u, controls: m0u, difference: atu, se: miss, t: miss)
            let N1 = n1, N0 = Double(y0s.count)
            var ateValue = miss
            if !Missing.isMissing(att) && !Missing.isMissing(atu) {
                ateValue = att * N1 / (N0 + N1) + atu * N0 / (N0 + N1)
            }
            ateRow = MatchContrast(treated: miss, controls: miss, difference: ateValue, se: miss, t: miss)
        }
        return MatchOutcomeEffects(name: name, unmatched: unmatched, att: attRow, atu: atuRow, ate: ateRow,
                                   var1: var1, var0: var0, sumWeightSquared: wtot, attSEFloatW2: seFloat,
                                   nTreatedOnSupport: y1s.count)
    }

    /// Mean, or missing for no values (as `summarize`).
    static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? Missing.dot : x.reduce(0, +) / Double(x.count)
    }

    /// Sample variance (n - 1), missing for fewer than two values (as `summarize`'s r(Var)).
    static func variance(_ x: [Double]) -> Double {
        guard x.count > 1 else { return Missing.dot }
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    private static func sub(_ a: Double, _ b: Double) -> Double {
        Missing.isMissing(a) || Missing.isMissing(b) ? Missing.dot : a - b
    }

    private static func ratio(_ a: Double, _ b: Double) -> Double {
        Missing.isMissing(a) || Missing.isMissing(b) || b == 0 ? Missing.dot : a / b
    }
}
