// foreach / forvalues, and numlist expansion (shared with commands that take numlists).

import DidFrame
import Foundation

extension Session {
    /// foreach name {in|of local|of global|of varlist|of newlist|of numlist} list
    func runForeach(header: String, body: [Stmt]) throws {
        let text = try expand(header)
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count >= 2 else { throw StataError(198, "invalid syntax") }
        let name = words.removeFirst()
        let kind = words.removeFirst()
        var items: [String]
        if kind == "in" {
            items = Tokenizer.words(words.joined(separator: " "))
        } else if kind == "of" {
            guard !words.isEmpty else { throw StataError(198, "invalid syntax") }
            let listKind = words.removeFirst()
            let rest = words.joined(separator: " ")
            switch listKind {
            case "local": items = Tokenizer.words(local(rest) ?? "")
            case "global": items = Tokenizer.words(globals[rest] ?? "")
            case "varlist": items = try varlist(rest)
            case "newlist", "newvarlist": items = Tokenizer.words(rest)
            case "numlist": items = try Numlist.expand(rest).map(Session.macroText)
            default: throw StataError(198, "invalid syntax: foreach … of \(listKind)")
            }
        } else {
            throw StataError(198, "invalid syntax: foreach \(name) \(kind)")
        }
        for item in items {
            setLocal(name, item)
            do { try execute(body) } catch ControlFlow.continueLoop { continue } catch ControlFlow.breakLoop { break }
        }
    }

    /// forvalues name = a/b | a(d)b | a b to c
    func runForvalues(header: String, body: [Stmt]) throws {
        let text = try expand(header)
        guard let eq = text.firstIndex(of: "=") else { throw StataError(198, "invalid syntax") }
        let name = text[..<eq].trimmingCharacters(in: .whitespaces)
        let range = text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        let (start, step, end) = try Numlist.range(range)
        guard step != 0 else { throw StataError(198, "invalid numlist: step 0") }
        var k = 0.0
        while true {
            let v = start + k * step
            if step > 0 ? v > end + 1e-9 * abs(step) : v < end - 1e-9 * abs(step) { break }
            setLocal(name, Session.macroText(v))
            k += 1
            do { try execute(body) } catch ControlFlow.continueLoop { continue } catch ControlFlow.breakLoop { break }
        }
    }
}

/// Stata numlists: `1/5`, `1(2)9`, `10(-1)1`, `1 2 3`, `2 4 to 10`.
public enum Numlist {
    /// Parses one range element into (start, step, end).
    static func range(_ s: String) throws -> (Double, Double, Double) {
        let t = s.replacingOccurrences(of: " ", with: "")
        if let slash = t.firstIndex(of: "/"), let a = Double(t[..<slash]), let b = Double(t[t.index(after: slash)...]) {
            return (a, a <= b ? 1 : -1, b)
        }
        if let open = t.firstIndex(of: "("), let close = t.firstIndex(of: ")"), open < close,
           let a = Double(t[..<open]), let d = Double(t[t.index(after: open)..<close]), let b = Double(t[t.index(after: close)...]) {
            return (a, d, b)
        }
        let w = s.split(separator: " ").map(String.init)
        if w.count == 4, w[2] == "to" || w[2] == ":", let a = Double(w[0]), let b = Double(w[1]), let c = Double(w[3]) {
            return (a, b - a, c)
        }
        throw StataError(121, "invalid numlist")
    }

    /// Expands a numlist into numbers.
    public static func expand(_ s: String) throws -> [Double] {
        var out: [Double] = []
        let parts = s.split(separator: " ").map(String.init)
        var i = 0
        while i < parts.count {
            let p = parts[i]
            if i + 2 < parts.count, parts[i + 2] == "to" || parts[i + 2] == ":", i + 3 < parts.count {
                let (a, d, b) = try range("\(p) \(parts[i + 1]) to \(parts[i + 3])")
                out += steps(a, d, b); i += 4; continue
            }
            if let v = Double(p) { out.append(v); i += 1; continue }
            if p == "." { out.append(Missing.dot); i += 1; continue }
            let (a, d, b) = try range(p)
            guard d != 0 else { throw StataError(121, "invalid numlist") }
            out += steps(a, d, b)
            i += 1
        }
        if out.count > 1_000_000 { throw StataError(121, "invalid numlist has too many elements") }
        return out
    }

    static func steps(_ a: Double, _ d: Double, _ b: Double) -> [Double] {
        var r: [Double] = []
        var k = 0.0
        while true {
            let v = a + k * d
            if d > 0 ? v > b + 1e-9 * abs(d) : v < b - 1e-9 * abs(d) { break }
            r.append((v * 1e9).rounded() / 1e9); k += 1
            if r.count > 1_000_000 { break }
        }
        return r
    }
}

/// Splits text into words as Stata does for macro lists: whitespace separates, `"…"` and
/// compound quotes bind (the quotes are removed).
public enum Tokenizer {
    public static func words(_ s: String) -> [String] {
        var out: [String] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            while i < b.count && (b[i] == 32 || b[i] == 9) { i += 1 }
            if i >= b.count { break }
            if b[i] == 96 && i + 1 < b.count && b[i + 1] == 34 {
                var depth = 1, j = i + 2
                while j < b.count {
                    if b[j] == 96 && j + 1 < b.count && b[j + 1] == 34 { depth += 1; j += 2; continue }
                    if b[j] == 34 && j + 1 < b.count && b[j + 1] == 39 { depth -= 1; if depth == 0 { break }; j += 2; continue }
                    j += 1
                }
                out.append(String(decoding: b[(i + 2)..<min(j, b.count)], as: UTF8.self))
                i = j + 2
            } else if b[i] == 34 {
                var j = i + 1
                while j < b.count && b[j] != 34 { j += 1 }
                out.append(String(decoding: b[(i + 1)..<min(j, b.count)], as: UTF8.self))
                i = j + 1
            } else {
                let start = i
                while i < b.count && b[i] != 32 && b[i] != 9 { i += 1 }
                out.append(String(decoding: b[start..<i], as: UTF8.self))
            }
        }
        return out
    }
}
