// logit, probit, psmatch/psmatch2, pstest (registered here), and the logit/probit case of
// `predict`. logit/probit: parse the varlist with the estimation engineer's factor-variable setup
// (LinearModelSetup: sample, weights, clusters, `i.` expansion) → fit (DidStats.BinaryModel) →
// post e() in one step → display from e() (BinaryTable). Typing `logit` alone replays.

import DidFrame
import DidStats
import Foundation

enum BinaryCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("logit", minAbbreviation: 5, by: .repeatPerGroup, options: options) { call, s in
            try estimate(call, s, link: .logit)
        })
        r.register(ClosureCommand("probit", by: .repeatPerGroup, options: options) { call, s in
            try estimate(call, s, link: .probit)
        })
        BinaryPredict.register(in: r)
        PsmCommand.register(in: r)
        PsmBalanceCommand.register(in: r)
    }

    static let options: [OptionSpec] = [
        OptionSpec("robust", min: 1), OptionSpec("cluster", min: 2, .required), OptionSpec("vce", .required),
        OptionSpec("level", min: 1, .required), OptionSpec("or"), OptionSpec("asis"), OptionSpec("nolog"),
        OptionSpec("log"), OptionSpec("noconstant", min: 5), OptionSpec("iterate", min: 4, .required),
        OptionSpec("noheader", min: 5), OptionSpec("notable", min: 5), OptionSpec("nocoef"),
    ]

    /// logit|probit depvar [indepvars] [if] [in] [weight] [, vce() robust cluster() or level() asis nolog]
    static func estimate(_ call: CommandCall, _ s: Session, link: BinaryLink) throws {
        let cmd = link.rawValue
        let o = try Options(call.options, specs: options)
        if call.head.trimmingCharacters(in: .whitespaces).isEmpty, call.ifExp == nil, call.inRange == nil {
            guard s.eResults.macros["cmd"] == cmd else { throw StataError(301, "last estimates not found") }
            var e = s.eResults
            if let l = try o.number("level") { e.scalars["level"] = l }
            try BinaryTable.show(e, s, oddsRatios: o.has("or"))
            return
        }
        if o.has("or") && link == .probit { throw StataError(198, "option or not allowed") }
        let result = try fit(call, o, s, link: link)
        if !o.has("nolog") { BinaryTable.iterationLog(result.fit, s) }
        post(result, o, call, s)
        try BinaryTable.show(s.eResults, s, header: !o.has("noheader"), table: !o.has("notable") && !o.has("nocoef"),
                             oddsRatios: o.has("or"))
    }

    /// What `fit` hands to `post`: the engine's result and the pieces e() needs from the syntax.
    struct Fitted {
        var fit: BinaryResult
        var setup: LinearModelSetup
        var link: BinaryLink
    }

    /// Builds the spec through LinearModelSetup (same varlist and sample rules as regress) and fits.
    /// Prints the notes Stata prints before the iteration log.
    static func fit(_ call: CommandCall, _ o: Options, _ s: Session, link: BinaryLink) throws -> Fitted {
        var weightKind = BinaryWeightKind.frequency
        if let w = call.weight {
            switch EstimationPost.canonicalWeight(w.kind) {
            case "fweight": weightKind = .frequency
            case "pweight": weightKind = .probability
            case "iweight": weightKind = .importance
            default: throw StataError(101, "\(w.kind) not allowed")
            }
        }
        let v = try LinearModelOptions.vce(o)
        let setup = try LinearModelSetup.build(call, s, convention: .regress, absorb: [], vceKind: v.kind, clusters: v.clusters,
                                               hasConstant: !o.has("noconstant"), level: try LinearModelOptions.level(o, s))
        if setup.clustvars.count > 1 { throw StataError(198, "only one cluster variable allowed") }
        var vce = BinaryVCE.oim
        switch setup.spec.vce {
        case .robust: vce = .robust
        case .cluster(let terms):
            // One key per row: a#b clusters are combined by their codes.
            let keys = terms[0].keys
            let combined = (0..<s.frame.count).map { i -> Double in
                keys.contains { Missing.isMissing($0[i]) } ? Missing.dot : keys.reduce(0) { $0 * 1_000_003 + $1[i] }
            }
            vce = .cluster(keys: combined)
        default: vce = .oim
        }
        var spec = BinarySpec(depvar: setup.depvar, y: setup.spec.y, regressors: setup.spec.regressors,
                              constant: setup.spec.constant, touse: setup.spec.touse, weights: setup.spec.weights,
                              weightKind: weightKind, link: link, vce: vce, asis: o.has("asis"))
        if let it = try o.number("iterate") { spec.maxIterations = max(0, Int(it)) }
        let r = try BinaryModel.fit(spec)
        for note in r.notes { s.line(note) }
        return Fitted(fit: r, setup: setup, link: link)
    }

    /// Posts e() in one step: full e(b)/e(V) over the design columns (base levels `0b.` and
    /// omitted terms `o.` with zeros), Stata's scalars and macros, e(sample).
    static func post(_ f: Fitted, _ o: Options, _ call: CommandCall, _ s: Session) {
        let r = f.fit, setup = f.setup
        var names: [String] = [], src: [Int?] = []
        var free = 0
        for col in setup.design {
            if col.status == .free {
                let j = free; free += 1
                names.append(r.omitted[j] ? FactorVarlist.omittedName(col.name) : col.name)
                src.append(r.omitted[j] ? nil : j)
            } else { names.append(col.name); src.append(nil) }
        }
        if r.names.last == "_cons" { names.append("_cons"); src.append(r.names.count - 1) }
        let k = names.count
        let b = src.map { $0.map { r.b[$0] } ?? 0 }
        var V = NamedMatrix(rows: k, cols: k, rowNames: names, colNames: names)
        for i in 0..<k { for j in 0..<k { if let a = src[i], let c = src[j] { V[i, j] = r.V[a, c] } } }

        var e = StoredResults()
        e.set("rank", Double(r.omitted.filter { !$0 }.count))
        e.set("N", Double(r.N))
        e.set("ic", Double(r.iterations))
        e.set("k", Double(k))
        e.set("k_eq", 1)
        e.set("k_dv", 1)
        e.set("converged", r.converged ? 1 : 0)
        e.set("rc", 0)
        e.set("ll", r.ll)
        e.set("k_eq_model", 1)
        e.set("ll_0", r.ll_0)
        e.set("df_m", Double(r.df_m))
        e.set("chi2", r.chi2)
        e.set("p", r.p)
        e.set("r2_p", r.r2_p)
        if let g = r.N_clust { e.set("N_clust", Double(g)) }
        e.set("level", setup.level)
        e.set("cmd", f.link.rawValue)
        e.set("cmdline", EstimationCommands.cmdline(call))
        e.set("title", f.link == .logit ? "Logistic regression" : "Probit regression")
        e.set("depvar", setup.depvar)
        e.set("chi2type", r.chi2type)
        e.set("vce", r.vcetype)
        if r.vcetype != "oim" { e.set("vcetype", "Robust") }
        if let c = setup.clustvars.first { e.set("clustvar", c) }
        if let w = setup.weight { e.set("wtype", EstimationPost.canonicalWeight(w.kind)); e.set("wexp", "= " + w.exp) }
        e.set("opt", "moptimize")
        e.set("predict", f.link == .logit ? "logit_p" : "probit_p")
        e.set("properties", "b V")
        e.set("b", NamedMatrix(rows: 1, cols: k, data: b, rowNames: [setup.depvar], colNames: names))
        e.set("V", V)
        if !r.rules.isEmpty {
            // e(rules): one row per perfect predictor: (outcome predicted, 1 = dropped because x != 0).
            let rn = r.rules.map { r.names[$0.index] }
            var m = NamedMatrix(rows: rn.count, cols: 4, rowNames: rn, colNames: ["c1", "c2", "c3", "c4"])
            for (i, rule) in r.rules.enumerated() { m[i, 0] = 2; m[i, 1] = 0; m[i, 2] = rule.outcome; m[i, 3] = 0 }
            e.set("rules", m)
        }
        e.sample = r.sample
        s.eResults = e
    }
}
