// describe, list, summarize, tabulate (registered here).

import DidFrame

enum OutputCommands {
    static func register(in r: CommandRegistry) {}
}
