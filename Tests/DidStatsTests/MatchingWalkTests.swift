// Fast path vs slow path: the O(N log N) nearest-neighbour search and the skip-list walk against a
// step-by-step transcription of psmatch2 4.0.12's Mata routines (match_pscore, match2, match_ties,
// next_unmatched) over the data sorted as psmatch2 sorts it — every comparison of the original,
// no shortcuts — on data with many exact ties, calipers, `ties`, k-NN, no replacement, descending.

import XCTest
import DidFrame
@testable import DidStats

final class MatchingWalkTests: XCTestCase {
    /// psmatch2's Mata matching over sorted positions 1...N (index 0 unused). Returns, per treated
    /// position, the list of matched positions (IDLIST), empty when unmatched.
    static func slowPsmatch2(sortedScores ps: [Double], j0: Int, j1: Int, i0: Int, i1: Int, k: Int,
                             caliper: Double, noreplace: Bool, ties: Bool) -> [Int: [Int]] {
        let N = ps.count - 1
        var ismatch = [Bool](repeating: false, count: N + 2)
        func nextUnmatched(_ obs: Int, _ from: Int, _ forward: Bool) -> Int {
            var j = from
            repeat {
                j += forward ? 1 : -1
                if obs != j && !noreplace { return j }
                if j < 1 || j > N { return j }
            } while obs == j || ismatch[j]
            return j
        }
        var out: [Int: [Int]] = [:]
        var forward = true, i = i0, jmatch = j0
        while i <= i1 && jmatch >= j0 && jmatch <= j1 {
            var j = jmatch
            var dif1 = abs(ps[i] - ps[j])
            while j >= j0 && j < j1 {
                j = nextUnmatched(i, j, forward)
                if j < j0 || j > j1 { break }
                let dif0 = dif1
                dif1 = abs(ps[i] - ps[j])
                if dif1 > dif0 { j = j1 }
                if dif1 < dif0 { jmatch = j }
            }
            var list: [Int] = []
            if abs(ps[i] - ps[jmatch]) < caliper {
                ismatch[jmatch] = true
                list.append(jmatch)
                if ties {
                    let d0 = abs(ps[i] - ps[jmatch])
                    var t = nextUnmatched(i, jmatch, forward)
                    while t >= j0 && t <= j1 && abs(ps[i] - ps[t]) <= d0 {
                        list.append(t)
                        if noreplace { ismatch[t] = true }
                        t = nextUnmatched(i, t, forward)
                    }
                }
                if k > 1 {
                    var pos0 = jmatch - 1, pos1 = jmatch + 1, kk = 1, dif0 = 0.0, difr = 0.0, jm = jmatch
                    while kk < k {
                        if pos0 >= j0 { dif0 = abs(ps[i] - ps[pos0]) }
                        if pos1 <= j1 { difr = abs(ps[i] - ps[pos1]) }
                        if (dif0 <= difr && pos0 >= j0) || (pos0 >= j0 && pos1 > j1) { jm = pos0; pos0 -= 1 }
                        else if pos1 <= j1 { jm = pos1; pos1 += 1 }
                        else { kk = k }
                        if abs(ps[i] - ps[jm]) < caliper && kk < k { list.append(jm); kk += 1 } else { kk = k }
                    }
                }
                out[i] = list
            }
            if jmatch == j1 && i < i1 { forward = false }
            if noreplace && !list.isEmpty { jmatch = nextUnmatched(i, jmatch, forward) }
            i += 1
        }
        return out
    }

    /// Runs both paths on one data set and option set and compares `_n1…_nk`, `_nn` and `_weight`.
    func compare(treat: [Double], score: [Double], k: Int = 1, caliper: Double? = nil, noreplace: Bool = false,
                 ties: Bool = false, descending: Bool = false, _ label: String) throws {
        let res = try PropensityMatching.match(MatchSpec(treated: treat, pscore: score, method: .neighbor(k: k),
                                                         caliper: caliper, noReplacement: noreplace, ties: ties,
                                                         descending: descending, scoreSupplied: true))
        let n = treat.count
        // psmatch2's sort: controls then treated, score (descending: -score), then row.
        let order = (0..<n).sorted { a, b in
            if treat[a] != treat[b] { return treat[a] < treat[b] }
            let sa = descending ? -score[a] : score[a], sb = descending ? -score[b] : score[b]
            return sa != sb ? sa < sb : a < b
        }
        let n0 = treat.filter { $0 == 0 }.count
        let ps = [0.0] + order.map { score[$0] }
        let slow = Self.slowPsmatch2(sortedScores: ps, j0: 1, j1: n0, i0: n0 + 1, i1: n, k: k,
                                     caliper: caliper ?? .infinity, noreplace: noreplace, ties: ties)
        var weight = [Double](repeating: 0, count: n)
        for pos in (n0 + 1)...n {
            let row = order[pos - 1]
            let list = slow[pos] ?? []
            XCTAssertEqual(res.nn![row], list.isEmpty ? 0 : Double(list.count), "\(label): _nn row \(row)")
            XCTAssertEqual(res.support[row], list.isEmpty ? 0 : 1, "\(label): _support row \(row)")
            for (m, p) in list.enumerated() {
                weight[order[p - 1]] += 1 / Double(list.count)
                if m < k { XCTAssertEqual(res.neighbors![m][row], Double(p), "\(label): _n\(m + 1) row \(row)") }
            }
            XCTAssertEqual(res.id![row], Double(pos), "\(label): _id row \(row)")
        }
        for r in 0..<n where treat[r] == 0 {
            let want = weight[r] == 0 ? Missing.dot : weight[r]
            XCTAssertEqual(res.weight[r], want, accuracy: 1e-12, "\(label): _weight row \(r)")
        }
    }

    /// Scores on a coarse grid (many exact ties, including ties between treated and controls).
    static func tiedData(seed: UInt64, n0: Int, n1: Int, grid: Double) -> (treat: [Double], score: [Double]) {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var treat: [Double] = [], score: [Double] = []
        for i in 0..<(n0 + n1) {
            let t = i % ((n0 + n1) / n1) == 0 && treat.filter { $0 == 1 }.count < n1 ? 1.0 : 0.0
            let u = t == 1 ? 0.3 + 0.7 * uniform() : uniform() * uniform()
            treat.append(t); score.append((u / grid).rounded() * grid)
        }
        return (treat, score)
    }

    func testWithReplacementAgainstMataTranscription() throws {
        for seed in [1, 2, 3] as [UInt64] {
            let d = Self.tiedData(seed: seed, n0: 400, n1: 80, grid: 0.01)
            for k in [1, 3] {
                for caliper in [nil, 0.004] as [Double?] {
                    for ties in [false, true] {
                        try compare(treat: d.treat, score: d.score, k: k, caliper: caliper, ties: ties,
                                    "seed \(seed) k \(k) caliper \(String(describing: caliper)) ties \(ties)")
                    }
                }
            }
        }
    }

    func testWithoutReplacementAgainstMataTranscription() throws {
        for seed in [4, 5, 6] as [UInt64] {
            for (n0, n1) in [(400, 80), (120, 100)] {          // the second runs out of close controls
                let d = Self.tiedData(seed: seed, n0: n0, n1: n1, grid: 0.01)
                for descending in [false, true] {
                    for caliper in [nil, 0.02] as [Double?] {
                        for ties in [false, true] {
                            try compare(treat: d.treat, score: d.score, caliper: caliper, noreplace: true, ties: ties,
                                        descending: descending,
                                        "seed \(seed) n0 \(n0) desc \(descending) caliper \(String(describing: caliper)) ties \(ties)")
                        }
                    }
                }
            }
        }
    }

    /// `ate`: controls are matched to treated first (unmatched controls go off support but stay
    /// candidates for the treated, as in psmatch2), then treated to controls.
    func testATEPassesAgainstMataTranscription() throws {
        for (seed, k, caliper) in [(21, 1, nil), (22, 2, 0.003), (23, 1, 0.003)] as [(UInt64, Int, Double?)] {
            let d = Self.tiedData(seed: seed, n0: 300, n1: 90, grid: 0.001)
            let res = try PropensityMatching.match(MatchSpec(treated: d.treat, pscore: d.score, method: .neighbor(k: k),
                                                             caliper: caliper, ate: true, scoreSupplied: true))
            let n = d.treat.count
            let order = (0..<n).sorted { a, b in
                if d.treat[a] != d.treat[b] { return d.treat[a] < d.treat[b] }
                return d.score[a] != d.score[b] ? d.score[a] < d.score[b] : a < b
            }
            let n0 = d.treat.filter { $0 == 0 }.count
            let ps = [0.0] + order.map { d.score[$0] }
            let cal = caliper ?? .infinity
            let atu = Self.slowPsmatch2(sortedScores: ps, j0: n0 + 1, j1: n, i0: 1, i1: n0, k: k, caliper: cal, noreplace: false, ties: false)
            let att = Self.slowPsmatch2(sortedScores: ps, j0: 1, j1: n0, i0: n0 + 1, i1: n, k: k, caliper: cal, noreplace: false, ties: false)
            var weight = [Double](repeating: 0, count: n)
            var support = [Double](repeating: 1, count: n)
            for pos in 1...n {
                let list = (pos <= n0 ? atu[pos] : att[pos]) ?? []
                if list.isEmpty { support[order[pos - 1]] = 0 }
                for p in list { weight[order[p - 1]] += 1 / Double(list.count) }
            }
            for r in 0..<n {
                let want = weight[r] == 0 || support[r] == 0 ? Missing.dot : weight[r]
                XCTAssertEqual(res.support[r], support[r], "seed \(seed): _support row \(r)")
                XCTAssertEqual(res.weight[r], want, accuracy: 1e-12, "seed \(seed): _weight row \(r)")
            }
        }
    }

    func testLalondeDistancesAgainstMataTranscription() throws {
        let m = try PsmReference.numeric("values/matchit_lalonde.csv")
        for descending in [false, true] {
            try compare(treat: m["treat"]!, score: m["distance"]!, noreplace: true, descending: descending, "lalonde desc \(descending)")
        }
        try compare(treat: m["treat"]!, score: m["distance"]!, k: 4, "lalonde 4-NN")
    }
}
