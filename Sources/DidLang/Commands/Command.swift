// The command protocol. Built-in commands and commands a host registers are values conforming
// to `Command`; each declares its name, the shortest abbreviation Stata accepts, how it behaves
// under `by`, and its options. `run` does parse → compute → post results → display.

import DidFrame

/// How a command behaves under a `by varlist:` prefix.
public enum ByBehaviour: Sendable {
    /// `by` is an error (r(190) "may not be combined with by").
    case notAllowed
    /// The command handles groups itself (generate, replace, egen).
    case native
    /// The interpreter runs the command once per group, restricting the sample.
    case repeatPerGroup
}

/// An option a command accepts: `name` with its minimal abbreviation length.
public struct OptionSpec: Sendable {
    public enum Argument: Sendable { case none, required, optional }
    /// Full option name (`absorb`).
    public var name: String
    /// Shortest accepted prefix length (2 for `ab`); defaults to the full name.
    public var minLength: Int
    /// Whether parentheses follow.
    public var argument: Argument

    public init(_ name: String, min: Int? = nil, _ argument: Argument = .none) {
        self.name = name; self.minLength = min ?? name.count; self.argument = argument
    }
}

/// A command of the language.
public protocol Command {
    /// Full command name.
    var name: String { get }
    /// Shortest accepted abbreviation length (`g` for generate is 1).
    var minAbbreviation: Int { get }
    /// Behaviour under `by`.
    var byBehaviour: ByBehaviour { get }
    /// Options accepted; nil means the command checks its own options.
    var options: [OptionSpec]? { get }
    /// Whether `=` in the arguments splits off an expression (generate) or is plain text (local).
    var splitsEquals: Bool { get }
    /// Whether the interpreter should parse if/in/using/options (false: the command gets raw text).
    var parsesSyntax: Bool { get }
    /// Runs the command.
    func run(_ call: CommandCall, _ session: Session) throws
}

public extension Command {
    var minAbbreviation: Int { name.count }
    var byBehaviour: ByBehaviour { .notAllowed }
    var options: [OptionSpec]? { [] }
    var splitsEquals: Bool { false }
    var parsesSyntax: Bool { true }
}

/// Options after validation against a command's `OptionSpec`s, keyed by full name.
public struct Options: Sendable {
    private var values: [String: String?] = [:]

    /// Validates `parsed` against `specs`; unknown or malformed options are r(198).
    public init(_ parsed: [ParsedOption], specs: [OptionSpec]) throws {
        for p in parsed {
            let lower = p.name
            guard let spec = specs.first(where: { s in
                lower.count >= s.minLength && lower.count <= s.name.count && s.name.hasPrefix(lower)
            }) else {
                throw StataError(198, "option \(p.name) not allowed")
            }
            switch spec.argument {
            case .none where p.argument != nil:
                throw StataError(198, "option \(spec.name) does not take arguments")
            case .required where p.argument == nil:
                throw StataError(198, "option \(spec.name)() required")
            default: break
            }
            values[spec.name] = .some(p.argument)
        }
    }

    /// An empty option set.
    public init() {}

    /// True when the option was given.
    public func has(_ name: String) -> Bool { values[name] != nil }
    /// The option's argument text (nil when absent or given without parentheses).
    public func string(_ name: String) -> String? { values[name] ?? nil }
    /// The option's argument as a number.
    public func number(_ name: String) throws -> Double? {
        guard let s = string(name) else { return nil }
        guard let v = Double(s.trimmingCharacters(in: .whitespaces)) else {
            throw StataError(198, "option \(name)() invalid: \(s) is not a number")
        }
        return v
    }
}

/// A command defined by a closure (convenient for hosts and tiny built-ins).
public struct ClosureCommand: Command {
    public let name: String
    public let minAbbreviation: Int
    public let byBehaviour: ByBehaviour
    public let options: [OptionSpec]?
    public let splitsEquals: Bool
    public let parsesSyntax: Bool
    let body: (CommandCall, Session) throws -> Void

    public init(_ name: String, minAbbreviation: Int? = nil, by: ByBehaviour = .notAllowed,
                options: [OptionSpec]? = nil, splitsEquals: Bool = false, parsesSyntax: Bool = true,
                _ body: @escaping (CommandCall, Session) throws -> Void) {
        self.name = name; self.minAbbreviation = minAbbreviation ?? name.count; self.byBehaviour = by
        self.options = options; self.splitsEquals = splitsEquals; self.parsesSyntax = parsesSyntax
        self.body = body
    }

    public func run(_ call: CommandCall, _ session: Session) throws { try body(call, session) }
}
