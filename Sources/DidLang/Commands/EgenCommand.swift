// egen and its functions (registered here).

import DidFrame

enum EgenCommand {
    static func register(in r: CommandRegistry) {}
}
