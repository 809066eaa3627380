// Runs statement trees: loops, if-chains, prefixed blocks, program definitions, and command
// lines (macro expansion → prefixes → command lookup → syntax split → run). Errors get the
// statement's location here, once; nothing else adds locations.

import DidFrame
import Foundation

/// Non-error control transfers: `continue`, `continue, break`, `exit`.
enum ControlFlow: Error {
    case continueLoop
    case breakLoop
    case exit(code: Int)
}

/// The by-prefix in force for the command being run.
public struct ByPrefix: Sendable {
    /// Variables defining groups.
    public var variables: [String]
    /// Group boundaries over the (sorted) observations.
    public var groups: [Range<Int>]
}

extension Session {
    /// Runs source text; errors come back with their location filled in.
    public func run(source: String, file: String = "<stdin>") throws {
        let nodes = try BlockParser.parse(source: source, file: file)
        do { try execute(nodes) } catch ControlFlow.exit(let code) {
            if code != 0 { throw StataError(code, "") }
        } catch ControlFlow.continueLoop, ControlFlow.breakLoop {
            throw StataError(198, "continue outside of a loop")
        }
    }

    /// Executes nodes in order.
    func execute(_ nodes: [Stmt]) throws {
        for node in nodes {
            try checkInterrupt()
            try execute(node)
        }
    }

    private func locate(_ e: StataError, _ s: RawStatement) -> StataError {
        var e = e
        if e.location == nil {
            var loc = s.location
            if let name = Self.offendingName(e), let r = s.lineText.range(of: name) {
                loc.column = s.lineText.distance(from: s.lineText.startIndex, to: r.lowerBound) + 1
            }
            e.location = loc
        }
        return e
    }

    /// The name an error message is about, to point the caret at it.
    static func offendingName(_ e: StataError) -> String? {
        let m = e.message
        for (pre, suf) in [("variable ", " not found"), ("variable ", " already defined"), ("command ", " is unrecognized"),
                           ("option ", " not allowed"), ("", " ambiguous abbreviation")] {
            if m.hasPrefix(pre) && m.hasSuffix(suf) {
                let n = m.dropFirst(pre.count).dropLast(suf.count)
                if !n.isEmpty && !n.contains(" ") { return String(n) }
            }
        }
        return nil
    }

    func execute(_ node: Stmt) throws {
        switch node {
        case .command(let s):
            do { try executeLine(s) } catch let e as StataError { throw locate(e, s) }
        case .foreach(let header, let body, let s):
            do { try runForeach(header: header, body: body) } catch let e as StataError { throw locate(e, s) }
        case .forvalues(let header, let body, let s):
            do { try runForvalues(header: header, body: body) } catch let e as StataError { throw locate(e, s) }
        case .whileLoop(let cond, let body, let s):
            do {
                var guardCount = 0
                while try truth(expand(cond)) {
                    guardCount += 1
                    try checkInterrupt()
                    do { try execute(body) } catch ControlFlow.continueLoop { continue } catch ControlFlow.breakLoop { break }
                    _ = guardCount
                }
            } catch let e as StataError { throw locate(e, s) }
        case .ifChain(let branches, let s):
            for b in branches {
                let take: Bool
                if let c = b.condition {
                    do { take = try truth(expand(c)) } catch let e as StataError { throw locate(e, s) }
                } else { take = true }
                if take { try execute(b.body); break }
            }
        case .prefixedBlock(let prefix, let body, let s):
            try runPrefixedBlock(prefix: prefix, body: body, at: s)
        case .program(let name, let options, let body, let s):
            do { try defineProgram(name: name, options: options, body: body) } catch let e as StataError { throw locate(e, s) }
        }
    }

    /// Evaluates an `if`/`while` condition: true when nonzero (missing counts as true).
    func truth(_ text: String) throws -> Bool {
        let v = try Evaluator.evaluateScalar(try ExprParser.parse(text), in: self)
        switch v {
        case .number(let x): return x != 0
        case .string: throw StataError.typeMismatch()
        }
    }

    private func runPrefixedBlock(prefix: String, body: [Stmt], at s: RawStatement) throws {
        let words = prefix.split(separator: " ").map(String.init)
        let capture = words.contains { "capture".hasPrefix($0) && $0.count >= 3 }
        let quiet = words.contains { "quietly".hasPrefix($0) && $0.count >= 2 } || (capture && !words.contains { "noisily".hasPrefix($0) })
        let noisy = words.contains { "noisily".hasPrefix($0) && $0.count >= 1 }
        let savedQuiet = quietDepth
        if quiet { quietDepth += 1 } else if noisy { quietDepth = 0 }
        defer { quietDepth = savedQuiet }
        if capture {
            do { try execute(body); rc = 0 } catch let e as StataError { rc = e.code }
        } else {
            try execute(body)
        }
    }

    // MARK: Command lines

    /// Expands and runs one command line.
    func executeLine(_ s: RawStatement) throws {
        let text = try expand(s.text)
        try executeExpanded(text, location: s.location)
    }

    /// Runs an already-expanded command line with its prefixes.
    public func executeExpanded(_ textIn: String, location: SourceLocation?) throws {
        let text = textIn.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return }
        let word = BlockParser.firstWord(text)
        // Prefixes.
        if ["capture", "cap", "capt", "captu", "captur"].contains(word) {
            let rest = String(text.dropFirst(word.count)).trimmingCharacters(in: .whitespaces)
            let noisy = ["noisily", "noi", "n", "no", "nois", "noisi", "noisil"].contains(BlockParser.firstWord(rest))
            let saved = quietDepth
            if !noisy { quietDepth += 1 }
            defer { quietDepth = saved }
            do { try executeExpanded(rest, location: location); rc = 0 } catch let e as StataError {
                rc = e.code
                if noisy { reportError(e) }
            }
            return
        }
        if ["quietly", "qui", "qu", "quie", "quiet", "quietl"].contains(word) {
            quietDepth += 1
            defer { quietDepth -= 1 }
            try executeExpanded(String(text.dropFirst(word.count)), location: location)
            return
        }
        if ["noisily", "noi", "n", "no", "nois", "noisi", "noisil"].contains(word) {
            let saved = quietDepth
            quietDepth = 0
            defer { quietDepth = saved }
            try executeExpanded(String(text.dropFirst(word.count)), location: location)
            return
        }
        if word == "version" || word == "vers" || word == "xi" || word == "xi:" {
            if let colon = CommandCall.topLevelIndex(of: 58, in: Array(text.utf8)) {
                let rest = String(decoding: Array(text.utf8)[(colon + 1)...], as: UTF8.self)
                try executeExpanded(rest, location: location)
            }
            return   // `version 14` alone is accepted and ignored
        }
        if ["by", "bysort", "bys"].contains(word) || word.hasPrefix("by") && word.hasSuffix(":") {
            try runByPrefix(text, location: location)
            return
        }
        if text.hasPrefix("}") { throw StataError(198, "unexpected }") }
        try dispatch(text, by: nil, location: location)
    }

    /// Finds the command and runs it.
    func dispatch(_ text: String, by: ByPrefix?, location: SourceLocation?) throws {
        var text = text
        var word = BlockParser.firstWord(text)
        // `di"x"` and `gen x=1`: the command word ends at a quote or `=` too.
        if let q = word.firstIndex(where: { $0 == "\"" || $0 == "=" || $0 == "(" }) { word = String(word[..<q]) }
        guard !word.isEmpty else { throw StataError(198, "invalid syntax") }
        guard let cmd = registry.lookup(word) else {
            throw StataError(199, "command \(word) is unrecognized")
        }
        text = String(text.dropFirst(word.count))
        let call: CommandCall
        if cmd.parsesSyntax {
            call = try CommandCall.parse(name: cmd.name, arguments: text, location: location, equalsAllowed: cmd.splitsEquals)
            if let specs = cmd.options { _ = try Options(call.options, specs: specs) }
        } else {
            call = CommandCall(name: cmd.name, arguments: text.trimmingCharacters(in: .whitespaces), head: text.trimmingCharacters(in: .whitespaces),
                               equalsExp: nil, ifExp: nil, inRange: nil, weight: nil, using: nil, options: [], optionsText: "",
                               location: location)
        }
        guard let by = by else {
            currentBy = nil
            try cmd.run(call, self)
            return
        }
        switch cmd.byBehaviour {
        case .notAllowed:
            throw StataError(190, "\(cmd.name) may not be combined with by")
        case .native:
            currentBy = by
            defer { currentBy = nil }
            try cmd.run(call, self)
        case .repeatPerGroup:
            for g in by.groups {
                let header = by.variables.map { v -> String in
                    guard let c = frame.column(v) else { return "" }
                    return "\(v) = " + ValueText.display(c, row: g.lowerBound, frame: frame)
                }.joined(separator: ", ")
                line(String(repeating: "-", count: 78))
                line("-> \(header)")
                byRestriction = g
                defer { byRestriction = nil }
                try cmd.run(call, self)
            }
        }
    }

    /// `by vars [(sortvars)] [, sort]: cmd` and `bysort vars (sortvars): cmd`.
    private func runByPrefix(_ text: String, location: SourceLocation?) throws {
        let bytes = Array(text.utf8)
        guard let colon = CommandCall.topLevelIndex(of: 58, in: bytes) else {
            throw StataError(198, "by: colon missing")
        }
        var spec = String(decoding: bytes[..<colon], as: UTF8.self)
        let rest = String(decoding: bytes[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        let word = BlockParser.firstWord(spec)
        spec = String(spec.dropFirst(word.count)).trimmingCharacters(in: .whitespaces)
        var doSort = word != "by"
        if let comma = spec.firstIndex(of: ",") {
            let opts = spec[spec.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            if opts.hasPrefix("s") { doSort = true }
            spec = spec[..<comma].trimmingCharacters(in: .whitespaces)
        }
        var sortVarsText = ""
        if let open = spec.firstIndex(of: "("), let close = spec.lastIndex(of: ")"), open < close {
            sortVarsText = String(spec[spec.index(after: open)..<close])
            spec = String(spec[..<open]) + String(spec[spec.index(after: close)...])
        }
        let byVars = try varlist(spec)
        let sortVars = try varlist(sortVarsText, allowEmpty: true)
        guard !byVars.isEmpty else { throw StataError(198, "by: varlist required") }
        if doSort {
            try sortData(by: byVars + sortVars)
        } else if !isSorted(by: byVars + sortVars) {
            throw StataError(5, "not sorted")
        }
        let groups = try groupBounds(by: byVars)
        try dispatch(rest, by: ByPrefix(variables: byVars, groups: groups), location: location)
    }

    /// Consecutive runs of equal key values.
    func groupBounds(by vars: [String]) throws -> [Range<Int>] {
        try frame.runBounds(by: vars.map { try frame.columns[resolveVariable($0)].name })
    }

    /// True when the data are in ascending order of `vars`.
    func isSorted(by vars: [String]) -> Bool {
        if frame.sortedBy.starts(with: vars) { return true }
        guard let full = try? vars.map({ frame.columns[try resolveVariable($0)].name }) else { return false }
        return (try? frame.isSorted(by: full)) ?? false
    }

    /// Prints an error as the CLI and `capture noisily` show it.
    public func reportError(_ e: StataError) {
        emit(ErrorFormatter.format(e), .error)
    }
}
