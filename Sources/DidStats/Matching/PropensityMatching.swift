// psmatch2 4.0.12 on arrays: common support, sort order and `_id`, the matching passes, the
// variables psmatch2 creates, and the effect table. The score is computed by the caller
// (`BinaryModel`, probit unless `logit`), so this file sees only doubles.
//
// Sort order (psmatch2's `sort -_support _treated _pscore order`): units on support first, within
// them controls before treated, then ascending score (descending with `descending`), then original
// row; off-support units follow, then rows outside the sample. `_id` is the position in that order
// (1-based) and `_n1…_nk` hold the `_id` of the matched controls.
//
// Tie handling (nearest neighbour): the match is the first control in that order at the smallest
// |dp|: lowest score when a left and a right neighbour are equidistant, then lowest row among equal
// scores. `ties` adds every further control at the same distance; k-NN widens the window left
// first on equal distances (see NeighborSearch.swift). A match counts only when |dp| < caliper
// (strict); radius/kernel use |dp| <= bandwidth. Treated without a match go off support.
// `noreplacement` follows psmatch2's greedy walk by default; `NoReplacementRule.nearestAvailable`
// gives MatchIt's true nearest-available pairs instead (the two differ: 13 of 185 pairs on lalonde).
//
// Naming: `_N` suffix arrays have one element per dataset row; `ctl`/`trt` hold row numbers of
// controls/treated on support in psmatch2's order.

import DidFrame

/// Propensity-score matching with psmatch2 semantics.
public enum PropensityMatching {
    /// Runs psmatch2 on the given rows; throws `StataError` on invalid options or data.
    public static func match(_ spec: MatchSpec) throws -> MatchResult {
        try spec.validate()
        let nRows = spec.treated.count
        let miss = Missing.dot
        var sample_N = [Bool](repeating: false, count: nRows)
        for i in 0..<nRows {
            guard spec.touse?[i] ?? true else { continue }
            let t = spec.treated[i], p = spec.pscore[i]
            if Missing.isMissing(t) || Missing.isMissing(p) { continue }
            if spec.outcomes.contains(where: { Missing.isMissing($0.values[i]) }) { continue }
            guard t == 0 || t == 1 else { throw StataError(450, "treatment variable is not 0/1 (value \(t) in row \(i + 1))") }
            sample_N[i] = true
        }
        var pscore_N = [Double](repeating: miss, count: nRows)
        var treated_N = [Double](repeating: miss, count: nRows)
        var support_N = [Double](repeating: miss, count: nRows)
        for i in 0..<nRows {
            if spec.scoreSupplied || sample_N[i] { pscore_N[i] = spec.pscore[i] }
            if sample_N[i] { treated_N[i] = spec.treated[i]; support_N[i] = 1 }
        }
        if spec.common || spec.trim < 100 {
            try CommonSupport.apply(pscore: pscore_N, treated: treated_N, support: &support_N,
                                    trim: spec.trim, ate: spec.ate)
        }
        var state = MatchState(spec: spec, pscore: pscore_N, treated: treated_N, support: support_N)
        switch spec.method {
        case .neighbor(let k):
            try state.runNeighbor(k: k)
        case .radius(let caliper):
            state.runKernel(kernel: .uniform, bandwidth: caliper ?? .infinity)
        case .kernel(let type, let bw):
            state.runKernel(kernel: type, bandwidth: bw)
        }
        state.finish()
        var effects: [MatchOutcomeEffects] = []
        for (o, out) in spec.outcomes.enumerated() {
            effects.append(MatchEffects.compute(name: out.name, y: out.values, matched: state.matchedOutcome[o],
                                                treated: treated_N, support: state.support,
                                                weight: state.weight, ate: spec.ate))
        }
        var table = MatchSupportTable(controlsOff: 0, controlsOn: 0, treatedOff: 0, treatedOn: 0)
        for i in 0..<nRows where sample_N[i] {
            switch (treated_N[i] == 1, state.support[i] == 1) {
            case (false, false): table.controlsOff += 1
            case (false, true): table.controlsOn += 1
            case (true, false): table.treatedOff += 1
            case (true, true): table.treatedOn += 1
            }
        }
        let isNN: Bool
        if case .neighbor = spec.method { isNN = true } else { isNN = false }
        return MatchResult(pscore: pscore_N, treated: treated_N, support: state.support, weight: state.weight,
                           id: isNN ? state.id : nil, neighbors: isNN ? state.neighborIDs : nil,
                           nn: isNN ? state.nn : nil, pdif: isNN ? state.pdif : nil,
                           matchedOutcomes: zip(spec.outcomes, state.matchedOutcome).map { ($0.0.name, $0.1) },
                           effects: effects, supportTable: table, N: sample_N.filter { $0 }.count)
    }
}
