// `matrix`: define from a literal `(1,2\3,4)`, copy (`matrix b = e(b)`), J(), I(), transpose,
// + - * of two matrices, element assignment `matrix A[1,2] = exp`, rownames/colnames, list, drop.

import DidFrame
import Foundation

enum MatrixCommand {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("matrix", minAbbreviation: 3, parsesSyntax: false) { call, s in try run(call.arguments, s) })
        MatrixData.register(in: r)
    }

    static func run(_ text: String, _ s: Session) throws {
        var t = text.trimmingCharacters(in: .whitespaces)
        let sub = BlockParser.firstWord(t)
        switch sub {
        case "list", "li", "l":
            let rest = String(t.dropFirst(sub.count)).split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            try list(rest, s); return
        case "drop", "dir":
            if sub == "dir" { for k in s.matrices.keys.sorted() { let m = s.matrices[k]!; s.line("  \(k)[\(m.rows),\(m.cols)]") }; return }
            for n in Tokenizer.words(String(t.dropFirst(4))) { if n == "_all" { s.matrices = [:] } else { s.matrices[n] = nil } }
            return
        case "rownames", "colnames", "rown", "coln", "roweq", "coleq":
            t = String(t.dropFirst(sub.count))
            guard let eq = t.firstIndex(of: "=") else { throw StataError(198, "invalid syntax") }
            let name = t[..<eq].trimmingCharacters(in: .whitespaces)
            var m = try s.matrix(named: name)
            let names = Tokenizer.words(String(t[t.index(after: eq)...]))
            if sub.hasPrefix("row") {
                guard names.count == m.rows else { throw StataError(503, "conformability error") }
                m.rowNames = names
            } else {
                guard names.count == m.cols else { throw StataError(503, "conformability error") }
                m.colNames = names
            }
            s.matrices[name] = m
            return
        case "define", "def", "de", "input":
            t = String(t.dropFirst(sub.count)).trimmingCharacters(in: .whitespaces)
        default: break
        }
        guard let eq = t.firstIndex(of: "=") else { throw StataError(198, "invalid syntax") }
        var lhs = t[..<eq].trimmingCharacters(in: .whitespaces)
        let rhs = t[t.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        if let open = lhs.firstIndex(of: "["), lhs.hasSuffix("]") {
            // Element assignment.
            let name = String(lhs[..<open])
            let idx = lhs[lhs.index(after: open)..<lhs.index(before: lhs.endIndex)].split(separator: ",").map(String.init)
            guard idx.count == 2 else { throw StataError(198, "invalid syntax") }
            var m = try s.matrix(named: name)
            let i = Int(try Display.evaluateNumber(idx[0], session: s)), j = Int(try Display.evaluateNumber(idx[1], session: s))
            guard i >= 1, j >= 1, i <= m.rows, j <= m.cols else { throw StataError(503, "conformability error") }
            m[i - 1, j - 1] = try Display.evaluateNumber(rhs, session: s)
            s.matrices[name] = m
            return
        }
        lhs = lhs.trimmingCharacters(in: .whitespaces)
        guard Session.isValidName(lhs) else { throw StataError(198, "\(lhs) invalid name") }
        s.matrices[lhs] = try evaluate(rhs, s)
    }

    /// Evaluates a small matrix expression.
    static func evaluate(_ text: String, _ s: Session) throws -> NamedMatrix {
        let t = text.trimmingCharacters(in: .whitespaces)
        // Binary + - * at top level (left to right, * before + -).
        for ops in [["+", "-"], ["*"]] {
            let b = Array(t.utf8)
            var depth = 0
            var i = b.count - 1
            while i > 0 {
                let c = b[i]
                if c == 41 { depth += 1 } else if c == 40 { depth -= 1 }
                if depth == 0, ops.contains(String(UnicodeScalar(c))) {
                    let left = try evaluate(String(decoding: b[..<i], as: UTF8.self), s)
                    let right = try evaluate(String(decoding: b[(i + 1)...], as: UTF8.self), s)
                    return try combine(left, right, op: c)
                }
                i -= 1
            }
        }
        if t.hasSuffix("'") { return transpose(try evaluate(String(t.dropLast()), s)) }
        if t.hasPrefix("(") && t.hasSuffix(")") {
            let inner = String(t.dropFirst().dropLast())
            let rows = inner.split(separator: "\\", omittingEmptySubsequences: false)
            var data: [[Double]] = []
            for r in rows {
                data.append(try r.split(separator: ",", omittingEmptySubsequences: false).map { try Display.evaluateNumber(String($0), session: s) })
            }
            let nr = data.count, nc = data.first?.count ?? 0
            guard data.allSatisfy({ $0.count == nc }) else { throw StataError(503, "conformability error") }
            var m = NamedMatrix(rows: nr, cols: nc)
            for i in 0..<nr { for j in 0..<nc { m[i, j] = data[i][j] } }
            return m
        }
        if t.hasPrefix("J(") && t.hasSuffix(")") {
            let a = t.dropFirst(2).dropLast().split(separator: ",").map(String.init)
            guard a.count == 3 else { throw StataError(198, "invalid syntax") }
            let r = Int(try Display.evaluateNumber(a[0], session: s)), c = Int(try Display.evaluateNumber(a[1], session: s))
            let v = try Display.evaluateNumber(a[2], session: s)
            guard r >= 1, c >= 1, r * c <= 10_000_000 else { throw StataError(198, "invalid matrix size") }
            return NamedMatrix(rows: r, cols: c, data: Array(repeating: v, count: r * c))
        }
        if t.hasPrefix("I(") && t.hasSuffix(")") {
            let n = Int(try Display.evaluateNumber(String(t.dropFirst(2).dropLast()), session: s))
            guard n >= 1, n <= 5000 else { throw StataError(198, "invalid matrix size") }
            var m = NamedMatrix(rows: n, cols: n)
            for i in 0..<n { m[i, i] = 1 }
            return m
        }
        return try s.matrix(named: t.replacingOccurrences(of: " ", with: ""))
    }

    static func transpose(_ m: NamedMatrix) -> NamedMatrix {
        var r = NamedMatrix(rows: m.cols, cols: m.rows, rowNames: m.colNames, colNames: m.rowNames)
        for i in 0..<m.rows { for j in 0..<m.cols { r[j, i] = m[i, j] } }
        return r
    }

    static func combine(_ a: NamedMatrix, _ b: NamedMatrix, op: UInt8) throws -> NamedMatrix {
        if op == 42 {
            if a.rows == 1 && a.cols == 1 { var r = b; r.data = b.data.map { $0 * a.data[0] }; return r }
            if b.rows == 1 && b.cols == 1 { var r = a; r.data = a.data.map { $0 * b.data[0] }; return r }
            guard a.cols == b.rows else { throw StataError(503, "conformability error") }
            var r = NamedMatrix(rows: a.rows, cols: b.cols, rowNames: a.rowNames, colNames: b.colNames)
            for i in 0..<a.rows { for j in 0..<b.cols { var acc = 0.0; for k in 0..<a.cols { acc += a[i, k] * b[k, j] }; r[i, j] = acc } }
            return r
        }
        guard a.rows == b.rows, a.cols == b.cols else { throw StataError(503, "conformability error") }
        var r = a
        for k in 0..<a.data.count { r.data[k] = op == 43 ? a.data[k] + b.data[k] : a.data[k] - b.data[k] }
        return r
    }

    static func list(_ name: String, _ s: Session) throws {
        let m = try s.matrix(named: name)
        s.line()
        s.line("\(name)[\(m.rows),\(m.cols)]")
        let w = max(10, (m.rowNames.map(\.count).max() ?? 0) + 1)
        var header = String(repeating: " ", count: w)
        for c in m.colNames { header += String(repeating: " ", count: max(1, 11 - c.count)) + c }
        s.line(header)
        for i in 0..<m.rows {
            var line = m.rowNames[i].padding(toLength: w, withPad: " ", startingAt: 0)
            for j in 0..<m.cols { line += " " + ((try? Fmt.format(m[i, j], "%10.0g")) ?? "") }
            s.line(line)
        }
    }
}
