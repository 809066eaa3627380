// Small utilities ported do-files use:
//   clonevar newvar = varname [if] [in]       an exact copy: type, format, labels, value label
//   timer clear [#] | on # | off # | list [#]  wall-clock timers 1…100, r(t#) and r(nt#)
//   ds [varlist] [, not has(type …) not(type …) alpha varwidth(#)]   variable names, r(varlist)

import DidFrame
import Foundation

/// clonevar, timer and ds.
enum UtilityCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("clonevar", options: [], splitsEquals: true) { call, s in try clonevar(call, s) })
        r.register(ClosureCommand("timer", parsesSyntax: false) { call, s in try timer(call.arguments, s) })
        r.register(ClosureCommand("ds", options: dsSpecs) { call, s in try ds(call, s) })
    }

    // MARK: clonevar

    /// clonevar newvar = varname [if] [in]: observations outside the sample are missing.
    static func clonevar(_ call: CommandCall, _ s: Session) throws {
        let name = call.head.trimmingCharacters(in: .whitespaces)
        guard let src = call.equalsExp?.trimmingCharacters(in: .whitespaces), !src.isEmpty else { throw StataError(198, "= expected") }
        guard !name.contains(" ") else { throw StataError(198, "invalid syntax") }
        try s.checkNewName(name)
        let vars = try s.varlist(src)
        guard vars.count == 1 else { throw StataError(103, "too many variables specified") }
        var c = s.frame.column(vars[0])!
        c.name = name
        if call.ifExp != nil || call.inRange != nil {
            let keep = Set(try s.sampleRows(call))
            for i in 0..<s.frame.count where !keep.contains(i) {
                if c.isString { c.strs[i] = "" } else { c.nums[i] = Missing.dot }
            }
        }
        s.frame.add(c)
        // clonevar runs generate, which reports the missing values it made.
        let missing = c.isString ? 0 : c.nums.lazy.filter(Missing.isMissing).count
        if missing > 0 { s.line("(\(DataCommands.fmtInt(missing)) missing value\(missing == 1 ? "" : "s") generated)") }
    }

    // MARK: timer

    /// timer clear [#] | timer on # | timer off # | timer list [#]
    static func timer(_ arguments: String, _ s: Session) throws {
        let words = Tokenizer.words(arguments)
        guard let verb = words.first else { throw StataError(198, "timer: clear, on, off or list expected") }
        let number: Int? = try words.count > 1 ? timerNumber(words[1]) : nil
        guard words.count <= 2 else { throw StataError(198, "invalid syntax") }
        let now = Date().timeIntervalSinceReferenceDate
        switch verb {
        case "clear":
            if let k = number { s.portState.timers[k] = nil } else { s.portState.timers = [:] }
        case "on":
            guard let k = number else { throw StataError(198, "timer number required") }
            var t = s.portState.timers[k] ?? (0, 0, nil)
            if t.started == nil { t.started = now }
            s.portState.timers[k] = t
        case "off":
            guard let k = number else { throw StataError(198, "timer number required") }
            guard var t = s.portState.timers[k], let start = t.started else { return }
            t.total += now - start; t.count += 1; t.started = nil
            s.portState.timers[k] = t
        case "list":
            var r = StoredResults()
            for k in number.map({ [$0] }) ?? s.portState.timers.keys.sorted() {
                guard let t = s.portState.timers[k] else { continue }
                // A running timer is listed with the time so far, as Stata does.
                let total = t.total + (t.started.map { now - $0 } ?? 0)
                let rounded = (total * 1000).rounded() / 1000
                r.set("t\(k)", rounded)
                r.set("nt\(k)", Double(t.count))
                let avg = t.count > 0 ? rounded / Double(t.count) : rounded
                s.line(OutText.right(String(k), 4) + ": " + OutText.num(rounded, "%9.2f", width: 9) + " / "
                       + OutText.num(Double(t.count), "%8.0f", width: 8) + " = " + OutText.num(avg, "%10.4f", width: 10))
            }
            s.rResults = r
        default:
            throw StataError(198, "timer: clear, on, off or list expected")
        }
    }

    /// A timer number, 1…100.
    static func timerNumber(_ w: String) throws -> Int {
        guard let k = Int(w), (1...100).contains(k) else { throw StataError(198, "timer number must be between 1 and 100") }
        return k
    }

    // MARK: ds

    static let dsSpecs = [OptionSpec("not", .optional), OptionSpec("has", .required), OptionSpec("alpha"),
                          OptionSpec("varwidth", min: 4, .required), OptionSpec("skip", .required), OptionSpec("detail", min: 1)]

    /// ds [varlist] [, not | has(type …) | not(type …)] [alpha varwidth(#)]
    static func ds(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: dsSpecs)
        let all = s.frame.columns.map(\.name)
        var vars = call.head.isEmpty ? all : try s.varlist(call.head)
        if o.has("not") && o.string("not") == nil {
            // Bare `not`: the variables not in the varlist.
            let listed = Set(vars)
            vars = call.head.isEmpty ? [] : all.filter { !listed.contains($0) }
        }
        if let spec = o.string("has") { vars = try vars.filter { try matches(spec, $0, s) } }
        if let spec = o.string("not") { vars = try vars.filter { try !matches(spec, $0, s) } }
        if o.has("alpha") { vars.sort() }
        let width = try OutText.integer(try o.number("varwidth"), "varwidth", default: 12)
        guard width >= 5, width <= 32 else { throw StataError(198, "varwidth() must be between 5 and 32") }
        let perLine = max(1, 81 / (width + 2))
        var k = 0
        while k < vars.count {
            let line = vars[k..<min(vars.count, k + perLine)].map { OutText.left(OutText.abbrev($0, width), width + 2) }.joined()
            s.line(String(line.reversed().drop { $0 == " " }.reversed()))
            k += perLine
        }
        var r = StoredResults()
        r.set("varlist", vars.joined(separator: " "))
        s.rResults = r
    }

    /// has()/not() specifications: `type typelist` (numeric, string, byte … double, str#, strL),
    /// `varlabel`, `vallabel`.
    static func matches(_ spec: String, _ v: String, _ s: Session) throws -> Bool {
        var words = Tokenizer.words(spec)
        guard !words.isEmpty else { throw StataError(198, "invalid has() or not()") }
        let c = s.frame.column(v)!
        switch words.removeFirst() {
        case "type":
            guard !words.isEmpty else { throw StataError(198, "type list required") }
            return try words.contains { t in
                switch t {
                case "numeric": return c.type.isNumeric
                case "string": return c.type.isString
                case "str#": if case .str = c.type { return true }; return false
                default:
                    guard let want = StorageType(name: t) else { throw StataError(198, "\(t) invalid type") }
                    return c.type == want
                }
            }
        case "varlabel": return !c.label.isEmpty
        case "vallabel": return c.valueLabel != nil
        default: throw StataError(198, "invalid has() or not(): type, varlabel or vallabel expected")
        }
    }
}
