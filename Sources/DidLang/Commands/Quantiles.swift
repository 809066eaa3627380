// pctile [type] newvar = exp [if] [in] [weight] [, nquantiles(#) percentiles(numlist) genp(newvar) altdef]
// xtile  [type] newvar = exp [if] [in] [weight] [, nquantiles(#) cutpoints(varname) altdef]
// _pctile varname [if] [in] [weight] [, nquantiles(#) percentiles(numlist) altdef]
//
// Percentiles as [D] pctile defines them. With the n non-missing values sorted, x(1) ≤ … ≤ x(n),
// the p-th percentile takes P = n p / 100: when P is a whole number i it is (x(i) + x(i+1)) / 2,
// otherwise x(⌊P⌋+1) (clamped to x(1) … x(n)). For nquantiles(q) the points are p = 100 k / q,
// so P = n k / q and the whole-number test is done in integers, exactly. With weights the
// cumulative weights W(i) are compared with P = W p / 100 (summarize's weighted rule).
// altdef interpolates at P = (n + 1) p / 100: x(i) + h (x(i+1) − x(i)) with i = ⌊P⌋, h = P − i.
// xtile puts an observation in category k when cut(k−1) < x ≤ cut(k), so values equal to a
// cut point go to the lower category.

import DidFrame
import Foundation

/// pctile, xtile and _pctile.
enum Quantiles {
    static let pctileSpecs = [OptionSpec("nquantiles", min: 2, .required), OptionSpec("percentiles", min: 1, .required),
                              OptionSpec("genp", .required), OptionSpec("altdef")]
    static let xtileSpecs = [OptionSpec("nquantiles", min: 2, .required), OptionSpec("cutpoints", min: 1, .required),
                             OptionSpec("altdef")]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("pctile", options: pctileSpecs, splitsEquals: true) { call, s in try pctile(call, s) })
        r.register(ClosureCommand("xtile", options: xtileSpecs, splitsEquals: true) { call, s in try xtile(call, s) })
        r.register(ClosureCommand("_pctile", options: pctileSpecs) { call, s in try underscorePctile(call, s) })
    }

    /// A percentile point: `k/q` of the way (nquantiles) or a plain percentage.
    enum Point {
        case fraction(Int, Int)
        case percent(Double)
        var percent: Double {
            switch self { case .fraction(let k, let q): return 100 * Double(k) / Double(q); case .percent(let p): return p }
        }
    }

    // MARK: computation

    /// The percentile of sorted values `x` (with weights `w` in the same order, if any).
    static func percentile(_ x: [Double], _ w: [Double]?, _ point: Point, altdef: Bool) -> Double {
        let n = x.count
        guard n > 0 else { return Missing.dot }
        if let w = w {
            return SummaryStats.weightedPercentile(x, w, total: w.reduce(0, +), p: point.percent)
        }
        if altdef {
            let P = Double(n + 1) * point.percent / 100
            let i = Int(P.rounded(.down))
            if i < 1 { return x[0] }
            if i >= n { return x[n - 1] }
            return x[i - 1] + (P - Double(i)) * (x[i] - x[i - 1])
        }
        let whole: Bool, i: Int
        switch point {
        case .fraction(let k, let q):
            whole = (n * k) % q == 0; i = n * k / q
        case .percent(let p):
            if p == p.rounded() { let np = n * Int(p); whole = np % 100 == 0; i = np / 100 } else {
                let P = Double(n) * p / 100
                i = Int(P.rounded(.down)); whole = P == Double(i)
            }
        }
        if whole {
            if i <= 0 { return x[0] }
            if i >= n { return x[n - 1] }
            return (x[i - 1] + x[i]) / 2
        }
        return x[min(i, n - 1)]
    }

    /// The sample of `exp`: values (sorted), weights in the same order, and the rows used.
    /// `marked` counts the if/in/weight sample before observations with a missing `exp` leave.
    static func sample(_ call: CommandCall, _ s: Session, exp: String) throws -> (x: [Double], w: [Double]?, rows: [Int], all: [Double], marked: Int) {
        let weight = try WeightSpec.parse(call, s, allowed: [.aweight, .fweight, .pweight], defaultKind: .aweight, command: "pctile")
        var rows = try s.sampleRows(call)
        if let w = weight { rows = try w.filter(rows) }
        let marked = rows.count
        guard case .numbers(let v) = try Evaluator.evaluate(try ExprParser.parse(exp), in: s, rows: RowSet.all(s.frame.count)) else {
            throw StataError.typeMismatch()
        }
        rows = rows.filter { !Missing.isMissing(v[$0]) }
        let order = rows.sorted { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }
        return (order.map { v[$0] }, weight.map { ws in order.map { ws.values[$0] } }, rows, v, marked)
    }

    /// The points asked for by nquantiles() (default 2) or percentiles().
    static func points(_ o: Options, n: Int) throws -> [Point] {
        if o.has("nquantiles") && o.has("percentiles") { throw StataError(198, "nquantiles() and percentiles() may not be specified together") }
        if let list = o.string("percentiles") {
            let ps = try EgenGroupFunctions.numlist(list)
            guard !ps.isEmpty, ps.allSatisfy({ $0 >= 0 && $0 <= 100 }) else { throw StataError(198, "percentiles() must be between 0 and 100") }
            return ps.map { .percent($0) }
        }
        let q = try OutText.integer(try o.number("nquantiles"), "nquantiles", default: 2)
        guard q >= 2 else { throw StataError(198, "nquantiles() must be greater than or equal to 2") }
        // Only an explicit nquantiles() is checked against the sample (xtile.ado's order: an
        // empty sample with the default is r(2000), not this r(198)).
        guard q <= n + 1 || !o.has("nquantiles") else { throw StataError(198, "nquantiles() must be less than or equal to number of observations plus one") }
        return (1..<q).map { .fraction($0, q) }
    }

    // MARK: commands

    /// pctile: the percentiles in observations 1, 2, … of a new variable.
    static func pctile(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: pctileSpecs)
        guard let exp = call.equalsExp, !exp.isEmpty else { throw StataError(198, "= expected") }
        let (type, name) = try GenerateCommands.newVariable(call.head)
        try s.checkNewName(name)
        let genp = o.string("genp")
        if let g = genp { try s.checkNewName(g) }
        if o.has("altdef") && call.weight != nil { throw StataError(198, "altdef may not be combined with weights") }
        let pts = try points(o, n: s.frame.count)
        guard pts.count <= s.frame.count else { throw StataError(198, "too many percentiles requested: \(pts.count) > _N = \(s.frame.count)") }
        let smp = try sample(call, s, exp: exp)
        guard !smp.x.isEmpty else { throw StataError.noObservations() }
        let t = type ?? (s.settings["type"] == "double" ? .double : .float)
        guard t.isNumeric else { throw StataError.typeMismatch() }
        var values = [Double](repeating: Missing.dot, count: s.frame.count)
        for (k, p) in pts.enumerated() { values[k] = GenerateCommands.store(percentile(smp.x, smp.w, p, altdef: o.has("altdef")), t) }
        var column = Column(name: name, type: t, values: values)
        column.label = "percentiles of \(exp)"
        s.frame.add(column)
        if let g = genp {
            var pv = [Double](repeating: Missing.dot, count: s.frame.count)
            for (k, p) in pts.enumerated() { pv[k] = Double(Float(p.percent)) }
            var pc = Column(name: g, type: .float, values: pv)
            pc.label = "percentages for \(name)"
            s.frame.add(pc)
        }
    }

    /// _pctile: the percentiles in r(r1), r(r2), …
    static func underscorePctile(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: pctileSpecs)
        guard !o.has("genp") else { throw StataError(198, "option genp() not allowed") }
        let vars = try s.varlist(call.head)
        guard vars.count == 1 else { throw StataError(103, "too many variables specified") }
        if o.has("altdef") && call.weight != nil { throw StataError(198, "altdef may not be combined with weights") }
        // _pctile allows up to 1,000 points whatever _N is.
        let pts = try points(o, n: 999)
        let smp = try sample(call, s, exp: vars[0])
        var r = StoredResults()
        for (k, p) in pts.enumerated() { r.set("r\(k + 1)", percentile(smp.x, smp.w, p, altdef: o.has("altdef"))) }
        s.rResults = r
    }

    /// xtile: the category of each observation against the quantiles (or given cut points).
    /// An observation goes to 1 + the number of cut points strictly below it. With tied
    /// quantiles this skips category numbers, as xtile.ado numbers a category by the position of
    /// its quantile; with cutpoints() every non-missing value of the variable (duplicates
    /// included, whatever if/in say) is a cut point, values above all of them get ncut + 1.
    static func xtile(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: xtileSpecs)
        guard let exp = call.equalsExp, !exp.isEmpty else { throw StataError(198, "= expected") }
        let name = try GenerateCommands.newVariable(call.head).1
        try s.checkNewName(name)
        if o.has("nquantiles") && o.has("cutpoints") { throw StataError(198, "both nquantiles() and cutpoints() cannot be specified") }
        if o.has("altdef") && call.weight != nil { throw StataError(198, "altdef option cannot be used with weights") }
        let smp = try sample(call, s, exp: exp)
        var cuts: [Double]
        let label: String
        if let cv = o.string("cutpoints") {
            let vars = try s.varlist(cv)
            guard vars.count == 1 else { throw StataError(103, "too many variables specified") }
            let c = s.frame.columns[try s.resolveVariable(vars[0])]
            guard !c.isString else { throw StataError.typeMismatch() }
            cuts = c.nums.filter { !Missing.isMissing($0) }.sorted()
            guard !cuts.isEmpty else { throw StataError(2000, "cutpoints() all missing") }
            label = "\(exp) categorized by \(vars[0])"
        } else {
            let pts = try points(o, n: smp.marked)
            guard !smp.x.isEmpty else { throw StataError.noObservations() }
            cuts = pts.map { percentile(smp.x, smp.w, $0, altdef: o.has("altdef")) }
            label = "\(pts.count + 1) quantiles of \(exp)"
        }
        guard !smp.x.isEmpty else { throw StataError.noObservations() }
        var out = [Double](repeating: Missing.dot, count: s.frame.count)
        for r in smp.rows {
            let x = smp.all[r]
            // Binary search for the number of cut points below x (cuts are sorted).
            var lo = 0, hi = cuts.count
            while lo < hi { let mid = (lo + hi) / 2; if cuts[mid] < x { lo = mid + 1 } else { hi = mid } }
            out[r] = Double(lo + 1)
        }
        // xtile.ado builds the variable as a byte (promoted when needed) whatever type is
        // asked for, labels it, and makes no "missing values generated" note.
        var column = Column(name: name, type: StorageType.smallestHolding(out), values: out)
        column.label = label
        s.frame.add(column)
    }
}
