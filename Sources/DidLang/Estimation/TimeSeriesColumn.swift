// Time-series operators on a whole column for estimation varlists: `L#.`, `F#.`, `D#.`, `S#.` and
// chains such as `LD.`. Periods are found by (panel, time) lookup after `xtset`/`tsset`, so a gap
// in the panel gives a missing value, never the previous row.

import DidFrame

/// Lags, leads and differences of arbitrary columns (not only dataset variables).
enum TimeSeriesColumn {
    /// Applies `ops` right to left (`LD.x` = L(D(x))) to `x` (length N).
    static func apply(_ ops: [TSOperator], to x: [Double], _ s: Session) throws -> [Double] {
        if ops.allSatisfy({ $0.order == 0 }) { return x }
        let index = try PeriodIndex(s)
        var v = x
        for op in ops.reversed() where op.order != 0 {
            switch op.letter {
            case "L": v = index.shift(v, by: op.order)
            case "F": v = index.shift(v, by: -op.order)
            case "D":
                for _ in 0..<op.order {
                    let lag = index.shift(v, by: 1)
                    v = zip(v, lag).map { Missing.isMissing($0) || Missing.isMissing($1) ? Missing.dot : $0 - $1 }
                }
            case "S":
                let lag = index.shift(v, by: op.order)
                v = zip(v, lag).map { Missing.isMissing($0) || Missing.isMissing($1) ? Missing.dot : $0 - $1 }
            default: throw StataError(198, "unknown time-series operator \(op.letter)")
            }
        }
        return v
    }

    /// (panel, time) → row, built once per varlist.
    struct PeriodIndex {
        struct Key: Hashable { var panel: Double; var time: Double }
        var rowOf: [Key: Int] = [:]
        var keys: [Key?] = []
        var delta: Double

        init(_ s: Session) throws {
            guard let ts = s.timeSettings, !ts.time.isEmpty else {
                throw StataError(111, "time variable not set, use xtset panelvar timevar or tsset timevar")
            }
            guard let t = s.frame.column(ts.time)?.nums else { throw StataError.varNotFound(ts.time) }
            let p = try ts.panel.map { name -> [Double] in
                guard let c = s.frame.column(name) else { throw StataError.varNotFound(name) }
                return c.nums
            }
            delta = ts.delta
            keys = [Key?](repeating: nil, count: t.count)
            for i in 0..<t.count where !Missing.isMissing(t[i]) {
                let pv = p?[i] ?? 0
                if Missing.isMissing(pv) { continue }
                let k = Key(panel: pv, time: t[i])
                keys[i] = k
                rowOf[k] = i
            }
        }

        /// Value at time t - k*delta in the same panel (k < 0: a lead).
        func shift(_ v: [Double], by k: Int) -> [Double] {
            var out = [Double](repeating: Missing.dot, count: v.count)
            for i in 0..<v.count {
                guard let key = keys[i] else { continue }
                if let j = rowOf[Key(panel: key.panel, time: key.time - Double(k) * delta)] { out[i] = v[j] }
            }
            return out
        }
    }
}
