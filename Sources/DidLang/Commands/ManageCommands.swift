// Data-management commands (merge, append, collapse, reshape, labels, …), registered here.

import DidFrame

enum ManageCommands {
    static func register(in r: CommandRegistry) {}
}
