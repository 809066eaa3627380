// Commands that ported do-files lean on outside estimation: postfile/post for placebo loops,
// levelsof, clonevar, compress, xtile/pctile, tabstat, ttest, pwcorr, timer and ds. Each family
// lives in its own file; this one registers them all (one line in Builtins) and holds the
// session state two of them need across statements (open postfiles, running timers).

import DidFrame
import Foundation

/// Registration of the ported utility and descriptive commands.
enum PortCommands {
    /// Registers every command of this family.
    static func register(in r: CommandRegistry) {
        PostFile.register(in: r)
        Levelsof.register(in: r)
        Compress.register(in: r)
        Quantiles.register(in: r)
        Tabstat.register(in: r)
        TTest.register(in: r)
        Pwcorr.register(in: r)
        UtilityCommands.register(in: r)
    }
}

/// State kept between statements: open postfiles by handle name and timers by number.
struct PortCommandState {
    /// `postfile` handles that are open (closed by `postclose` or `postutil clear`).
    var posts: [String: PostFile.Handle] = [:]
    /// Timers 1…100: accumulated seconds, completed on/off cycles and the start of a running one.
    var timers: [Int: (total: Double, count: Int, started: Double?)] = [:]
}
