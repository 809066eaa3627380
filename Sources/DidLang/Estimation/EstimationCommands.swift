// Estimation commands (regress, reghdfe, areg, xtreg, predict, test, lincom, estimates, eststo,
// esttab). Each linear command: parse syntax → build the spec (LinearModelSetup) → fit
// (DidStats.LinearModel) → post e() (EstimationPost) → display from e() (EstimationTable).
// Typing the command alone replays the last results when they came from it.

import DidFrame
import DidStats
import Foundation

enum EstimationCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("regress", minAbbreviation: 3, by: .repeatPerGroup, options: regressOptions) { call, s in
            try regress(call, s)
        })
        r.register(ClosureCommand("reghdfe", by: .repeatPerGroup, options: reghdfeOptions) { call, s in
            try reghdfe(call, s)
        })
        r.register(ClosureCommand("areg", by: .repeatPerGroup, options: regressOptions + [OptionSpec("absorb", min: 1, .required)]) { call, s in
            try areg(call, s)
        })
        r.register(ClosureCommand("xtreg", by: .repeatPerGroup, options: regressOptions + [OptionSpec("fe"), OptionSpec("re"), OptionSpec("be")]) { call, s in
            try xtreg(call, s)
        })
        PostEstimationCommands.register(in: r)
        EstimatesCommands.register(in: r)
        EsttabCommand.register(in: r)
    }

    static let common: [OptionSpec] = [
        OptionSpec("robust", min: 1), OptionSpec("cluster", min: 2, .required), OptionSpec("vce", .required),
        OptionSpec("level", min: 1, .required), OptionSpec("noheader", min: 5), OptionSpec("notable", min: 5),
    ]
    static let regressOptions = common + [OptionSpec("noconstant", min: 5)]
    static let reghdfeOptions = common + [
        OptionSpec("absorb", min: 1, .required), OptionSpec("noabsorb", min: 5), OptionSpec("keepsingletons"),
        OptionSpec("residuals", min: 5, .optional), OptionSpec("tolerance", min: 3, .required),
        OptionSpec("iterate", min: 4, .required), OptionSpec("maxiterations", min: 4, .required),
        OptionSpec("verbose", min: 1, .required), OptionSpec("nosample"),
    ]

    /// True when the command has no varlist and should replay e().
    static func replayIfEmpty(_ call: CommandCall, _ cmd: String, _ s: Session) throws -> Bool {
        guard call.head.trimmingCharacters(in: .whitespaces).isEmpty, call.ifExp == nil, call.inRange == nil else { return false }
        guard s.eResults.macros["cmd"] == cmd else { throw StataError(301, "last estimates not found") }
        let o = try Options(call.options, specs: [OptionSpec("level", min: 1, .required)])
        var e = s.eResults
        if let l = try o.number("level") { e.scalars["level"] = l }
        try EstimationTable.show(e, s)
        return true
    }

    /// regress depvar [indepvars] [if] [in] [weight] [, noconstant vce() robust cluster() level()]
    static func regress(_ call: CommandCall, _ s: Session) throws {
        if try replayIfEmpty(call, "regress", s) { return }
        let o = try Options(call.options, specs: regressOptions)
        let v = try LinearModelOptions.vce(o)
        let setup = try LinearModelSetup.build(call, s, convention: .regress, absorb: [], vceKind: v.kind, clusters: v.clusters,
                                               hasConstant: !o.has("noconstant"), level: try LinearModelOptions.level(o, s))
        try fitAndPost(setup, o, PostInfo(cmd: "regress", title: "Linear regression", cmdline: cmdline(call)), s)
    }

    /// reghdfe depvar [indepvars] [if] [in] [weight], absorb(absvars) | noabsorb [vce() …]
    static func reghdfe(_ call: CommandCall, _ s: Session) throws {
        if try replayIfEmpty(call, "reghdfe", s) { return }
        let o = try Options(call.options, specs: reghdfeOptions)
        let v = try LinearModelOptions.vce(o)
        var absorb: [String] = []
        if let a = o.string("absorb") { absorb = AbsorbParser.terms(a) }
        else if !o.has("noabsorb") { throw StataError(198, "option absorb() required (or noabsorb)") }
        var setup = try LinearModelSetup.build(call, s, convention: .reghdfe, absorb: absorb, vceKind: v.kind, clusters: v.clusters,
                                               hasConstant: true, level: try LinearModelOptions.level(o, s))
        setup.spec.keepSingletons = o.has("keepsingletons")
        if let t = try o.number("tolerance") { setup.spec.tolerance = t }
        if let it = try o.number("iterate") ?? o.number("maxiterations") { setup.spec.maxIterations = Int(it) }
        if o.has("residuals") {
            let name = o.string("residuals") ?? "_reghdfe_resid"
            if name == "_reghdfe_resid", s.frame.index(of: name) != nil { s.frame.remove(at: s.frame.index(of: name)!) }
            try s.checkNewName(name)
        }
        let r = try fitAndPost(setup, o, PostInfo(cmd: "reghdfe", title: "HDFE Linear regression", cmdline: cmdline(call)), s)
        for fe in r.savedFixedEffects {
            if s.frame.index(of: fe.name) == nil { s.frame.add(Column(name: fe.name, type: .double, values: fe.values)) }
        }
        if o.has("residuals"), let res = r.residuals {
            let name = o.string("residuals") ?? "_reghdfe_resid"
            s.frame.add(Column(name: name, type: .double, values: res))
            s.eResults.set("resid", name)
        }
    }

    /// areg depvar [indepvars] [if] [in] [weight], absorb(var) [vce() …]
    static func areg(_ call: CommandCall, _ s: Session) throws {
        if try replayIfEmpty(call, "areg", s) { return }
        let o = try Options(call.options, specs: regressOptions + [OptionSpec("absorb", min: 1, .required)])
        guard let a = o.string("absorb"), AbsorbParser.terms(a).count == 1 else { throw StataError(198, "absorb() requires one variable") }
        let v = try LinearModelOptions.vce(o)
        var setup = try LinearModelSetup.build(call, s, convention: .areg, absorb: AbsorbParser.terms(a), vceKind: v.kind, clusters: v.clusters,
                                               hasConstant: true, level: try LinearModelOptions.level(o, s))
        setup.spec.keepSingletons = true   // areg keeps groups of one observation
        try fitAndPost(setup, o, PostInfo(cmd: "areg", title: "Linear regression, absorbing indicators", cmdline: cmdline(call)), s) { r in
            try PanelStatistics.post(setup, r, xtreg: false, s)
        }
    }

    /// xtreg depvar [indepvars] [if] [in] [weight], fe [vce(robust|cluster c)]
    static func xtreg(_ call: CommandCall, _ s: Session) throws {
        if try replayIfEmpty(call, "xtreg", s) { return }
        let o = try Options(call.options, specs: regressOptions + [OptionSpec("fe"), OptionSpec("re"), OptionSpec("be")])
        guard o.has("fe") else { throw StataError(198, "only xtreg, fe is available (re and be are not implemented)") }
        guard let panel = s.timeSettings?.panel else { throw StataError(459, "must specify panelvar; use xtset") }
        var v = try LinearModelOptions.vce(o)
        if v.kind == "robust" { v = ("cluster", [panel]) }
        var setup = try LinearModelSetup.build(call, s, convention: .xtregFE, absorb: [panel], vceKind: v.kind, clusters: v.clusters,
                                               hasConstant: true, level: try LinearModelOptions.level(o, s))
        setup.spec.keepSingletons = true   // xtreg keeps panels of one observation
        try fitAndPost(setup, o, PostInfo(cmd: "xtreg", title: "Fixed-effects (within) regression", cmdline: cmdline(call)), s) { r in
            s.eResults.set("ivar", panel)
            s.eResults.set("model", "fe")
            try PanelStatistics.post(setup, r, xtreg: true, s)
        }
    }

    /// Fits, reports notes, posts e() and displays.
    @discardableResult
    static func fitAndPost(_ setup: LinearModelSetup, _ o: Options, _ info: PostInfo, _ s: Session,
                           extra: ((RegressionResult) throws -> Void)? = nil) throws -> RegressionResult {
        let r = try LinearModel.fit(setup.spec)
        for (j, reason) in r.omitted.enumerated() where reason != nil && j < setup.spec.regressors.count {
            let name = setup.spec.regressors[j].name
            // reghdfe reports a regressor the fixed effects absorb in its own words (its
            // Solution::check_collinear_with_fe); regress, areg and xtreg go through _rmcoll.
            if info.cmd == "reghdfe" && reason == .collinearWithFixedEffects && !setup.absvars.isEmpty {
                s.line("note: \(name) is probably collinear with the fixed effects (all partialled-out values are close to zero; tol = 1.0e-09)")
            } else {
                s.line("note: \(name) omitted because of collinearity.")
            }
        }
        if r.num_singletons > 0 {
            s.line("(dropped \(DataCommands.fmtInt(r.num_singletons)) singleton observation\(r.num_singletons == 1 ? "" : "s"))")
        }
        if info.cmd == "reghdfe" && !setup.absvars.isEmpty {
            let it = max(1, r.iterations)
            s.line("(MWFE estimator converged in \(it) iteration\(it == 1 ? "" : "s"))")
        }
        EstimationPost.post(setup, r, info, s)
        try extra?(r)
        if o.has("nosample") { s.eResults.sample = nil }
        try EstimationTable.show(s.eResults, s, header: !o.has("noheader"), table: !o.has("notable"))
        return r
    }

    static func cmdline(_ call: CommandCall) -> String { "\(call.name) \(call.arguments.trimmingCharacters(in: .whitespaces))" }
}
