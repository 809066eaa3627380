// Varlist expansion: abbreviations, wildcards (`x*`, `*_r`, `x?`), ranges (`x1-x5`), `_all`.
// Factor-variable and time-series terms are parsed separately (FactorTerms.swift).

import DidFrame
import Foundation

extension Session {
    /// Expands a varlist into existing variable names, in the order written.
    public func varlist(_ text: String, allowEmpty: Bool = false) throws -> [String] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var out: [String] = []
        var i = 0
        while i < words.count {
            var w = words[i]
            // `x1 - x5` with spaces around the dash.
            if i + 2 < words.count && words[i + 1] == "-" { w = w + "-" + words[i + 2]; i += 2 }
            out += try expandTerm(w)
            i += 1
        }
        if out.isEmpty && !allowEmpty && !text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StataError(111, "variable \(text) not found")
        }
        if out.isEmpty && !allowEmpty { throw StataError(100, "varlist required") }
        return out
    }

    /// Expands one varlist word.
    func expandTerm(_ w: String) throws -> [String] {
        let names = frame.columns.map(\.name)
        if w == "_all" || w == "*" { return names }
        if w.contains("*") || w.contains("?") || w.contains("~") {
            let matched = names.filter { Self.wildcardMatch(w, $0) }
            guard !matched.isEmpty else { throw StataError(111, "variable \(w) not found") }
            if w.contains("~") && matched.count > 1 { throw StataError(111, "\(w) ambiguous abbreviation") }
            return matched
        }
        if let dash = w.firstIndex(of: "-"), dash != w.startIndex {
            let a = try resolveVariable(String(w[..<dash]))
            let b = try resolveVariable(String(w[w.index(after: dash)...]))
            guard a <= b else { throw StataError(198, "\(w): variables out of order") }
            return Array(names[a...b])
        }
        guard Self.isValidName(w) else { throw StataError(198, "\(w) invalid name") }
        return [frame.columns[try resolveVariable(w)].name]
    }

    /// `*` any characters, `?` one character, `~` like `*` but must match one variable.
    static func wildcardMatch(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern), n = Array(name)
        func m(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == n.count }
            if p[i] == "*" || p[i] == "~" { return (j...n.count).contains { m(i + 1, $0) } }
            if j == n.count { return false }
            return (p[i] == "?" || p[i] == n[j]) && m(i + 1, j + 1)
        }
        return m(0, 0)
    }

    /// A valid Stata name: letter or `_` first, then letters, digits, `_`; at most 32 characters.
    public static func isValidName(_ s: String) -> Bool {
        guard let f = s.utf8.first, s.utf8.count <= 32 else { return false }
        guard (f >= 65 && f <= 90) || (f >= 97 && f <= 122) || f == 95 else { return false }
        return s.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || ($0 >= 48 && $0 <= 57) }
    }

    /// Checks a name for a new variable: valid and not already used (r(110)).
    public func checkNewName(_ name: String) throws {
        guard Self.isValidName(name), !Self.reserved.contains(name) else { throw StataError(198, "\(name) invalid name") }
        if frame.index(of: name) != nil { throw StataError.alreadyDefined(name) }
    }

    static let reserved: Set<String> = ["_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int",
                                        "long", "_n", "_N", "_pi", "_pred", "_rc", "_se", "_skip", "str#", "strL", "using", "with"]
}
