// Conversions between strings and numbers: encode / decode (through value labels) and
// destring / tostring (through the text), with Stata's per-variable notes.
//
// destring builds doubles and then stores them in the smallest type that holds every value
// (what `compress` would pick), as Stata's destring does; tostring writes `%12.0g` text (or
// format()) and refuses a conversion that does not read back to the same number unless `force`.

import DidFrame
import Foundation

/// encode, decode, destring, tostring.
enum ManageConvert {
    static let encodeSpecs = [OptionSpec("generate", min: 3, .required), OptionSpec("label", .required), OptionSpec("noextend")]
    static let decodeSpecs = [OptionSpec("generate", min: 3, .required), OptionSpec("maxlength", min: 4, .required)]
    static let destringSpecs = [OptionSpec("generate", min: 3, .required), OptionSpec("replace"), OptionSpec("ignore", .required),
                                OptionSpec("force"), OptionSpec("float"), OptionSpec("percent"), OptionSpec("dpcomma")]
    static let tostringSpecs = [OptionSpec("generate", min: 3, .required), OptionSpec("replace"), OptionSpec("force"),
                                OptionSpec("format", .required), OptionSpec("usedisplayformat", min: 3)]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("encode", minAbbreviation: 3, options: encodeSpecs) { call, s in try encode(call, s) })
        r.register(ClosureCommand("decode", minAbbreviation: 3, options: decodeSpecs) { call, s in try decode(call, s) })
        r.register(ClosureCommand("destring", options: destringSpecs) { call, s in try destring(call, s) })
        r.register(ClosureCommand("tostring", options: tostringSpecs) { call, s in try tostring(call, s) })
    }

    static func bytewise(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    /// encode varname [if] [in], generate(newvar) [label(name) noextend]
    static func encode(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: encodeSpecs)
        guard let gen = o.string("generate") else { throw StataError(198, "option generate() required") }
        let v = try s.varlist(call.head)
        guard v.count == 1 else { throw StataError(103, "too many variables specified") }
        let src = s.frame.column(v[0])!
        guard src.isString else { throw StataError(108, "\(v[0]) not a string variable") }
        try s.checkNewName(gen)
        let rows = try s.sampleRows(call)
        let lname = o.string("label") ?? gen
        var set = s.frame.valueLabels[lname] ?? ValueLabelSet(name: lname)
        var code = Dictionary(set.mapping.map { ($0.value, $0.key) }, uniquingKeysWith: { min($0, $1) })
        let fresh = Set(rows.map { src.strs[$0] }).filter { !$0.isEmpty && code[$0] == nil }.sorted(by: bytewise)
        if !fresh.isEmpty && o.has("noextend") { throw StataError(459, "\(v[0]) has values not in label \(lname); not encoded") }
        var next = (set.mapping.keys.max() ?? 0) + 1
        for t in fresh { set.mapping[next] = t; code[t] = next; next += 1 }
        var values = [Double](repeating: Missing.dot, count: s.frame.count)
        for r in rows where !src.strs[r].isEmpty { values[r] = Double(code[src.strs[r]]!) }
        var c = Column(name: gen, type: .long, values: values)
        c.valueLabel = lname
        c.label = src.label
        s.frame.valueLabels[lname] = set
        s.frame.add(c)
    }

    /// decode varname [if] [in], generate(newvar) [maxlength(#)]
    static func decode(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: decodeSpecs)
        guard let gen = o.string("generate") else { throw StataError(198, "option generate() required") }
        let v = try s.varlist(call.head)
        guard v.count == 1 else { throw StataError(103, "too many variables specified") }
        let src = s.frame.column(v[0])!
        guard !src.isString else { throw StataError(108, "\(v[0]) is not numeric") }
        guard let lname = src.valueLabel, let set = s.frame.valueLabels[lname] else { throw StataError(182, "\(v[0]) not labeled") }
        try s.checkNewName(gen)
        let maxLen = Int(try o.number("maxlength") ?? 2045)
        var out = [String](repeating: "", count: s.frame.count)
        for r in try s.sampleRows(call) {
            let x = src.nums[r]
            guard !Missing.isMissing(x), x == x.rounded(), let t = set.mapping[Int(x)] else { continue }
            out[r] = t.utf8.count > maxLen ? String(decoding: Array(t.utf8.prefix(maxLen)), as: UTF8.self) : t
        }
        var c = Column(name: gen, strings: out)
        c.label = src.label
        s.frame.add(c)
    }

    /// Parses destring's text: blanks and "." are missing; nil means nonnumeric.
    static func parseNumber(_ text: String, ignore: Set<Character>, percent: Bool = false, dpcomma: Bool = false) -> Double?? {
        var t = ignore.isEmpty ? text : String(text.filter { !ignore.contains($0) })
        t = t.trimmingCharacters(in: .whitespaces)
        if dpcomma { t = t.replacingOccurrences(of: ",", with: ".") }
        if percent && t.hasSuffix("%") {
            t.removeLast()
            guard let v = Double(t.trimmingCharacters(in: .whitespaces)), v.isFinite else { return .none }
            return .some(v / 100)
        }
        if t.isEmpty || t == "." { return .some(Missing.dot) }
        if t.count == 2, t.hasPrefix("."), let m = Missing.extended(letter: t.last!) { return .some(m) }
        let lower = t.lowercased()
        if lower.contains("inf") || lower.contains("nan") || lower.hasPrefix("0x") { return .none }
        guard let v = Double(t), v.isFinite else { return .none }
        return .some(v)
    }

    /// generate(newvarlist) or replace, exactly one of them; the new names (nil for replace),
    /// one per variable and each free.
    static func newNames(_ o: Options, _ vars: [String], command: String, _ s: Session) throws -> [String]? {
        let gens = o.string("generate").map(ManageKeys.words)
        guard (gens != nil) != o.has("replace") else { throw StataError(198, "must specify either generate or replace option") }
        if let g = gens {
            guard g.count == vars.count else { throw StataError(198, "\(command): generate() must name one new variable for each variable") }
            for n in g { try s.checkNewName(n) }
        }
        return gens
    }

    /// destring [varlist], generate(newvarlist) | replace [ignore() force float]
    static func destring(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: destringSpecs)
        let vars = call.head.isEmpty ? s.frame.variableNames : try s.varlist(call.head)
        let gens = try newNames(o, vars, command: "destring", s)
        let verb = gens == nil ? "replace" : "generate"
        let ignore = Set(CommandCall.unquote(o.string("ignore") ?? ""))
        for (k, v) in vars.enumerated() {
            let j = s.frame.index(of: v)!
            let src = s.frame.columns[j]
            guard src.isString else { s.line("\(v) already numeric; no \(verb)"); continue }
            var values = [Double](repeating: Missing.dot, count: s.frame.count)
            var bad = 0
            for i in 0..<values.count {
                if let x = parseNumber(src.strs[i], ignore: ignore, percent: o.has("percent"), dpcomma: o.has("dpcomma")) {
                    values[i] = x!
                } else { bad += 1 }
            }
            if bad > 0 && !o.has("force") { s.line("\(v): contains nonnumeric characters; no \(verb)"); continue }
            var type = StorageType.smallestHolding(values)
            if o.has("float") && type == .double { type = .float }
            var c = Column(name: gens?[k] ?? v, type: type, values: values)
            c.label = src.label
            let what = bad > 0 ? "contains nonnumeric characters" : "all characters numeric"
            if gens == nil {
                c.format = type.defaultFormat
                s.frame.columns[j] = c
                s.line("\(v): \(what); replaced as \(type)")
            } else {
                s.frame.add(c)
                s.line("\(v): \(what); \(c.name) generated as \(type)")
            }
            if bad > 0 { s.line("(\(bad) missing value\(bad == 1 ? "" : "s") generated)") }
            s.frame.changed = true
        }
    }

    /// tostring varlist, generate(newvarlist) | replace [force format()]
    static func tostring(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: tostringSpecs)
        let vars = try s.varlist(call.head)
        let gens = try newNames(o, vars, command: "tostring", s)
        let verb = gens == nil ? "replace" : "generate"
        for (k, v) in vars.enumerated() {
            let j = s.frame.index(of: v)!
            let src = s.frame.columns[j]
            guard !src.isString else { s.line("\(v) is already string; no \(verb)"); continue }
            let fmt = o.string("format") ?? (o.has("usedisplayformat") ? src.format : "%12.0g")
            var texts: [String] = []
            texts.reserveCapacity(src.count)
            var reversible = true
            for x in src.nums {
                var t = try Fmt.format(x, fmt).trimmingCharacters(in: .whitespaces)
                if Missing.isMissing(x) { t = Missing.text(x) ?? "." }
                if reversible && !Missing.isMissing(x) && Double(t) != x { reversible = false }
                texts.append(t)
            }
            if !reversible && !o.has("force") { s.line("\(v) cannot be converted reversibly; no \(verb)"); continue }
            var c = Column(name: gens?[k] ?? v, strings: texts)
            c.label = src.label
            if gens == nil {
                s.frame.columns[j] = c
                s.line("\(v) was \(src.type) now \(c.type)")
            } else {
                s.frame.add(c)
                s.line("\(c.name) generated as \(c.type)")
            }
            s.frame.changed = true
        }
    }
}
