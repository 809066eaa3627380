// The working state of one psmatch2 run: the variables it creates (`_N` arrays over dataset rows)
// and the matching passes that fill them (nearest neighbour via NeighborSearch, kernel/radius via
// KernelWindow). Sort order and tie rules are described in PropensityMatching.swift.

import DidFrame

/// The variables psmatch2 builds while it matches (all `_N` arrays over dataset rows).
struct MatchState {
    let spec: MatchSpec
    let pscore: [Double]
    let treated: [Double]
    var support: [Double]
    var weight: [Double]
    var matchedOutcome: [[Double]]
    var id: [Double] = []
    var neighborIDs: [[Double]] = []
    var nn: [Double] = []
    var pdif: [Double] = []

    init(spec: MatchSpec, pscore: [Double], treated: [Double], support: [Double]) {
        self.spec = spec; self.pscore = pscore; self.treated = treated; self.support = support
        let n = pscore.count, miss = Missing.dot
        // `_weight = _treated if _support==1` (0 for treated with `ate`); `_y = 0` for the units
        // that will receive a matched outcome.
        weight = (0..<n).map { support[$0] == 1 ? (spec.ate ? 0 : treated[$0]) : miss }
        let zeroes = (0..<n).map { support[$0] == 1 && (spec.ate || treated[$0] == 1) ? 0.0 : miss }
        matchedOutcome = [[Double]](repeating: zeroes, count: spec.outcomes.count)
    }

    /// Rows on support of one group, in psmatch2's sort order.
    private func onSupport(treated t: Double, descending: Bool) -> [Int] {
        Self.byScore((0..<pscore.count).filter { support[$0] == 1 && treated[$0] == t }, pscore, descending: descending)
    }

    /// `rows` (ascending) sorted by (score, row), or (-score, row); missing scores last. The
    /// doubles are mapped to integer keys with the same order and sorted by a stable LSD radix sort
    /// (8 passes of 8 bits), so rows with equal scores keep their row order: O(N), N up to 10^6+.
    static func byScore(_ rows: [Int], _ score: [Double], descending: Bool) -> [Int] {
        let n = rows.count
        var keys = [UInt64](repeating: 0, count: n)
        for (i, r) in rows.enumerated() {
            var x = score[r]
            if descending && !Missing.isMissing(x) { x = -x }
            if x == 0 { x = 0 }                                   // -0 and +0 are the same score
            let bits = x.bitPattern
            keys[i] = x.sign == .minus ? ~bits : bits | (1 << 63)
        }
        var order = rows, keysOut = keys, orderOut = rows
        var count = [Int](repeating: 0, count: 257)
        for pass in 0..<8 {
            let shift = UInt64(pass * 8)
            for b in 0..<257 { count[b] = 0 }
            for k in keys { count[Int((k >> shift) & 0xFF) + 1] += 1 }
            if count[1...].contains(n) { continue }                 // every key has this byte: nothing to do
            for b in 1..<257 { count[b] += count[b - 1] }
            for i in 0..<n {
                let d = Int((keys[i] >> shift) & 0xFF)
                let dst = count[d]; count[d] += 1
                keysOut[dst] = keys[i]; orderOut[dst] = order[i]
            }
            swap(&keys, &keysOut); swap(&order, &orderOut)
        }
        return order
    }

    /// `_id`: 1-based position in psmatch2's sort (-_support, _treated, ±_pscore, row).
    /// Also returns the on-support controls and treated in that order (the first two blocks).
    private func sortIDs(descending: Bool) -> (ids: [Double], controls: [Int], treated: [Int]) {
        let n = pscore.count
        var groups = [[Int]](repeating: [], count: 5)
        for r in 0..<n {
            if Missing.isMissing(support[r]) { groups[4].append(r); continue }
            groups[(support[r] == 1 ? 0 : 2) + (treated[r] == 1 ? 1 : 0)].append(r)
        }
        var ids = [Double](repeating: 0, count: n)
        var pos = 0
        var blocks: [[Int]] = []
        for g in groups {
            let sorted = Self.byScore(g, pscore, descending: descending)
            for r in sorted { pos += 1; ids[r] = Double(pos) }
            if blocks.count < 2 { blocks.append(sorted) }
        }
        return (ids, blocks[0], blocks[1])
    }

    /// Nearest-neighbour matching (`neighbor(k)`, optionally `ties`, `noreplacement`, `ate`).
    mutating func runNeighbor(k: Int) throws {
        let n = pscore.count, miss = Missing.dot
        let sorted = sortIDs(descending: spec.descending)
        id = sorted.ids
        neighborIDs = [[Double]](repeating: [Double](repeating: miss, count: n), count: k)
        nn = (0..<n).map { support[$0] == 1 ? 0 : miss }
        let ctl = sorted.controls, trt = sorted.treated
        if spec.ate {
            matchPass(queries: ctl, candidates: trt, k: k)
            for r in ctl where Missing.isMissing(neighborIDs[0][r]) { support[r] = 0 }
        }
        matchPass(queries: trt, candidates: ctl, k: k)
        for r in trt where Missing.isMissing(neighborIDs[0][r]) { support[r] = 0 }
        var rowOfID = [Int](repeating: 0, count: n)
        for r in 0..<n { rowOfID[Int(id[r]) - 1] = r }
        pdif = (0..<n).map { r in
            let m = neighborIDs[0][r]
            return Missing.isMissing(m) || Missing.isMissing(pscore[r]) ? miss : abs(pscore[r] - pscore[rowOfID[Int(m) - 1]])
        }
    }

    /// One call of psmatch2's match_pscore(): queries look for candidates; records `_n#`, `_nn`,
    /// candidate weights and matched outcomes.
    private mutating func matchPass(queries: [Int], candidates: [Int], k: Int) {
        let cp = candidates.map { pscore[$0] }
        let search = NeighborSearch(cp: cp)
        let caliper = spec.caliper ?? .infinity
        let lists: [[Int]]
        if spec.noReplacement && spec.noReplacementRule == .nearestAvailable {
            // MatchIt's rule works on the ascending (score, row) order whatever the walking order.
            let asc = candidates.sorted { pscore[$0] != pscore[$1] ? pscore[$0] < pscore[$1] : $0 < $1 }
            let blockOf = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1, $0) })
            let picks = NeighborSearch.nearestAvailable(cp: asc.map { pscore[$0] }, candidateRows: asc,
                                                        queries: queries.map { (pscore[$0], $0) }, caliper: caliper)
            lists = picks.map { $0.map { [blockOf[asc[$0]]!] } ?? [] }
        } else if spec.noReplacement {
            lists = search.walkWithoutReplacement(queries.map { pscore[$0] }, caliper: caliper, ties: spec.ties)
        } else {
            lists = queries.map { search.matchWithReplacement(pscore[$0], k: k, caliper: caliper, ties: spec.ties) }
        }
        for (qi, r) in queries.enumerated() {
            let list = lists[qi]
            guard !list.isEmpty else { continue }
            let share = 1 / Double(list.count)
            for (pos, b) in list.enumerated() {
                let c = candidates[b]
                if pos < k { neighborIDs[pos][r] = id[c] }
                weight[c] += share
                for o in 0..<spec.outcomes.count {
                    matchedOutcome[o][r] += spec.outcomes[o].values[c] * share
                }
            }
            nn[r] = Double(list.count)
        }
    }

    /// Kernel or radius matching (`_Match_kernel`); with `ate` the controls are matched first.
    mutating func runKernel(kernel: MatchKernel, bandwidth: Double) {
        if spec.ate {
            let ctl = onSupport(treated: 0, descending: false), trt = onSupport(treated: 1, descending: false)
            kernelPass(queries: ctl, candidates: trt, kernel: kernel, bandwidth: bandwidth)
        }
        // Controls put off support by the first pass are no longer candidates (psmatch2 re-reads
        // `_support` for every unit).
        let ctl = onSupport(treated: 0, descending: false), trt = onSupport(treated: 1, descending: false)
        kernelPass(queries: trt, candidates: ctl, kernel: kernel, bandwidth: bandwidth)
    }

    private mutating func kernelPass(queries: [Int], candidates: [Int], kernel: MatchKernel, bandwidth: Double) {
        let window = KernelWindow(cp: candidates.map { pscore[$0] }, kernel: kernel, bandwidth: bandwidth)
        for r in queries {
            let (idx, w) = window.weights(for: pscore[r])
            guard !idx.isEmpty else { support[r] = 0; continue }
            for (t, b) in idx.enumerated() { weight[candidates[b]] += w[t] }
            for o in 0..<spec.outcomes.count {
                var sw = 0.0, swy = 0.0
                for (t, b) in idx.enumerated() { sw += w[t]; swy += w[t] * spec.outcomes[o].values[candidates[b]] }
                matchedOutcome[o][r] = swy / sw
            }
        }
    }

    /// psmatch2's clean-up: `_weight` missing where 0 or off support; matched outcomes missing off support.
    mutating func finish() {
        for r in 0..<pscore.count {
            if weight[r] == 0 || support[r] == 0 { weight[r] = Missing.dot }
            if support[r] == 0 { for o in 0..<matchedOutcome.count { matchedOutcome[o][r] = Missing.dot } }
        }
    }
}
