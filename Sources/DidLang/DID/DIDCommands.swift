// DID toolkit commands (eventstudy, placebo, didplacebo), registered here.

import DidFrame

enum DIDCommands {
    static func register(in r: CommandRegistry) {
        EventStudyCommand.register(in: r)
        PlaceboCommand.register(in: r)
        DidPlaceboCommand.register(in: r)
    }
}
