// The public embedding API. A host creates an `Interpreter`, runs source text, reads and writes
// the dataset's columns as Swift arrays, registers its own commands (the same `Command` protocol
// the built-ins use) and reads stored results. Output goes to a handler the host chooses.

@_exported import DidFrame
@_exported import DidLang
import Foundation

/// A `did` interpreter for embedding in Swift programs.
public final class Interpreter {
    /// The underlying session (dataset, macros, results).
    public let session: Session

    /// A fresh interpreter with the built-in commands and the standard library loaded.
    /// - Parameter output: receives everything the language prints (default: standard output).
    public init(output: ((String, OutputStyle) -> Void)? = nil) {
        session = Session()
        if let o = output { session.output = o }
        Stdlib.load(into: session)
    }

    /// Runs source text (a whole script or one line). Throws `StataError` with its location.
    public func run(_ source: String, file: String = "<string>") throws {
        try session.run(source: source, file: file)
    }

    /// Runs a script file, with `args` available as `` `1' ``, `` `2' ``, … and `` `0' ``.
    public func runFile(_ path: String, arguments: [String] = []) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw StataError.fileNotFound(path) }
        let text = String(decoding: data, as: UTF8.self)
        session.setLocal("0", arguments.joined(separator: " "))
        for (k, a) in arguments.enumerated() { session.setLocal(String(k + 1), a) }
        let saved = session.currentFile
        session.currentFile = path
        defer { session.currentFile = saved }
        try session.run(source: text, file: path)
    }

    /// The dataset in memory.
    public var frame: Frame { session.frame }

    /// A numeric variable's values (missing values as Stata's encoding; see `Missing`).
    public func numbers(_ variable: String) throws -> [Double] {
        let c = session.frame.columns[try session.resolveVariable(variable)]
        guard !c.isString else { throw StataError.typeMismatch() }
        return c.nums
    }

    /// A string variable's values.
    public func strings(_ variable: String) throws -> [String] {
        let c = session.frame.columns[try session.resolveVariable(variable)]
        guard c.isString else { throw StataError.typeMismatch() }
        return c.strs
    }

    /// Adds or replaces a numeric variable (`double` unless a type is given).
    public func setNumbers(_ variable: String, _ values: [Double], type: StorageType = .double) throws {
        try setColumn(Column(name: variable, type: type, values: values))
    }

    /// Adds or replaces a string variable.
    public func setStrings(_ variable: String, _ values: [String]) throws {
        try setColumn(Column(name: variable, strings: values))
    }

    private func setColumn(_ c: Column) throws {
        let f = session.frame
        if f.width > 0 && c.count != f.count {
            throw StataError(198, "\(c.name) has \(c.count) values but the dataset has \(f.count) observations")
        }
        if let j = f.index(of: c.name) { f.columns[j] = c } else {
            guard Session.isValidName(c.name) else { throw StataError(198, "\(c.name) invalid name") }
            f.add(c)
        }
        f.changed = true
    }

    /// Registers a host command; it is called exactly like a built-in.
    public func register(_ command: Command) { session.registry.register(command) }

    /// A scalar stored result: `result("e", "N")`, `result("r", "mean")`.
    public func scalarResult(_ kind: Character, _ name: String) -> Double? {
        switch kind {
        case "e": return session.eResults.scalars[name]
        case "r": return session.rResults.scalars[name]
        default: return nil
        }
    }

    /// A macro stored result (`e(cmd)`, `r(varlist)`).
    public func macroResult(_ kind: Character, _ name: String) -> String? {
        kind == "e" ? session.eResults.macros[name] : session.rResults.macros[name]
    }

    /// A matrix stored result (`e(b)`, `e(V)`).
    public func matrixResult(_ kind: Character, _ name: String) -> NamedMatrix? {
        kind == "e" ? session.eResults.matrices[name] : session.rResults.matrices[name]
    }

    /// A local or global macro's value.
    public func macro(_ name: String, global: Bool = false) -> String? {
        global ? session.globals[name] : session.local(name)
    }

    /// Formats an error the way the CLI shows it.
    public static func describe(_ error: Error) -> String {
        if let e = error as? StataError { return ErrorFormatter.format(e) }
        return "\(error)\nr(9999);\n"
    }
}
