// Factor-variable and time-series varlists of estimation commands, in two steps as Stata does:
//
//   parse   text → terms (`x`, `i.x`, `ib2013.year`, `ibn.x`, `1.treat#1.post`, `i.a##c.x`,
//           `L(0/2).x`, `D.x`) without looking at the data beyond variable names;
//   expand  terms + estimation sample → named numeric columns (`2004.year`, `1.treat#1.post`,
//           `c.x#c.z`, `L2.x`) with Stata's base/omitted markers.
//
// Base levels: the lowest level in the sample unless `ib#.`/`ib(first|last|freq).` says otherwise,
// none with `ibn.`. In an interaction a cell whose factor components are at their base levels is
// kept out of the fit (b = 0) when the model also holds the lower-order term left after removing
// those components (the constant counts as the empty term): that is how `i.a##i.b` gets
// `0b.a#1o.b` while `i.a#i.b` alone estimates every cell but the all-base one.

import DidFrame
import Foundation

/// How a factor component picks its base level.
enum FactorBase: Equatable {
    case lowest, highest, mostFrequent, level(Double), none
}

/// One component of an interaction term: a factor or a continuous (possibly lagged) variable.
enum TermComponent: Equatable {
    /// `i.x`, `ib#.x`, `ibn.x`; `levels` restricts to listed levels (`1.x`, `i(1 2).x`).
    case factor(variable: String, base: FactorBase, levels: [Double]?)
    /// `x`, `c.x`, `L2.x`: time-series operators as (letter, order), applied right to left.
    case continuous(variable: String, ops: [TSOperator])

    /// Identity for "is this lower-order term in the model" (`i.a`, `c.L.x`).
    var key: String {
        switch self {
        case .factor(let v, _, _): return "i.\(v)"
        case .continuous(let v, let ops): return "c.\(TSOperator.prefix(ops))\(v)"
        }
    }

    var variable: String {
        switch self { case .factor(let v, _, _), .continuous(let v, _): return v }
    }
}

/// A time-series operator `L#`, `F#`, `D#`, `S#`.
struct TSOperator: Equatable {
    var letter: Character
    var order: Int

    /// Stata's name prefix: `L.`, `L2.`, `LD.`; empty for no operator (or `L0`).
    static func prefix(_ ops: [TSOperator]) -> String {
        let text = ops.filter { $0.order != 0 }.map { $0.order == 1 ? String($0.letter) : "\($0.letter)\($0.order)" }.joined()
        return text.isEmpty ? "" : text + "."
    }
}

/// A model term: an interaction of one or more components.
struct ModelTerm: Equatable {
    var components: [TermComponent]
    /// Sorted component keys: the term's identity regardless of order.
    var key: String { components.map(\.key).sorted().joined(separator: "#") }
}

/// Whether a design column is estimated or held at zero by construction.
public enum DesignStatus: Sendable, Equatable {
    /// Estimated (passed to the regression engine).
    case free
    /// Base level (`0b.treat`): b = 0, not shown in tables.
    case base
    /// Cell omitted because a component is at its base and the lower-order term is in the model.
    case omittedBase
    /// Interaction cell without observations in the sample.
    case empty
}

/// One column of the design matrix with its Stata name.
public struct DesignColumn: Sendable {
    /// Stata name as posted in e(b) (`2004.year`, `0b.treat#1o.post`, `c.x#c.z`, `L.x`).
    public var name: String
    /// Values over all observations (missing outside where they can be computed).
    public var values: [Double]
    /// Estimated or fixed at zero.
    public var status: DesignStatus
}

/// Parsing and expansion of factor-variable/time-series varlists.
enum FactorVarlist {
    // MARK: Parse

    /// varlist := term+ ; term := part ('#' part)* | part ('##' part)+
    static func parse(_ text: String, _ s: Session) throws -> [ModelTerm] {
        var terms: [ModelTerm] = []
        for word in try tokens(text).flatMap(distributeGroup) {
            if !word.contains(".") && !word.contains("#") {
                for v in try s.varlist(word) { terms.append(ModelTerm(components: [.continuous(variable: v, ops: [])])) }
                continue
            }
            let groups = word.components(separatedBy: "##")
            guard !groups.contains(where: \.isEmpty) else { throw StataError(198, "\(word): invalid interaction") }
            // Each group may itself be an a#b interaction and expand (numlists) into several.
            let parsed = try groups.map { g -> [[TermComponent]] in
                let parts = g.split(separator: "#", omittingEmptySubsequences: false).map(String.init)
                guard !parts.contains(where: \.isEmpty) else { throw StataError(198, "\(word): invalid interaction") }
                var combos: [[TermComponent]] = [[]]
                for p in parts {
                    let alts = try component(p, s, interacted: parts.count > 1 || groups.count > 1)
                    combos = combos.flatMap { c in alts.map { c + [$0] } }
                }
                return combos
            }
            // `c.x##c.x` gives x once: identical terms from one ## expansion are kept once.
            var seen = Set<String>()
            for subset in factorialSubsets(groups.count) {
                var combos: [[TermComponent]] = [[]]
                for g in subset { combos = combos.flatMap { c in parsed[g].map { c + $0 } } }
                for c in combos {
                    let t = ModelTerm(components: dedupe(c))
                    if seen.insert(t.key + "|" + name(t)).inserted { terms.append(t) }
                }
            }
        }
        return terms
    }

    /// Splits a varlist at blanks, keeping `L(0 2).x` and `i(1 2).x` together.
    static func tokens(_ text: String) throws -> [String] {
        var out: [String] = [], cur = "", depth = 0
        for ch in text {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if (ch == " " || ch == "\t") && depth == 0 {
                if !cur.isEmpty { out.append(cur); cur = "" }
            } else { cur.append(ch) }
        }
        guard depth == 0 else { throw StataError(198, "unmatched parenthesis in varlist") }
        if !cur.isEmpty { out.append(cur) }
        // `x1 - x5` written with blanks.
        var merged: [String] = []
        var i = 0
        while i < out.count {
            if i + 2 < out.count && out[i + 1] == "-" { merged.append(out[i] + "-" + out[i + 2]); i += 3 } else { merged.append(out[i]); i += 1 }
        }
        return merged
    }

    /// `L(0/2).(k ys)` → `L(0/2).k L(0/2).ys`: an operator applied to a parenthesised varlist.
    static func distributeGroup(_ word: String) -> [String] {
        guard let r = word.range(of: ".("), word.hasSuffix(")"), !word.contains("#") else { return [word] }
        let ops = word[..<r.lowerBound]
        let inner = word[r.upperBound..<word.index(before: word.endIndex)]
        return inner.split(separator: " ").map { "\(ops).\($0)" }
    }

    /// Subsets of `n` ##-groups in Stata's order: main effects, then two-way, … up to all.
    static func factorialSubsets(_ n: Int) -> [[Int]] {
        if n == 1 { return [[0]] }
        var all: [[Int]] = []
        for mask in 1..<(1 << n) { all.append((0..<n).filter { mask & (1 << $0) != 0 }) }
        return all.sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// `i.a#i.a` is `i.a`: a factor interacted with itself adds nothing.
    static func dedupe(_ c: [TermComponent]) -> [TermComponent] {
        var out: [TermComponent] = []
        for x in c {
            if case .factor(let v, _, _) = x, out.contains(where: { if case .factor(let w, _, _) = $0 { return w == v }; return false }) { continue }
            out.append(x)
        }
        return out
    }

    /// part := [ops '.'] varname ; ops := c | i | ib# | ib(first|last|freq|#) | ibn | i(numlist) | # | tsops
    static func component(_ text: String, _ s: Session, interacted: Bool) throws -> [TermComponent] {
        guard let dot = text.lastIndex(of: ".") else {
            // A bare name inside an interaction is a factor in Stata (`a#b` = `i.a#i.b`).
            let v = try variable(text, s)
            return [interacted ? .factor(variable: v, base: .lowest, levels: nil) : .continuous(variable: v, ops: [])]
        }
        let ops = String(text[..<dot]), name = String(text[text.index(after: dot)...])
        let v = try variable(name, s)
        let lower = ops.lowercased()
        if lower == "c" { return [.continuous(variable: v, ops: [])] }
        if lower == "i" { return [.factor(variable: v, base: .lowest, levels: nil)] }
        if lower == "ibn" || lower == "bn" { return [.factor(variable: v, base: .none, levels: nil)] }
        if lower.hasPrefix("ib") {
            var arg = String(lower.dropFirst(2))
            if arg.hasPrefix("(") && arg.hasSuffix(")") { arg = String(arg.dropFirst().dropLast()) }
            switch arg {
            case "first": return [.factor(variable: v, base: .lowest, levels: nil)]
            case "last": return [.factor(variable: v, base: .highest, levels: nil)]
            case "freq": return [.factor(variable: v, base: .mostFrequent, levels: nil)]
            default:
                guard let l = Double(arg), l >= 0, l == l.rounded() else { throw StataError(198, "\(text): invalid base level") }
                return [.factor(variable: v, base: .level(l), levels: nil)]
            }
        }
        if lower.hasPrefix("i(") && lower.hasSuffix(")") {
            let levels = try numlist(String(lower.dropFirst(2).dropLast())).map(Double.init)
            return [.factor(variable: v, base: .none, levels: levels)]
        }
        if let l = Int(ops), l >= 0 { return [.factor(variable: v, base: .none, levels: [Double(l)])] }
        return try timeSeries(ops, v).map { .continuous(variable: v, ops: $0) }
    }

    static func variable(_ name: String, _ s: Session) throws -> String {
        let names = try s.varlist(name)
        guard names.count == 1 else { throw StataError(198, "\(name): one variable expected") }
        let c = s.frame.column(names[0])!
        if c.isString { throw StataError(109, "string variables may not be used as factor or continuous variables") }
        return names[0]
    }

    /// tsops := (letter [# | '(' numlist ')'])+ ; a numlist gives one operator chain per number.
    static func timeSeries(_ ops: String, _ v: String) throws -> [[TSOperator]] {
        var chains: [[TSOperator]] = [[]]
        let chars = Array(ops.uppercased())
        var i = 0
        while i < chars.count {
            let letter = chars[i]
            guard "LFDS".contains(letter) else { throw StataError(198, "\(ops).\(v): unknown operator") }
            i += 1
            var orders = [1]
            if i < chars.count && chars[i] == "(" {
                guard let close = chars[i...].firstIndex(of: ")") else { throw StataError(198, "\(ops): unmatched parenthesis") }
                orders = try numlist(String(chars[(i + 1)..<close]))
                i = close + 1
            } else {
                var digits = ""
                while i < chars.count && chars[i].isASCII && chars[i].isNumber { digits.append(chars[i]); i += 1 }
                if !digits.isEmpty {
                    guard let k = Int(digits), k <= 10_000 else { throw StataError(198, "\(ops).\(v): invalid operator order") }
                    orders = [k]
                }
            }
            chains = chains.flatMap { c in orders.map { c + [TSOperator(letter: letter, order: $0)] } }
        }
        return chains.map(canonical)
    }

    /// Stata's canonical operator form: leads and lags netted (`FL.x` = `x`, `LL.x` = `L2.x`),
    /// differences summed, then `L#`/`F#`, `D#`, `S#…` in that order (the operators commute).
    static func canonical(_ ops: [TSOperator]) -> [TSOperator] {
        var lag = 0, diff = 0, seasonal: [Int] = []
        for op in ops {
            switch op.letter {
            case "L": lag += op.order
            case "F": lag -= op.order
            case "D": diff += op.order
            default: if op.order > 0 { seasonal.append(op.order) }
            }
        }
        var out: [TSOperator] = []
        if lag != 0 { out.append(TSOperator(letter: lag > 0 ? "L" : "F", order: abs(lag))) }
        if diff != 0 { out.append(TSOperator(letter: "D", order: diff)) }
        out += seasonal.map { TSOperator(letter: "S", order: $0) }
        return out
    }

    /// numlist := # | #/# | # # …
    static func numlist(_ text: String) throws -> [Int] {
        var out: [Int] = []
        for w in text.split(whereSeparator: { $0 == " " || $0 == "," }) {
            let p = w.split(separator: "/")
            if p.count == 2, let a = Int(p[0]), let b = Int(p[1]), a <= b, b - a <= 10_000 { out += Array(a...b) }
            else if p.count == 1, let a = Int(p[0]) { out.append(a) }
            else { throw StataError(121, "invalid numlist: \(text)") }
        }
        guard !out.isEmpty else { throw StataError(121, "invalid numlist") }
        return out
    }

    // MARK: Expand

    /// Variables the terms read (for marking the sample).
    static func variables(_ terms: [ModelTerm]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for t in terms { for c in t.components where seen.insert(c.variable).inserted { out.append(c.variable) } }
        return out
    }

    /// Full-length values of each continuous component (lags computed), keyed by component key.
    static func continuousColumns(_ terms: [ModelTerm], _ s: Session) throws -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for t in terms {
            for c in t.components {
                guard case .continuous(let v, let ops) = c, out[c.key] == nil else { continue }
                out[c.key] = try TimeSeriesColumn.apply(ops, to: s.frame.column(v)!.nums, s)
            }
        }
        return out
    }

    /// Expands terms over the sample `touse` (rows already free of missing values).
    static func expand(_ terms: [ModelTerm], touse: [Bool], continuous: [String: [Double]],
                       hasConstant: Bool, _ s: Session) throws -> [DesignColumn] {
        let keys = Set(terms.map(\.key))
        let n = touse.count
        var out: [DesignColumn] = []
        for t in terms {
            // Levels and base of each factor component.
            var levels: [[Double]] = [], bases: [Double?] = []
            for c in t.components {
                guard case .factor(let v, let base, let listed) = c else { levels.append([]); bases.append(nil); continue }
                let x = s.frame.column(v)!.nums
                var counts: [Double: Int] = [:]
                for i in 0..<n where touse[i] {
                    let value = x[i]
                    if value < 0 { throw StataError(452, "factor variables may not contain negative values") }
                    if value != value.rounded() { throw StataError(452, "factor variables may not contain noninteger values") }
                    counts[value, default: 0] += 1
                }
                var lv = counts.keys.sorted()
                if let l = listed { lv = l }
                levels.append(lv)
                switch base {
                case .lowest: bases.append(lv.first)
                case .highest: bases.append(lv.last)
                case .mostFrequent: bases.append(lv.max { (counts[$0] ?? 0, -$0) < (counts[$1] ?? 0, -$1) })
                case .level(let l): bases.append(l)
                case .none: bases.append(nil)
                }
            }
            // Every cell becomes a full-length column: refuse sizes no machine holds (Stata r(134)).
            let cellCount = levels.reduce(1.0) { $0 * Double(max($1.count, 1)) }
            if cellCount > 50_000 || cellCount * Double(n) > 2e9 {
                throw StataError(134, "too many values: \(t.components.map(\.variable).joined(separator: "#")) has \(Int(min(cellCount, 1e15))) cells")
            }
            for cell in cells(levels, t.components) {
                out.append(try column(t, cell: cell, bases: bases, keys: keys, hasConstant: hasConstant,
                                      touse: touse, continuous: continuous, s))
            }
        }
        return out
    }

    /// Cartesian product of factor levels, first component slowest (continuous components: one slot).
    static func cells(_ levels: [[Double]], _ comps: [TermComponent]) -> [[Double?]] {
        var out: [[Double?]] = [[]]
        for (k, c) in comps.enumerated() {
            if case .factor = c { out = out.flatMap { p in levels[k].map { p + [$0] } } } else { out = out.map { $0 + [nil] } }
        }
        return out
    }

    /// One design column for one cell of a term.
    static func column(_ t: ModelTerm, cell: [Double?], bases: [Double?], keys: Set<String>, hasConstant: Bool,
                       touse: [Bool], continuous: [String: [Double]], _ s: Session) throws -> DesignColumn {
        let n = touse.count
        let atBase = t.components.indices.filter { cell[$0] != nil && bases[$0] == cell[$0] }
        var status = DesignStatus.free
        if !atBase.isEmpty {
            let rest = t.components.indices.filter { !atBase.contains($0) }.map { t.components[$0].key }.sorted().joined(separator: "#")
            // A main effect keeps its base even under noconstant (Stata: use ibn. for all levels).
            let lowerPresent = rest.isEmpty ? (hasConstant || t.components.count == 1) : keys.contains(rest)
            if lowerPresent { status = atBase.count == t.components.count ? .base : .omittedBase }
        }
        var values = [Double](repeating: 1, count: n)
        for (k, c) in t.components.enumerated() {
            switch c {
            case .factor(let v, _, _):
                let x = s.frame.column(v)!.nums, l = cell[k]!
                for i in 0..<n { values[i] = Missing.isMissing(x[i]) ? Missing.dot : (x[i] == l ? values[i] : 0) }
            case .continuous:
                let x = continuous[c.key]!
                for i in 0..<n { values[i] = Missing.isMissing(x[i]) || Missing.isMissing(values[i]) ? Missing.dot : values[i] * x[i] }
            }
        }
        if status == .free && t.components.contains(where: { if case .factor = $0 { return true }; return false }) {
            // An interaction cell that never occurs in the sample.
            var occurs = false
            let factorIdx = t.components.indices.filter { cell[$0] != nil }
            let cols = factorIdx.map { s.frame.column(t.components[$0].variable)!.nums }
            for i in 0..<n where touse[i] && factorIdx.indices.allSatisfy({ cols[$0][i] == cell[factorIdx[$0]]! }) { occurs = true; break }
            if !occurs { status = .empty }
        }
        return DesignColumn(name: name(t, cell: cell, bases: bases, status: status), values: values, status: status)
    }

    /// A term's name without levels (identity of a ## product, including explicit levels).
    static func name(_ t: ModelTerm) -> String {
        t.components.map { c -> String in
            if case .factor(let v, _, let l) = c { return "\(l?.map(levelText).joined(separator: ",") ?? "i").\(v)" }
            return c.key
        }.joined(separator: "#")
    }

    /// Stata's column name: `2004.year`, `0b.treat`, `0b.treat#1o.post`, `c.x#c.z`, `L2.x`.
    static func name(_ t: ModelTerm, cell: [Double?], bases: [Double?], status: DesignStatus) -> String {
        let single = t.components.count == 1
        return t.components.enumerated().map { k, c -> String in
            switch c {
            case .factor(let v, _, _):
                let l = cell[k]!
                let isBase = bases[k] == l
                var mark = ""
                if status == .base || (status == .omittedBase && isBase) { mark = isBase ? "b" : "o" }
                else if status == .omittedBase || status == .empty { mark = "o" }
                return "\(levelText(l))\(mark).\(v)"
            case .continuous(let v, let ops):
                let prefix = TSOperator.prefix(ops)
                if single { return prefix + v }
                let o = (status == .omittedBase || status == .empty) ? "o" : ""
                return prefix.isEmpty ? "c\(o).\(v)" : "\(o)\(prefix)\(v)"
            }
        }.joined(separator: "#")
    }

    static func levelText(_ l: Double) -> String { l.magnitude < 1e15 ? String(Int64(l)) : String(l) }

    /// The name Stata gives a column the fit omitted for collinearity (`o.x`, `2004o.year`).
    static func omittedName(_ name: String) -> String {
        if !name.contains("#") && !name.contains(".") { return "o." + name }
        return name.split(separator: "#").map { part -> String in
            let p = String(part)
            guard let dot = p.firstIndex(of: ".") else { return "o." + p }
            let head = String(p[..<dot]), tail = String(p[dot...])
            if head == "c" { return "co" + tail }
            if let last = head.last, last == "b" || last == "o" { return p }
            if head.allSatisfy(\.isNumber) { return head + "o" + tail }
            return "o" + head + tail
        }.joined(separator: "#")
    }
}
