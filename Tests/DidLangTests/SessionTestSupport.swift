// Running a script in a fresh Session and capturing what it printed, for command tests.

@testable import DidLang
import DidFrame

/// Runs `src` in a new session; returns everything it printed and the session.
func runScript(_ src: String) throws -> (String, Session) {
    let s = Session()
    var out = ""
    s.output = { t, _ in out += t }
    try s.run(source: src)
    return (out, s)
}
