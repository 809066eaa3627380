// The small grammars inside graph options: text arguments (`title("a" "b", size(small))`),
// numlists (`0(5)20`, `-4/5`), `name = text` pairs (coefplot's rename/coeflabels), colours,
// line patterns and widths. Every function checks its input and throws r(198) in Stata's words.

import DidFrame
import DidGraph
import Foundation

/// Parsing helpers for the arguments of graph options.
enum GraphArgs {
    /// `main [, suboptions]`: splits at the first comma outside quotes and parentheses.
    static func splitComma(_ text: String) throws -> (main: String, options: [ParsedOption]) {
        let bytes = Array(text.utf8)
        guard let c = CommandCall.topLevelIndex(of: 44, in: bytes) else {
            return (text.trimmingCharacters(in: .whitespaces), [])
        }
        let main = String(decoding: bytes[..<c], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        let rest = String(decoding: bytes[(c + 1)...], as: UTF8.self)
        return (main, try CommandCall.parseOptions(rest))
    }

    /// The quoted strings of `"a" "b"` (each a line in Stata), or the bare text as one string.
    static func strings(_ text: String) -> [String] {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("\"") || t.hasPrefix("`\"") else { return t.isEmpty ? [] : [t] }
        var out: [String] = []
        var rest = Substring(t)
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if rest.hasPrefix("`\"") {
                let body = rest.dropFirst(2)
                guard let end = body.range(of: "\"'") else { out.append(String(body)); break }
                out.append(String(body[..<end.lowerBound]))
                rest = body[end.upperBound...]
            } else if rest.hasPrefix("\"") {
                let body = rest.dropFirst()
                guard let end = body.firstIndex(of: "\"") else { out.append(String(body)); break }
                out.append(String(body[..<end]))
                rest = body[body.index(after: end)...]
            } else {
                // Bare words after quoted ones: keep them as their own line.
                let word = rest.prefix { $0 != "\"" && $0 != "`" }
                let w = word.trimmingCharacters(in: .whitespaces)
                if !w.isEmpty { out.append(w) }
                rest = rest[word.endIndex...]
                if rest.hasPrefix("`") && !rest.hasPrefix("`\"") { rest = rest.dropFirst() }
            }
        }
        return out
    }

    /// A text option (`title()`): its strings joined by a space, suboptions ignored; nil for `""`.
    static func text(_ argument: String?) throws -> String? {
        guard let a = argument else { return nil }
        let (main, _) = try splitComma(a)
        let joined = strings(main).joined(separator: " ")
        return joined.isEmpty ? nil : joined
    }

    /// A number, or r(198) naming the option.
    static func number(_ text: String, _ option: String) throws -> Double {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "." { return .nan }
        guard let v = Double(t), v.isFinite else { throw StataError(198, "option \(option)(): \(t) is not a number") }
        return v
    }

    /// A positive integer, or r(198).
    static func count(_ text: String, _ option: String) throws -> Int {
        let v = try number(text, option)
        guard v >= 1, v == v.rounded(), v <= 1_000_000 else {
            throw StataError(198, "option \(option)() requires a positive integer")
        }
        return Int(v)
    }

    /// numlist := elem+ ; elem := # | #/# | #(#)# — Stata's numlist forms used in graph options.
    static func numlist(_ text: String) throws -> [Double] {
        var out: [Double] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
            if let open = token.firstIndex(of: "("), let close = token.firstIndex(of: ")"), open < close {
                let a = try number(String(token[..<open]), "numlist")
                let step = try number(String(token[token.index(after: open)..<close]), "numlist")
                let b = try number(String(token[token.index(after: close)...]), "numlist")
                try out += range(a, b, step)
            } else if let slash = token.dropFirst().firstIndex(of: "/") {
                let a = try number(String(token[..<slash]), "numlist")
                let b = try number(String(token[token.index(after: slash)...]), "numlist")
                try out += range(a, b, a <= b ? 1 : -1)
            } else {
                out.append(try number(token, "numlist"))
            }
        }
        return out
    }

    /// a, a+step, … up to b (allowing rounding slack of a millionth of a step).
    static func range(_ a: Double, _ b: Double, _ step: Double) throws -> [Double] {
        guard step != 0, (b - a) / step >= -1e-9 else { throw StataError(121, "invalid numlist") }
        let n = Int(((b - a) / step + 1e-6).rounded(.down))
        guard n <= 10_000 else { throw StataError(121, "invalid numlist has too many elements") }
        return (0...n).map { a + Double($0) * step }
    }

    /// `old = new …` pairs where new may be quoted (coefplot's rename() and coeflabels()).
    static func pairs(_ text: String) throws -> [(String, String)] {
        var out: [(String, String)] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if rest.isEmpty { break }
            guard let eq = rest.firstIndex(of: "=") else { throw StataError(198, "invalid pair list: \(text)") }
            let key = rest[..<eq].trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: eq)...].drop { $0 == " " || $0 == "\t" }
            var value: String
            if rest.hasPrefix("\"") {
                let body = rest.dropFirst()
                guard let end = body.firstIndex(of: "\"") else { throw StataError(198, "unmatched quote in \(text)") }
                value = String(body[..<end]); rest = body[body.index(after: end)...]
            } else {
                let word = rest.prefix { $0 != " " && $0 != "\t" }
                value = String(word); rest = rest[word.endIndex...]
            }
            guard !key.isEmpty else { throw StataError(198, "invalid pair list: \(text)") }
            for k in key.split(separator: " ") { out.append((String(k), value)) }
        }
        return out
    }

    /// A Stata colour (`navy`, `gs8`, `"255 0 0"`, `red%50`), or r(198).
    static func color(_ text: String) throws -> Color {
        let t = CommandCall.unquote(text)
        guard let c = Color.named(t) else { throw StataError(198, "color \(t) not found") }
        return c
    }

    /// A line pattern name, or r(198).
    static func pattern(_ text: String) throws -> LinePattern {
        let t = CommandCall.unquote(text)
        guard let p = LinePattern.named(t) else { throw StataError(198, "linepattern \(t) not found") }
        return p
    }

    /// A line width: Stata's names (`thin`, `medthick` …) or a number of points (1 pt ≈ 2 px here).
    static func width(_ text: String) throws -> Double {
        let named: [String: Double] = ["none": 0, "vvthin": 0.3, "vthin": 0.6, "thin": 1.0, "medthin": 1.3,
                                       "medium": 1.6, "medthick": 2.2, "thick": 3.0, "vthick": 4.0, "vvthick": 5.5]
        let t = CommandCall.unquote(text).lowercased()
        if let w = named[t] { return w }
        if let v = Double(t.replacingOccurrences(of: "pt", with: "")), v.isFinite, v >= 0 { return v * 2 }
        throw StataError(198, "linewidth \(t) not found")
    }

    /// A marker size: Stata's names or a number.
    static func markerSize(_ text: String) throws -> Double {
        let named: [String: Double] = ["tiny": 3, "vsmall": 4, "small": 5.5, "medsmall": 6.3, "medium": 7,
                                       "medlarge": 8, "large": 9.5, "vlarge": 12, "huge": 15]
        let t = CommandCall.unquote(text).lowercased()
        if let v = named[t] { return v }
        if let v = Double(t), v.isFinite, v >= 0 { return v * 2.5 }
        throw StataError(198, "markersizestyle \(t) not found")
    }

    /// A marker symbol, or r(198).
    static func symbol(_ text: String) throws -> MarkerSymbol {
        let t = CommandCall.unquote(text)
        guard let m = MarkerSymbol.named(t) else { throw StataError(198, "symbolstyle \(t) not found") }
        return m
    }

    /// Whether an option name `given` abbreviates `full` with at least `min` letters.
    static func matches(_ given: String, _ full: String, min: Int? = nil) -> Bool {
        let g = given.lowercased()
        return g.count >= (min ?? full.count) && g.count <= full.count && full.hasPrefix(g)
    }
}
