// esttab/estout tables of stored estimates.

import DidFrame

enum EsttabCommand {
    static func register(in r: CommandRegistry) {}
}
