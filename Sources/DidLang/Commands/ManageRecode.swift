// recode varlist (rule) … [if] [in] [, generate() prefix() label() copyrest] and rename's group
// form `rename (a b) (c d)` (simultaneous, so swaps work) alongside the plain `rename old new`.
//
// A rule is `numlist = value ["label"]`; the numlist holds numbers, ranges `a/b` (with `min` and
// `max`), `missing`, `nonmissing` and `else`/`*`. The first rule that matches a value wins.

import DidFrame
import Foundation

/// recode and rename.
enum ManageRecode {
    static let specs = [OptionSpec("generate", min: 1, .required), OptionSpec("prefix", min: 3, .required), OptionSpec("label", .required),
                        OptionSpec("copyrest"), OptionSpec("test")]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("recode", options: specs) { call, s in try recode(call, s) })
        r.register(ClosureCommand("rename", minAbbreviation: 3) { call, s in try rename(call, s) })
    }

    /// One element of a rule's left side.
    enum Match { case value(Double), range(Double?, Double?), missing, nonmissing, other }

    /// A parsed rule.
    struct Rule { var matches: [Match]; var target: Double?; var label: String? }

    /// `1 2 3/5 missing = 0 "label"` → Rule (target nil means `copy`).
    static func parseRule(_ text: String) throws -> Rule {
        let sides = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard sides.count == 2 else { throw StataError(198, "invalid rule (\(text))") }
        var right = Tokenizer.words(sides[1])
        guard let t = right.first else { throw StataError(198, "invalid rule (\(text))") }
        right.removeFirst()
        let target: Double? = t == "copy" ? nil : try number(t, text)
        var matches: [Match] = []
        for w in ManageKeys.words(sides[0]) {
            switch w {
            case "missing", "miss", "missi", "missin": matches.append(.missing)
            case "nonmissing", "nonmiss", "nonm", "nonmi", "nonmis", "nonmissi", "nonmissin": matches.append(.nonmissing)
            case "else", "*": matches.append(.other)
            default:
                if let slash = w.firstIndex(of: "/") {
                    let a = String(w[..<slash]), b = String(w[w.index(after: slash)...])
                    matches.append(.range(a == "min" ? nil : try number(a, text), b == "max" ? nil : try number(b, text)))
                } else if w == "min" { matches.append(.range(nil, -Double.infinity)) } else if w == "max" {
                    matches.append(.range(Double.infinity, nil))
                } else { matches.append(.value(try number(w, text))) }
            }
        }
        guard !matches.isEmpty else { throw StataError(198, "invalid rule (\(text))") }
        return Rule(matches: matches, target: target, label: right.first)
    }

    static func number(_ w: String, _ rule: String) throws -> Double {
        if w == "." { return Missing.dot }
        if w.hasPrefix("."), w.count == 2, let m = Missing.extended(letter: w.last!) { return m }
        guard let v = Double(w) else { throw StataError(198, "invalid rule (\(rule))") }
        return v
    }

    /// The recoded value of x, or nil when no rule matches. `lo`/`hi` stand for min/max.
    static func apply(_ rules: [Rule], _ x: Double, lo: Double, hi: Double) -> (matched: Bool, value: Double) {
        let miss = Missing.isMissing(x)
        for r in rules {
            for m in r.matches {
                let hit: Bool
                switch m {
                case .value(let v): hit = x.bitPattern == v.bitPattern || x == v
                case .range(let a, let b):
                    let from = a.map { $0 == .infinity ? hi : $0 } ?? lo, to = b.map { $0 == -.infinity ? lo : $0 } ?? hi
                    hit = !miss && x >= from && x <= to
                case .missing: hit = miss
                case .nonmissing: hit = !miss
                case .other: hit = true
                }
                if hit { return (true, r.target ?? x) }
            }
        }
        return (false, x)
    }

    /// recode varlist (rule) [(rule) …] [if] [in] [, generate() prefix() label() copyrest]
    static func recode(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        guard let open = call.head.firstIndex(of: "(") else { throw StataError(198, "rules required") }
        let vars = try s.varlist(String(call.head[..<open]))
        let rules = try ManageKeys.parenGroups(String(call.head[open...])).map(parseRule)
        var newNames: [String]? = nil
        if let g = o.string("generate") { newNames = ManageKeys.words(g) } else if let p = o.string("prefix") { newNames = vars.map { p + $0 } }
        if let nn = newNames {
            guard nn.count == vars.count else { throw StataError(198, "generate() must name as many new variables as are recoded") }
            for n in nn { try s.checkNewName(n) }
        }
        let inSample = Set(try s.sampleRows(call))
        for (k, v) in vars.enumerated() {
            let j = s.frame.index(of: v)!
            let src = s.frame.columns[j]
            if src.isString { throw StataError(109, "\(v) is a string variable; type mismatch") }
            let rows = (0..<s.frame.count).filter { inSample.contains($0) }
            let present = rows.map { src.nums[$0] }.filter { !Missing.isMissing($0) }
            let lo = present.min() ?? 0, hi = present.max() ?? 0
            var out = src
            out.valueLabel = newNames == nil ? src.valueLabel : nil
            if let nn = newNames {
                out.name = nn[k]; out.label = "RECODE of \(v)" + (src.label.isEmpty ? "" : " (\(src.label))")
                if !o.has("copyrest") { for i in 0..<s.frame.count where !inSample.contains(i) { out.nums[i] = Missing.dot } }
            }
            var changes = 0
            for i in rows {
                let (_, y) = apply(rules, src.nums[i], lo: lo, hi: hi)
                let stored = out.storeValue(y, at: i)
                if stored.bitPattern != src.nums[i].bitPattern { changes += 1 }
            }
            try attachLabels(rules, to: &out, name: o.string("label") ?? out.name, s)
            if newNames != nil {
                s.frame.add(out)
                s.line("(\(changes) difference\(changes == 1 ? "" : "s") between \(v) and \(out.name))")
            } else {
                s.frame.columns[j] = out
                s.frame.sortedBy.removeAll { $0 == v }
                s.frame.changed = true
                s.line("(\(v): \(changes) change\(changes == 1 ? "" : "s") made)")
            }
        }
    }

    /// Rules with `"label"` text define (or extend) a value label and attach it.
    static func attachLabels(_ rules: [Rule], to c: inout Column, name: String, _ s: Session) throws {
        let labelled = rules.filter { $0.label != nil && $0.target != nil }
        guard !labelled.isEmpty else { return }
        var set = s.frame.valueLabels[name] ?? ValueLabelSet(name: name)
        for r in labelled {
            let v = r.target!
            guard v == v.rounded(), !Missing.isMissing(v) else { continue }
            set.mapping[Int(v)] = r.label!
        }
        s.frame.valueLabels[name] = set
        c.valueLabel = name
    }

    /// rename old new | rename (old …) (new …)
    static func rename(_ call: CommandCall, _ s: Session) throws {
        var old: [String], new: [String]
        if call.head.hasPrefix("(") {
            let groups = try ManageKeys.parenGroups(call.head)
            guard groups.count == 2 else { throw StataError(198, "invalid syntax") }
            old = try s.varlist(groups[0]); new = ManageKeys.words(groups[1])
        } else {
            let w = ManageKeys.words(call.head)
            guard w.count == 2 else { throw StataError(198, w.count < 2 ? "too few variables specified" : "too many variables specified") }
            if w[0].contains("*") && w[1].contains("*") {
                old = try s.varlist(w[0]); new = try old.map { try wildcardRename($0, w[0], w[1]) }
            } else { old = [s.frame.columns[try s.resolveVariable(w[0])].name]; new = [w[1]] }
        }
        guard old.count == new.count else {
            throw StataError(198, "\(old.count) old variable name\(old.count == 1 ? "" : "s") but \(new.count) new name\(new.count == 1 ? "" : "s")")
        }
        // Simultaneous: a new name may be taken only by a variable that is itself being renamed.
        let leaving = Set(old)
        var seen = Set<String>()
        for n in new {
            guard StataName.isValid(n) else { throw StataError(198, "\(n) invalid name") }
            if !seen.insert(n).inserted { throw StataError(198, "\(n) mentioned more than once as a new name") }
            if s.frame.index(of: n) != nil && !leaving.contains(n) { throw StataError.alreadyDefined(n) }
        }
        let idx = old.map { s.frame.index(of: $0)! }
        for (k, j) in idx.enumerated() { s.frame.columns[j].name = new[k] }
        let map = Dictionary(uniqueKeysWithValues: zip(old, new))
        s.frame.sortedBy = s.frame.sortedBy.map { map[$0] ?? $0 }
        if let p = s.timeSettings?.panel, let n = map[p] { s.timeSettings?.panel = n }
        if let t = s.timeSettings?.time, let n = map[t] { s.timeSettings?.time = n }
        s.frame.changed = true
    }

    /// `inc*` → `income*`: the text the first `*` matched moves into the new pattern.
    static func wildcardRename(_ name: String, _ from: String, _ to: String) throws -> String {
        let parts = from.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let mid = String(name.dropFirst(parts[0].count).dropLast(parts[1].count))
        return to.replacingOccurrences(of: "*", with: mid)
    }
}
