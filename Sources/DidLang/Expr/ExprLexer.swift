// Tokens of a Stata expression, scanned on demand from UTF-8 bytes.
//
// The parser pulls one token at a time and can also read raw text (`_b[1.treat#1.post]`,
// `e(N)`), which is not made of expression tokens. Numbers: `1`, `1.`, `.5`, `1e-3`, `2.5E+10`;
// missing literals `.` and `.a`…`.z`; strings `"…"` (no escapes in Stata) and compound
// `` `"…"' `` (nesting allowed); names `[A-Za-z_][A-Za-z0-9_]*`; time-series prefixes such as
// `L.`, `L2.`, `D.`, `LD.`, `F3.`, `S.` when immediately followed by a name.
import DidFrame

/// One expression token.
enum ExprToken: Equatable {
    case number(Double)
    case string(String)
    case name(String)
    /// Time-series operators (the `.` is consumed; the variable name follows).
    case tsOps([TSOp])
    case op(String)
    case lparen, rparen, lbracket, rbracket, comma
    case end
}

/// On-demand scanner over the expression text.
struct ExprLexer {
    let bytes: [UInt8]
    var pos = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    static func isNameStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
    static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || isDigit(c) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    func peekByte(_ k: Int = 0) -> UInt8? { pos + k < bytes.count ? bytes[pos + k] : nil }

    mutating func skipSpace() {
        while pos < bytes.count, bytes[pos] == 32 || bytes[pos] == 9 || bytes[pos] == 10 || bytes[pos] == 13 { pos += 1 }
    }

    /// The next token, consumed.
    mutating func next() throws -> ExprToken {
        skipSpace()
        guard pos < bytes.count else { return .end }
        let c = bytes[pos]
        if Self.isDigit(c) || (c == 46 && (peekByte(1).map(Self.isDigit) ?? false)) { return try number() }
        if c == 46 { return try missingLiteral() }
        if c == 34 { return try plainString() }
        if c == 96 && peekByte(1) == 34 { return try compoundString() }
        if Self.isNameStart(c) { return try name() }
        pos += 1
        switch c {
        case 40: return .lparen
        case 41: return .rparen
        case 91: return .lbracket
        case 93: return .rbracket
        case 44: return .comma
        case 43: return .op("+")
        case 45: return .op("-")
        case 42: return .op("*")
        case 47: return .op("/")
        case 94: return .op("^")
        case 38: return .op("&")
        case 124: return .op("|")
        case 61:
            if peekByte() == 61 { pos += 1; return .op("==") }
            throw StataError(198, "invalid syntax: use == to test equality")
        case 33, 126:
            if peekByte() == 61 { pos += 1; return .op("!=") }
            return .op("!")
        case 60:
            if peekByte() == 61 { pos += 1; return .op("<=") }
            return .op("<")
        case 62:
            if peekByte() == 61 { pos += 1; return .op(">=") }
            return .op(">")
        default:
            throw StataError(198, "invalid syntax")
        }
    }

    // number := digits [ "." digits* ] [ exponent ] | "." digits [ exponent ]
    private mutating func number() throws -> ExprToken {
        let start = pos
        while let c = peekByte(), Self.isDigit(c) { pos += 1 }
        if peekByte() == 46 {
            pos += 1
            while let c = peekByte(), Self.isDigit(c) { pos += 1 }
        }
        if let e = peekByte(), e == 101 || e == 69 {
            var k = 1
            if let s = peekByte(1), s == 43 || s == 45 { k = 2 }
            guard let d = peekByte(k), Self.isDigit(d) else { throw StataError(198, "invalid syntax") }
            pos += k
            while let c = peekByte(), Self.isDigit(c) { pos += 1 }
        }
        // `2x` or `1.5.3` are not numbers followed by something: they are errors.
        if let c = peekByte(), Self.isNameChar(c) || c == 46 {
            throw StataError(198, "invalid syntax")
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard let x = Double(text) else { throw StataError(198, "invalid syntax") }
        return .number(Missing.clean(x))
    }

    // missing := "." | "." letter   (letter a–z, not followed by a name character)
    private mutating func missingLiteral() throws -> ExprToken {
        pos += 1
        if let c = peekByte(), c >= 97 && c <= 122, !(peekByte(1).map(Self.isNameChar) ?? false) {
            pos += 1
            return .number(Missing.extended(Int(c) - 96))
        }
        if let c = peekByte(), Self.isNameChar(c) || c == 46 { throw StataError(198, "invalid syntax") }
        return .number(Missing.dot)
    }

    private mutating func plainString() throws -> ExprToken {
        pos += 1
        let start = pos
        while pos < bytes.count, bytes[pos] != 34 { pos += 1 }
        guard pos < bytes.count else { throw StataError(198, "unmatched quote") }
        let s = String(decoding: bytes[start..<pos], as: UTF8.self)
        pos += 1
        return .string(s)
    }

    // compound := `" … "'  with nested `" "' pairs kept in the text
    private mutating func compoundString() throws -> ExprToken {
        pos += 2
        let start = pos
        var depth = 1
        while pos < bytes.count {
            if bytes[pos] == 96, peekByte(1) == 34 { depth += 1; pos += 2; continue }
            if bytes[pos] == 34, peekByte(1) == 39 {
                depth -= 1
                if depth == 0 {
                    let s = String(decoding: bytes[start..<pos], as: UTF8.self)
                    pos += 2
                    return .string(s)
                }
                pos += 2; continue
            }
            pos += 1
        }
        throw StataError(198, "unmatched quote")
    }

    private mutating func name() throws -> ExprToken {
        let start = pos
        while let c = peekByte(), Self.isNameChar(c) { pos += 1 }
        let text = Array(bytes[start..<pos])
        if peekByte() == 46, let n = peekByte(1), Self.isNameStart(n), let ops = Self.tsOps(text) {
            pos += 1
            return .tsOps(ops)
        }
        return .name(String(decoding: text, as: UTF8.self))
    }

    /// Parses `L`, `L2`, `LD`, `D2F`, … (case-insensitive), or nil when the text is not one.
    static func tsOps(_ text: [UInt8]) -> [TSOp]? {
        var ops: [TSOp] = []
        var i = 0
        while i < text.count {
            let u = text[i] & ~0x20   // upper case
            guard u == 76 || u == 70 || u == 68 || u == 83 else { return nil }
            i += 1
            var digits = 0, order = 0
            while i < text.count, isDigit(text[i]) {
                order = order * 10 + Int(text[i] - 48); digits += 1; i += 1
                if digits > 4 { return nil }
            }
            ops.append(TSOp(Character(UnicodeScalar(u)), digits == 0 ? 1 : order))
        }
        return ops.isEmpty ? nil : ops
    }

    /// Reads raw text up to (not including) the first `close` byte at bracket depth 0 and
    /// consumes the closer; trims spaces. Throws r(132) when the closer is missing.
    mutating func readRaw(until close: UInt8) throws -> String {
        let start = pos
        var depth = 0
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 40 || c == 91 { depth += 1 }
            if (c == 41 || c == 93) {
                if depth == 0 {
                    guard c == close else { throw StataError(132, "too few ')' or ']'") }
                    let s = String(decoding: bytes[start..<pos], as: UTF8.self)
                    pos += 1
                    return s.trimmingCharacters(in: .whitespaces)
                }
                depth -= 1
            }
            pos += 1
        }
        throw StataError(132, "too few ')' or ']'")
    }

    /// Reads raw text up to a top-level comma (consumed), trimmed; used by el(M, i, j).
    mutating func readRawUntilComma() throws -> String {
        let start = pos
        var depth = 0
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 40 { depth += 1 } else if c == 41 { if depth == 0 { break }; depth -= 1 }
            else if c == 44 && depth == 0 { break }
            pos += 1
        }
        guard pos < bytes.count, bytes[pos] == 44 else { throw StataError(198, "invalid syntax") }
        let s = String(decoding: bytes[start..<pos], as: UTF8.self)
        pos += 1
        return s.trimmingCharacters(in: .whitespaces)
    }
}

import Foundation
