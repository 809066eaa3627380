// Fake treatment columns for placebo tests, built from the panel of the estimation sample.
//
// Dimension naming: N = sample rows, U = units (panel ids), B = blocks (the level at which
// treatment is assigned: units, or clusters that contain whole units and share one treatment
// date). The treatment is read as staggered adoption: each unit's date g_u is the first period in
// which its treatment is on (+infinity when never), and a fake assignment is again a set of dates.
// Permuting dates over blocks is the same as block-permuting whole treatment paths across them.

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

    /// Mixed placebo: as many random blocks as are really treated get fake dates drawn from the
    /// sample's times after the first (so each has a pre-period): method 1 one common date,
    /// 2 an independent date per block, 3 a date drawn from the real adoption dates.
    public func mixed(method: Int, _ rng: StataRandom) -> [Double] {
        let k = treatedBlocks
        let chosen = rng.permutation(blocks).prefix(k)
        let candidates = times.count > 1 ? Array(times.dropFirst()) : times
        let real = blockDate.filter(\.isFinite)
        func draw(_ pool: [Double]) -> Double { pool.isEmpty ? .infinity : pool[rng.uniformInt(0, pool.count - 1)] }
        var d = [Double](repeating: .infinity, count: blocks)
        let common = draw(candidates)
        for b in chosen {
            switch method {
            case 1: d[b] = common
            case 2: d[b] = draw(candidates)
            default: d[b] = draw(real)
            }
        }
        return treatment(blockDates: d)
    }
}
