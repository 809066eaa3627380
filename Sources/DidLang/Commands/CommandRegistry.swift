// The one list of commands. Built-ins are registered from `Builtins.all`; hosts and stdlib
// programs add theirs the same way. Lookup accepts Stata's abbreviations.

import DidFrame

/// Name → command, with abbreviation lookup.
public final class CommandRegistry {
    private var byName: [String: Command] = [:]
    private var sortedNames: [String] = []

    /// An empty registry.
    public init() {}

    /// Registers (or replaces) a command.
    public func register(_ command: Command) {
        if byName[command.name] == nil { sortedNames.append(command.name); sortedNames.sort() }
        byName[command.name] = command
    }

    /// Removes a command (e.g. `program drop` of a user program).
    public func remove(_ name: String) { byName[name] = nil; sortedNames.removeAll { $0 == name } }

    /// All command names, sorted (for completion and `help`).
    public var names: [String] { sortedNames }

    /// The command for `word`: an exact name first, then a registered abbreviation.
    public func lookup(_ word: String) -> Command? {
        if let c = byName[word] { return c }
        for name in sortedNames where name.hasPrefix(word) {
            let c = byName[name]!
            if word.count >= c.minAbbreviation { return c }
        }
        return nil
    }
}
