// Extended macro functions: `local n : word count …`, `: word # of …`, `: list …`,
// `: display fmt exp`, `: variable label v`, `: type v`, `: format v`, `: value label v`,
// `: label (v) #`, `: piece`, `: length local`, `: dir`? (not supported), `: rownames M`.

import DidFrame
import Foundation

enum ExtendedMacros {
    static func evaluate(_ text: String, session: Session) throws -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        let words = t.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
        guard let fn = words.first else { throw StataError(198, "invalid syntax") }
        let rest = t.dropFirst(fn.count).trimmingCharacters(in: .whitespaces)
        switch fn {
        case "word":
            if words.count >= 3 && words[1] == "count" {
                return String(Tokenizer.words(String(rest.dropFirst(5))).count)
            }
            // word # of string
            let parts = rest.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count >= 2, parts[1] == "of", let k = Int(parts[0]) else { throw StataError(198, "invalid syntax") }
            let list = Tokenizer.words(parts.count > 2 ? parts[2] : "")
            return k >= 1 && k <= list.count ? list[k - 1] : ""
        case "list":
            return try listFunction(rest, session: session)
        case "display", "di", "dis":
            return try Display.render(String(rest), session: session)
        case "variable", "var":
            let p = rest.split(separator: " ").map(String.init)
            guard p.count == 2, p[0] == "label" || p[0] == "lab" else { throw StataError(198, "invalid syntax") }
            return session.frame.columns[try session.resolveVariable(p[1])].label
        case "type", "format":
            let c = session.frame.columns[try session.resolveVariable(String(rest))]
            return fn == "type" ? c.type.description : c.format
        case "value":
            let p = rest.split(separator: " ").map(String.init)
            guard p.count == 2 else { throw StataError(198, "invalid syntax") }
            return session.frame.columns[try session.resolveVariable(p[1])].valueLabel ?? ""
        case "label":
            // : label lblname # | : label (varname) #
            let p = rest.split(separator: " ").map(String.init)
            guard p.count >= 2, let v = Int(p[1]) else { throw StataError(198, "invalid syntax") }
            var lname = p[0]
            if lname.hasPrefix("(") {
                let vn = String(lname.dropFirst().dropLast())
                lname = session.frame.columns[try session.resolveVariable(vn)].valueLabel ?? ""
            }
            return session.frame.valueLabels[lname]?.mapping[v] ?? String(v)
        case "length":
            let p = rest.split(separator: " ").map(String.init)
            guard p.count == 2 else { throw StataError(198, "invalid syntax") }
            let v = p[0] == "local" ? session.local(p[1]) : session.globals[p[1]]
            return String((v ?? "").utf8.count)
        case "rownames", "colnames", "rowfullnames", "colfullnames":
            let m = try session.matrix(named: String(rest))
            return (fn.hasPrefix("row") ? m.rowNames : m.colNames).joined(separator: " ")
        case "rowsof", "colsof":
            let m = try session.matrix(named: String(rest))
            return String(fn == "rowsof" ? m.rows : m.cols)
        case "tempvar", "tempname", "tempfile":
            return session.tempName()
        default:
            throw StataError(198, "\(fn) not a valid extended macro function")
        }
    }

    /// `: list uniq A`, `sizeof A`, `A in B`, `A - B`, `A | B`, `A & B`, `sort A`, `retokenize A`.
    static func listFunction(_ text: String, session: Session) throws -> String {
        let w = text.split(separator: " ").map(String.init)
        func items(_ name: String) -> [String] { Tokenizer.words(session.local(name) ?? "") }
        if w.count == 2 {
            let a = items(w[1])
            switch w[0] {
            case "uniq": var seen = Set<String>(); return a.filter { seen.insert($0).inserted }.joined(separator: " ")
            case "dups": var seen = Set<String>(); return a.filter { !seen.insert($0).inserted }.joined(separator: " ")
            case "sizeof": return String(a.count)
            case "sort": return a.sorted().joined(separator: " ")
            case "retokenize", "clean": return a.joined(separator: " ")
            case "reverse": return a.reversed().joined(separator: " ")
            default: break
            }
        }
        if w.count == 3 {
            let a = items(w[0]), b = items(w[2])
            switch w[1] {
            case "in": return a.allSatisfy(b.contains) ? "1" : "0"
            case "-": return a.filter { !b.contains($0) }.joined(separator: " ")
            case "|": return (a + b.filter { !a.contains($0) }).joined(separator: " ")
            case "&": return a.filter(b.contains).joined(separator: " ")
            case "===", "==": return a == b ? "1" : "0"
            default: break
            }
        }
        throw StataError(198, "invalid list function: \(text)")
    }
}
