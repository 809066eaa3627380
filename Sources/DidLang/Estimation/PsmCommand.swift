// psmatch2 / psmatch: estimate the score (probit by default, `logit` on request, or take
// `pscore()`), match (DidStats.PropensityMatching), replace psmatch2's variables the way psmatch2
// does (it drops its old ones first), print its effect and support tables (PsmTable) and set r().
// The score model's e() stays current, as after psmatch2.

import DidFrame
import DidStats
import Foundation

enum PsmCommand {
    static func register(in r: CommandRegistry) {
        for name in ["psmatch2", "psmatch"] {
            r.register(ClosureCommand(name, options: options) { call, s in try run(call, s) })
        }
    }

    // `kernel` before `kerneltype` so that `ker`/`kernel` mean the method and only
    // `kerneltype(...)` the shape (psmatch2's KERnel / KERneltype()).
    static let options: [OptionSpec] = [
        OptionSpec("outcome", min: 3, .required), OptionSpec("pscore", min: 2, .required), OptionSpec("logit"),
        OptionSpec("probit"), OptionSpec("index"), OptionSpec("odds"), OptionSpec("neighbor", min: 1, .required),
        OptionSpec("caliper", min: 3, .required), OptionSpec("radius", min: 3), OptionSpec("kernel", min: 3),
        OptionSpec("kerneltype", min: 3, .required), OptionSpec("bwidth", min: 2, .required), OptionSpec("common", min: 3),
        OptionSpec("trim", .required), OptionSpec("noreplacement", min: 7), OptionSpec("ties"),
        OptionSpec("descending", min: 4), OptionSpec("ate"), OptionSpec("quietly", min: 3),
        OptionSpec("mahalanobis", min: 1, .required), OptionSpec("ai", .required), OptionSpec("llr"),
        OptionSpec("spline"), OptionSpec("nowarnings", min: 6), OptionSpec("altvariance", min: 3),
    ]

    /// Session-private memory of the last psmatch2 call: pstest's default covariates.
    nonisolated(unsafe) static var lastCovariates: [ObjectIdentifier: [String]] = [:]

    /// psmatch2 treat [indepvars] [if] [in], outcome(varlist) [pscore() logit neighbor() caliper() radius kernel …]
    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: options)
        for unsupported in ["mahalanobis", "ai", "llr", "spline"] where o.has(unsupported) {
            throw StataError(198, "option \(unsupported) is not implemented")
        }
        if call.weight != nil { throw StataError(101, "weights not allowed") }
        if o.has("logit") && o.has("probit") { throw StataError(198, "logit and probit may not be combined") }
        let words = LinearModelOptions.words(call.head)
        guard let treatWord = words.first else { throw StataError(100, "varlist required") }
        let treat = try FactorVarlist.variable(treatWord, s)
        let indep = words.dropFirst().joined(separator: " ")
        let outcomes = try o.string("outcome").map { try s.varlist($0) } ?? []
        let method = try method(o)
        let pscoreVar = try o.string("pscore").map { try FactorVarlist.variable($0.trimmingCharacters(in: .whitespaces), s) }
        if pscoreVar == nil && indep.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StataError(198, "You need to specify a variable list or the pscore() option")
        }

        // The score: psmatch2 runs `probit treat indepvars if touse` (touse includes the outcomes).
        var score: [Double]
        var touse = try s.markSample(call, variables: [treat] + outcomes + (pscoreVar.map { [$0] } ?? []))
        if let p = pscoreVar {
            score = s.frame.column(p)!.nums
        } else {
            let link: BinaryLink = o.has("logit") ? .logit : .probit
            var cond = outcomes.map { "!missing(\($0))" }.joined(separator: " & ")
            if let i = call.ifExp { cond = cond.isEmpty ? "(\(i))" : "(\(i)) & \(cond)" }
            var args = "\(treat) \(indep)"
            if !cond.isEmpty { args += " if \(cond)" }
            if let r = call.inRange { args += " in \(r)" }
            let inner = try CommandCall.parse(name: link.rawValue, arguments: args, location: call.location)
            let io = try Options([], specs: BinaryCommands.options)
            if o.has("quietly") { s.quietDepth += 1 }
            defer { if o.has("quietly") { s.quietDepth -= 1 } }
            let fitted = try BinaryCommands.fit(inner, io, s, link: link)
            BinaryTable.iterationLog(fitted.fit, s)
            BinaryCommands.post(fitted, io, inner, s)
            try BinaryTable.show(s.eResults, s)
            score = try BinaryPredict.values(s.eResults, s, stat: o.has("index") ? "xb" : "pr", rules: .missing,
                                             rows: Array(0..<s.frame.count))
            if o.has("odds") { score = score.map { Missing.isMissing($0) ? $0 : $0 / (1 - $0) } }
            touse = zip(touse, fitted.fit.sample).map { $0 && $1 }
        }

        var spec = MatchSpec(treated: s.frame.column(treat)!.nums, pscore: score,
                             outcomes: outcomes.map { ($0, s.frame.column($0)!.nums) }, touse: touse, method: method)
        if case .neighbor = method { spec.caliper = try o.number("caliper") }
        spec.common = o.has("common")
        spec.trim = try o.number("trim") ?? 100
        spec.noReplacement = o.has("noreplacement")
        spec.ties = o.has("ties")
        spec.descending = o.has("descending")
        spec.ate = o.has("ate")
        spec.scoreSupplied = pscoreVar != nil
        let result = try PropensityMatching.match(spec)

        try replaceVariables(result, outcomes: outcomes, s)
        if !o.has("nowarnings") && hasTies(result) {
            s.line("There are observations with identical propensity score values.")
            s.line("The sort order of the data could affect your results.")
            s.line("Make sure that the sort order is random before calling psmatch2.")
        }
        PsmTable.effects(result, method: method, s)
        var r = StoredResults()
        for (name, value) in result.returnScalars { r.set(name, value) }
        s.rResults = r
        // pstest's default varlist: plain variable names only (factor terms have no single column).
        lastCovariates[ObjectIdentifier(s)] = (try? s.varlist(indep)) ?? []
    }

    /// psmatch2's warning condition: two units in the sample share a score value.
    static func hasTies(_ r: MatchResult) -> Bool {
        var seen = Set<Double>()
        for i in r.pscore.indices where !Missing.isMissing(r.treated[i]) {
            if !seen.insert(r.pscore[i]).inserted { return true }
        }
        return false
    }

    /// The matching method from neighbor()/radius/kernel/caliper() (psmatch2's defaults: 1-NN).
    static func method(_ o: Options) throws -> MatchMethod {
        let caliper = try o.number("caliper")
        if o.has("radius") {
            guard let c = caliper else { throw StataError(198, "You need to specify the caliper with radius matching") }
            return .radius(caliper: c)
        }
        if o.has("kernel") {
            var type = MatchKernel.epan
            if let t = o.string("kerneltype")?.trimmingCharacters(in: .whitespaces).lowercased() {
                guard let k = MatchKernel(rawValue: t) else { throw StataError(198, "kerneltype(\(t)) not allowed") }
                type = k
            }
            return .kernel(type: type, bandwidth: try o.number("bwidth") ?? 0.06)
        }
        let k = try o.number("neighbor") ?? 1
        guard k >= 1, k == k.rounded() else { throw StataError(198, "neighbor() must be a positive integer") }
        return .neighbor(k: Int(k))
    }

    /// Drops psmatch2's variables from an earlier run (as psmatch2 does first), then adds the new
    /// ones in its order, with its storage types, labels and value labels. `pscore(_pscore)` works
    /// because the score was copied into the spec before the old variable goes.
    static func replaceVariables(_ result: MatchResult, outcomes: [String], _ s: Session) throws {
        func isOld(_ name: String) -> Bool {
            if ["_pscore", "_treated", "_support", "_weight", "_id", "_nn", "_pdif"].contains(name) { return true }
            if outcomes.contains(where: { "_" + $0 == name }) { return true }
            return name.hasPrefix("_n") && name.count > 2 && name.dropFirst(2).allSatisfy(\.isNumber)
        }
        for i in s.frame.columns.indices.reversed() where isOld(s.frame.columns[i].name) { s.frame.remove(at: i) }
        for v in result.variables {
            var c = Column(name: v.name, type: v.type, values: v.values.map { GenerateCommands.store($0, v.type) })
            c.label = v.label
            if let vl = v.valueLabel, let mapping = MatchResult.valueLabels[vl] {
                s.frame.valueLabels[vl] = ValueLabelSet(name: vl, mapping: Dictionary(uniqueKeysWithValues: mapping.map { (Int($0.key), $0.value) }))
                c.valueLabel = vl
            }
            s.frame.add(c)
        }
    }
}
