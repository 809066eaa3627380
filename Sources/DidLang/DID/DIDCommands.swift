// DID toolkit commands (eventstudy, placebo), registered here.

import DidFrame

enum DIDCommands {
    static func register(in r: CommandRegistry) {
        EventStudyCommand.register(in: r)
        PlaceboCommand.register(in: r)
    }
}
