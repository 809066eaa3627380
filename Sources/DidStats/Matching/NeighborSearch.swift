// Nearest-neighbour search on a sorted propensity score, reproducing psmatch2 4.0.12's Mata
// `match_pscore()` / `match2()` / `match_ties()` decisions without its all-pairs cost.
//
// Naming: "candidates" are the units matched to (controls for the ATT), held in psmatch2's sort
// order (score ascending, then original row; descending score with `descending`); `cp` are their
// scores, `n` their count, and a candidate is named by its index in that order ("block index").
// "Queries" are the units looking for matches (treated for the ATT), in the same sort order.
//
// With replacement (the common case) each query is independent. psmatch2 walks forward from the
// previous match; because |q - p| is unimodal along the sorted scores and the treated are sorted
// too, that walk always stops at the FIRST candidate (in sort order) at the smallest distance, so a
// binary search finds it in O(log n): lowest score when a left and a right neighbour are
// equidistant, lowest row among equal scores. `ties` then adds the following candidates at the same
// distance, and k-NN widens a window around the first match one step at a time, taking the left
// neighbour when |dp_left| <= |dp_right| and stopping at the first one outside the caliper (these
// are psmatch2's rules, duplicates with `ties` included). Total O(N log N) after sorting.
//
// Without replacement psmatch2 runs a greedy walk whose result depends on history (it never looks
// back left of its current position, and turns backwards once the last candidate is taken), so it
// is ported step by step. Two skip structures (union-find "next unmatched" pointers) make jumping
// over taken candidates O(α(n)), and runs of identical scores are crossed in one jump, so constant
// scores do not make it quadratic.

/// psmatch2's nearest-neighbour decisions over candidates sorted as psmatch2 sorts them.
struct NeighborSearch {
    /// Candidate scores in block order.
    let cp: [Double]

    /// Block index of the first candidate (in sort order) at the smallest |q - p|; ascending `cp`.
    func firstNearest(_ q: Double) -> Int? {
        let n = cp.count
        guard n > 0 else { return nil }
        var lo = 0, hi = n                       // first index with cp >= q
        while lo < hi { let mid = (lo + hi) >> 1; if cp[mid] < q { lo = mid + 1 } else { hi = mid } }
        let right = lo
        if right == 0 { return 0 }
        let dl = abs(q - cp[right - 1])
        if right < n && abs(q - cp[right]) < dl { return right }
        // Left side wins (ties go left). Distances fall as the index grows towards `right`, so the
        // first index at distance dl is found by bisection on "distance <= dl".
        lo = 0; hi = right - 1
        while lo < hi { let mid = (lo + hi) >> 1; if abs(q - cp[mid]) <= dl { hi = mid } else { lo = mid + 1 } }
        return lo
    }

    /// Matches of one query with replacement, in psmatch2's IDLIST order (empty: none within caliper).
    func matchWithReplacement(_ q: Double, k: Int, caliper: Double, ties: Bool) -> [Int] {
        guard let best = firstNearest(q) else { return [] }
        let d = abs(q - cp[best])
        guard d < caliper else { return [] }
        var list = [best]
        if ties {                                // match_ties(): following candidates as close
            var j = best + 1
            while j < cp.count && abs(q - cp[j]) <= d { list.append(j); j += 1 }
        }
        if k > 1 { widenWindow(q, around: best, k: k, caliper: caliper, into: &list) }
        return list
    }

    /// match2(): grow the window around the first match until k neighbours or the caliper stops it.
    private func widenWindow(_ q: Double, around best: Int, k: Int, caliper: Double, into list: inout [Int]) {
        let last = cp.count - 1
        var pos0 = best - 1, pos1 = best + 1, taken = 1
        var dif0 = Double.infinity, dif1 = Double.infinity
        while taken < k {
            if pos0 >= 0 { dif0 = abs(q - cp[pos0]) }
            if pos1 <= last { dif1 = abs(q - cp[pos1]) }
            let pick: Int
            if pos0 >= 0 && (pos1 > last || dif0 <= dif1) { pick = pos0; pos0 -= 1 }
            else if pos1 <= last { pick = pos1; pos1 += 1 }
            else { return }
            guard abs(q - cp[pick]) < caliper else { return }
            list.append(pick); taken += 1
        }
    }

    /// psmatch2's greedy 1-to-1 walk without replacement; queries in psmatch2's order.
    /// Returns, per query, the block indices matched (empty when unmatched).
    func walkWithoutReplacement(_ qp: [Double], caliper: Double, ties: Bool) -> [[Int]] {
        let n = cp.count
        var result = [[Int]](repeating: [], count: qp.count)
        guard n > 0 else { return result }
        var free = FreeList(n)
        let runs = ScoreRuns(cp)
        var forward = true
        var jmatch = 0
        var i = 0
        while i < qp.count && jmatch >= 0 && jmatch < n {
            let q = qp[i]
            var j = jmatch
            var dif1 = abs(q - cp[j])
            while j >= 0 && j < n - 1 {          // walk while the distance does not grow
                j = free.next(after: j, forward: forward)
                if j < 0 || j >= n { break }
                let dif0 = dif1
                dif1 = abs(q - cp[j])
                if dif1 > dif0 { break }
                if dif1 < dif0 { jmatch = j }
                // Candidates with the same score are at the same distance: cross them at once.
                j = forward ? free.lastFree(atOrBefore: runs.end[j]) : free.firstFree(atOrAfter: runs.start[j])
            }
            var list: [Int] = []
            if abs(q - cp[jmatch]) < caliper {
                free.take(jmatch); list.append(jmatch)
                if ties {
                    let d0 = abs(q - cp[jmatch])
                    var t = free.next(after: jmatch, forward: forward)
                    while t >= 0 && t < n && abs(q - cp[t]) <= d0 {
                        list.append(t); free.take(t)
                        t = free.next(after: t, forward: forward)
                    }
                }
                result[i] = list
            }
            if jmatch == n - 1 && i < qp.count - 1 { forward = false }
            if !list.isEmpty { jmatch = free.next(after: jmatch, forward: forward) }
            i += 1
        }
        return result
    }
}

extension NeighborSearch {
    /// True nearest-available 1:1 matching without replacement (MatchIt >= 4.5.4 `nearest`): queries
    /// in the given order each take the closest untaken candidate to their left or right in the
    /// stable ascending order of (score, row), the left one when equidistant. `cp`/`candidateRows`
    /// must be ascending by (score, row). Returns one block index per query, or nil.
    static func nearestAvailable(cp: [Double], candidateRows: [Int], queries: [(score: Double, row: Int)],
                                 caliper: Double) -> [Int?] {
        let n = cp.count
        var free = FreeList(n)
        var out = [Int?](repeating: nil, count: queries.count)
        for (qi, q) in queries.enumerated() {
            var lo = 0, hi = n                   // first candidate after the query in (score, row)
            while lo < hi {
                let mid = (lo + hi) >> 1
                if cp[mid] < q.score || (cp[mid] == q.score && candidateRows[mid] < q.row) { lo = mid + 1 } else { hi = mid }
            }
            let left = lo > 0 ? free.lastFree(atOrBefore: lo - 1) : -1
            let right = lo < n ? free.firstFree(atOrAfter: lo) : n
            var pick: Int? = nil
            if left >= 0 && right < n { pick = abs(q.score - cp[left]) <= abs(cp[right] - q.score) ? left : right }
            else if left >= 0 { pick = left } else if right < n { pick = right }
            guard let j = pick, abs(q.score - cp[j]) < caliper else { continue }
            free.take(j)
            out[qi] = j
        }
        return out
    }
}

/// Union-find pointers to the nearest untaken candidate on either side.
private struct FreeList {
    private var right: [Int]   // right[x]: candidate >= x that may be free (n = none)
    private var left: [Int]    // left[x + 1]: candidate <= x that may be free (stored +1; 0 = none)
    private let n: Int

    init(_ n: Int) { self.n = n; right = Array(0...n); left = Array(0...n) }

    /// Smallest free index >= x, or n.
    mutating func firstFree(atOrAfter x: Int) -> Int {
        var r = x
        while right[r] != r { r = right[r] }
        var c = x
        while right[c] != r { let nx = right[c]; right[c] = r; c = nx }
        return r
    }

    /// Largest free index <= x, or -1.
    mutating func lastFree(atOrBefore x: Int) -> Int {
        var r = x + 1
        while left[r] != r { r = left[r] }
        var c = x + 1
        while left[c] != r { let nx = left[c]; left[c] = r; c = nx }
        return r - 1
    }

    /// next_unmatched(): the next free candidate in the walking direction (-1 or n when none).
    mutating func next(after j: Int, forward: Bool) -> Int {
        forward ? (j + 1 >= n ? n : firstFree(atOrAfter: j + 1)) : (j - 1 < 0 ? -1 : lastFree(atOrBefore: j - 1))
    }

    /// Marks candidate j as matched.
    mutating func take(_ j: Int) { right[j] = j + 1; left[j + 1] = j }
}

/// First and last block index of each run of identical scores.
private struct ScoreRuns {
    var start: [Int]
    var end: [Int]
    init(_ cp: [Double]) {
        let n = cp.count
        start = [Int](repeating: 0, count: n); end = [Int](repeating: 0, count: n)
        var a = 0
        while a < n {
            var b = a
            while b + 1 < n && cp[b + 1] == cp[a] { b += 1 }
            for x in a...b { start[x] = a; end[x] = b }
            a = b + 1
        }
    }
}
