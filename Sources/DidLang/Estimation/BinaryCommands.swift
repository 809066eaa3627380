// logit, probit, psmatch/psmatch2, pstest (registered here).

import DidFrame

enum BinaryCommands {
    static func register(in r: CommandRegistry) {}
}
