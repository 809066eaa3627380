// estadd (from Ben Jann's estout package): adds results to the active or stored estimates so that
// esttab can tabulate them — the `estadd local FE "Yes"` rows of every paper table.
//
//   estadd local name text            [, replace] [: namelist]
//   estadd scalar name [=] exp        [, replace] [: namelist]
//   estadd matrix name [=] matname    [, replace] [: namelist]
//   estadd ysumm [mean sd min max sum var] [, prefix(y) replace] [: namelist]
//
// Semantics as estadd documents them: without a namelist the active e() is changed and, when it
// was stored (e(_estimates_name)), the stored copy too; with a namelist every named set (wildcards
// allowed) is changed and nothing is printed. An existing e() entry needs `replace` (r(110)).

import DidFrame
import Foundation

enum EstaddCommand {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("estadd", parsesSyntax: false) { call, s in try run(call.arguments, s) })
    }

    static func run(_ text: String, _ s: Session) throws {
        var body = text, names: [String]? = nil
        if let colon = EstimatesCommands.topLevelColon(text) {
            body = String(text[..<colon])
            names = LinearModelOptions.words(String(text[text.index(after: colon)...]))
            if names?.isEmpty == true { throw StataError(198, "estadd: names expected after the colon") }
        }
        var opts = ""
        if let comma = EstimatesCommands.topLevel(",", in: body) {
            opts = String(body[body.index(after: comma)...]); body = String(body[..<comma])
        }
        let parsed = try CommandCall.parseOptions(opts)
        var replace = false, prefix: String? = nil
        for o in parsed {
            if o.name.count >= 1 && "replace".hasPrefix(o.name) { replace = true }
            else if o.name.count >= 1 && "prefix".hasPrefix(o.name) { prefix = o.argument }
            else if o.name.count >= 1 && "quietly".hasPrefix(o.name) { }
            else { throw StataError(198, "option \(o.name) not allowed") }
        }
        body = body.trimmingCharacters(in: .whitespaces)
        let sub = BlockParser.firstWord(body)
        let rest = String(body.dropFirst(sub.count)).trimmingCharacters(in: .whitespaces)
        let action: (Session, Bool) throws -> Void
        switch sub {
        case "local", "loca", "loc":
            action = { s, show in try addLocal(rest, replace: replace, s, show: show) }
        case "scalar", "scala", "scal", "sca":
            action = { s, show in try addScalar(rest, replace: replace, s, show: show) }
        case "matrix", "matri", "matr", "mat":
            action = { s, show in try addMatrix(rest, replace: replace, s, show: show) }
        case "ysumm":
            action = { s, show in try addYSummary(rest, prefix: prefix ?? "y", replace: replace, s, show: show) }
        case "":
            throw StataError(198, "estadd: subcommand expected")
        default:
            throw StataError(199, "estadd: invalid subcommand \(sub)")
        }
        guard let names else {
            guard s.eResults.macros["cmd"] != nil else { throw StataError(301, "last estimates not found") }
            try action(s, true)
            // The active estimates were stored: keep the stored copy in step.
            if let name = s.eResults.macros["_estimates_name"],
               let k = s.storedEstimates.firstIndex(where: { $0.name == name }) {
                s.storedEstimates[k].results = s.eResults
            }
            return
        }
        // Each named set becomes active while the subcommand runs (its e() is what e(...) reads).
        var targets: [String] = []
        for n in names {
            let matched = (n == "_all" || n == "*") ? s.storedEstimates.map(\.name)
                : s.storedEstimates.filter { Session.wildcardMatch(n, $0.name) }.map(\.name)
            guard !matched.isEmpty else { throw StataError(111, "estimation result \(n) not found") }
            for m in matched where !targets.contains(m) { targets.append(m) }
        }
        let active = s.eResults
        do {
            for name in targets {
                guard let k = s.storedEstimates.firstIndex(where: { $0.name == name }) else { continue }
                s.eResults = s.storedEstimates[k].results
                try action(s, false)
                s.storedEstimates[k].results = s.eResults
            }
        } catch {
            s.eResults = active
            throw error
        }
        s.eResults = active
        // The active set may be one of the targets: it shows the change as well.
        if let name = active.macros["_estimates_name"], targets.contains(name),
           let hit = s.storedEstimates.first(where: { $0.name == name }) {
            s.eResults = hit.results
            s.eResults.macros["_estimates_name"] = name
        }
    }

    // MARK: subcommands

    static func addLocal(_ rest: String, replace: Bool, _ s: Session, show: Bool) throws {
        let name = BlockParser.firstWord(rest)
        try checkName(name, replace: replace, s)
        var value = String(rest.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("=") { value = try s.macroValue(ofExpression: String(value.dropFirst())) }
        else { value = CommandCall.unquote(value) }
        s.eResults.set(name, value)
        if show {
            s.line()
            s.line("added macro:")
            s.line(padLeft("e(\(name)) : ", 25) + "\"\(value)\"")
        }
    }

    static func addScalar(_ rest: String, replace: Bool, _ s: Session, show: Bool) throws {
        var name = BlockParser.firstWord(rest)
        var exp = String(rest.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
        if name.hasSuffix("=") { name.removeLast(); exp = "=" + exp }
        if let eq = name.firstIndex(of: "=") {   // `name=exp` written without spaces
            exp = "=" + name[name.index(after: eq)...] + exp; name = String(name[..<eq])
        }
        guard Session.isValidName(name) else { throw StataError(198, "\(name) invalid name") }
        if exp.hasPrefix("=") { exp = String(exp.dropFirst()).trimmingCharacters(in: .whitespaces) }
        // `estadd scalar name` adds the scalar of that name.
        if exp.isEmpty { exp = "scalar(\(name))" }
        try checkName(name, replace: replace, s)
        let v = try Display.evaluateNumber(exp, session: s)
        s.eResults.set(name, v)
        if show {
            s.line()
            s.line("added scalar:")
            s.line(padLeft("e(\(name)) = ", 25) + " " + (try Display.defaultNumber(v)))
        }
    }

    static func addMatrix(_ rest: String, replace: Bool, _ s: Session, show: Bool) throws {
        let parts = rest.replacingOccurrences(of: "=", with: " ").split(separator: " ").map(String.init)
        guard let name = parts.first, parts.count <= 2, Session.isValidName(name) else { throw StataError(198, "invalid syntax") }
        try checkName(name, replace: replace, s)
        let m = try s.matrix(named: parts.count == 2 ? parts[1] : name)
        s.eResults.set(name, m)
        if show {
            s.line()
            s.line("added matrix:")
            s.line(padLeft("e(\(name)) : ", 25) + " \(m.rows) x \(m.cols)")
        }
    }

    /// ysumm: summary statistics of e(depvar) over e(sample), with the estimation's weights
    /// (pweights summarised as aweights), stored as e(<prefix>mean) and so on.
    static func addYSummary(_ rest: String, prefix: String, replace: Bool, _ s: Session, show: Bool) throws {
        let known = ["mean", "sum", "min", "max", "sd", "var"]
        var wanted: [String] = []
        for w in LinearModelOptions.words(rest) {
            guard let full = known.first(where: { $0 == w || ($0 == "mean" && w == "me") || ($0 == "var" && w == "v") }) else {
                throw StataError(198, "estadd ysumm: \(w) not allowed")
            }
            wanted.append(full)
        }
        // estadd lists the statistics in this order (its `Stats` list, filtered).
        let order = ["var", "sd", "max", "min", "sum", "mean"]
        let stats = order.filter { wanted.isEmpty ? ["sd", "max", "min", "mean"].contains($0) : wanted.contains($0) }
        guard s.eResults.sample != nil else { throw StataError(498, "e(sample) information not available") }
        guard let y = s.eResults.macros["depvar"]?.split(separator: " ").first.map(String.init) else {
            throw StataError(498, "e(depvar) not found")
        }
        for st in stats { try checkName(prefix + st, replace: replace, s) }
        var weight = ""
        if let wt = s.eResults.macros["wtype"], let wexp = s.eResults.macros["wexp"] {
            weight = "[\(wt == "pweight" ? "aweight" : wt) \(wexp)]"
        }
        let savedR = s.rResults
        defer { s.rResults = savedR }
        try s.executeExpanded("quietly summarize \(y) \(weight) if e(sample)", location: nil)
        let r = s.rResults.scalars
        var values: [String: Double] = [:]
        for st in stats {
            switch st {
            case "sd": values[st] = r["sd"]
            case "var": values[st] = r["Var"]
            default: values[st] = r[st]
            }
        }
        if show { s.line(); s.line("added scalars:") }
        for st in stats {
            let v = values[st] ?? Missing.dot
            s.eResults.set(prefix + st, v)
            if show { s.line(padLeft("e(\(prefix + st)) = ", 25) + " " + (try Display.defaultNumber(v))) }
        }
    }

    // MARK: helpers

    static func checkName(_ name: String, replace: Bool, _ s: Session) throws {
        guard Session.isValidName(name) else { throw StataError(198, "\(name) invalid name") }
        let e = s.eResults
        if !replace && (e.scalars[name] != nil || e.macros[name] != nil || e.matrices[name] != nil) {
            throw StataError(110, "e(\(name)) already defined")
        }
    }

    static func padLeft(_ t: String, _ w: Int) -> String {
        t.count >= w ? t : String(repeating: " ", count: w - t.count) + t
    }
}
