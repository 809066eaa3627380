// estimates store/restore/dir/drop/replay/clear/table and eststo: named copies of e() kept in the
// session's `storedEstimates` (with the predict side data of EstimationAux beside them).

import DidFrame
import Foundation

enum EstimatesCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("estimates", minAbbreviation: 3, parsesSyntax: false) { call, s in
            try estimates(call.arguments, s)
        })
        r.register(ClosureCommand("eststo", parsesSyntax: false) { call, s in try eststo(call, s) })
        EstaddCommand.register(in: r)
        // `eststo: cmd` reaches the registry as the word "eststo:" (the colon is not a word break).
        r.register(ClosureCommand("eststo:", parsesSyntax: false) { call, s in
            var c = call
            c.arguments = ": " + call.arguments
            try eststo(c, s)
        })
    }

    /// estimates subcommand [names] [, options]
    static func estimates(_ text: String, _ s: Session) throws {
        var body = text.trimmingCharacters(in: .whitespaces), opts = ""
        if let comma = body.firstIndex(of: ",") { opts = String(body[body.index(after: comma)...]); body = String(body[..<comma]) }
        let words = LinearModelOptions.words(body)
        guard let sub = words.first else { throw StataError(198, "subcommand expected") }
        let args = Array(words.dropFirst())
        func isSub(_ full: String, _ min: Int) -> Bool { sub.count >= min && full.hasPrefix(sub) }
        if isSub("store", 3) {
            guard args.count == 1 else { throw StataError(198, "estimates store requires one name") }
            let parsed = try CommandCall.parseOptions(opts)
            let title = parsed.first { "title".hasPrefix($0.name) && $0.name.count >= 2 }?.argument
            try store(args[0], title: title, s)
        } else if isSub("restore", 1) || sub == "res" {
            guard args.count == 1 else { throw StataError(198, "estimates restore requires one name") }
            try restore(args[0], s)
        } else if isSub("dir", 3) {
            dir(args, s)
        } else if isSub("drop", 4) {
            try drop(args, s)
        } else if isSub("clear", 5) {
            clear(s)
        } else if isSub("replay", 3) {
            try replay(args, s)
        } else if isSub("table", 3) {
            try EstimatesTable.run(args, opts, s)
        } else {
            throw StataError(198, "estimates \(sub): unknown subcommand")
        }
    }

    /// Copies e() to slot `name` (replacing one of the same name).
    static func store(_ name: String, title: String?, _ s: Session) throws {
        guard !s.eResults.isEmpty, s.eResults.macros["cmd"] != nil else { throw StataError(301, "last estimates not found") }
        guard Session.isValidName(name), name.count <= 27 else { throw StataError(198, "\(name) invalid name") }
        var e = s.eResults
        if let t = title { e.macros["_estimates_title"] = t }
        if let k = s.storedEstimates.firstIndex(where: { $0.name == name }) { s.storedEstimates[k].results = e }
        else { s.storedEstimates.append((name, e)) }
        let id = ObjectIdentifier(s)
        EstimationAux.stored[id, default: [:]][name] = EstimationAux.matching(s.eResults, s)
        s.eResults.macros["_estimates_name"] = name
    }

    static func lookup(_ name: String, _ s: Session) throws -> StoredResults {
        guard let hit = s.storedEstimates.first(where: { $0.name == name }) else {
            throw StataError(111, "estimation result \(name) not found")
        }
        return hit.results
    }

    /// Makes slot `name` the current e().
    static func restore(_ name: String, _ s: Session) throws {
        var e = try lookup(name, s)
        e.macros["_estimates_name"] = name
        s.eResults = e
        let id = ObjectIdentifier(s)
        EstimationAux.current[id] = EstimationAux.stored[id]?[name]
    }

    /// Table of stored results: name, command, depvar, parameters, title.
    static func dir(_ names: [String], _ s: Session) {
        let rule = String(repeating: "-", count: 78)
        s.line()
        s.line(rule)
        s.line("        Name | Command      Depvar       npar  Title ")
        s.line("-------------+----------------------------------------------------------------")
        for (name, e) in s.storedEstimates where names.isEmpty || names.contains(name) {
            let npar = e.matrices["b"]?.cols ?? 0
            let title = e.macros["_estimates_title"] ?? e.macros["title"] ?? ""
            s.line(EstimationTable.pad(EstimationTable.abbreviate(name, 12), 12) + " | "
                   + (e.macros["cmd"] ?? "").padding(toLength: 12, withPad: " ", startingAt: 0) + " "
                   + EstimationTable.abbreviate(e.macros["depvar"] ?? "", 12).padding(toLength: 12, withPad: " ", startingAt: 0)
                   + EstimationTable.pad(String(npar), 5) + "  " + title)
        }
        s.line(rule)
    }

    /// Drops named slots (`_all` or `*` for all).
    static func drop(_ names: [String], _ s: Session) throws {
        guard !names.isEmpty else { throw StataError(198, "estimates drop requires names") }
        let id = ObjectIdentifier(s)
        if names.contains("_all") || names.contains("*") { clear(s); return }
        for n in names {
            let matched = s.storedEstimates.filter { Session.wildcardMatch(n, $0.name) }.map(\.name)
            guard !matched.isEmpty else { throw StataError(111, "estimation result \(n) not found") }
            s.storedEstimates.removeAll { matched.contains($0.name) }
            for m in matched { EstimationAux.stored[id]?[m] = nil }
        }
    }

    /// Removes every stored result (e() itself is kept, as in Stata).
    static func clear(_ s: Session) {
        s.storedEstimates = []
        EstimationAux.stored[ObjectIdentifier(s)] = nil
    }

    /// Redisplays the current (no names) or the named results.
    static func replay(_ names: [String], _ s: Session) throws {
        if names.isEmpty {
            guard s.eResults.macros["cmd"] != nil else { throw StataError(301, "last estimates not found") }
            try EstimationTable.show(s.eResults, s)
            return
        }
        for n in names {
            let e = try lookup(n, s)
            s.line()
            s.line(String(repeating: "-", count: 78))
            s.line("Model \(n)")
            s.line(String(repeating: "-", count: 78))
            try EstimationTable.show(e, s)
        }
    }

    // MARK: eststo

    /// eststo [name] [, title()] [: estimation command] | eststo clear | eststo drop names
    static func eststo(_ call: CommandCall, _ s: Session) throws {
        let text = call.arguments
        var head = text, command: String? = nil
        if let colon = topLevelColon(text) {
            head = String(text[..<colon]); command = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        var opts = ""
        if let comma = head.firstIndex(of: ",") { opts = String(head[head.index(after: comma)...]); head = String(head[..<comma]) }
        let words = LinearModelOptions.words(head)
        if command == nil, words.first == "clear" { clear(s); return }
        if command == nil, words.first == "drop" { try drop(Array(words.dropFirst()), s); return }
        guard words.count <= 1 else { throw StataError(198, "eststo takes at most one name") }
        if let c = command { try s.executeExpanded(c, location: call.location) }
        let name: String
        if let w = words.first { name = w } else {
            // est#, # = one more than the est# models stored so far (skipping names in use).
            var k = s.storedEstimates.filter { $0.name.hasPrefix("est") && Int($0.name.dropFirst(3)) != nil }.count + 1
            while s.storedEstimates.contains(where: { $0.name == "est\(k)" }) { k += 1 }
            name = "est\(k)"
        }
        let title = try CommandCall.parseOptions(opts).first { "title".hasPrefix($0.name) && $0.name.count >= 2 }?.argument
        try store(name, title: title, s)
        if command == nil { s.line("(\(name) stored)") }
    }

    /// Position of the `:` that ends eststo's own arguments.
    static func topLevelColon(_ text: String) -> String.Index? { topLevel(":", in: text) }

    /// First `mark` outside double quotes and parentheses (eststo's and estadd's `:`, estadd's `,`).
    static func topLevel(_ mark: Character, in text: String) -> String.Index? {
        var depth = 0, inQ = false
        for i in text.indices {
            let c = text[i]
            if c == "\"" { inQ.toggle() }
            if inQ { continue }
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } else if c == mark && depth == 0 { return i }
        }
        return nil
    }
}
