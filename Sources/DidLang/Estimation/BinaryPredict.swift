// `predict` after logit/probit: a small hook in front of the linear commands' `predict`
// (PostEstimationCommands): when e(cmd) is logit or probit it handles `pr` (default), `xb` and
// `stdp`; otherwise it hands the call, untouched, to their predict. The linear index is rebuilt
// from the e(b) names by their `linearPrediction`, so factor variables work the same way.

import DidFrame
import DidStats
import Foundation

enum BinaryPredict {
    /// Options of predict after logit/probit.
    static let binaryOptions: [OptionSpec] = [OptionSpec("pr"), OptionSpec("xb"), OptionSpec("stdp"),
                                              OptionSpec("rules"), OptionSpec("asif")]

    /// Registers `predict` (replacing the linear commands' registration, to which it delegates).
    /// Options are checked by whichever predict runs, hence `options: nil`.
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("predict", options: nil) { call, s in
            if ["logit", "probit"].contains(s.eResults.macros["cmd"] ?? "") {
                try predict(call, s)
            } else {
                try PostEstimationCommands.predict(call, s)
            }
        })
    }

    /// predict [type] newvar [if] [in] [, pr xb stdp rules asif]
    static func predict(_ call: CommandCall, _ s: Session) throws {
        let e = s.eResults
        guard e.matrices["b"] != nil, e.macros["cmd"] != nil else { throw StataError(301, "last estimates not found") }
        let o = try Options(call.options, specs: binaryOptions)
        let chosen = ["pr", "xb", "stdp"].filter { o.has($0) }
        guard chosen.count <= 1 else { throw StataError(198, "only one statistic may be specified") }
        if o.has("rules") && o.has("asif") { throw StataError(198, "rules and asif may not be specified together") }
        let stat = chosen.first ?? "pr"
        if chosen.isEmpty { s.line("(option pr assumed; Pr(\(e.macros["depvar"] ?? "")))") }
        let (given, name) = try GenerateCommands.newVariable(call.head)
        if let g = given, !g.isNumeric { throw StataError(198, "\(g) invalid type") }
        let type = given ?? .float
        try s.checkNewName(name)
        let rows = try s.sampleRows(call)
        let handling: BinaryPredictRules = o.has("rules") ? .rules : (o.has("asif") ? .asif : .missing)
        let out = try values(e, s, stat: stat, rules: handling, rows: rows)
        let stored = out.map { GenerateCommands.store($0, type) }
        var col = Column(name: name, type: type, values: stored)
        col.label = stat == "xb" ? "Linear prediction" : (stat == "stdp" ? "S.E. of the prediction" : "Pr(\(e.macros["depvar"] ?? ""))")
        s.frame.add(col)
        let missing = stored.lazy.filter(Missing.isMissing).count
        if missing > 0 { s.line("(\(DataCommands.fmtInt(missing)) missing value\(missing == 1 ? "" : "s") generated)") }
    }

    /// `pr`, `xb` or `stdp` for `rows` (missing elsewhere) from e(b)/e(V) on the current data;
    /// psmatch2 takes its score from here so `_pscore` is exactly what `predict` gives.
    static func values(_ e: StoredResults, _ s: Session, stat: String, rules handling: BinaryPredictRules,
                       rows: [Int]) throws -> [Double] {
        guard let b = e.matrices["b"], let cmd = e.macros["cmd"] else { throw StataError(301, "last estimates not found") }
        let n = s.frame.count
        let xb = try PostEstimationCommands.linearPrediction(b, s)
        var stdp: [Double]? = nil
        if stat == "stdp" {
            guard let V = e.matrices["V"] else { throw StataError(301, "last estimates not found") }
            let cols = try PostEstimationCommands.designColumns(b, s, skipZero: false)
            var out = [Double](repeating: Missing.dot, count: n)
            for r in rows {
                var v = 0.0, bad = false
                for (a, ca) in cols where ca != nil {
                    guard !Missing.isMissing(ca![r]) else { bad = true; break }
                    for (c, cc) in cols where cc != nil { v += ca![r] * V[a, c] * cc![r] }
                }
                if !bad { out[r] = v.squareRoot() }
            }
            stdp = out
        }
        // Rows a perfect predictor excluded: missing (Stata's default), the rule's outcome with `rules`.
        var ruled = [Double?](repeating: nil, count: n)
        if let rules = e.matrices["rules"], handling != .asif {
            for (i, v) in rules.rowNames.enumerated() {
                guard let x = s.frame.column(v)?.nums else { continue }
                for r in 0..<n where !Missing.isMissing(x[r]) && x[r] != 0 { ruled[r] = handling == .rules ? rules[i, 2] : Missing.dot }
            }
        }
        var out = [Double](repeating: Missing.dot, count: n)
        for r in rows where !Missing.isMissing(xb[r]) {
            switch stat {
            case "xb": out[r] = xb[r]
            case "stdp": out[r] = stdp![r]
            default:
                if let forced = ruled[r] { out[r] = forced; continue }
                out[r] = cmd == "logit" ? 1 / (1 + exp(-xb[r])) : Distributions.normal(xb[r])
            }
        }
        return out
    }
}
