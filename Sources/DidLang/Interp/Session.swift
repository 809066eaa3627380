// The interpreter's state: the dataset, macros, scalars, matrices, stored results, programs,
// panel settings and output. One `Session` per interpreter; the embedding facade wraps it.

import DidFrame
import DidGraph
import DidStats
import Foundation

/// Panel/time settings from `xtset`/`tsset`.
public struct TimeSettings: Sendable {
    public var panel: String?
    public var time: String
    public var delta: Double = 1
}

/// Kinds of output, so hosts can colour them (Stata's `as text/result/error`).
public enum OutputStyle: Sendable { case text, result, error, input }

/// Interpreter state shared by commands.
public final class Session: EvalContext, MacroScope {
    /// The dataset in memory.
    public var frame = Frame()
    /// All commands, built-in and user-defined.
    public let registry = CommandRegistry()
    /// Global macros.
    public var globals: [String: String] = [:]
    /// Local macro scopes; the last is current (each program call pushes one).
    var localScopes: [[String: String]] = [[:]]
    /// Scalars (`scalar define`).
    public var scalars: [String: Value] = [:]
    /// Matrices (`matrix define`).
    public var matrices: [String: NamedMatrix] = [:]
    /// r(), e(), s() results.
    public var rResults = StoredResults()
    public var eResults = StoredResults()
    public var sResults = StoredResults()
    /// `estimates store` slots.
    public var storedEstimates: [(name: String, results: StoredResults)] = []
    /// `xtset`/`tsset`.
    public var timeSettings: TimeSettings?
    /// Last return code (`_rc`).
    public var rc: Int = 0
    /// Random-number generator (`set seed`).
    public let random = StataRandom()
    /// Evaluator state (regex captures).
    public let exprState = ExprState()
    /// Output sink; the CLI prints, an embedding host may collect.
    public var output: (String, OutputStyle) -> Void = { s, _ in
        FileHandle.standardOutput.write(s.data(using: .utf8)!)
    }
    /// Depth of `quietly`; output is suppressed while > 0 (unless `noisily`).
    public var quietDepth = 0
    /// Settings `set …` that only change output or are accepted for compatibility.
    public var settings: [String: String] = ["type": "float", "level": "95", "more": "off", "seed": "123456789"]
    /// The script file currently running and its arguments (for `args`, `0`).
    public var currentFile = "<stdin>"
    /// True when running interactively (REPL); long work shows progress only then.
    public var interactive = false
    /// Set by Ctrl-C handlers; long loops check it and stop with r(1).
    public var interruptRequested = false
    /// Asked between statements and inside long loops; true means Ctrl-C was pressed (the REPL
    /// sets it from its SIGINT handler).
    public var pollInterrupt: (() -> Bool)? = nil
    /// Graphs in memory by name (`Graph` is the default name), and the current one.
    public var graphs: [String: Plot] = [:]
    /// Name of the graph the last graph command drew (what `graph export` writes).
    public var currentGraphName: String? = nil
    /// `preserve` snapshot.
    public var preserved: Frame? = nil
    /// Open logs (`log using`) by name; `emit` copies shown text to each.
    public var logs: [String: LogFile] = [:]
    /// Temporary names handed out (tempvar/tempname/tempfile).
    var tempCounter = 0
    /// Working directory for relative paths.
    public var workingDirectory: String = FileManager.default.currentDirectoryPath
    /// Programs' options and bodies (for `program list`).
    var programs: [String: ProgramDefinition] = [:]
    /// Stack depth of program calls (to stop runaway recursion).
    var callDepth = 0
    /// Row restriction while a command runs under `by` (repeatPerGroup).
    public var byRestriction: Range<Int>? = nil
    /// The by-prefix of a command running natively under `by`.
    public var currentBy: ByPrefix? = nil
    /// Path of the dataset last used or saved (`save` without a name).
    public var currentDataFile: String? = nil
    /// Pending `return` values of the rclass programs being run (innermost last).
    var pendingReturns: [StoredResults] = []
    /// Temporary variables per running program.
    var tempVariableScopes: [[String]] = []
    /// Open postfiles and timers (PortCommands).
    var portState = PortCommandState()

    /// A session with the built-in commands registered.
    public init() {
        Builtins.registerAll(in: registry)
    }

    // MARK: Output

    /// Writes text (suppressed under `quietly`).
    public func emit(_ s: String, _ style: OutputStyle = .text) {
        if quietDepth > 0 && style != .error { return }
        for log in logs.values { log.write(s) }
        output(s, style)
    }

    /// Writes a line.
    public func line(_ s: String = "", _ style: OutputStyle = .text) { emit(s + "\n", style) }

    // MARK: Macros

    public func local(_ name: String) -> String? { localScopes[localScopes.count - 1][name] }
    /// Names of the locals in the current scope (for completion).
    public var localNames: [String] { Array(localScopes[localScopes.count - 1].keys) }

    /// True when the user asked to interrupt; clears the request. Long loops call this.
    public func checkInterrupt() throws {
        if interruptRequested || (pollInterrupt?() ?? false) {
            interruptRequested = false
            throw StataError(1, "--Break--")
        }
    }
    public func setLocal(_ name: String, _ value: String) { localScopes[localScopes.count - 1][name] = value }
    public func removeLocal(_ name: String) { localScopes[localScopes.count - 1][name] = nil }
    public func global(_ name: String) -> String? { globals[name] }

    public func macroValue(ofExpression text: String) throws -> String {
        let v = try Evaluator.evaluateScalar(try ExprParser.parse(text), in: self)
        switch v {
        case .string(let s): return s
        case .number(let x): return Self.macroText(x)
        }
    }

    /// How a number is written into a macro by `local x = exp` (Stata uses up to 17 digits).
    public static func macroText(_ x: Double) -> String {
        if let m = Missing.text(x) { return m }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        var s = String(format: "%.17g", x)
        if let shorter = [15, 16].lazy.map({ String(format: "%.\($0)g", x) }).first(where: { Double($0) == x }) { s = shorter }
        if s.hasPrefix("0.") { s.removeFirst() } else if s.hasPrefix("-0.") { s = "-" + s.dropFirst(2) }
        return s
    }

    public func storedResultText(_ kind: Character, _ name: String) throws -> String {
        if kind != "c", let m = (kind == "e" ? eResults : kind == "r" ? rResults : sResults).matrices[name] {
            return "matrix \(m.rows) x \(m.cols)"
        }
        switch try storedResult(kind, name) {
        case .number(let x)?: return Self.macroText(x)
        case .string(let t)?: return t
        case nil: return ""
        }
    }

    public func extendedMacroFunction(_ text: String) throws -> String {
        try ExtendedMacros.evaluate(text, session: self)
    }

    /// Expands macros in `text`.
    public func expand(_ text: String) throws -> String { try MacroExpander.expand(text, scope: self) }

    // MARK: EvalContext

    public func resolveVariable(_ name: String) throws -> Int {
        if let i = frame.index(of: name) { return i }
        let matches = frame.columns.indices.filter { frame.columns[$0].name.hasPrefix(name) }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 { throw StataError(111, "\(name) ambiguous abbreviation") }
        throw StataError.varNotFound(name)
    }

    public func estimationSample() -> [Bool]? {
        guard let sample = eResults.sample, sample.count == frame.count else { return nil }
        return sample
    }

    public func scalar(_ name: String) -> Value? {
        if name == "_rc" { return .number(Double(rc)) }
        return scalars[name]
    }

    public func storedResult(_ kind: Character, _ name: String) throws -> Value? {
        switch kind {
        case "c": return try SystemValues.value(name, session: self)
        case "r", "e", "s":
            let res = kind == "r" ? rResults : kind == "e" ? eResults : sResults
            if let v = res.scalars[name] { return .number(v) }
            if let s = res.macros[name] { return .string(s) }
            if res.matrices[name] != nil { throw StataError(109, "\(kind)(\(name)) is a matrix; type mismatch") }
            return nil
        default: return nil
        }
    }

    public func matrixElement(_ name: String, _ i: Int, _ j: Int) throws -> Double {
        let m = try matrix(named: name)
        guard i >= 1, j >= 1, i <= m.rows, j <= m.cols else { throw StataError(503, "conformability error") }
        return m[i - 1, j - 1]
    }

    public func matrixSize(_ name: String) throws -> (rows: Int, cols: Int) {
        let m = try matrix(named: name)
        return (m.rows, m.cols)
    }

    /// A matrix by name: user matrices, or `e(b)`/`r(table)`-style stored ones.
    public func matrix(named name: String) throws -> NamedMatrix {
        if let m = matrices[name] { return m }
        if name.hasSuffix(")"), let open = name.firstIndex(of: "("), name.count > 3 {
            let kind = name[name.startIndex]
            let inner = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
            let res = kind == "e" ? eResults : kind == "r" ? rResults : sResults
            if let m = res.matrices[inner] { return m }
        }
        throw StataError(111, "matrix \(name) not found")
    }

    public func coefficient(_ which: String, _ name: String) throws -> Double {
        guard let b = eResults.matrices["b"] else { throw StataError(301, "last estimates not found") }
        let key = name.replacingOccurrences(of: " ", with: "")
        guard let j = b.colNames.firstIndex(of: key) ?? b.colNames.firstIndex(where: { Self.stripBase($0) == key }) else {
            throw StataError(111, "[\(name)] not found")
        }
        if which == "b" { return b[0, j] }
        guard let v = eResults.matrices["V"] else { throw StataError(301, "last estimates not found") }
        let x = v[j, j]
        return x > 0 ? x.squareRoot() : (x == 0 ? 0 : Missing.dot)
    }

    /// `0b.year` → `0.year`, `o.x` → `x`: names as users type them in `_b[]`.
    static func stripBase(_ n: String) -> String {
        n.split(separator: "#").map { part -> String in
            var p = String(part)
            if p.hasPrefix("o.") { p.removeFirst(2) }
            if let dot = p.firstIndex(of: ".") {
                var lvl = String(p[..<dot])
                while lvl.hasSuffix("b") || lvl.hasSuffix("o") || lvl.hasSuffix("n") { lvl.removeLast() }
                p = lvl + p[dot...]
            }
            return p
        }.joined(separator: "#")
    }

    public func timeSeries(_ op: Character, _ lag: Int, _ variable: String) throws -> [Double] {
        try TimeSeriesOps.shifted(session: self, op: op, lag: lag, variable: variable)
    }

    // MARK: Temporary names

    /// A fresh temporary name (`__000001`).
    public func tempName() -> String {
        tempCounter += 1
        return String(format: "__%06d", tempCounter)
    }

    // MARK: Paths

    /// Resolves a user path against the working directory and expands `~`.
    public func resolvePath(_ p: String) -> String {
        var path = CommandCall.unquote(p)
        if path.hasPrefix("~") { path = NSString(string: path).expandingTildeInPath }
        if path.hasPrefix("/") { return path }
        return (workingDirectory as NSString).appendingPathComponent(path)
    }
}

/// A user program (`program define`).
struct ProgramDefinition {
    var name: String
    var options: String
    var body: [Stmt]
}
