// String functions. Stata's classic string functions work on bytes (strlen, substr, strpos),
// and strupper/strlower change ASCII letters only; the u-prefixed Unicode variants are the
// ones that count characters (ustrlen is provided, the others are not).
import DidFrame
import Foundation

extension FunctionRegistry {
    static let strings: [String: Builtin] = [
        "strlen": str1num { Double($0.utf8.count) },
        "length": str1num { Double($0.utf8.count) },
        "ustrlen": str1num { Double($0.unicodeScalars.count) },
        "strupper": str1 { asciiCase($0, upper: true) },
        "upper": str1 { asciiCase($0, upper: true) },
        "strlower": str1 { asciiCase($0, upper: false) },
        "lower": str1 { asciiCase($0, upper: false) },
        "strtrim": str1 { trimBlanks($0, left: true, right: true) },
        "trim": str1 { trimBlanks($0, left: true, right: true) },
        "strltrim": str1 { trimBlanks($0, left: true, right: false) },
        "ltrim": str1 { trimBlanks($0, left: true, right: false) },
        "strrtrim": str1 { trimBlanks($0, left: false, right: true) },
        "rtrim": str1 { trimBlanks($0, left: false, right: true) },
        "stritrim": str1 { collapseBlanks($0) },
        "itrim": str1 { collapseBlanks($0) },
        "strreverse": str1 { String(decoding: $0.utf8.reversed(), as: UTF8.self) },
        "wordcount": str1num { Double(words($0).count) },
        "real": str1num { parseReal($0) },
        "substr": Builtin(arity: 3...3) { a, run in try substr(a, run) },
        "strpos": Builtin(arity: 2...2) { a, run in
            try a[0].requireString(); try a[1].requireString()
            return mapRowsNum(run.n, a) { k in Double(bytePosition(of: a[1].str(k), in: a[0].str(k))) }
        },
        "subinstr": Builtin(arity: 4...4) { a, run in try subinstr(a, run) },
        "word": Builtin(arity: 2...2) { a, run in
            try a[0].requireString(); try a[1].requireNumeric()
            return mapRowsStr(run.n, a) { k in
                let w = words(a[0].str(k)), i = a[1].num(k)
                guard !isMiss(i), abs(i) < 1e9 else { return "" }
                let n = Int(i.rounded(.towardZero))
                if n > 0 && n <= w.count { return w[n - 1] }
                if n < 0 && -n <= w.count { return w[w.count + n] }
                return ""
            }
        },
        "string": Builtin(arity: 1...2) { a, run in try stringOf(a, run) },
        "strofreal": Builtin(arity: 1...2) { a, run in try stringOf(a, run) },
        "strmatch": Builtin(arity: 2...2) { a, run in
            try a[0].requireString(); try a[1].requireString()
            return mapRowsNum(run.n, a) { k in globMatch(Array(a[0].str(k).utf8), Array(a[1].str(k).utf8)) ? 1 : 0 }
        },
        "regexm": Builtin(arity: 2...2) { a, run in try regexm(a, run) },
        "regexr": Builtin(arity: 3...3) { a, run in try regexr(a, run) },
        "regexs": Builtin(arity: 1...1) { a, run in try regexs(a, run) },
        "abbrev": Builtin(arity: 2...2) { a, run in
            try a[0].requireString(); try a[1].requireNumeric()
            return mapRowsStr(run.n, a) { k in
                let s = a[0].str(k), n = a[1].num(k)
                guard !isMiss(n), abs(n) < 1e9 else { return s }
                let w = max(5, min(32, Int(n)))
                guard s.utf8.count > w else { return s }
                let b = Array(s.utf8)
                return String(decoding: b[0..<(w - 1)], as: UTF8.self) + "~"
            }
        },
    ]

    /// A one-argument string → string function.
    static func str1(_ f: @escaping (String) -> String) -> Builtin {
        Builtin(arity: 1...1) { a, run in
            try a[0].requireString()
            return mapRowsStr(run.n, a) { k in f(a[0].str(k)) }
        }
    }

    /// A one-argument string → number function.
    static func str1num(_ f: @escaping (String) -> Double) -> Builtin {
        Builtin(arity: 1...1) { a, run in
            try a[0].requireString()
            return mapRowsNum(run.n, a) { k in f(a[0].str(k)) }
        }
    }

    static func asciiCase(_ s: String, upper: Bool) -> String {
        let b = s.utf8.map { c -> UInt8 in
            if upper && c >= 97 && c <= 122 { return c - 32 }
            if !upper && c >= 65 && c <= 90 { return c + 32 }
            return c
        }
        return String(decoding: b, as: UTF8.self)
    }

    static func trimBlanks(_ s: String, left: Bool, right: Bool) -> String {
        let u = s.utf8
        if (!left || u.first != 32) && (!right || u.last != 32) { return s }   // nothing to trim
        var b = Array(u)[...]
        if left { while let f = b.first, f == 32 { b = b.dropFirst() } }
        if right { while let l = b.last, l == 32 { b = b.dropLast() } }
        return String(decoding: b, as: UTF8.self)
    }

    static func collapseBlanks(_ s: String) -> String {
        var out: [UInt8] = []
        for c in s.utf8 {
            if c == 32, out.last == 32 { continue }
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Blank-separated words (Stata's word() and wordcount() treat runs of spaces as one).
    static func words(_ s: String) -> [String] {
        s.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }

    /// real(s): leading/trailing blanks ignored; `.`, `.a`…`.z` give missing codes; anything
    /// that is not a whole number literal gives `.`.
    static func parseReal(_ s: String) -> Double {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t == "." { return Missing.dot }
        if t.count == 2, t.hasPrefix("."), let c = t.last, let m = Missing.extended(letter: c) { return m }
        let b = Array(t.utf8)
        guard !b.isEmpty, b.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 43 || $0 == 45 || $0 == 101 || $0 == 69 }),
              let x = Double(t) else { return Missing.dot }
        return norm(x)
    }

    // substr(s, n1, n2): bytes; n1 < 0 counts from the end; n2 missing means "to the end".
    static func substr(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        try a[0].requireString(); try a[1].requireNumeric(); try a[2].requireNumeric()
        return mapRowsStr(run.n, a) { k in
            let b = Array(a[0].str(k).utf8)
            let n1 = a[1].num(k), n2 = a[2].num(k)
            guard !isMiss(n1), abs(n1) < 1e12 else { return "" }
            var start = Int(n1.rounded(.towardZero))
            if start < 0 { start = b.count + start + 1 }
            guard start >= 1, start <= b.count else { return "" }
            var len = b.count - start + 1
            if !isMiss(n2) {
                guard n2 >= 0 else { return "" }
                len = min(len, n2 < 1e12 ? Int(n2.rounded(.towardZero)) : len)
            }
            return String(decoding: b[(start - 1)..<(start - 1 + len)], as: UTF8.self)
        }
    }

    /// 1-based byte position of the first occurrence of `needle`, or 0.
    static func bytePosition(of needle: String, in hay: String) -> Int {
        let h = Array(hay.utf8), n = Array(needle.utf8)
        guard !n.isEmpty, n.count <= h.count else { return 0 }
        outer: for i in 0...(h.count - n.count) {
            for j in 0..<n.count where h[i + j] != n[j] { continue outer }
            return i + 1
        }
        return 0
    }

    // subinstr(s, from, to, n): the first n occurrences (n missing = all), left to right.
    static func subinstr(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        try a[0].requireString(); try a[1].requireString(); try a[2].requireString(); try a[3].requireNumeric()
        return mapRowsStr(run.n, a) { k in
            let h = Array(a[0].str(k).utf8), from = Array(a[1].str(k).utf8), to = Array(a[2].str(k).utf8)
            let limit = a[3].num(k)
            guard !from.isEmpty else { return a[0].str(k) }
            var remaining = isMiss(limit) ? Int.max : (limit <= 0 ? 0 : Int(min(limit, 1e15)))
            var out: [UInt8] = []
            var i = 0
            while i < h.count {
                if remaining > 0, i + from.count <= h.count, Array(h[i..<(i + from.count)]) == from {
                    out.append(contentsOf: to); i += from.count; remaining -= 1
                } else { out.append(h[i]); i += 1 }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    // string(x[, fmt]): %9.0g by default (Stata's documented default), leading blanks removed;
    // an invalid format gives "" (strofreal(225, "not a format") = "" in Stata's help).
    static func stringOf(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        if a[0].isString { throw StataError.typeMismatch() }
        if a.count > 1 { try a[1].requireString() }
        // Parse the format once when it is the same for every row (the usual case).
        var fixed: DisplayFormat.Spec? = nil
        if a.count == 1 || a[1].isConstant {
            let text = a.count > 1 ? a[1].str(0) : "%9.0g"
            guard let spec = DisplayFormat.Spec(text), !DisplayFormat.isString(text) else {
                return .strC("")
            }
            fixed = spec
        }
        return mapRowsStr(run.n, a) { k in
            let s: String?
            if let spec = fixed { s = try? DisplayFormat.format(a[0].num(k), spec: spec) }
            else { s = try? DisplayFormat.format(a[0].num(k), a[1].str(k)) }
            return trimBlanks(s ?? "", left: true, right: true)
        }
    }

    /// strmatch(): `*` any run, `?` one byte, everything else literal.
    static func globMatch(_ s: [UInt8], _ p: [UInt8]) -> Bool {
        var si = 0, pi = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count && (p[pi] == 63 || p[pi] == s[si]) { si += 1; pi += 1 }
            else if pi < p.count && p[pi] == 42 { star = pi; mark = si; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; si = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == 42 { pi += 1 }
        return pi == p.count
    }

    // MARK: regular expressions

    static func compiled(_ pattern: String, _ run: EvalRun) throws -> NSRegularExpression {
        if let r = run.regexCache[pattern] { return r }
        guard let r = try? NSRegularExpression(pattern: pattern, options: []) else {
            throw StataError(198, "regexp: invalid regular expression")
        }
        run.regexCache[pattern] = r
        return r
    }

    /// Captures of the first match (index 0 = whole match; unmatched groups are "").
    static func captures(_ s: String, _ r: NSRegularExpression) -> [String]? {
        let ns = s as NSString
        guard let m = r.firstMatch(in: s, options: [], range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (0..<m.numberOfRanges).map { i in
            let rg = m.range(at: i)
            return rg.location == NSNotFound ? "" : ns.substring(with: rg)
        }
    }

    // regexm(s, re): 1/0; remembers the captures per observation (vectorised) or as the last
    // match (scalar/sequential) for regexs().
    static func regexm(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        try a[0].requireString(); try a[1].requireString()
        let state = run.ctx.exprState
        if !run.sequential { state.rowCaptures = [:] }
        // An explicit loop, not mapRowsNum: even with constant arguments every row records
        // its own captures for regexs().
        var out = [Double](repeating: 0, count: run.n)
        for k in 0..<run.n {
            let r = try compiled(a[1].str(k), run)
            let caps = captures(a[0].str(k), r)
            if run.sequential {
                state.lastCaptures = caps
            } else {
                state.rowCaptures[run.rows.rows[k]] = caps ?? []   // [] marks "no match"
                if k == run.n - 1 { state.lastCaptures = caps }
            }
            out[k] = caps == nil ? 0 : 1
        }
        return .num(out)
    }

    // regexs(n): subexpression n (0–9) of the regexm() that ran for this observation, else of
    // the last one; "" when there was no match.
    static func regexs(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        try a[0].requireNumeric()
        let state = run.ctx.exprState
        // Not mapRowsStr: the argument is usually constant, yet each row has its own captures.
        var out = [String](repeating: "", count: run.n)
        for k in 0..<run.n {
            let i = a[0].num(k)
            guard !isMiss(i), i >= 0, i < 10 else { throw StataError(198, "regexs(): subexpression out of range") }
            let caps: [String]?
            if !run.sequential, let c = state.rowCaptures[run.rows.rows[k]] { caps = c }
            else { caps = state.lastCaptures }
            if let c = caps, Int(i) < c.count { out[k] = c[Int(i)] }
        }
        return .str(out)
    }

    // regexr(s, re, repl): the first match replaced by the literal text repl.
    static func regexr(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        try a[0].requireString(); try a[1].requireString(); try a[2].requireString()
        return try mapRowsStr(run.n, a) { k in
            let s = a[0].str(k)
            let r = try compiled(a[1].str(k), run)
            let ns = s as NSString
            guard let m = r.firstMatch(in: s, options: [], range: NSRange(location: 0, length: ns.length)) else { return s }
            return ns.replacingCharacters(in: m.range, with: a[2].str(k))
        }
    }
}
