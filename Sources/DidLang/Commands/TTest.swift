// ttest varname == #                         one-sample
// ttest varname1 == varname2 [, unpaired unequal welch]  paired (or two independent samples)
// ttest varname [if] [in], by(groupvar) [unequal welch level(#)]   two-sample
//
// Formulas ([R] ttest, Methods and formulas). For a sample, se = s / √n and the confidence
// interval is mean ± t(df, (1 − level)/2) se. Two samples with equal variances pool
// s² = ((n1−1)s1² + (n2−1)s2²) / (n1+n2−2), se = s √(1/n1 + 1/n2), df = n1+n2−2. With
// `unequal`, se = √(s1²/n1 + s2²/n2) and Satterthwaite's df = (a+b)² / (a²/(n1−1) + b²/(n2−1)),
// a = s1²/n1, b = s2²/n2; `welch` uses Welch's df = (a+b)² / (a²/(n1+1) + b²/(n2+1)) − 2.
// Paired tests are one-sample tests of the differences. p_l = P(T < t), p_u = P(T > t),
// p = P(|T| > |t|), all from Student's t (DidStats' Distributions).

import DidFrame
import DidStats
import Foundation

/// The ttest command.
enum TTest {
    static let specs = [OptionSpec("by", .required), OptionSpec("unequal", min: 3), OptionSpec("welch", min: 1),
                        OptionSpec("unpaired", min: 3), OptionSpec("level", min: 1, .required), OptionSpec("reverse")]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("ttest", by: .repeatPerGroup, options: specs) { call, s in try run(call, s) })
    }

    /// Mean, standard deviation and count of one sample.
    struct Sample {
        var n: Int; var mean: Double; var sd: Double
        init(_ x: [Double]) {
            n = x.count
            let m = n > 0 ? x.reduce(0, +) / Double(n) : Missing.dot
            mean = m
            // Centred second pass: large means do not cancel digits.
            let ss = x.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            sd = n > 1 ? (ss / Double(n - 1)).squareRoot() : Missing.dot
        }
        var se: Double { n > 1 ? sd / Double(n).squareRoot() : Missing.dot }
    }

    /// The test result that display and r() read.
    struct Result {
        enum Kind { case oneSample, paired, twoSample }
        var kind: Kind
        var names: [String]                // row labels of the table
        var samples: [Sample]               // one (one-sample), or the two samples
        var combined: Sample?               // two-sample: both together; paired: the differences
        var diff: Double; var se: Double; var t: Double; var df: Double
        var hypothesis: Double
        var level: Double
        var unequal: Bool; var welch: Bool
        var variable: String                // what is tested, for the footer
        var pl: Double { Distributions.ttail(df, -t) }
        var pu: Double { Distributions.ttail(df, t) }
        var p: Double { min(1, 2 * Distributions.ttail(df, abs(t))) }
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        let level = try o.number("level") ?? Double(s.settings["level"] ?? "95") ?? 95
        guard level >= 10, level <= 99.99 else { throw StataError(198, "level() must be between 10 and 99.99 inclusive") }
        let rows = try s.sampleRows(call)
        let result: Result
        if let by = o.string("by") {
            guard !call.head.contains("=") else { throw StataError(198, "by() may not be combined with ==") }
            result = try twoSample(call.head, by: by, rows, o, level: level, s)
        } else {
            let parts = call.head.components(separatedBy: "==")
            let sides = parts.count == 2 ? parts : call.head.components(separatedBy: "=")
            guard sides.count == 2 else { throw StataError(198, "== expected (or by() for a two-sample test)") }
            let lhs = sides[0].trimmingCharacters(in: .whitespaces), rhs = sides[1].trimmingCharacters(in: .whitespaces)
            if let mu = Double(rhs) {
                result = try oneSample(lhs, mu, rows, level: level, s)
            } else {
                result = try twoVariables(lhs, rhs, rows, o, level: level, s)
            }
        }
        post(result, s)
        TTestDisplay.show(result, s)
    }

    /// Non-missing values of a numeric variable over `rows`.
    static func values(_ name: String, _ rows: [Int], _ s: Session) throws -> (name: String, x: [Double], all: [Double]) {
        let vars = try s.varlist(name)
        guard vars.count == 1 else { throw StataError(103, "too many variables specified") }
        let c = s.frame.column(vars[0])!
        guard !c.isString else { throw StataError(109, "\(vars[0]) is a string variable; type mismatch") }
        return (vars[0], rows.map { c.nums[$0] }.filter { !Missing.isMissing($0) }, c.nums)
    }

    static func oneSample(_ v: String, _ mu: Double, _ rows: [Int], level: Double, _ s: Session) throws -> Result {
        let (name, x, _) = try values(v, rows, s)
        guard !x.isEmpty else { throw StataError.noObservations() }
        let a = Sample(x)
        // One observation has no standard error: t and the p-values are missing, as in Stata.
        let t = a.n > 1 ? (a.mean - mu) / a.se : Missing.dot
        return Result(kind: .oneSample, names: [name], samples: [a], combined: nil, diff: a.mean, se: a.se,
                      t: Missing.clean(t), df: Double(a.n - 1), hypothesis: mu, level: level, unequal: false, welch: false,
                      variable: name)
    }

    static func twoVariables(_ v1: String, _ v2: String, _ rows: [Int], _ o: Options, level: Double, _ s: Session) throws -> Result {
        let a = try values(v1, rows, s), b = try values(v2, rows, s)
        if o.has("unpaired") || o.has("unequal") || o.has("welch") {
            return try independent([a.name, b.name], a.x, b.x, o, level: level, variable: "")
        }
        let both = rows.filter { !Missing.isMissing(a.all[$0]) && !Missing.isMissing(b.all[$0]) }
        guard !both.isEmpty else { throw StataError.noObservations() }
        let s1 = Sample(both.map { a.all[$0] }), s2 = Sample(both.map { b.all[$0] })
        let d = Sample(both.map { a.all[$0] - b.all[$0] })
        return Result(kind: .paired, names: [a.name, b.name], samples: [s1, s2], combined: d, diff: d.mean, se: d.se,
                      t: d.n > 1 ? Missing.clean(d.mean / d.se) : Missing.dot, df: Double(d.n - 1), hypothesis: 0, level: level,
                      unequal: false, welch: false, variable: "\(a.name) - \(b.name)")
    }

    static func twoSample(_ v: String, by: String, _ rows: [Int], _ o: Options, level: Double, _ s: Session) throws -> Result {
        let (name, _, all) = try values(v, rows, s)
        let bv = try s.varlist(by)
        guard bv.count == 1 else { throw StataError(103, "too many variables specified") }
        let g = s.frame.column(bv[0])!
        let kept = rows.filter { !Missing.isMissing(all[$0]) }
        let groups = Tabstat.groups(g, kept, missing: false, s)
        guard groups.count == 2 else {
            throw StataError(420, groups.count > 2 ? "more than 2 groups found, only 2 allowed" : "1 group found, 2 required")
        }
        let first = o.has("reverse") ? 1 : 0
        let x1 = groups[first].1.map { all[$0] }, x2 = groups[1 - first].1.map { all[$0] }
        // Group labels are cut to 8 characters (not abbreviated) in the table and the footer.
        let names = [groups[first].0, groups[1 - first].0].map { String($0.prefix(8)) }
        return try independent(names, x1, x2, o, level: level, variable: name)
    }

    /// Two independent samples, pooled or (unequal/welch) separate variances.
    static func independent(_ names: [String], _ x1: [Double], _ x2: [Double], _ o: Options, level: Double, variable: String) throws -> Result {
        let a = Sample(x1), b = Sample(x2)
        guard a.n > 0, b.n > 0 else { throw StataError.noObservations() }
        let unequal = o.has("unequal") || o.has("welch"), welch = o.has("welch")
        let n1 = Double(a.n), n2 = Double(b.n)
        let v1 = a.n > 1 ? a.sd * a.sd : Missing.dot, v2 = b.n > 1 ? b.sd * b.sd : Missing.dot
        var se = Missing.dot, df = Missing.dot
        if unequal {
            if a.n > 1 && b.n > 1 {
                let qa = v1 / n1, qb = v2 / n2
                se = (qa + qb).squareRoot()
                df = welch ? (qa + qb) * (qa + qb) / (qa * qa / (n1 + 1) + qb * qb / (n2 + 1)) - 2
                           : (qa + qb) * (qa + qb) / (qa * qa / (n1 - 1) + qb * qb / (n2 - 1))
            }
        } else if a.n + b.n > 2 {
            let ss1 = a.n > 1 ? (n1 - 1) * v1 : 0, ss2 = b.n > 1 ? (n2 - 1) * v2 : 0
            let pooled = (ss1 + ss2) / (n1 + n2 - 2)
            se = (pooled * (1 / n1 + 1 / n2)).squareRoot()
            df = n1 + n2 - 2
        }
        let diff = a.mean - b.mean
        let t = Missing.isMissing(se) ? Missing.dot : Missing.clean(diff / se)
        return Result(kind: .twoSample, names: names, samples: [a, b], combined: Sample(x1 + x2), diff: diff, se: se,
                      t: t, df: Missing.clean(df), hypothesis: 0, level: level, unequal: unequal, welch: welch, variable: variable)
    }

    /// r() as Stata's ttest stores it.
    static func post(_ res: Result, _ s: Session) {
        var r = StoredResults()
        let a = res.samples[0]
        let valid = !Missing.isMissing(res.t) && !Missing.isMissing(res.df)
        r.set("level", res.level)
        if res.kind == .paired || res.kind == .twoSample {
            r.set("sd", res.combined!.sd)
            r.set("sd_2", res.samples[1].sd)
            r.set("sd_1", a.sd)
        } else {
            r.set("sd_1", a.sd)
        }
        r.set("se", res.se)
        r.set("p_u", valid ? res.pu : Missing.dot)
        r.set("p_l", valid ? res.pl : Missing.dot)
        r.set("p", valid ? res.p : Missing.dot)
        r.set("t", res.t)
        r.set("df_t", res.df)
        if res.kind != .oneSample { r.set("mu_2", res.samples[1].mean); r.set("N_2", Double(res.samples[1].n)) }
        r.set("mu_1", a.mean)
        r.set("N_1", Double(a.n))
        s.rResults = r
    }
}
