// Macro substitution, performed on a statement's text just before it runs:
//   `name'  local          $name, ${name}  global        `=exp'  value of an expression
//   `:fn …' extended function                `++i' `i++' `--i' `i--'  increment in place
// Nested references expand inside out (`x`i''). Compound quotes `"…"' are left as written, but
// macros inside them expand. An undefined macro expands to nothing, as in Stata.

import DidFrame
import Foundation

/// What the expander needs from the session.
public protocol MacroScope: AnyObject {
    /// The local macro's value, or nil when undefined.
    func local(_ name: String) -> String?
    /// Sets a local macro.
    func setLocal(_ name: String, _ value: String)
    /// The global macro's value, or nil.
    func global(_ name: String) -> String?
    /// Evaluates `=exp` and formats the result as Stata does in a macro.
    func macroValue(ofExpression text: String) throws -> String
    /// `r(name)` etc. as macro text (empty when unset).
    func storedResultText(_ kind: Character, _ name: String) throws -> String
    /// Runs an extended macro function (`: word count …`) and returns its text.
    func extendedMacroFunction(_ text: String) throws -> String
}

/// Expands macros in statement text.
public enum MacroExpander {
    private static let maxDepth = 100

    /// Expands every macro reference in `text`.
    public static func expand(_ text: String, scope: MacroScope) throws -> String {
        guard text.contains("`") || text.contains("$") else { return text }
        var bytes = Array(text.utf8)[...]
        return try expand(&bytes, scope: scope, depth: 0, stopAtQuote: false)
    }

    private static func expand(_ s: inout ArraySlice<UInt8>, scope: MacroScope, depth: Int,
                               stopAtQuote: Bool) throws -> String {
        if depth > maxDepth { throw StataError(198, "macros nested too deeply") }
        var out: [UInt8] = []
        while let c = s.first {
            if stopAtQuote && c == 39 { s.removeFirst(); return String(decoding: out, as: UTF8.self) }
            if c == 96 {   // backtick
                let next = s.dropFirst().first
                if next == 34 {   // `" compound quote opener: keep
                    out.append(96); out.append(34); s.removeFirst(2); continue
                }
                s.removeFirst()
                let inner = try expand(&s, scope: scope, depth: depth + 1, stopAtQuote: true)
                out.append(contentsOf: Array(try resolveLocal(inner, scope: scope).utf8))
                continue
            }
            if c == 36 {   // $
                s.removeFirst()
                if s.first == 123 {   // ${name}
                    s.removeFirst()
                    var name: [UInt8] = []
                    while let d = s.first, d != 125 {
                        if d == 96 || d == 36 {
                            // nested macro inside ${…}
                            var sub = s
                            let piece = try expandOne(&sub, scope: scope, depth: depth + 1)
                            name.append(contentsOf: Array(piece.utf8)); s = sub; continue
                        }
                        name.append(d); s.removeFirst()
                    }
                    if s.first == 125 { s.removeFirst() }
                    out.append(contentsOf: Array((scope.global(String(decoding: name, as: UTF8.self)) ?? "").utf8))
                    continue
                }
                var name: [UInt8] = []
                if let d = s.first, isNameStart(d) {
                    while let d = s.first, isNameChar(d), name.count < 32 { name.append(d); s.removeFirst() }
                    out.append(contentsOf: Array((scope.global(String(decoding: name, as: UTF8.self)) ?? "").utf8))
                } else {
                    out.append(36)
                }
                continue
            }
            out.append(c); s.removeFirst()
        }
        if stopAtQuote {
            // A backtick without its closing quote: Stata leaves it; we treat it as text.
            return "`" + String(decoding: out, as: UTF8.self)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Expands one leading macro reference (used inside `${…}`).
    private static func expandOne(_ s: inout ArraySlice<UInt8>, scope: MacroScope, depth: Int) throws -> String {
        if s.first == 96 {
            s.removeFirst()
            let inner = try expand(&s, scope: scope, depth: depth + 1, stopAtQuote: true)
            return try resolveLocal(inner, scope: scope)
        }
        s.removeFirst()
        var name: [UInt8] = []
        while let d = s.first, isNameChar(d) { name.append(d); s.removeFirst() }
        return scope.global(String(decoding: name, as: UTF8.self)) ?? ""
    }

    /// Value of the text between a backtick and its quote (already expanded inside).
    private static func resolveLocal(_ inner: String, scope: MacroScope) throws -> String {
        if inner.hasPrefix("`") { return inner + "'" }     // unmatched: leave as text
        if inner.hasPrefix("=") { return try scope.macroValue(ofExpression: String(inner.dropFirst())) }
        if inner.hasPrefix(":") { return try scope.extendedMacroFunction(String(inner.dropFirst())) }
        if inner.hasPrefix("++") || inner.hasPrefix("--") {
            let name = String(inner.dropFirst(2))
            let v = (Double(scope.local(name) ?? "") ?? 0) + (inner.hasPrefix("++") ? 1 : -1)
            let text = formatNumber(v)
            scope.setLocal(name, text)
            return text
        }
        if inner.hasSuffix("++") || inner.hasSuffix("--") {
            let name = String(inner.dropLast(2))
            let old = scope.local(name) ?? ""
            let v = (Double(old) ?? 0) + (inner.hasSuffix("++") ? 1 : -1)
            scope.setLocal(name, formatNumber(v))
            return old
        }
        // `r(N)', `e(cmd)', `c(N)': stored results in macro form.
        if inner.count > 3, inner.hasSuffix(")"), let f = inner.first, "rces".contains(f), inner.dropFirst().first == "(" {
            return try scope.storedResultText(f, String(inner.dropFirst(2).dropLast()))
        }
        return scope.local(inner) ?? ""
    }

    /// Whole numbers print without a decimal point, others in shortest form.
    static func formatNumber(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    @inline(__always) static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
    }
    @inline(__always) static func isNameChar(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 48 && c <= 57)
    }
}
