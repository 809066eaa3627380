// Splits an expanded command line into Stata's syntax parts:
//   [by …:] command [varlist | anything] [=exp] [if exp] [in range] [weight] [using file] [, options]
// The split respects quotes, compound quotes, parentheses and brackets, so commas and keywords
// inside `inlist(x, 1, 2)` or `"a, b"` do not count. What the parts mean is up to each command.

import DidFrame
import Foundation

/// One option as written: `absorb(id year)` → name "absorb", argument "id year".
public struct ParsedOption: Sendable, Equatable {
    /// The name as typed (possibly abbreviated).
    public var name: String
    /// Text inside the parentheses; nil when the option had none.
    public var argument: String?
}

/// The parts of a command line.
public struct CommandCall: Sendable {
    /// Canonical command name (after abbreviation lookup).
    public var name: String
    /// Everything after the command word, as expanded.
    public var arguments: String
    /// The leading part: a varlist, new variable name or free text, depending on the command.
    public var head: String
    /// The expression after `=` (for generate/replace), if any.
    public var equalsExp: String?
    /// Expression after `if`.
    public var ifExp: String?
    /// Text after `in`.
    public var inRange: String?
    /// Weight type as written (`aw`, `fweight`, …) and its expression.
    public var weight: (kind: String, exp: String)?
    /// Filename after `using` (quotes removed).
    public var using: String?
    /// Options after the comma, in order.
    public var options: [ParsedOption]
    /// Raw option text after the comma.
    public var optionsText: String
    /// Where the statement is.
    public var location: SourceLocation?

    /// Parses `arguments` (the text after the command word).
    public static func parse(name: String, arguments: String, location: SourceLocation?,
                             equalsAllowed: Bool = true) throws -> CommandCall {
        var call = CommandCall(name: name, arguments: arguments, head: "", equalsExp: nil, ifExp: nil,
                               inRange: nil, weight: nil, using: nil, options: [], optionsText: "",
                               location: location)
        let bytes = Array(arguments.utf8)
        let comma = topLevelIndex(of: 44, in: bytes)
        let main = comma.map { Array(bytes[..<$0]) } ?? bytes
        if let c = comma {
            call.optionsText = String(decoding: bytes[(c + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            call.options = try parseOptions(call.optionsText)
        }
        // Find top-level keyword positions in the main part.
        var cuts: [(pos: Int, kind: String, len: Int)] = []
        scanTopLevel(main) { i, depthZero in
            guard depthZero else { return }
            let before: UInt8 = i == 0 ? 32 : main[i - 1]
            guard before == 32 || before == 9 || i == 0 else {
                if main[i] == 91, let w = weightAt(main, i) { cuts.append((i, "weight", w)) }
                return
            }
            for kw in ["if", "in", "using"] {
                let k = Array(kw.utf8)
                if i + k.count <= main.count && Array(main[i..<(i + k.count)]) == k {
                    let after: UInt8 = i + k.count < main.count ? main[i + k.count] : 32
                    if after == 32 || after == 9 || (kw == "if" && after == 40) || (kw == "using" && after == 34) {
                        cuts.append((i, kw, k.count))
                    }
                }
            }
            if main[i] == 91, let w = weightAt(main, i) { cuts.append((i, "weight", w)) }
        }
        // Equals sign at top level before any keyword (generate x = …).
        let firstCut = cuts.first?.pos ?? main.count
        var headEnd = firstCut
        if equalsAllowed, let eq = topLevelIndex(of: 61, in: Array(main[..<firstCut])) {
            // skip ==, <=, >=, != (not an assignment)
            let prev: UInt8 = eq > 0 ? main[eq - 1] : 0
            let next: UInt8 = eq + 1 < main.count ? main[eq + 1] : 0
            if next != 61 && prev != 61 && prev != 60 && prev != 62 && prev != 33 && prev != 126 {
                headEnd = eq
                call.equalsExp = text(main, eq + 1, firstCut)
            }
        }
        call.head = text(main, 0, headEnd)
        for (n, cut) in cuts.enumerated() {
            let end = n + 1 < cuts.count ? cuts[n + 1].pos : main.count
            let body = text(main, cut.pos + cut.len, end)
            switch cut.kind {
            case "if":
                guard call.ifExp == nil else { throw StataError(198, "if may not be specified twice") }
                guard !body.isEmpty else { throw StataError(198, "invalid syntax: if requires an expression") }
                call.ifExp = body
            case "in":
                call.inRange = body
            case "using":
                call.using = unquote(body)
            default:
                // weight: "[aw=exp]" — body is text after the keyword up to "]"
                let inner = text(main, cut.pos + 1, end).trimmingCharacters(in: .whitespaces)
                guard inner.hasSuffix("]") else { throw StataError(198, "invalid weight specification") }
                let parts = inner.dropLast().split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[1].isEmpty else { throw StataError(198, "invalid weight specification") }
                call.weight = (parts[0], parts[1])
            }
        }
        return call
    }

    /// Parses option text `a b(c) d( e (f) )` into options.
    public static func parseOptions(_ text: String) throws -> [ParsedOption] {
        var result: [ParsedOption] = []
        let b = Array(text.utf8)
        var i = 0
        while i < b.count {
            while i < b.count && (b[i] == 32 || b[i] == 9) { i += 1 }
            if i >= b.count { break }
            let start = i
            while i < b.count && b[i] != 40 && b[i] != 32 && b[i] != 9 { i += 1 }
            let name = String(decoding: b[start..<i], as: UTF8.self)
            if i < b.count && b[i] == 40 {
                var depth = 0, j = i, inQ = false
                while j < b.count {
                    let c = b[j]
                    if c == 34 { inQ.toggle() }
                    if !inQ { if c == 40 { depth += 1 } else if c == 41 { depth -= 1; if depth == 0 { break } } }
                    j += 1
                }
                guard j < b.count else { throw StataError(198, "option \(name)(): closing parenthesis missing") }
                result.append(ParsedOption(name: name, argument: String(decoding: b[(i + 1)..<j], as: UTF8.self).trimmingCharacters(in: .whitespaces)))
                i = j + 1
            } else {
                guard !name.isEmpty else { throw StataError(198, "invalid syntax") }
                result.append(ParsedOption(name: name, argument: nil))
            }
        }
        return result
    }

    /// Removes surrounding double or compound quotes.
    public static func unquote(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("`\"") && t.hasSuffix("\"'") && t.count >= 4 { return String(t.dropFirst(2).dropLast(2)) }
        if t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 { return String(t.dropFirst().dropLast()) }
        return t
    }

    static func text(_ b: [UInt8], _ from: Int, _ to: Int) -> String {
        guard from < to else { return "" }
        return String(decoding: b[from..<to], as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    /// Length of a weight clause `[aw=…]` starting at `i` (the `[`), or nil if it is not one.
    static func weightAt(_ b: [UInt8], _ i: Int) -> Int? {
        var j = i + 1
        while j < b.count && b[j] == 32 { j += 1 }
        let start = j
        while j < b.count && ((b[j] >= 97 && b[j] <= 122)) { j += 1 }
        let word = String(decoding: b[start..<j], as: UTF8.self)
        while j < b.count && b[j] == 32 { j += 1 }
        guard j < b.count, b[j] == 61 else { return nil }
        let kinds = ["aw", "aweight", "fw", "fweight", "pw", "pweight", "iw", "iweight", "weight", "w"]
        guard kinds.contains(word) else { return nil }
        return 1
    }

    /// Index of the first top-level occurrence of byte `c`.
    static func topLevelIndex(of c: UInt8, in b: [UInt8]) -> Int? {
        var found: Int? = nil
        scanTopLevel(b) { i, zero in if found == nil && zero && b[i] == c { found = i } }
        return found
    }

    /// Calls `body(i, atDepthZero)` for each byte outside quotes.
    static func scanTopLevel(_ b: [UInt8], _ body: (Int, Bool) -> Void) {
        var depth = 0, inQ = false, compound = 0, i = 0
        while i < b.count {
            let c = b[i]
            let next: UInt8 = i + 1 < b.count ? b[i + 1] : 0
            if c == 96 && next == 34 { compound += 1; i += 2; continue }
            if compound > 0 { if c == 34 && next == 39 { compound -= 1; i += 2 } else { i += 1 }; continue }
            if c == 34 { inQ.toggle(); i += 1; continue }
            if inQ { i += 1; continue }
            if c == 40 || c == 91 || c == 123 {
                body(i, depth == 0)
                depth += 1; i += 1; continue
            }
            if c == 41 || c == 93 || c == 125 { depth = max(0, depth - 1); i += 1; continue }
            body(i, depth == 0)
            i += 1
        }
    }
}
