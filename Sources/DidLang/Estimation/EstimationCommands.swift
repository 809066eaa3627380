// Estimation commands (regress, reghdfe, areg, xtreg, predict, test, estimates, esttab).

import DidFrame

enum EstimationCommands {
    static func register(in r: CommandRegistry) {}
}
