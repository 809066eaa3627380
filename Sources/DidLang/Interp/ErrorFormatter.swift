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
                // Show at most a window of the line around the column, so a huge line stays readable.
                let chars = Array(loc.lineText)
                let col = max(0, min(loc.column - 1, chars.count))
                let start = max(0, min(col - 60, chars.count - 100))
                let end = min(chars.count, start + 100)
                let lead = start > 0 ? "..." : ""
                let tail = end < chars.count ? "..." : ""
                s += "    \(lead)\(String(chars[start..<end]))\(tail)\n"
                let pad = (lead + String(chars[start..<col])).map { $0 == "\t" ? "\t" : " " }.joined()
                s += "    \(pad)^\n"
            }
        }
        s += "r(\(e.code));\n"
        return s
    }
}
