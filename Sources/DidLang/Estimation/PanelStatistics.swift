// The extra results of `areg` and `xtreg, fe` beyond the common linear fit: the F test that all
// absorbed effects are zero (pooled OLS on the same sample against the FE fit), and for xtreg
// the within/between/overall R-squared, group sizes, corr(u_i, Xb), sigma_u, sigma_e and rho.
// Posted to e() (F_absorb / F_f, r2_w, r2_b, r2_o, N_g, g_min, g_avg, g_max, corr, sigma_u,
// sigma_e, rho) and displayed from there.

import DidFrame
import DidStats
import Foundation

enum PanelStatistics {
    /// Adds the absorbed-effects F test (and xtreg's statistics when `xtreg`) to e().
    static func post(_ setup: LinearModelSetup, _ r: RegressionResult, xtreg: Bool, _ s: Session) throws {
        let sample = r.esample
        var pooled = setup.spec
        pooled.absorb = []
        pooled.convention = .regress
        pooled.vce = .unadjusted
        pooled.touse = sample
        let p = try LinearModel.fit(pooled)
        let groups = r.dofTable.first?.categories ?? 0
        // F test that all u_i = 0 uses the classical residual df of the FE fit.
        let dfAbs = Double(max(groups - 1, 1))
        let dfRes = Double(r.N - groups - r.df_m)
        let F = ((p.rss - r.rss) / dfAbs) / (r.rss / dfRes)
        var e = s.eResults
        if !xtreg {
            e.set("F_absorb", F)
            e.set("df_a", Double(groups - 1))
            s.eResults = e
            return
        }
        e.set("F_f", F)
        e.set("df_a", Double(groups - 1))
        e.set("df_b", dfRes)
        // Group structure, u_i (= d from the fit, mean zero over observations), xb.
        let y = setup.spec.y
        guard let xb = r.xb, let d = r.d else { s.eResults = e; return }
        let key = setup.spec.absorb[0].keys[0]
        var sums: [Double: (n: Double, y: Double, xb: Double, u: Double)] = [:]
        var yo: [Double] = [], xo: [Double] = [], uo: [Double] = []
        for i in 0..<sample.count where sample[i] {
            var g = sums[key[i]] ?? (0, 0, 0, 0)
            g.n += 1; g.y += y[i]; g.xb += xb[i]; g.u = d[i]
            sums[key[i]] = g
            yo.append(y[i]); xo.append(xb[i]); uo.append(d[i])
        }
        let sizes = sums.values.map(\.n)
        let ybar = sums.values.map { $0.y / $0.n }, xbar = sums.values.map { $0.xb / $0.n }
        let us = sums.values.map(\.u)
        e.set("N_g", Double(sums.count))
        e.set("g_min", sizes.min() ?? 0)
        e.set("g_avg", Double(yo.count) / Double(max(sums.count, 1)))
        e.set("g_max", sizes.max() ?? 0)
        e.set("r2_w", r.r2_within)
        e.set("r2_o", square(correlation(yo, xo)))
        e.set("r2_b", square(correlation(ybar, xbar)))
        e.set("corr", correlation(uo, xo))
        let sigmaU = standardDeviation(us), sigmaE = r.rmse
        e.set("sigma_u", sigmaU)
        e.set("sigma_e", sigmaE)
        e.set("rho", sigmaU * sigmaU / (sigmaU * sigmaU + sigmaE * sigmaE))
        s.eResults = e
    }

    static func square(_ x: Double) -> Double { Missing.isMissing(x) ? x : x * x }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        guard n > 1 else { return Missing.dot }
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb) }
        guard saa > 0, sbb > 0 else { return Missing.dot }
        return sab / (saa * sbb).squareRoot()
    }

    /// Sample standard deviation (n - 1), over one value per panel.
    static func standardDeviation(_ x: [Double]) -> Double {
        let n = Double(x.count)
        guard n > 1 else { return Missing.dot }
        let m = x.reduce(0, +) / n
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
    }

    // MARK: Display

    static func f(_ x: Double?, _ fmt: String) -> String { EstimationTable.g(x ?? Missing.dot, fmt) }

    /// xtreg, fe header (Stata's layout).
    static func xtregHeader(_ e: StoredResults, _ s: Session) {
        let sc = e.scalars
        func two(_ l: String, _ r: String) { s.line(l.padding(toLength: 48, withPad: " ", startingAt: 0) + r) }
        func stat(_ label: String, _ v: String) -> String { label.padding(toLength: 18, withPad: " ", startingAt: 0) + "= " + EstimationTable.pad(v, 10) }
        two(e.macros["title"] ?? "Fixed-effects (within) regression", stat("Number of obs", EstimationTable.int(sc["N"])))
        two("Group variable: \(e.macros["ivar"] ?? "")", stat("Number of groups", EstimationTable.int(sc["N_g"])))
        s.line()
        two("R-squared:", "Obs per group:")
        two("     Within  = " + f(sc["r2_w"], "%6.4f"), stat("              min ", EstimationTable.int(sc["g_min"])))
        two("     Between = " + f(sc["r2_b"], "%6.4f"), stat("              avg ", f(sc["g_avg"], "%9.1f")))
        two("     Overall = " + f(sc["r2_o"], "%6.4f"), stat("              max ", EstimationTable.int(sc["g_max"])))
        s.line()
        two("", stat(EstimationTable.fLabel(e), f(sc["F"], "%9.2f")))
        two("corr(u_i, Xb) = " + f(sc["corr"], "%6.4f"), stat("Prob > F", f(sc["F_p"], "%9.4f")))
    }

    /// Lines after xtreg's coefficient table: sigma_u, sigma_e, rho and the F test of u_i.
    static func xtregFooter(_ e: StoredResults, _ s: Session) {
        let sc = e.scalars
        s.line(EstimationTable.pad("sigma_u", 12) + " |  " + EstimationTable.pad(f(sc["sigma_u"], "%9.0g"), 9))
        s.line(EstimationTable.pad("sigma_e", 12) + " |  " + EstimationTable.pad(f(sc["sigma_e"], "%9.0g"), 9))
        s.line(EstimationTable.pad("rho", 12) + " |  " + EstimationTable.pad(f(sc["rho"], "%9.0g"), 9) + "   (fraction of variance due to u_i)")
        s.line(String(repeating: "-", count: 78))
        if e.macros["vce"] == "ols", let F = sc["F_f"] {
            let df1 = Int(sc["df_a"] ?? 0), df2 = Int(sc["df_b"] ?? 0)
            let p = Distributions.Ftail(Double(df1), Double(df2), F)
            s.line("F test that all u_i=0: F(\(df1), \(df2)) = " + f(F, "%9.2f") + EstimationTable.pad("Prob > F = " + f(p, "%6.4f"), 28))
        }
    }

    /// areg's footer: the F test of the absorbed indicators.
    static func aregFooter(_ e: StoredResults, _ s: Session) {
        guard e.macros["vce"] == "ols", let F = e.scalars["F_absorb"] else { return }
        let df1 = Int(e.scalars["df_a"] ?? 0), df2 = Int(e.scalars["df_r"] ?? 0)
        let p = Distributions.Ftail(Double(df1), Double(df2), F)
        s.line("F test of absorbed indicators: F(\(df1), \(df2)) = " + f(F, "%9.3f") + EstimationTable.pad("Prob > F = " + f(p, "%5.3f"), 18))
    }
}
