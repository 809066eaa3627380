// Lags and leads after `xtset`/`tsset`: L.x is the value at time t - delta within the same
// panel, missing when that period is absent (a gap), never simply the previous row.

import DidFrame

enum TimeSeriesOps {
    /// The column of x shifted by `lag` periods (op `L` backwards, `F` forwards).
    static func shifted(session: Session, op: Character, lag: Int, variable: String) throws -> [Double] {
        guard let ts = session.timeSettings else {
            throw StataError(111, "time variable not set, use tsset varname ...")
        }
        let frame = session.frame
        let x = frame.columns[try session.resolveVariable(variable)]
        guard !x.isString else { throw StataError.typeMismatch() }
        guard let tcol = frame.column(ts.time) else { throw StataError.varNotFound(ts.time) }
        let t = tcol.nums
        let n = frame.count
        let panel: [Double]? = try ts.panel.map { p in
            guard let c = frame.column(p) else { throw StataError.varNotFound(p) }
            return c.nums
        }
        let k = op == "L" ? lag : -lag
        var out = [Double](repeating: Missing.dot, count: n)
        if k == 0 { return x.nums }
        let keys: [String] = ts.panel.map { [$0, ts.time] } ?? [ts.time]
        let order = try session.sortPermutation(by: keys)
        let shift = Double(k) * ts.delta
        // Walk sorted order; the target row, if it exists, is within |k| positions.
        for (pos, i) in order.enumerated() {
            let ti = t[i]
            if Missing.isMissing(ti) { continue }
            let want = ti - shift
            let range = k > 0 ? stride(from: pos - 1, through: max(0, pos - abs(k)), by: -1)
                              : stride(from: pos + 1, through: min(n - 1, pos + abs(k)), by: 1)
            for q in range {
                let j = order[q]
                if let p = panel, p[j] != p[i] { break }
                if t[j] == want { out[i] = x.nums[j]; break }
                if k > 0 ? t[j] < want : t[j] > want { break }
            }
        }
        return out
    }
}
