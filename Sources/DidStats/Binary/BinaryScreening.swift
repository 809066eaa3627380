// Everything logit/probit decide before iterating, in Stata's order: the estimation sample
// (touse, missing y/x/weights/cluster ids, zero weights), the outcome coding (nonzero = success),
// collinear regressors (`_cons` kept, then varlist order), and the perfect-prediction rules:
//   - a regressor with x != 0 only where y == 0 (or only where y == 1) "predicts failure (success)
//     perfectly": it is dropped with a note and those observations leave the sample;
//   - a regressor that separates the outcomes completely (all y == 0 on one side of a cut point)
//     stops the command with r(2000) "outcome = x > c predicts data perfectly";
//   - an outcome that does not vary is r(2000).
// `asis` skips the rules. Naming: `_S` arrays are indexed by sample position, `_N` by dataset row.

import DidFrame
import DidKernel

/// The outcome of screening: who is in the sample and which regressors are kept.
struct BinaryScreen {
    /// Dataset rows in the sample, ascending.
    var rows: [Int]
    /// 0/1 outcome per sample row.
    var y_S: [Double]
    /// Weight per sample row (1 without weights).
    var w_S: [Double]
    /// `omitted[j]` for regressor j (collinear or perfect predictor).
    var omitted: [Bool]
    /// Notes in the order Stata prints them.
    var notes: [String]
    /// Perfect-prediction rules (regressor index, outcome it predicts).
    var rules: [(index: Int, outcome: Double)]

    /// Screens the specification; throws Stata's errors for bad weights or unusable outcomes.
    static func run(_ spec: BinarySpec) throws -> BinaryScreen {
        let n = spec.y.count
        for r in spec.regressors where r.values.count != n {
            throw StataError(198, "regressor \(r.name) has \(r.values.count) values, expected \(n)")
        }
        if let t = spec.touse, t.count != n { throw StataError(198, "touse has \(t.count) values, expected \(n)") }
        if let w = spec.weights, w.count != n { throw StataError(198, "weights have \(w.count) values, expected \(n)") }
        var clusterKeys: [Double]? = nil
        if case .cluster(let keys) = spec.vce {
            guard keys.count == n else { throw StataError(198, "cluster ids have \(keys.count) values, expected \(n)") }
            clusterKeys = keys
        }
        // Column by column (cheap on 10^6 rows): rows with a missing value anywhere leave the sample.
        var ok = (0..<n).map { (spec.touse?[$0] ?? true) && !Missing.isMissing(spec.y[$0]) }
        for r in spec.regressors {
            r.values.withUnsafeBufferPointer { v in for i in 0..<n where ok[i] && Missing.isMissing(v[i]) { ok[i] = false } }
        }
        if let k = clusterKeys { for i in 0..<n where ok[i] && Missing.isMissing(k[i]) { ok[i] = false } }
        if let w = spec.weights {
            for i in 0..<n where ok[i] {
                let wi = w[i]
                if Missing.isMissing(wi) { ok[i] = false; continue }
                switch spec.weightKind {
                case .frequency:
                    if wi < 0 { throw StataError(402, "negative weights encountered") }
                    if wi != wi.rounded() { throw StataError(401, "may not use noninteger frequency weights") }
                case .probability:
                    if wi < 0 { throw StataError(402, "negative weights encountered") }
                case .importance: break
                }
                if wi == 0 { ok[i] = false }
            }
        }
        let rows = (0..<n).filter { ok[$0] }
        guard !rows.isEmpty else { throw StataError.noObservations() }
        var screen = BinaryScreen(rows: rows, y_S: rows.map { spec.y[$0] != 0 ? 1 : 0 },
                                  w_S: rows.map { spec.weights?[$0] ?? 1 },
                                  omitted: [Bool](repeating: false, count: spec.regressors.count),
                                  notes: [], rules: [])
        try screen.checkOutcomeVaries(spec)
        screen.markCollinear(spec)
        if !spec.asis {
            try screen.applyRules(spec)
            if !screen.rules.isEmpty { screen.markCollinear(spec) }   // fewer rows can create collinearity
        }
        return screen
    }

    /// r(2000) when every observation has the same outcome.
    func checkOutcomeVaries(_ spec: BinarySpec) throws {
        let ones = y_S.reduce(0, +)
        if ones == 0 || ones == Double(y_S.count) {
            throw StataError(2000, "outcome does not vary; remember:\n                                  0 = negative outcome,\n        all other nonmissing outcomes = positive outcome")
        }
    }

    /// Omits regressors collinear with `_cons` and earlier kept regressors (weighted, centred when
    /// there is a constant, relative pivot 1e-9 as `_rmcoll`/invsym).
    mutating func markCollinear(_ spec: BinarySpec) {
        let live = (0..<spec.regressors.count).filter { !omitted[$0] }
        guard !live.isEmpty else { return }
        let ns = rows.count
        var cols: [[Double]] = []
        let wsum = w_S.reduce(0, +)
        for j in live {
            var c = rows.map { spec.regressors[j].values[$0] }
            if spec.constant {
                var m = 0.0
                for s in 0..<ns { m += w_S[s] * c[s] }
                m /= wsum
                for s in 0..<ns { c[s] -= m }
            }
            cols.append(c)
        }
        let xtx = Dense.crossProduct(Matrix(columns: cols), weights: w_S.map { abs($0) })
        let inv = Dense.invertSymmetricWithRank(xtx, tolerance: 1e-9)
        for (pos, j) in live.enumerated() where inv.omitted[pos] {
            omitted[j] = true
            notes.append("note: \(spec.regressors[j].name) omitted because of collinearity.")
        }
    }

    /// Stata's perfect-prediction rules, regressor by regressor in varlist order.
    mutating func applyRules(_ spec: BinarySpec) throws {
        for j in 0..<spec.regressors.count where !omitted[j] {
            let x = spec.regressors[j].values
            var nonzero = 0, nonzeroOnes = 0.0
            for (s, r) in rows.enumerated() where x[r] != 0 { nonzero += 1; nonzeroOnes += y_S[s] }
            if nonzero > 0 && nonzero < rows.count && (nonzeroOnes == 0 || nonzeroOnes == Double(nonzero)) {
                let outcome: Double = nonzeroOnes == 0 ? 0 : 1
                notes.append("note: \(spec.regressors[j].name) != 0 predicts \(outcome == 0 ? "failure" : "success") perfectly; \(spec.regressors[j].name) dropped and \(nonzero) obs not used")
                omitted[j] = true
                rules.append((j, outcome))
                var keep: [Int] = []
                for (s, r) in rows.enumerated() where x[r] == 0 { keep.append(s) }
                rows = keep.map { rows[$0] }; y_S = keep.map { y_S[$0] }; w_S = keep.map { w_S[$0] }
                try checkOutcomeVaries(spec)
                continue
            }
            // Complete separation by this regressor alone.
            var max0 = -Double.infinity, min0 = Double.infinity, max1 = -Double.infinity, min1 = Double.infinity
            for (s, r) in rows.enumerated() {
                if y_S[s] == 0 { max0 = max(max0, x[r]); min0 = min(min0, x[r]) }
                else { max1 = max(max1, x[r]); min1 = min(min1, x[r]) }
            }
            let name = spec.regressors[j].name
            if max0 < min1 {
                throw StataError(2000, "outcome = \(name) > \(Self.format(max0)) predicts data perfectly")
            }
            if max1 < min0 {
                throw StataError(2000, "outcome = \(name) < \(Self.format(min0)) predicts data perfectly")
            }
        }
    }

    /// Number as Stata's %9.0g would show a cut point (integers without decimals).
    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
