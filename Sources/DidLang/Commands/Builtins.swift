// The one list of built-in commands, like Lua's linit.c: every command family registers here.

import DidFrame

/// Registration of all built-in commands.
public enum Builtins {
    static var builtinNames: Set<String> = []

    /// Registers every built-in command.
    public static func registerAll(in r: CommandRegistry) {
        LanguageCommands.register(in: r)
        GenerateCommands.register(in: r)
        DataCommands.register(in: r)
        FileCommands.register(in: r)
        MatrixCommand.register(in: r)
        SyntaxCommand.register(in: r)
        ManageCommands.register(in: r)
        OutputCommands.register(in: r)
        EgenCommand.register(in: r)
        EstimationCommands.register(in: r)
        BinaryCommands.register(in: r)
        GraphCommands.register(in: r)
        DIDCommands.register(in: r)
        PortCommands.register(in: r)
        builtinNames = Set(r.names)
    }

    /// True for a built-in command name (a user program may not redefine it).
    static func isBuiltin(_ name: String) -> Bool { builtinNames.contains(name) }
}
