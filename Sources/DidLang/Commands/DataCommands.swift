// Dataset commands: drop, keep, sort, gsort, rename, order, count, clear, xtset/tsset.

import DidFrame
import Foundation

enum DataCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("drop", by: .native) { call, s in try dropKeep(call, s, keep: false) })
        r.register(ClosureCommand("keep", by: .native) { call, s in try dropKeep(call, s, keep: true) })
        r.register(ClosureCommand("sort", minAbbreviation: 3, options: [OptionSpec("stable")]) { call, s in
            let vars = try s.varlist(call.head)
            try s.sortData(by: vars)
        })
        r.register(ClosureCommand("gsort", options: [OptionSpec("generate", min: 1, .required), OptionSpec("mfirst"), OptionSpec("stable")]) { call, s in
            var names: [String] = [], desc: [Bool] = []
            for w in call.head.split(separator: " ").map(String.init) {
                let d = w.hasPrefix("-")
                let n = (w.hasPrefix("-") || w.hasPrefix("+")) ? String(w.dropFirst()) : w
                for v in try s.varlist(n) { names.append(v); desc.append(d) }
            }
            let perm = try s.sortPermutation(by: names, descending: desc)
            s.frame.select(rows: perm)
            s.frame.sortedBy = desc.contains(true) ? [] : names
        })
        r.register(ClosureCommand("rename", minAbbreviation: 3) { call, s in
            let w = call.head.split(separator: " ").map(String.init)
            guard w.count == 2 else { throw StataError(198, "invalid syntax") }
            let j = try s.resolveVariable(w[0])
            if s.frame.columns[j].name == w[1] { return }
            try s.checkNewName(w[1])
            let old = s.frame.columns[j].name
            s.frame.columns[j].name = w[1]
            s.frame.sortedBy = s.frame.sortedBy.map { $0 == old ? w[1] : $0 }
            if s.timeSettings?.panel == old { s.timeSettings?.panel = w[1] }
            if s.timeSettings?.time == old { s.timeSettings?.time = w[1] }
        })
        r.register(ClosureCommand("order", options: [OptionSpec("first"), OptionSpec("last"), OptionSpec("before", min: 1, .required), OptionSpec("after", min: 1, .required), OptionSpec("alphabetic", min: 5), OptionSpec("sequential", min: 3)]) { call, s in
            let vars = try s.varlist(call.head)
            let o = try Options(call.options, specs: [OptionSpec("first"), OptionSpec("last"), OptionSpec("before", min: 1, .required), OptionSpec("after", min: 1, .required), OptionSpec("alphabetic", min: 5), OptionSpec("sequential", min: 3)])
            let moved = vars.map { s.frame.columns[s.frame.index(of: $0)!] }
            s.frame.columns.removeAll { vars.contains($0.name) }
            var at = 0
            if o.has("last") { at = s.frame.columns.count }
            if let b = o.string("before") { at = try s.resolveVariable(b) }
            if let a = o.string("after") { at = try s.resolveVariable(a) + 1 }
            s.frame.columns.insert(contentsOf: moved, at: at)
        })
        r.register(ClosureCommand("format", minAbbreviation: 3, parsesSyntax: false) { call, s in
            // format varlist %fmt  |  format %fmt varlist  |  format varlist (list the formats)
            let words = call.arguments.split(separator: " ").map(String.init)
            guard let fmt = words.first(where: { $0.hasPrefix("%") }) else {
                for v in try s.varlist(call.arguments) {
                    s.line(v.padding(toLength: 15, withPad: " ", startingAt: 0) + s.frame.column(v)!.format)
                }
                return
            }
            guard DisplayFormat.isValid(fmt) else { throw StataError(120, "invalid %format") }
            let vars = try s.varlist(words.filter { $0 != fmt }.joined(separator: " "))
            for v in vars {
                let j = s.frame.index(of: v)!
                if s.frame.columns[j].isString != DisplayFormat.isString(fmt) { throw StataError(120, "invalid %format") }
                s.frame.columns[j].format = fmt
            }
        })
        r.register(ClosureCommand("count", minAbbreviation: 3, by: .repeatPerGroup) { call, s in
            let rows = try s.sampleRows(call)
            s.rResults = StoredResults()
            s.rResults.set("N", Double(rows.count))
            s.line(String(repeating: " ", count: max(0, 2)) + fmtInt(rows.count))
        })
        r.register(ClosureCommand("clear", parsesSyntax: false) { call, s in
            let w = call.arguments.trimmingCharacters(in: .whitespaces)
            s.frame.clear()
            s.timeSettings = nil
            s.currentDataFile = nil
            if w == "all" || w == "*" {
                s.eResults = StoredResults(); s.rResults = StoredResults(); s.matrices = [:]; s.scalars = [:]
                s.storedEstimates = []
                s.graphs = [:]; s.currentGraphName = nil
                for p in s.programs.keys { try? s.dropProgram(p) }
                // `clear all` closes open postfiles (their posted rows stay in the files), as Stata does.
                try PostFile.util("clear", s)
            }
        })
        for name in ["xtset", "tsset"] {
            r.register(ClosureCommand(name, options: [OptionSpec("delta", .required), OptionSpec("yearly"), OptionSpec("daily"), OptionSpec("clear"), OptionSpec("format", .required), OptionSpec("generic")]) { call, s in
                try tsset(call, s, xt: name == "xtset")
            })
        }
    }

    static func fmtInt(_ n: Int) -> String {
        let s = String(n)
        guard n >= 1000 || n <= -1000 else { return s }
        var out = "", k = 0
        for ch in s.reversed() { if k > 0 && k % 3 == 0 && ch != "-" { out.append(",") }; out.append(ch); k += 1 }
        return String(out.reversed())
    }

    /// drop/keep varlist | if | in
    static func dropKeep(_ call: CommandCall, _ s: Session, keep: Bool) throws {
        if call.head.isEmpty {
            guard call.ifExp != nil || call.inRange != nil else { throw StataError(198, "varlist or in range required") }
            let selected = Set(try s.sampleRows(call))
            let n = s.frame.count
            var rows: [Int] = []
            rows.reserveCapacity(n)
            for i in 0..<n where selected.contains(i) == keep { rows.append(i) }
            let deleted = n - rows.count
            let sorted = s.frame.sortedBy
            s.frame.select(rows: rows)
            s.frame.sortedBy = sorted
            s.line("(\(fmtInt(deleted)) observation\(deleted == 1 ? "" : "s") deleted)")
            return
        }
        guard call.ifExp == nil && call.inRange == nil else { throw StataError(198, "invalid syntax") }
        guard s.currentBy == nil else { throw StataError(190, "\(keep ? "keep" : "drop") varlist may not be combined with by") }
        let vars = Set(try s.varlist(call.head))
        let before = s.frame.columns.map(\.name)
        for name in before.reversed() where vars.contains(name) != keep {
            s.frame.remove(at: s.frame.index(of: name)!)
        }
        if let ts = s.timeSettings, !s.frame.columns.contains(where: { $0.name == ts.time }) { s.timeSettings = nil }
    }

    /// xtset panel time | tsset [panel] time
    static func tsset(_ call: CommandCall, _ s: Session, xt: Bool) throws {
        let o = try Options(call.options, specs: [OptionSpec("delta", .required), OptionSpec("yearly"), OptionSpec("daily"), OptionSpec("clear"), OptionSpec("format", .required), OptionSpec("generic")])
        if o.has("clear") { s.timeSettings = nil; return }
        let vars = call.head.isEmpty ? [] : try s.varlist(call.head)
        if vars.isEmpty {
            guard let ts = s.timeSettings else { throw StataError(111, "time variable not set") }
            printSettings(ts, s); return
        }
        guard vars.count <= 2 else { throw StataError(198, "too many variables specified") }
        let panel = vars.count == 2 ? vars[0] : (xt && vars.count == 1 ? vars[0] : nil)
        let time = vars.count == 2 ? vars[1] : (xt ? nil : vars[0])
        for v in vars where s.frame.column(v)!.isString { throw StataError(109, "\(v) is a string variable; type mismatch") }
        let ts = TimeSettings(panel: panel, time: time ?? "", delta: try o.number("delta") ?? 1)
        if let t = time {
            // Repeated time values within a panel are an error (r(451)).
            let keys = [panel, t].compactMap { $0 }
            try s.sortData(by: keys)
            let tc = s.frame.column(t)!.nums
            let pc = panel.map { s.frame.column($0)!.nums }
            for i in 1..<max(s.frame.count, 1) where !Missing.isMissing(tc[i]) && tc[i] == tc[i - 1] && (pc == nil || pc![i] == pc![i - 1]) {
                throw StataError(451, "repeated time values \(panel != nil ? "within panel" : "in sample")")
            }
        }
        s.timeSettings = ts
        printSettings(ts, s)
    }

    static func printSettings(_ ts: TimeSettings, _ s: Session) {
        let t = s.frame.column(ts.time)?.nums ?? []
        let p = ts.panel.flatMap { s.frame.column($0)?.nums }
        // Times per panel, to say whether panels are balanced and whether there are gaps.
        var perPanel: [Double: [Double]] = [:]
        for i in 0..<t.count where !Missing.isMissing(t[i]) { perPanel[p?[i] ?? 0, default: []].append(t[i]) }
        var gaps = 0
        for (_, times) in perPanel {
            let sorted = times.sorted()
            for k in 1..<max(sorted.count, 1) where sorted[k] - sorted[k - 1] > ts.delta { gaps += 1 }
        }
        let sets = Set(perPanel.values.map { $0.sorted() })
        let valid = t.filter { !Missing.isMissing($0) }
        let lo = valid.min() ?? 0, hi = valid.max() ?? 0
        s.line()
        if let pn = ts.panel {
            s.line("Panel variable: \(pn) (\(sets.count <= 1 ? "strongly balanced" : "unbalanced"))")
        }
        let gapText = gaps == 0 ? "" : gaps == 1 ? ", but with a gap" : ", but with gaps"
        s.line(" Time variable: \(ts.time), \(fmtNum(lo)) to \(fmtNum(hi))\(gapText)")
        s.line("         Delta: \(fmtNum(ts.delta)) unit")
    }

    static func fmtNum(_ x: Double) -> String {
        (try? Fmt.format(x, "%10.0g"))?.trimmingCharacters(in: .whitespaces) ?? "\(x)"
    }
}
