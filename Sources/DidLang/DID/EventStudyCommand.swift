// eventstudy: TWFE leads/lags event study estimated through the reghdfe command.
//
//   eventstudy depvar [controls] [if] [in] [weight], id(var) time(var) gvar(var)
//       [window(# #) base(#) bin absorb(absvars) vce(...) level(#) nograph graphname(name)]
//
// Relative time k = time - gvar for units with gvar > 0 (gvar 0 or missing = never treated: all
// indicators 0, like the reference period). Indicators `ev_m#`/`ev_p#` cover the window except
// the base period. With `bin` the endpoints collect everything beyond them (k <= lo, k >= hi; the
// never-treated stay 0, since missing is not >= hi here). Without `bin`, treated observations
// outside the window are left out of the sample (otherwise they would silently join the
// reference group). The default window is the range of relative times observed in the sample.
// Parse → build indicators → `reghdfe` (so output and e() are reghdfe's) → joint pre-trend test
// through `test` → e(event_*) matrices → coefficient plot.

import DidFrame
import DidGraph
import DidStats
import Foundation

enum EventStudyCommand {
    static let options: [OptionSpec] = [
        OptionSpec("id", .required), OptionSpec("time", min: 1, .required), OptionSpec("gvar", min: 1, .required),
        OptionSpec("window", min: 3, .required), OptionSpec("base", .required), OptionSpec("bin"),
        OptionSpec("absorb", min: 1, .required), OptionSpec("vce", .required), OptionSpec("cluster", min: 2, .required),
        OptionSpec("robust", min: 1), OptionSpec("level", min: 1, .required), OptionSpec("nograph"),
        OptionSpec("graphname", .required),
    ]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("eventstudy", options: options) { call, s in try run(call, s) })
    }

    /// One variable name from an option, checked to exist.
    static func oneVariable(_ o: Options, _ name: String, _ s: Session, fallback: String?) throws -> String {
        guard let text = o.string(name) ?? fallback else { throw StataError(198, "option \(name)() required") }
        let v = try s.varlist(text)
        guard v.count == 1 else { throw StataError(103, "\(name)(): too many variables specified") }
        guard let c = s.frame.column(v[0]), !c.isString else { throw StataError(109, "\(name)(): \(v[0]) must be numeric") }
        return v[0]
    }

    /// `window(lo hi)` as two integers.
    static func window(_ text: String) throws -> (Int, Int) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]) else {
            throw StataError(198, "window() requires two integers, e.g. window(-5 5)")
        }
        guard a < b else { throw StataError(198, "window(): the lower end must be below the upper end") }
        return (a, b)
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: options)
        let tokens = LinearModelOptions.words(call.head)
        guard let depTok = tokens.first else { throw StataError(100, "varlist required") }
        let depvar = try FactorVarlist.variable(depTok, s)
        let controls = tokens.dropFirst().joined(separator: " ")
        let id = try oneVariable(o, "id", s, fallback: s.timeSettings?.panel)
        let time = try oneVariable(o, "time", s, fallback: s.timeSettings?.time)
        let gvar = try oneVariable(o, "gvar", s, fallback: nil)
        let base = try o.number("base").map { v -> Int in
            guard v == v.rounded(), abs(v) < 1e6 else { throw StataError(198, "base() must be an integer") }
            return Int(v)
        } ?? -1

        // Relative time of every row (nil for never-treated and rows with missing pieces).
        let rows = try s.sampleRows(call)
        let t = s.frame.column(time)!.nums, g = s.frame.column(gvar)!.nums, ids = s.frame.column(id)!.nums
        var rel = [Int?](repeating: nil, count: s.frame.count)
        var firstDate: [Double: Double] = [:]
        for i in rows where !Missing.isMissing(ids[i]) && !Missing.isMissing(t[i]) {
            if let f = firstDate[ids[i]], !(f == g[i] || (Missing.isMissing(f) && Missing.isMissing(g[i]))) {
                throw StataError(459, "gvar(\(gvar)) is not constant within id(\(id))")
            }
            firstDate[ids[i]] = g[i]
            guard !Missing.isMissing(g[i]), g[i] > 0 else { continue }
            let k = t[i] - g[i]
            guard k == k.rounded(), abs(k) < 1e6 else { throw StataError(459, "time(\(time)) - gvar(\(gvar)) must be a whole number of periods") }
            rel[i] = Int(k)
        }
        let observed = rows.compactMap { rel[$0] }
        guard let kMin = observed.min(), let kMax = observed.max() else {
            throw StataError(459, "no treated observations: gvar(\(gvar)) is 0 or missing everywhere in the sample")
        }
        let (lo, hi) = try o.string("window").map(window) ?? (min(kMin, base), max(kMax, base))
        guard base >= lo && base <= hi else { throw StataError(198, "base(\(base)) must lie inside window(\(lo) \(hi))") }
        let binned = o.has("bin")

        // Indicators with at least one observation (an empty one would only be omitted).
        var design = EventDesign(times: [], names: [], lo: lo, hi: hi, base: base, binned: binned)
        var empty: [Int] = []
        for k in lo...hi where k != base {
            func on(_ r: Int?) -> Bool {
                guard let r = r else { return false }
                if binned && k == lo { return r <= lo }
                if binned && k == hi { return r >= hi }
                return r == k
            }
            var values = [Double](repeating: 0, count: s.frame.count)
            var count = 0
            for i in 0..<values.count where on(rel[i]) { values[i] = 1 }
            for i in rows where values[i] == 1 { count += 1 }
            guard count > 0 else { empty.append(k); continue }
            let name = EventDesign.variableName(k)
            if let j = s.frame.index(of: name) { s.frame.remove(at: j) }
            var col = Column(name: name, type: .byte, values: values)
            col.label = binned && k == lo ? "event time <= \(k)" : binned && k == hi ? "event time >= \(k)" : "event time \(k)"
            s.frame.add(col)
            design.times.append(k); design.names.append(name)
        }
        guard !design.times.isEmpty else { throw StataError(2000, "no observations at any relative time in window(\(lo) \(hi))") }
        if !empty.isEmpty { s.line("note: no observations at relative time \(empty.map(String.init).joined(separator: " ")); not estimated") }
        var outside = 0
        if !binned { for i in rows { if let r = rel[i], r < lo || r > hi { outside += 1 } } }
        if outside > 0 { s.line("(\(DataCommands.fmtInt(outside)) treated observation\(outside == 1 ? "" : "s") outside window(\(lo) \(hi)) excluded)") }

        // The reghdfe line: user if & (never treated | inside the window).
        var conds: [String] = []
        if let c = call.ifExp { conds.append("(\(c))") }
        if outside > 0 { conds.append("(missing(\(gvar)) | \(gvar) <= 0 | inrange(\(time) - \(gvar), \(lo), \(hi)))") }
        var line = "reghdfe \(depvar) \(design.names.joined(separator: " ")) \(controls)"
        if !conds.isEmpty { line += " if " + conds.joined(separator: " & ") }
        if let r = call.inRange { line += " in \(r)" }
        if let w = call.weight { line += " [\(w.kind)=\(w.exp)]" }
        line += ", absorb(\(o.string("absorb") ?? "\(id) \(time)"))"
        if let v = o.string("vce") { line += " vce(\(v))" }
        if let c = o.string("cluster") { line += " cluster(\(c))" }
        if o.has("robust") { line += " robust" }
        if let l = o.string("level") { line += " level(\(l))" }
        try s.executeExpanded(line, location: call.location)

        try postEvent(design, call, s)
        try preTrendTest(design, s)
        if !o.has("nograph") { try drawPlot(design, graphName: o.string("graphname") ?? "eventstudy", s) }
    }

    /// e(event_b), e(event_V) (base period included at 0), e(event_t) and descriptive macros.
    static func postEvent(_ d: EventDesign, _ call: CommandCall, _ s: Session) throws {
        guard let b = s.eResults.matrices["b"], let V = s.eResults.matrices["V"] else { throw StataError(301, "last estimates not found") }
        let all = Array(d.lo...d.hi).filter { $0 == d.base || d.times.contains($0) }
        let names = all.map(EventDesign.variableName)
        let pos: [Int?] = all.map { k in
            guard let j = d.times.firstIndex(of: k) else { return nil }
            return b.colNames.firstIndex(of: d.names[j])
        }
        var eb = NamedMatrix(rows: 1, cols: all.count, rowNames: ["y1"], colNames: names)
        var eV = NamedMatrix(rows: all.count, cols: all.count, rowNames: names, colNames: names)
        var et = NamedMatrix(rows: 1, cols: all.count, rowNames: ["time"], colNames: names)
        for (a, pa) in pos.enumerated() {
            et[0, a] = Double(all[a])
            if let pa = pa { eb[0, a] = b[0, pa] }
            for (c, pc) in pos.enumerated() { if let pa = pa, let pc = pc { eV[a, c] = V[pa, pc] } }
        }
        s.eResults.set("event_b", eb)
        s.eResults.set("event_V", eV)
        s.eResults.set("event_t", et)
        s.eResults.set("cmd2", "eventstudy")
        s.eResults.set("eventstudy_cmdline", "eventstudy \(call.arguments.trimmingCharacters(in: .whitespaces))")
        s.eResults.set("event_vars", d.names.joined(separator: " "))
        s.eResults.set("event_base", Double(d.base))
        s.eResults.set("event_lo", Double(d.lo))
        s.eResults.set("event_hi", Double(d.hi))
        s.eResults.set("event_binned", d.binned ? 1 : 0)
    }

    /// Joint test that every estimated lead is zero, through the `test` command (same output).
    static func preTrendTest(_ d: EventDesign, _ s: Session) throws {
        guard let V = s.eResults.matrices["V"] else { return }
        let leads = zip(d.times, d.names).filter { k, name in
            guard k < 0, let j = V.colNames.firstIndex(of: name) else { return false }
            return V[j, j] > 0
        }.map(\.1)
        guard !leads.isEmpty else {
            s.line("(no leads estimated: no pre-trend test)")
            s.rResults = StoredResults()
            return
        }
        s.line()
        s.line("Joint test of the leads (pre-trends):")
        try s.executeExpanded("test \(leads.joined(separator: " "))", location: nil)
        let F = s.rResults.scalars["F"] ?? s.rResults.scalars["chi2"] ?? Missing.dot
        let p = s.rResults.scalars["p"] ?? Missing.dot
        s.rResults.set("F_pre", F)
        s.rResults.set("p_pre", p)
        s.rResults.set("df_pre", s.rResults.scalars["df"] ?? Double(leads.count))
        s.eResults.set("F_pre", F)
        s.eResults.set("p_pre", p)
    }

    /// Coefficients with confidence intervals by relative time; base at 0, zero line, dashed
    /// vertical line between -1 and 0.
    static func drawPlot(_ d: EventDesign, graphName: String, _ s: Session) throws {
        guard let eb = s.eResults.matrices["event_b"], let eV = s.eResults.matrices["event_V"],
              let et = s.eResults.matrices["event_t"] else { return }
        let level = s.eResults.scalars["level"] ?? 95
        let dfr = s.eResults.scalars["df_r"].flatMap { Missing.isMissing($0) ? nil : $0 }
        let crit = dfr.map { Distributions.invttail($0, (1 - level / 100) / 2) } ?? Distributions.invNormal(1 - (1 - level / 100) / 2)
        var pos: [Double] = [], b: [Double] = [], lo: [Double] = [], hi: [Double] = [], labels: [String] = []
        for j in 0..<eb.cols {
            let se = eV[j, j] > 0 ? eV[j, j].squareRoot() : 0
            let k = Int(et[0, j])
            if k != d.base && se == 0 { continue }   // omitted: nothing to show
            pos.append(Double(k)); b.append(eb[0, j]); lo.append(eb[0, j] - crit * se); hi.append(eb[0, j] + crit * se)
            labels.append(d.label(k))
        }
        do {
            let plot = try CoefficientPlot.make(names: labels, b: b, lo: lo, hi: hi, vertical: true, positions: pos,
                                                title: "Event study", note: "\(Session.macroText(level))% confidence intervals; base period \(d.base)",
                                                xTitle: "Periods relative to treatment", yTitle: "Coefficient",
                                                yline: 0, xline: -0.5, connect: true)
            s.graphs[graphName] = plot
            s.currentGraphName = graphName
        } catch let e as GraphError {
            throw StataError(198, "eventstudy graph: \(e)")
        }
    }
}
