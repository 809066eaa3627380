// Degrees of freedom absorbed by the fixed effects, with reghdfe 6's default adjustments
// (`dofadjustments(pairwise clusters continuous)`), as reghdfe's DoF.mata defines them:
//
// 1. clusters: an absorbed term that is a cluster variable, or nested within one (every level of
//    the term falls in a single cluster), counts all its levels as redundant ("nested"); such terms
//    leave the intercept list. df_a_nested = their levels.
// 2. Every remaining intercept term but the first has at least one redundant level; if something
//    was nested, the first one too (the nested term already spans the constant).
// 3. pairwise: for every pair (g, h) of remaining intercept terms, g before h, the number of
//    connected components of the bipartite graph g-h (mobility groups) is a lower bound on h's
//    redundant levels: redundant(h) = max(redundant(h), components). The first pair is exact.
// 4. continuous: a slope `a#c.x` is redundant in the levels where x is constant (with the term's
//    intercept) or zero (without one), within 1e-6.
// df_a = levels - redundant, summed over terms. This is a lower bound on the true redundancy, so
// with 3+ terms df_a can exceed the rank of the FE space; reghdfe reports it this way.
//
// Slopes, as reghdfe 6 does it (sergiocorreia/reghdfe, current-code/DoF.mata: estimate_dof,
// dof_update_cvars; names from ftools' ms_parse_absvars.ado; table and e() from FE.mata
// post_footnote and reghdfe_footnote.ado):
// - every absvar is "extended" into one row per intercept and per slope: `a##c.(x z)` gives rows
//   `a`, `a#c.x`, `a#c.z`; `a#c.x` only `a#c.x`. Each row has K = levels of a. e(N_hdfe) counts
//   absvars (the header's "Absorbing N HDFE groups"), e(N_hdfe_extended) the rows.
// - rules 1-3 see only intercept rows: a slope-only absvar never counts as "first", is never
//   nested in a cluster and takes no part in the mobility groups. `a year a#c.x` and
//   `year a##c.x` have the same column space but reghdfe lists them as written.
// - slope rows get only rule 4 and are never marked exact: the table shows "?" after them
//   (e(dof_table) column 4, "Inexact?", is 1) and the footnote "? = number of redundant
//   parameters may be higher". Indeed slopes often hide redundancies: with `year a##c.year` the
//   slopes sum to year, which the year dummies span, one more than reghdfe counts.
// The demeaner merges terms into blocks with the same span (Demeaner+Slopes.swift); that changes
// nothing here: the table is built from the terms as the user wrote them.

import DidKernel

/// The absorbed-DoF computation for one model.
struct AbsorbedDof {
    var rows: [AbsorbedDofRow]
    var df_a: Int
    var df_a_initial: Int
    var df_a_redundant: Int
    var df_a_nested: Int

    /// reghdfe rules (file header). `terms` in `absorb()` order; `clusters` are the cluster factors.
    static func reghdfe(terms: [(name: String, codes: FactorCodes, intercept: Bool,
                                 slopes: [(name: String, values: [Double])])],
                        clusters: [(name: String, codes: FactorCodes)]) -> AbsorbedDof {
        // One "extended" entry per intercept and per slope, as reghdfe lists them.
        struct Entry { var name: String; var term: Int; var isIntercept: Bool; var slope: Int
            var K: Int; var M = 0; var exact = false; var nested = false }
        var entries = [Entry]()
        for (t, term) in terms.enumerated() {
            // `id##c.x` lists as `id` (intercepts) and `id#c.x` (slopes), as reghdfe's table does.
            var factorName = term.name
            if !term.slopes.isEmpty, let r = term.name.range(of: "#c.") {
                factorName = String(term.name[..<r.lowerBound])
                while factorName.hasSuffix("#") { factorName.removeLast() }
            }
            if term.intercept {
                entries.append(Entry(name: factorName, term: t, isIntercept: true, slope: -1, K: term.codes.levels))
            }
            for (s, sl) in term.slopes.enumerated() {
                entries.append(Entry(name: "\(factorName)#c.\(sl.name)", term: t, isIntercept: false, slope: s, K: term.codes.levels))
            }
        }
        var intercepts = entries.indices.filter { entries[$0].isIntercept }
        var dfNested = 0
        // (1) cluster variables and absvars nested in them.
        if !clusters.isEmpty {
            for i in intercepts where clusters.contains(where: { $0.name == entries[i].name }) {
                entries[i].M = entries[i].K; entries[i].exact = true; entries[i].nested = true
                dfNested += entries[i].K
            }
            intercepts.removeAll { entries[$0].nested }
            for c in clusters {
                for i in intercepts where terms[entries[i].term].codes.isNested(within: c.codes) {
                    entries[i].M = entries[i].K; entries[i].exact = true; entries[i].nested = true
                    dfNested += entries[i].K
                }
                intercepts.removeAll { entries[$0].nested }
            }
        }
        // (2) at least one redundant level for every intercept after the first.
        if intercepts.count > 1 || (intercepts.count > 0 && dfNested > 0) {
            var skip = dfNested == 0
            for i in intercepts {
                if skip { skip = false; continue }
                entries[i].M = 1
            }
        }
        if let first = intercepts.first { entries[first].exact = true }
        // (3) pairwise mobility groups.
        var pairCount = 0
        for (a, i) in intercepts.enumerated() {
            for j in intercepts[(a + 1)...] {
                let m = FactorCodes.connectedComponents(terms[entries[i].term].codes, terms[entries[j].term].codes)
                pairCount += 1
                entries[j].M = max(entries[j].M, m)
                if pairCount == 1 { entries[j].exact = true }
            }
        }
        // (4) slopes constant (or zero) within a level are redundant.
        for k in entries.indices where !entries[k].isIntercept {
            let term = terms[entries[k].term]
            let x = term.slopes[entries[k].slope].values
            let g = term.codes.levels
            var lo = [Double](repeating: .infinity, count: g), hi = [Double](repeating: -.infinity, count: g)
            for (r, c) in term.codes.codes.enumerated() {
                let v = x[r]; let ci = Int(c)
                if v < lo[ci] { lo[ci] = v }
                if v > hi[ci] { hi[ci] = v }
            }
            var redundant = 0
            for l in 0..<g {
                if term.intercept { if hi[l] - lo[l] <= 1e-6 { redundant += 1 } }
                else if abs(hi[l]) + abs(lo[l]) <= 1e-6 { redundant += 1 }
            }
            entries[k].M = redundant
        }
        let rows = entries.map { AbsorbedDofRow(absvar: $0.name, categories: $0.K, redundant: $0.M,
                                                exact: $0.exact, nestedWithinCluster: $0.nested) }
        let initial = entries.reduce(0) { $0 + $1.K }
        let redundant = entries.reduce(0) { $0 + $1.M }
        return AbsorbedDof(rows: rows, df_a: initial - redundant, df_a_initial: initial,
                           df_a_redundant: redundant, df_a_nested: dfNested)
    }
}
