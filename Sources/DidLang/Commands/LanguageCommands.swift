// Commands of the language itself: macros, scalars, display, flow control, settings.

import DidFrame
import Foundation

enum LanguageCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("display", minAbbreviation: 2, by: .repeatPerGroup, parsesSyntax: false) { call, s in
            let text = try Display.render(call.arguments, session: s)
            let cont = call.arguments.hasSuffix("_continue") || call.arguments.hasSuffix("_c")
            s.emit(cont ? text : text + "\n", .result)
        })
        r.register(ClosureCommand("local", minAbbreviation: 3, parsesSyntax: false) { call, s in
            try defineMacro(call.arguments, s) { s.setLocal($0, $1) }
        })
        r.register(ClosureCommand("global", minAbbreviation: 2, parsesSyntax: false) { call, s in
            try defineMacro(call.arguments, s) { s.globals[$0] = $1 }
        })
        r.register(ClosureCommand("macro", minAbbreviation: 3, parsesSyntax: false) { call, s in
            let w = Tokenizer.words(call.arguments)
            guard let sub = w.first else { throw StataError(198, "invalid syntax") }
            if sub == "drop" {
                for n in w.dropFirst() {
                    if n == "_all" { s.globals = [:] } else if n.hasPrefix("_") { s.removeLocal(String(n.dropFirst())) } else { s.globals[n] = nil }
                }
            } else if sub == "list" || sub == "dir" {
                for k in s.globals.keys.sorted() { s.line(String(k.padding(toLength: 12, withPad: " ", startingAt: 0)) + ": " + s.globals[k]!) }
            } else { throw StataError(198, "invalid syntax") }
        })
        r.register(ClosureCommand("scalar", minAbbreviation: 2, parsesSyntax: false) { call, s in
            var t = call.arguments
            let first = BlockParser.firstWord(t)
            if first == "define" || first == "def" || first == "de" { t = String(t.dropFirst(first.count)) }
            if first == "drop" {
                for n in Tokenizer.words(String(t.dropFirst(4))) { if n == "_all" { s.scalars = [:] } else { s.scalars[n] = nil } }
                return
            }
            if first == "list" || first == "dir" {
                for k in s.scalars.keys.sorted() { s.line("\(k.padding(toLength: 12, withPad: " ", startingAt: 0)) = \(s.scalars[k]!)") }
                return
            }
            guard let eq = t.firstIndex(of: "=") else { throw StataError(198, "invalid syntax") }
            let name = t[..<eq].trimmingCharacters(in: .whitespaces)
            guard Session.isValidName(name) else { throw StataError(198, "\(name) invalid name") }
            s.scalars[name] = try Evaluator.evaluateScalar(try ExprParser.parse(String(t[t.index(after: eq)...])), in: s)
        })
        r.register(ClosureCommand("set", parsesSyntax: false) { call, s in try setCommand(call.arguments, s) })
        r.register(ClosureCommand("continue", parsesSyntax: false) { call, _ in
            if call.arguments.replacingOccurrences(of: " ", with: "").hasPrefix(",break") || call.arguments.contains("break") {
                throw ControlFlow.breakLoop
            }
            throw ControlFlow.continueLoop
        })
        r.register(ClosureCommand("exit", parsesSyntax: false) { call, s in
            let t = call.arguments.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let code = t.isEmpty ? 0 : Int(try Display.evaluateNumber(t, session: s))
            throw ControlFlow.exit(code: code)
        })
        r.register(ClosureCommand("error", parsesSyntax: false) { call, s in
            let code = Int(try Display.evaluateNumber(call.arguments, session: s))
            if code == 0 { return }
            throw StataError(code, Self.standardMessage(code))
        })
        r.register(ClosureCommand("assert", minAbbreviation: 2, by: .repeatPerGroup, options: [OptionSpec("rc0"), OptionSpec("null"), OptionSpec("fast")]) { call, s in
            let cond = call.head
            let rows = try s.sampleRows(call, requireIf: false)
            let e = try ExprParser.parse(cond)
            let vals = try Evaluator.evaluate(e, in: s, rows: s.rowSet(rows))
            guard case .numbers(let v) = vals else { throw StataError.typeMismatch() }
            let failures = v.filter { $0 == 0 }.count
            if failures > 0 {
                s.line("\(failures) contradiction\(failures == 1 ? "" : "s") in \(rows.count) observation\(rows.count == 1 ? "" : "s")")
                throw StataError(9, "assertion is false")
            }
        })
        r.register(ClosureCommand("if", parsesSyntax: false) { call, s in
            // Single-line form: `if exp command`.
            let (cond, rest) = try splitIfCommand(call.arguments, s)
            if try s.truth(cond) { try s.executeExpanded(rest, location: call.location) }
        })
        r.register(ClosureCommand("else", parsesSyntax: false) { _, _ in throw StataError(198, "else without if") })
        r.register(ClosureCommand("tempvar", parsesSyntax: false) { call, s in
            for n in Tokenizer.words(call.arguments) { let t = s.tempName(); s.noteTempVariable(t); s.setLocal(n, t) }
        })
        r.register(ClosureCommand("tempname", parsesSyntax: false) { call, s in
            for n in Tokenizer.words(call.arguments) { s.setLocal(n, s.tempName()) }
        })
        r.register(ClosureCommand("tempfile", parsesSyntax: false) { call, s in
            for n in Tokenizer.words(call.arguments) {
                // A random part keeps names unique across sessions in one process.
                let tag = UUID().uuidString.prefix(8)
                s.setLocal(n, NSTemporaryDirectory() + "did_\(getpid())_\(tag)_\(s.tempName()).dta")
            }
        })
        r.register(ClosureCommand("program", minAbbreviation: 3, parsesSyntax: false) { call, s in
            let w = Tokenizer.words(call.arguments)
            guard let sub = w.first else { throw StataError(198, "invalid syntax") }
            switch sub {
            case "drop":
                for n in w.dropFirst() {
                    if n == "_all" || n == "_allado" { for p in s.programs.keys { try s.dropProgram(p) } } else { try s.dropProgram(n) }
                }
            case "dir", "list":
                for p in s.programs.keys.sorted() { s.line("  " + p) }
            default: throw StataError(198, "invalid syntax")
            }
        })
        r.register(ClosureCommand("args", parsesSyntax: false) { call, s in
            let names = Tokenizer.words(call.arguments)
            for (k, n) in names.enumerated() { s.setLocal(n, s.local(String(k + 1)) ?? "") }
        })
        r.register(ClosureCommand("return", minAbbreviation: 3, parsesSyntax: false) { call, s in try returnCommand(call.arguments, s, eclass: false) })
        r.register(ClosureCommand("ereturn", minAbbreviation: 4, parsesSyntax: false) { call, s in try returnCommand(call.arguments, s, eclass: true) })
        r.register(ClosureCommand("sreturn", parsesSyntax: false) { call, s in
            let w = call.arguments.split(separator: " ", maxSplits: 2).map(String.init)
            if w.first == "clear" { s.sResults = StoredResults(); return }
            guard w.count == 3, w[0] == "local" else { throw StataError(198, "invalid syntax") }
            s.sResults.set(w[1], CommandCall.unquote(w[2]))
        })
        for noop in ["more", "pause", "discard", "graph_set", "cls"] {
            r.register(ClosureCommand(noop, parsesSyntax: false) { _, _ in })
        }
        r.register(ClosureCommand("pwd", parsesSyntax: false) { _, s in s.line(s.workingDirectory) })
        r.register(ClosureCommand("cd", parsesSyntax: false) { call, s in
            let p = s.resolvePath(call.arguments)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue else {
                throw StataError(170, "unable to change to \(call.arguments)")
            }
            s.workingDirectory = (p as NSString).standardizingPath
            s.line(s.workingDirectory)
        })
    }

    /// `local name [=exp | :fn | "text" | text]`, `local ++name`.
    static func defineMacro(_ text: String, _ s: Session, _ set: (String, String) -> Void) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("++") || t.hasPrefix("--") {
            let name = String(t.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            let v = (Double(s.local(name) ?? "") ?? 0) + (t.hasPrefix("++") ? 1 : -1)
            set(name, Session.macroText(v)); return
        }
        let name = String(t.prefix { !$0.isWhitespace && $0 != "=" && $0 != ":" && $0 != "\"" && $0 != "`" })
        guard !name.isEmpty, name.utf8.count <= 31 else { throw StataError(198, "invalid macro name") }
        var rest = String(t.dropFirst(name.count))
        let trimmed = rest.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("=") {
            set(name, try s.macroValue(ofExpression: String(trimmed.dropFirst())))
        } else if trimmed.hasPrefix(":") {
            set(name, try ExtendedMacros.evaluate(String(trimmed.dropFirst()), session: s))
        } else {
            if rest.hasPrefix(" ") { rest.removeFirst() }
            rest = rest.trimmingCharacters(in: .whitespaces)
            // A single pair of enclosing quotes is stripped.
            if (rest.hasPrefix("\"") && rest.hasSuffix("\"") && rest.count >= 2 && !rest.dropFirst().dropLast().contains("\"")) ||
               (rest.hasPrefix("`\"") && rest.hasSuffix("\"'")) {
                rest = CommandCall.unquote(rest)
            }
            set(name, rest)
        }
    }

    /// Splits `exp command` of the one-line `if`.
    static func splitIfCommand(_ text: String, _ s: Session) throws -> (String, String) {
        // Try successively longer prefixes as the expression until the rest starts a command.
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        for k in 1..<max(words.count, 1) {
            let cond = words[..<k].joined(separator: " ")
            let rest = words[k...].joined(separator: " ")
            if (try? ExprParser.parse(cond)) != nil, s.registry.lookup(BlockParser.firstWord(rest)) != nil {
                return (cond, rest)
            }
        }
        throw StataError(198, "invalid syntax")
    }

    static func setCommand(_ text: String, _ s: Session) throws {
        let w = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let key = w.first else { throw StataError(198, "invalid syntax") }
        let value = w.dropFirst().joined(separator: " ")
        switch key {
        case "obs":
            let nv = try Display.evaluateNumber(value, session: s)
            guard nv >= 0, nv < 2e9 else { throw StataError(198, "invalid obs") }
            let n = Int(nv)
            if n < s.frame.count { throw StataError(198, "obs must be greater than or equal to \(s.frame.count)") }
            let before = s.frame.count
            s.frame.setCount(n)
            // Stata 17+ wording (earlier releases: lower case, no period).
            s.line("Number of observations (_N) was \(DataCommands.fmtInt(before)), now \(DataCommands.fmtInt(n)).")
        case "seed":
            guard let v = Double(value), v >= 0, v < 2_147_483_648 else { throw StataError(198, "seed must be an integer between 0 and 2^31-1") }
            s.random.seed(UInt64(v))
            s.settings["seed"] = value
        case "type":
            guard ["float", "double"].contains(value) else { throw StataError(198, "type must be float or double") }
            s.settings["type"] = value
        case "level":
            guard let v = Double(value), v >= 10, v <= 99.99 else { throw StataError(198, "level() must be between 10 and 99.99") }
            s.settings["level"] = value
        default:
            s.settings[key] = value   // more, scheme, linesize, matsize, varabbrev, …: accepted
        }
    }

    /// return/ereturn: list, clear, scalar, local, matrix, post, add.
    static func returnCommand(_ text: String, _ s: Session, eclass: Bool) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        let sub = BlockParser.firstWord(t)
        let rest = String(t.dropFirst(sub.count)).trimmingCharacters(in: .whitespaces)
        func modify(_ body: (inout StoredResults) -> Void) { if eclass { body(&s.eResults) } else { s.modifyReturn(body) } }
        switch sub {
        case "list", "li", "lis":
            ResultLister.list(eclass ? s.eResults : s.rResults, prefix: eclass ? "e" : "r", session: s)
        case "clear":
            modify { $0 = StoredResults() }
        case "scalar", "sca":
            guard let eq = rest.firstIndex(of: "=") else { throw StataError(198, "invalid syntax") }
            let name = rest[..<eq].trimmingCharacters(in: .whitespaces)
            let v = try Display.evaluateNumber(String(rest[rest.index(after: eq)...]), session: s)
            modify { $0.set(name, v) }
        case "local", "loc":
            var name = BlockParser.firstWord(rest)
            if name.hasSuffix("=") { name.removeLast() }
            var value = String(rest.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("=") { value = try s.macroValue(ofExpression: String(value.dropFirst())) }
            else { value = CommandCall.unquote(value) }
            modify { $0.set(name, value) }
        case "matrix", "mat":
            let parts = rest.replacingOccurrences(of: "=", with: " ").split(separator: " ").map(String.init)
            guard parts.count >= 2 else { throw StataError(198, "invalid syntax") }
            let m = try s.matrix(named: parts[1])
            modify { $0.set(parts[0], m) }
            if !rest.contains("copy") { s.matrices[parts[1]] = nil }
        case "post":
            let parts = rest.split(separator: ",").first.map { $0.split(separator: " ").map(String.init) } ?? []
            var r = StoredResults()
            if let bn = parts.first { r.set("b", try s.matrix(named: bn)); s.matrices[bn] = nil }
            if parts.count > 1 { r.set("V", try s.matrix(named: parts[1])); s.matrices[parts[1]] = nil }
            s.eResults = r
        default:
            throw StataError(198, "invalid syntax")
        }
    }

    static func standardMessage(_ code: Int) -> String {
        switch code {
        case 1: return "--Break--"
        case 9: return "assertion is false"
        case 100: return "varlist required"
        case 109: return "type mismatch"
        case 110: return "already defined"
        case 111: return "not found"
        case 198: return "invalid syntax"
        case 459: return "something that should be true of your data is not"
        case 601: return "file not found"
        case 602: return "file already exists"
        case 2000: return "no observations"
        default: return ""
        }
    }
}

/// `return list` / `ereturn list` display.
enum ResultLister {
    static func list(_ r: StoredResults, prefix: String, session s: Session) {
        if !r.scalars.isEmpty {
            s.line(); s.line("scalars:")
            for k in r.order where r.scalars[k] != nil {
                let v = r.scalars[k]!
                let text = (try? Fmt.format(v, "%10.0g"))?.trimmingCharacters(in: .whitespaces) ?? "\(v)"
                s.line(String(repeating: " ", count: max(0, 17 - k.count - 3)) + "\(prefix)(\(k)) =  " + text)
            }
        }
        if !r.macros.isEmpty {
            s.line(); s.line("macros:")
            for k in r.order where r.macros[k] != nil {
                s.line(String(repeating: " ", count: max(0, 17 - k.count - 3)) + "\(prefix)(\(k)) : \"\(r.macros[k]!)\"")
            }
        }
        if !r.matrices.isEmpty {
            s.line(); s.line("matrices:")
            for k in r.order where r.matrices[k] != nil {
                let m = r.matrices[k]!
                s.line(String(repeating: " ", count: max(0, 17 - k.count - 3)) + "\(prefix)(\(k)) :  \(m.rows) x \(m.cols)")
            }
        }
        if r.sample != nil { s.line(); s.line("functions:"); s.line("             \(prefix)(sample)") }
    }
}
