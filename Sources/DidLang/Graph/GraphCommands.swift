// Graph commands (twoway, histogram, kdensity, coefplot, graph export/combine), registered here.

import DidFrame
import DidGraph

enum GraphCommands {
    static func register(in r: CommandRegistry) {}
}
