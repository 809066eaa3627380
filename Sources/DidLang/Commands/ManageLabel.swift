// label variable | define | values | list | drop | data | dir | copy, with Stata's rules:
// define refuses to overwrite without add/modify/replace (r(110)); add refuses to change an
// existing value (r(180)); strings cannot carry value labels (r(181)).

import DidFrame
import Foundation

/// The label command family.
enum ManageLabel {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("label", minAbbreviation: 2) { call, s in try run(call, s) })
    }

    /// label subcommand …
    static func run(_ call: CommandCall, _ s: Session) throws {
        let words = Tokenizer.words(call.head)
        guard let sub = words.first else { throw StataError(198, "invalid syntax") }
        let rest = Array(words.dropFirst())
        let o = call.options.map(\.name)
        switch sub {
        case _ where sub.count >= 3 && "variable".hasPrefix(sub): try variable(rest, s)
        case _ where sub.count >= 2 && "define".hasPrefix(sub): try define(rest, options: o, s)
        case _ where sub.count >= 3 && "values".hasPrefix(sub): try values(rest, s)
        case _ where sub.count >= 1 && "list".hasPrefix(sub): try list(rest, s)
        case "drop": try drop(rest, s)
        case "data", "dat": s.frame.label = rest.first ?? ""; s.frame.changed = true
        case "dir": for k in s.frame.valueLabels.keys.sorted() { s.line(k) }
        case "copy":
            guard rest.count == 2 else { throw StataError(198, "invalid syntax") }
            guard let src = s.frame.valueLabels[rest[0]] else { throw StataError(111, "value label \(rest[0]) not found") }
            if s.frame.valueLabels[rest[1]] != nil && !o.contains("replace") { throw StataError(110, "label \(rest[1]) already defined") }
            s.frame.valueLabels[rest[1]] = ValueLabelSet(name: rest[1], mapping: src.mapping)
        default: throw StataError(198, "invalid syntax")
        }
    }

    /// label variable varname ["label"]
    static func variable(_ w: [String], _ s: Session) throws {
        guard let v = w.first, w.count <= 2 else { throw StataError(198, "invalid syntax") }
        let j = try s.resolveVariable(v)
        let text = w.count == 2 ? w[1] : ""
        guard text.utf8.count <= 80 else { throw StataError(198, "label too long; must be 80 characters or fewer") }
        s.frame.columns[j].label = text
        s.frame.changed = true
    }

    /// label define lblname # "label" [# "label" …] [, add modify replace nofix]
    static func define(_ w: [String], options: [String], _ s: Session) throws {
        guard let name = w.first, StataName.isValid(name) || name == "_merge" else { throw StataError(198, "invalid syntax") }
        let pairs = Array(w.dropFirst())
        guard pairs.count % 2 == 0 else { throw StataError(198, "invalid syntax") }
        let add = options.contains { $0 == "add" }
        let modify = options.contains { $0.count >= 3 && "modify".hasPrefix($0) }
        let replace = options.contains { $0.count >= 3 && "replace".hasPrefix($0) }
        for opt in options where !["add", "nofix"].contains(opt) && !(opt.count >= 3 && ("modify".hasPrefix(opt) || "replace".hasPrefix(opt))) {
            throw StataError(198, "option \(opt) not allowed")
        }
        var set = s.frame.valueLabels[name] ?? ValueLabelSet(name: name)
        if s.frame.valueLabels[name] != nil {
            if replace { set.mapping = [:] } else if !add && !modify { throw StataError(110, "label \(name) already defined") }
        }
        var k = 0
        while k < pairs.count {
            guard let v = Double(pairs[k]) else { throw StataError(198, "invalid syntax") }
            guard v == v.rounded(), abs(v) <= 2_147_483_647 else { throw StataError(198, "may not label noninteger values") }
            let key = Int(v), text = pairs[k + 1]
            if !modify && set.mapping[key] != nil {
                throw StataError(180, "invalid attempt to modify label")
            }
            if text.isEmpty && modify { set.mapping[key] = nil } else { set.mapping[key] = text }
            k += 2
        }
        s.frame.valueLabels[name] = set
        s.frame.changed = true
    }

    /// label values varlist [lblname | .]
    static func values(_ w: [String], _ s: Session) throws {
        guard !w.isEmpty else { throw StataError(100, "varlist required") }
        var vars = w, lbl: String? = nil
        if w.count >= 2 {
            // The last word is the label name unless it is a variable and no label is given.
            lbl = w.last!; vars.removeLast()
            if lbl == "." { lbl = nil }
        }
        let names = try s.varlist(vars.joined(separator: " "))
        for v in names {
            let j = s.frame.index(of: v)!
            if s.frame.columns[j].isString && lbl != nil { throw StataError(181, "may not label strings") }
            s.frame.columns[j].valueLabel = lbl
        }
        s.frame.changed = true
    }

    /// label list [lblnames]: each value right-aligned in 12 columns, then its text.
    static func list(_ w: [String], _ s: Session) throws {
        let names = w.isEmpty ? s.frame.valueLabels.keys.sorted() : w
        s.rResults = StoredResults()
        for n in names {
            guard let set = s.frame.valueLabels[n] else { throw StataError(111, "value label \(n) not found") }
            s.line("\(n):")
            for (v, t) in set.mapping.sorted(by: { $0.key < $1.key }) {
                let num = String(v)
                s.line(String(repeating: " ", count: max(0, 12 - num.count)) + num + " " + t)
            }
            if let lo = set.mapping.keys.min(), let hi = set.mapping.keys.max() {
                s.rResults.set("min", Double(lo)); s.rResults.set("max", Double(hi))
            }
            s.rResults.set("k", Double(set.mapping.count))
            s.rResults.set("hasemiss", 0); s.rResults.set("nemiss", 0)
        }
    }

    /// label drop lblname … | _all
    static func drop(_ w: [String], _ s: Session) throws {
        guard !w.isEmpty else { throw StataError(198, "invalid syntax") }
        if w == ["_all"] { s.frame.valueLabels = [:]; return }
        for n in w where s.frame.valueLabels[n] == nil { throw StataError(111, "value label \(n) not found") }
        for n in w { s.frame.valueLabels[n] = nil }
        s.frame.changed = true
    }
}
