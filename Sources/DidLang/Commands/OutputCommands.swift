// The data-display commands: summarize, describe, list, tabulate, tab1. Each lives in its own
// Output*.swift file; this is the one place they are registered, with their abbreviations and
// how they behave under `by`.

import DidFrame

enum OutputCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("summarize", minAbbreviation: 2, by: .repeatPerGroup, options: Summarize.options) { call, s in
            try Summarize.run(call, s)
        })
        r.register(ClosureCommand("describe", minAbbreviation: 1, options: Describe.options) { call, s in
            try Describe.run(call, s)
        })
        r.register(ClosureCommand("list", minAbbreviation: 1, by: .repeatPerGroup, options: ListCommand.options) { call, s in
            try ListCommand.run(call, s)
        })
        r.register(ClosureCommand("tabulate", minAbbreviation: 2, by: .repeatPerGroup, options: Tabulate.options) { call, s in
            try Tabulate.run(call, s)
        })
        r.register(ClosureCommand("tab1", by: .repeatPerGroup, options: Tabulate.options) { call, s in
            try Tabulate.runTab1(call, s)
        })
    }
}
