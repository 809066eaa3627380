// The one place that turns a StataError into text: the message, `file:line:col`, the source
// line with a caret, and `r(#);` as Stata ends every error.

import DidFrame

/// Formats errors for display.
public enum ErrorFormatter {
    /// Message, location with caret, and the return code.
    public static func format(_ e: StataError) -> String {
        var s = e.message.isEmpty ? "" : e.message + "\n"
        if let loc = e.location {
            s += "    \(loc.file):\(loc.line):\(loc.column)\n"
            if !loc.lineText.isEmpty {
                s += "    \(loc.lineText)\n"
                let pad = loc.lineText.prefix(max(0, loc.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
                s += "    \(pad)^\n"
            }
        }
        s += "r(\(e.code));\n"
        return s
    }
}
