// levelsof varname [if] [in] [, clean local(name) missing separate(text) matcell(name)
//                                matrow(name)]
//
// The sorted distinct values of one variable, shown as a list and stored in r(levels), with
// their number in r(r) and the observations used in r(N). When every level is a whole number
// they are written in `%21.0g`; otherwise each is written as `local x = value` would store it
// (Session.macroText: the shortest of 15–17 significant digits that reads back exactly, so a
// float 0.1 appears as .10000000149011612). Strings go inside compound quotes unless `clean`.
// Missing values (and empty strings) are left out unless `missing`. The list is always shown,
// an empty line when there are no observations.

import DidFrame
import Foundation

/// The levelsof command.
enum Levelsof {
    static let specs = [OptionSpec("clean", min: 1), OptionSpec("local", min: 1, .required), OptionSpec("missing", min: 1),
                        OptionSpec("separate", min: 1, .required), OptionSpec("matcell", .required),
                        OptionSpec("matrow", .required), OptionSpec("hexadecimal", min: 3)]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("levelsof", by: .repeatPerGroup, options: specs) { call, s in try run(call, s) })
    }

    /// One distinct value and how many observations hold it.
    struct Level { var number: Double; var text: String?; var count: Int }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        let vars = try s.varlist(call.head)
        guard vars.count == 1 else { throw StataError(103, "too many variables specified") }
        let c = s.frame.columns[try s.resolveVariable(vars[0])]
        let rows = try s.sampleRows(call)
        let levels = distinct(c, rows: rows, missing: o.has("missing"))
        let used = levels.reduce(0) { $0 + $1.count }
        let sep = o.string("separate") ?? " "
        let clean = o.has("clean")
        let hex = o.has("hexadecimal")
        if c.isString && hex { throw StataError(198, "option hexadecimal not allowed with string variable") }
        if c.isString && o.has("matrow") { throw StataError(198, "option matrow not allowed with string variable") }
        let whole = levels.allSatisfy { Missing.isMissing($0.number) || $0.number == $0.number.rounded() }
        let texts = levels.map { l -> String in
            if let t = l.text { return clean ? t : "`\"" + t + "\"'" }
            if hex { return OutText.num(l.number, "%21x") }
            return whole ? OutText.num(l.number, "%21.0g") : Session.macroText(l.number)
        }
        let list = texts.joined(separator: sep)
        s.line(list)
        var r = StoredResults()
        r.set("N", Double(used))
        r.set("r", Double(levels.count))
        if !levels.isEmpty { r.set("levels", list) }
        s.rResults = r
        if let name = o.string("local") {
            guard Session.isValidName(name) || name.hasPrefix("_") else { throw StataError(198, "\(name) invalid name") }
            s.setLocal(name, list)
        }
        if let m = o.string("matcell") {
            let counts = levels.map { Double($0.count) }
            s.matrices[m] = NamedMatrix(rows: counts.count, cols: 1, data: counts)
        }
        if let m = o.string("matrow") {
            let values = levels.map(\.number)
            s.matrices[m] = NamedMatrix(rows: values.count, cols: 1, data: values)
        }
    }

    /// Sorted distinct values of `c` over `rows` with their counts. Missing numbers sort after
    /// every number (their encoding is larger), `.` before `.a` …, as Stata orders them.
    static func distinct(_ c: Column, rows: [Int], missing: Bool) -> [Level] {
        if c.isString {
            var counts: [String: Int] = [:]
            for r in rows where missing || !c.strs[r].isEmpty { counts[c.strs[r], default: 0] += 1 }
            // Stata sorts strings bytewise.
            return counts.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { Level(number: 0, text: $0, count: counts[$0]!) }
        }
        var counts: [Double: Int] = [:]
        c.nums.withUnsafeBufferPointer { p in
            for r in rows where missing || !Missing.isMissing(p[r]) { counts[p[r], default: 0] += 1 }
        }
        return counts.keys.sorted().map { Level(number: $0, text: nil, count: counts[$0]!) }
    }
}
