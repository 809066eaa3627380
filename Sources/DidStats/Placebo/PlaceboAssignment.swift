// Fake treatment columns for placebo tests, built from the panel of the estimation sample.
//
// Dimension naming: N = sample rows, U = units (panel ids), B = blocks (the level at which
// treatment is assigned: units, or clusters that contain whole units and share one treatment
// date). The treatment is read as staggered adoption: each unit's date g_u is the first period in
// which its treatment is on (+infinity when never), and a fake assignment is again a set of dates.
// Permuting dates over blocks is the same as block-permuting whole treatment paths across them.
// The rules are those of didplacebo (Chen, Qi & Yan, SSC 2.0.0): the in-time sample, the unit
// shuffle, and the mixed versions 1-3 with their default windows of fake dates.

import Foundation

/// The panel structure behind placebo assignments (sample rows only).
public struct PlaceboPanel: Sendable {
    /// Unit code of each row (0..<units).
    public let unit: [Int32]
    /// Number of units.
    public let units: Int
    /// Time of each row.
    public let time: [Double]
    /// Block code of each unit (0..<blocks).
    public let blockOfUnit: [Int]
    /// Number of blocks.
    public let blocks: Int
    /// First treated time of each block (+infinity when never treated).
    public let blockDate: [Double]
    /// Distinct times in the sample, ascending.
    public let times: [Double]
    /// False when some unit's treatment switches off again (read as adoption at its first switch-on).
    public let absorbing: Bool

    /// Builds the panel from row-level unit codes, times and the 0/1 treatment; `blockCodes`
    /// (row level) groups units into assignment blocks and is used only when every block shares
    /// one treatment date and holds whole units (otherwise the blocks are the units).
    public init(unit: [Int32], units: Int, time: [Double], treatment: [Double], blockCodes: [Int32]? = nil) throws {
        let n = unit.count
        guard n > 0, time.count == n, treatment.count == n else { throw PlaceboError.invalidInput("panel columns of different lengths") }
        for v in treatment where !(v == 0 || v == 1) {
            throw PlaceboError.invalidInput("treatment must be 0/1 in the estimation sample")
        }
        var g = [Double](repeating: .infinity, count: units)
        for i in 0..<n where treatment[i] == 1 { g[Int(unit[i])] = min(g[Int(unit[i])], time[i]) }
        var absorbing = true
        for i in 0..<n where treatment[i] == 0 && time[i] >= g[Int(unit[i])] { absorbing = false; break }
        self.unit = unit; self.units = units; self.time = time; self.absorbing = absorbing
        self.times = Array(Set(time)).sorted()
        // Blocks: accept the coarser grouping only when it is consistent.
        var blockOf = Array(0..<units), nb = units, dates = g
        if let bc = blockCodes, bc.count == n {
            var ub = [Int32](repeating: -1, count: units), ok = true
            for i in 0..<n {
                let u = Int(unit[i])
                if ub[u] == -1 { ub[u] = bc[i] } else if ub[u] != bc[i] { ok = false; break }
            }
            if ok {
                let levels = Int((bc.max() ?? -1) + 1)
                var bd = [Double?](repeating: nil, count: levels)
                for u in 0..<units where ub[u] >= 0 {
                    let b = Int(ub[u])
                    if let d = bd[b], d != g[u] { ok = false; break }
                    bd[b] = g[u]
                }
                if ok {
                    // Renumber the blocks that occur, densely.
                    var dense = [Int](repeating: -1, count: levels), k = 0
                    for u in 0..<units { let b = Int(ub[u]); if dense[b] < 0 { dense[b] = k; k += 1 } }
                    blockOf = (0..<units).map { dense[Int(ub[$0])] }
                    nb = k
                    dates = [Double](repeating: .infinity, count: k)
                    for u in 0..<units { dates[blockOf[u]] = g[u] }
                }
            }
        }
        self.blockOfUnit = blockOf; self.blocks = nb; self.blockDate = dates
    }

    /// Blocks ever treated.
    public var treatedBlocks: Int { blockDate.filter(\.isFinite).count }

    /// The row-level treatment implied by one date per block.
    public func treatment(blockDates d: [Double]) -> [Double] {
        let unitDate = blockOfUnit.map { d[$0] }
        var out = [Double](repeating: 0, count: unit.count)
        out.withUnsafeMutableBufferPointer { op in
            unit.withUnsafeBufferPointer { up in
                time.withUnsafeBufferPointer { tp in
                    for i in 0..<op.count where tp[i] >= unitDate[Int(up[i])] { op[i] = 1 }
                }
            }
        }
        return out
    }

    /// In-time placebo: every treated block's date moved `shift` time units earlier.
    public func shifted(by shift: Double) -> [Double] {
        treatment(blockDates: blockDate.map { $0 - shift })
    }

    /// In-space placebo: the blocks' dates randomly permuted (same number of treated blocks, same
    /// dates), i.e. whole treatment paths moved to other blocks.
    public func permuted(_ rng: StataRandom) -> [Double] {
        let p = rng.permutation(blocks)
        return treatment(blockDates: p.map { blockDate[$0] })
    }

    /// Latest real adoption date (the largest finite block date; nil when nobody is treated).
    public var latestAdoption: Double? { blockDate.filter(\.isFinite).max() }

    /// Rows kept by the in-time placebo (didplacebo's rule): actually treated rows always go;
    /// unless `keepPost` (nodrop), every row dated at or after the latest real adoption goes too,
    /// the control group's included, so no post-period of any cohort stays in the sample.
    public func inTimeKeep(treatment: [Double], keepPost: Bool) -> [Bool] {
        let last = latestAdoption ?? .infinity
        return (0..<unit.count).map { i in treatment[i] == 0 && (keepPost || time[i] < last) }
    }

    /// The default window of fake dates of a mixed placebo: method 1 the second to the last
    /// sample period (every fake-treated block keeps a pre-period); methods 2 and 3 the earliest
    /// to the latest real adoption date.
    public func defaultScope(method: Int) -> (lo: Double, hi: Double) {
        if method == 1 { return (times.count > 1 ? times[1] : times[0], times[times.count - 1]) }
        let real = blockDate.filter(\.isFinite)
        return (real.min() ?? times[0], real.max() ?? times[times.count - 1])
    }

    /// Builds a checked mixed-placebo rule: `units` random blocks (default: as many as are really
    /// treated; method 3 always uses the real cohort sizes), fake dates from the sample periods
    /// inside `scope` (default `defaultScope`).
    public func mixedRule(method: Int, units k: Int? = nil, scope: (lo: Double, hi: Double)? = nil) throws -> MixedPlaceboRule {
        guard (1...3).contains(method) else { throw PlaceboError.invalidInput("pbomix() must be 1, 2 or 3") }
        let count = method == 3 ? treatedBlocks : (k ?? treatedBlocks)
        guard count >= 1, count <= blocks else {
            throw PlaceboError.invalidInput("ranunitnum() must be between 1 and the number of units (\(blocks))")
        }
        let sc = scope ?? defaultScope(method: method)
        let candidates = times.filter { $0 >= sc.lo && $0 <= sc.hi }
        guard !candidates.isEmpty else { throw PlaceboError.invalidInput("no sample period lies in rantimescope(\(Self.text(sc.lo)) \(Self.text(sc.hi)))") }
        let cohorts = Array(Set(blockDate.filter(\.isFinite))).sorted()
        if method == 3, cohorts.count > candidates.count {
            throw PlaceboError.invalidInput("the range of fake treatment times (\(candidates.count) periods) must hold at least "
                                            + "as many periods as there are real treatment times (\(cohorts.count))")
        }
        return MixedPlaceboRule(method: method, units: count, scope: sc, candidates: candidates, cohorts: cohorts)
    }

    static func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }

    /// One draw of fake block dates under `rule` (+infinity = never treated).
    ///  1: `units` random blocks share one random date from the candidates;
    ///  2: `units` random blocks, each its own date drawn (with replacement) from the candidates;
    ///  3: the G real cohort dates are mapped to G distinct random candidates, and the blocks are
    ///     randomly re-partitioned into cohorts of the real sizes.
    public func mixedDates(_ rule: MixedPlaceboRule, _ rng: StataRandom) -> [Double] {
        var d = [Double](repeating: .infinity, count: blocks)
        let order = rng.permutation(blocks)
        func draw() -> Double { rule.candidates[rng.uniformInt(0, rule.candidates.count - 1)] }
        switch rule.method {
        case 1:
            let common = draw()
            for b in order.prefix(rule.units) { d[b] = common }
        case 2:
            for b in order.prefix(rule.units) { d[b] = draw() }
        default:
            let pick = rng.permutation(rule.candidates.count)
            var map: [Double: Double] = [:]
            for (k, c) in rule.cohorts.enumerated() { map[c] = rule.candidates[pick[k]] }
            // The real cohort of each treated block, in block order, goes to the next random block.
            let real = blockDate.filter(\.isFinite)
            for (b, date) in zip(order, real) { d[b] = map[date]! }
        }
        return d
    }

    /// Mixed placebo treatment column for one draw of `rule`.
    public func mixed(_ rule: MixedPlaceboRule, _ rng: StataRandom) -> [Double] {
        treatment(blockDates: mixedDates(rule, rng))
    }
}

/// A checked mixed-placebo rule (didplacebo's pbomix versions 1-3).
public struct MixedPlaceboRule: Sendable {
    /// 1 standard DID, 2 unrestricted staggered, 3 restricted staggered.
    public let method: Int
    /// Blocks given a fake date per draw.
    public let units: Int
    /// The window of fake dates, inclusive.
    public let scope: (lo: Double, hi: Double)
    /// Sample periods inside the window, ascending.
    public let candidates: [Double]
    /// Distinct real adoption dates, ascending.
    public let cohorts: [Double]
}
