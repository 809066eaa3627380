// Turns script text into logical statements, the way Stata's do-file reader does before any
// macro is expanded: comments (`*` at statement start, `//`, `/* */` which may nest), `///`
// continuations, and `#delimit ;` mode. Quotes are respected so `"a // b"` keeps its slashes.

import DidFrame
import Foundation

/// One logical statement of a script with the place it starts.
public struct RawStatement: Sendable, Equatable {
    /// Statement text with comments removed and continuations joined.
    public var text: String
    /// File name shown in error messages.
    public var file: String
    /// 1-based line where the statement starts.
    public var line: Int
    /// 1-based column of the statement's first non-blank character.
    public var column: Int
    /// The original first source line (for the caret display).
    public var lineText: String

    /// The statement's location for error messages.
    public var location: SourceLocation {
        SourceLocation(file: file, line: line, column: column, lineText: lineText)
    }
}

/// Splits script text into statements.
public enum SourceSplitter {
    /// Splits `source`; throws r(198) for an unterminated `/*` comment or string at end of file.
    public static func split(_ source: String, file: String) throws -> [RawStatement] {
        var reader = Reader(source: source, file: file)
        return try reader.run()
    }

    /// True when `text` ends inside an open construct that more lines would complete: an open
    /// `/*` comment or a trailing `///` continuation. The REPL uses this to keep reading.
    public static func needsMoreInput(_ text: String) -> Bool {
        do { _ = try split(text, file: "<stdin>") } catch { return true }
        let trimmed = text.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        return trimmed.hasSuffix("///")
    }
}

private struct Reader {
    let lines: [Substring]
    let file: String
    var semicolonMode = false
    var out: [RawStatement] = []
    var pending = ""          // statement text accumulated so far
    var startLine = 0
    var startColumn = 1
    var commentDepth = 0      // open /* */ nesting carried across lines

    init(source: String, file: String) {
        var text = source
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // "\r\n" is one Character in Swift; normalise line ends before splitting.
        if text.contains("\r") { text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") }
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        self.file = file
    }

    mutating func run() throws -> [RawStatement] {
        for (i, rawLine) in lines.enumerated() {
            try feed(line: String(rawLine), number: i + 1)
        }
        if commentDepth > 0 {
            throw StataError(198, "unexpected end of file: /* comment not closed",
                             at: SourceLocation(file: file, line: lines.count, column: 1, lineText: ""))
        }
        flush(force: true)
        return out
    }

    /// Processes one physical line.
    mutating func feed(line: String, number: Int) throws {
        let bytes = Array(line.utf8)
        // `#delimit` is recognised only at the start of a statement.
        if pending.isEmpty && commentDepth == 0 {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("#delimit") || t.hasPrefix("#d ") || t == "#d" {
                let arg = t.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                semicolonMode = arg.hasPrefix(";")
                return
            }
        }
        var buf: [UInt8] = []
        var i = 0
        var inString = false       // inside "…"
        var compoundDepth = 0      // inside `"…"'
        var continued = false
        let atStatementStart = pending.isEmpty
        // A `*` comment: first non-blank char of a statement.
        if commentDepth == 0 && atStatementStart && !semicolonMode {
            if let first = bytes.firstIndex(where: { $0 != 32 && $0 != 9 }), bytes[first] == 42 {
                return
            }
        }
        while i < bytes.count {
            let c = bytes[i]
            let next: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : 0
            if commentDepth > 0 {
                if c == 42 && next == 47 { commentDepth -= 1; i += 2; continue }   // */
                if c == 47 && next == 42 { commentDepth += 1; i += 2; continue }   // /*
                i += 1; continue
            }
            if inString {
                buf.append(c); if c == 34 { inString = false }; i += 1; continue
            }
            if c == 96 && next == 34 { compoundDepth += 1; buf.append(c); buf.append(next); i += 2; continue }
            if compoundDepth > 0 && c == 34 && next == 39 { compoundDepth -= 1; buf.append(c); buf.append(next); i += 2; continue }
            if compoundDepth > 0 { buf.append(c); i += 1; continue }
            if c == 34 { inString = true; buf.append(c); i += 1; continue }
            if c == 47 && next == 42 { commentDepth += 1; i += 2; continue }
            let precededBySpace = i == 0 || bytes[i - 1] == 32 || bytes[i - 1] == 9
            if c == 47 && next == 47 && precededBySpace {
                if i + 2 < bytes.count && bytes[i + 2] == 47 { continued = true }
                break
            }
            if semicolonMode && c == 59 {
                append(buf, number: number, line: line)
                buf = []
                flush(force: false)
                i += 1; continue
            }
            buf.append(c); i += 1
        }
        append(buf, number: number, line: line)
        if semicolonMode || continued || commentDepth > 0 {
            if !pending.isEmpty && (continued || semicolonMode) { pending += " " }
            return
        }
        flush(force: false)
    }

    mutating func append(_ buf: [UInt8], number: Int, line: String) {
        let s = String(decoding: buf, as: UTF8.self)
        if pending.isEmpty {
            let lead = s.prefix { $0 == " " || $0 == "\t" }
            let rest = s.dropFirst(lead.count)
            if rest.isEmpty { return }
            startLine = number
            startColumn = lead.count + 1
            pending = String(rest)
            lineTexts[number] = line
        } else {
            pending += s.drop { $0 == " " || $0 == "\t" }
        }
    }

    var lineTexts: [Int: String] = [:]

    mutating func flush(force: Bool) {
        let t = pending.trimmingCharacters(in: .whitespaces)
        if !t.isEmpty {
            out.append(RawStatement(text: t, file: file, line: startLine, column: startColumn,
                                    lineText: lineTexts[startLine] ?? ""))
        }
        pending = ""
        lineTexts.removeAll(keepingCapacity: true)
    }
}
