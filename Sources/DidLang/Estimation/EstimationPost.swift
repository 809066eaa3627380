// Posting a linear fit to e() in one step (reghdfe's rule: display and replay read only e()).
// e(b) and e(V) hold every design column in varlist order, then `_cons`: base levels and cells
// held at zero keep their `0b.`/`1o.` names with b = 0, regressors the fit omitted get Stata's
// `o.` name with b = 0 and zero variance.

import DidFrame
import DidKernel
import DidStats
import Foundation

/// Per-observation pieces of the last fit that e() cannot hold (predict's `d`, `xbd`, `residuals`
/// after an absorbing command), kept beside the session and carried by `estimates store`.
final class EstimationAux {
    /// The sum of the absorbed effects at estimation time (full length), if the model absorbed any.
    var d: [Double]?
    /// Observations at estimation time (the vector above is only valid for the same data size).
    var rows: Int
    /// e(b) of the fit, so that side data are never paired with other results (a session's
    /// identity can be reused after it is freed).
    var b: [Double]
    init(d: [Double]?, rows: Int, b: [Double]) { self.d = d; self.rows = rows; self.b = b }

    /// The side data belonging to `e` in session `s`, if any.
    static func matching(_ e: StoredResults, _ s: Session) -> EstimationAux? {
        guard let aux = current[ObjectIdentifier(s)], let b = e.matrices["b"], aux.b == b.data else { return nil }
        return aux
    }

    nonisolated(unsafe) static var current: [ObjectIdentifier: EstimationAux] = [:]
    nonisolated(unsafe) static var stored: [ObjectIdentifier: [String: EstimationAux]] = [:]
}

/// What a command contributes to e() beyond the fit itself.
struct PostInfo {
    var cmd: String
    var title: String
    var cmdline: String
}

enum EstimationPost {
    /// Builds e() from the setup and the engine's result and makes it current.
    static func post(_ setup: LinearModelSetup, _ r: RegressionResult, _ info: PostInfo, _ s: Session) {
        var e = StoredResults()
        let hasCons = r.names.last == "_cons"
        // Full column list: design columns then _cons.
        var names: [String] = [], b: [Double] = [], src: [Int?] = []
        var freePos = 0
        for col in setup.design {
            if col.status == .free {
                let j = freePos; freePos += 1
                names.append(r.omitted[j] != nil ? FactorVarlist.omittedName(col.name) : col.name)
                b.append(r.omitted[j] != nil ? 0 : r.b[j]); src.append(r.omitted[j] != nil ? nil : j)
            } else {
                names.append(col.name); b.append(0); src.append(nil)
            }
        }
        if hasCons { names.append("_cons"); b.append(r.b[r.b.count - 1]); src.append(r.b.count - 1) }
        let k = names.count
        var V = NamedMatrix(rows: k, cols: k, rowNames: names, colNames: names)
        for i in 0..<k { for j in 0..<k { if let a = src[i], let c = src[j] { V[i, j] = r.V[a, c] } } }
        let bm = NamedMatrix(rows: 1, cols: k, data: b, rowNames: [setup.depvar], colNames: names)

        e.set("N", Double(r.N))
        e.set("df_m", Double(r.df_m))
        e.set("df_r", Double(r.df_r))
        e.set("F", r.F ?? Missing.dot)
        e.set("r2", r.r2)
        e.set("rmse", r.rmse)
        e.set("mss", r.mss)
        e.set("rss", r.rss)
        e.set("r2_a", r.r2_a)
        e.set("ll", r.ll)
        e.set("ll_0", r.ll_0)
        e.set("rank", Double(r.df_m + (hasCons ? 1 : 0)))
        e.set("level", setup.level)
        if !setup.absvars.isEmpty {
            e.set("tss", r.tss)
            e.set("tss_within", r.tss_within)
            e.set("r2_within", r.r2_within)
            e.set("r2_a_within", r.r2_a_within)
            e.set("df_a", Double(r.df_a))
            e.set("df_a_initial", Double(r.df_a_initial))
            e.set("df_a_redundant", Double(r.df_a_redundant))
            e.set("df_a_nested", Double(r.df_a_nested))
            e.set("N_hdfe", Double(setup.absvars.count))
            // Intercepts and slopes counted separately (`a##c.x` is 2), as reghdfe's G_extended.
            e.set("N_hdfe_extended", Double(r.dofTable.count))
            e.set("N_full", Double(r.N_full))
            e.set("num_singletons", Double(r.num_singletons))
            e.set("ic", Double(r.iterations))
            e.set("converged", r.converged ? 1 : 0)
        }
        if let g = r.N_clust {
            e.set("N_clust", Double(g))
            for (i, c) in r.N_clust_list.enumerated() { e.set("N_clust\(i + 1)", Double(c.count)) }
        }
        if let sw = r.sumweights { e.set("sumweights", sw) }
        if let p = r.F_p { e.set("F_p", p) }

        e.set("cmd", info.cmd)
        e.set("cmdline", info.cmdline)
        e.set("depvar", setup.depvar)
        e.set("title", info.title)
        e.set("model", "ols")
        e.set("vce", r.vceType == "ols" ? "ols" : r.vceType)
        if r.vceType != "ols" { e.set("vcetype", "Robust") }
        if !setup.clustvars.isEmpty { e.set("clustvar", setup.clustvars.joined(separator: " ")) }
        if !setup.absvars.isEmpty {
            e.set("absvars", setup.absvars.joined(separator: " "))
            e.set("extended_absvars", r.dofTable.map(\.absvar).joined(separator: " "))
            let t = r.dofTable
            // reghdfe's FE.mata post_footnote(): columns K, M, K-M, !is_exact ("Inexact?"), is_nested.
            var m = NamedMatrix(rows: t.count, cols: 5, rowNames: t.map(\.absvar),
                                colNames: ["Categories", "Redundant", "Num_Coefs", "Inexact", "Nested"])
            for (i, row) in t.enumerated() {
                m[i, 0] = Double(row.categories); m[i, 1] = Double(row.redundant); m[i, 2] = Double(row.numCoefs)
                m[i, 3] = row.exact ? 0 : 1; m[i, 4] = row.nestedWithinCluster ? 1 : 0
            }
            e.set("dof_table", m)
        }
        if let w = setup.weight { e.set("wtype", canonicalWeight(w.kind)); e.set("wexp", "= " + w.exp) }
        e.set("properties", "b V")
        e.set("b", bm)
        e.set("V", V)
        e.sample = r.esample
        s.eResults = e
        EstimationAux.current[ObjectIdentifier(s)] = EstimationAux(d: r.d, rows: s.frame.count, b: bm.data)
    }

    static func canonicalWeight(_ k: String) -> String {
        switch k.lowercased() {
        case "aw", "aweight": return "aweight"
        case "fw", "fweight": return "fweight"
        case "pw", "pweight": return "pweight"
        case "iw", "iweight": return "iweight"
        default: return k
        }
    }
}
