// `display`: a sequence of directives — quoted strings, expressions (optionally preceded by a
// %fmt), `_col(#)`, `_skip(#)`, `_newline[(#)]`/`_n`, `_dup(#) "x"`, `_continue`,
// `as text|result|error|input` (and the old `in smcl`). Numbers without a format print as
// Stata's %9.0g-like default.

import DidFrame
import Foundation

enum Display {
    /// Renders the display directives into text (without the final newline).
    static func render(_ text: String, session: Session) throws -> String {
        var out = ""
        var pendingFormat: String? = nil
        var dup = 1
        let b = Array(text.utf8)
        var i = 0
        func skipSpaces() { while i < b.count && (b[i] == 32 || b[i] == 9) { i += 1 } }
        func column() -> Int { out.split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.count } ?? 0 }
        while true {
            skipSpaces()
            if i >= b.count { break }
            let c = b[i]
            // String literal.
            if c == 34 || (c == 96 && i + 1 < b.count && b[i + 1] == 34) {
                let (s, end) = try readString(b, i)
                let piece = String(repeating: s, count: dup); dup = 1
                out += piece; i = end; continue
            }
            if c == 37 {   // %fmt
                var j = i
                while j < b.count && b[j] != 32 && b[j] != 9 { j += 1 }
                pendingFormat = String(decoding: b[i..<j], as: UTF8.self)
                i = j; continue
            }
            // Directive words.
            var j = i
            while j < b.count && (isWordChar(b[j])) { j += 1 }
            let word = String(decoding: b[i..<j], as: UTF8.self)
            var arg: Int? = nil
            var after = j
            if after < b.count && b[after] == 40 && word.hasPrefix("_") {
                var k = after + 1
                while k < b.count && b[k] != 41 { k += 1 }
                let inner = String(decoding: b[(after + 1)..<min(k, b.count)], as: UTF8.self)
                arg = Int(try evaluateNumber(inner, session: session))
                after = min(k + 1, b.count)
            }
            switch word {
            case "_col", "_column":
                let target = (arg ?? 1) - 1
                let col = column()
                if target > col { out += String(repeating: " ", count: target - col) }
                i = after; continue
            case "_skip":
                out += String(repeating: " ", count: arg ?? 1); i = after; continue
            case "_newline", "_n":
                out += String(repeating: "\n", count: arg ?? 1); i = after; continue
            case "_dup":
                dup = arg ?? 1; i = after; continue
            case "_continue", "_c":
                i = after; continue
            case "as", "in":
                i = j; skipSpaces()
                while i < b.count && isWordChar(b[i]) { i += 1 }
                continue
            case "_request": throw StataError(198, "_request() not supported")
            default: break
            }
            // An expression: up to the next top-level string start or directive.
            let end = expressionEnd(b, i)
            let exprText = String(decoding: b[i..<end], as: UTF8.self)
            let v = try Evaluator.evaluateScalar(try ExprParser.parse(exprText), in: session)
            switch v {
            case .number(let x):
                if let f = pendingFormat { out += try Fmt.format(x, f) }
                else { out += try defaultNumber(x) }
            case .string(let s):
                if let f = pendingFormat { out += try Fmt.format(s, f) } else { out += s }
            }
            pendingFormat = nil
            i = end
        }
        return out
    }

    /// `display` without a format: %10.0g, except that a whole number of up to nine digits is
    /// shown in full (Stata prints `display 123456789` as 123456789, not 1.235e+08).
    static func defaultNumber(_ x: Double) throws -> String {
        if !Missing.isMissing(x), x == x.rounded(), abs(x) < 1e9 { return String(Int64(x)) }
        return try Fmt.format(x, "%10.0g").trimmingCharacters(in: .whitespaces)
    }

    static func isWordChar(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || (c >= 48 && c <= 57) }

    static func evaluateNumber(_ s: String, session: Session) throws -> Double {
        try Evaluator.evaluateScalar(try ExprParser.parse(s), in: session).requireNumber()
    }

    /// Reads "…" or `"…"' starting at i; returns the content and the index after it.
    static func readString(_ b: [UInt8], _ i: Int) throws -> (String, Int) {
        if b[i] == 34 {
            var j = i + 1
            while j < b.count && b[j] != 34 { j += 1 }
            guard j < b.count else { throw StataError(198, "unmatched quote") }
            return (String(decoding: b[(i + 1)..<j], as: UTF8.self), j + 1)
        }
        var depth = 1, j = i + 2
        while j < b.count {
            if b[j] == 96 && j + 1 < b.count && b[j + 1] == 34 { depth += 1; j += 2; continue }
            if b[j] == 34 && j + 1 < b.count && b[j + 1] == 39 { depth -= 1; if depth == 0 { break }; j += 2; continue }
            j += 1
        }
        guard j < b.count else { throw StataError(198, "unmatched quote") }
        return (String(decoding: b[(i + 2)..<j], as: UTF8.self), j + 2)
    }

    /// End of an expression in a display list: a top-level quote that starts a new string after
    /// whitespace, a `%` format, or a directive word after whitespace.
    static func expressionEnd(_ b: [UInt8], _ start: Int) -> Int {
        var depth = 0, i = start, inQ = false
        while i < b.count {
            let c = b[i]
            if inQ { if c == 34 { inQ = false }; i += 1; continue }
            if c == 40 || c == 91 { depth += 1 }
            if c == 41 || c == 93 { depth -= 1 }
            if depth == 0 && i > start && (b[i - 1] == 32 || b[i - 1] == 9) {
                // Peek the previous non-space token: an operator means the expression continues.
                var k = i - 1
                while k > start && (b[k] == 32 || b[k] == 9) { k -= 1 }
                let prev = b[k]
                let continues = "+-*/^&|<>=!~(,".utf8.contains(prev)
                if !continues {
                    if c == 34 || c == 37 || (c == 96 && i + 1 < b.count && b[i + 1] == 34) { return i }
                    if c == 95 || c == 97 || c == 105 {   // _dir, as, in
                        var j = i
                        while j < b.count && isWordChar(b[j]) { j += 1 }
                        let w = String(decoding: b[i..<j], as: UTF8.self)
                        if ["_col", "_column", "_skip", "_newline", "_n", "_dup", "_continue", "_c", "as", "in"].contains(w) { return i }
                    }
                    let nextIsOp = "+-*/^&|<>=!~)],".utf8.contains(c)
                    if !nextIsOp { return i }
                }
            }
            if c == 34 { inQ = true }
            i += 1
        }
        return b.count
    }
}
