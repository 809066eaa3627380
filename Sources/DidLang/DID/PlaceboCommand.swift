// placebo: placebo tests for a DID estimate in memory (after regress, reghdfe, areg, xtreg).
//
//   placebo, treatvar(var) [pbotime(numlist) pbounit pbomix(1|2|3) repeat(#) seed(#)
//            saving(file [, replace]) nodrop nograph level(#) id(var) time(var)]
//
// In-time (pbotime): every treated unit's first treatment date moves k periods earlier and the
//   original command is re-run on the shifted treatment (exactly as a user would by hand). The
//   sample follows didplacebo (Chen, Qi & Yan): actually treated observations always go, and by
//   default so does every observation dated at or after the latest real adoption date (control
//   units' too), so no post-period enters the placebo; `nodrop` keeps those.
// In-space (pbounit): `repeat()` random fake treatment groups of the real size, by permuting
//   whole treatment paths (dates) across blocks — units, or clusters when treatment is assigned
//   by cluster. Re-fits go through the FWL engine in DidStats/Placebo (FE and controls partialled
//   once). p-values are shares of placebo estimates at least as extreme as the real one.
// Mixed (pbomix): didplacebo's versions with their default scopes: 1 as many random units as are
//   treated share one random date from the second to the last period; 2 each random unit gets its
//   own date from the earliest..latest real adoption; 3 the units are randomly re-partitioned into
//   cohorts of the real sizes, the cohorts given distinct random dates from that window.
// r-class: e() is left as it was.

import DidFrame
import DidGraph
import DidStats
import Foundation

enum PlaceboCommand {
    static let options: [OptionSpec] = [
        OptionSpec("treatvar", min: 5, .required), OptionSpec("pbotime", .optional), OptionSpec("pbounit"),
        OptionSpec("pbomix", .optional), OptionSpec("repeat", min: 3, .required), OptionSpec("seed", .required),
        OptionSpec("saving", .required), OptionSpec("nodrop"), OptionSpec("nograph"), OptionSpec("level", min: 1, .required),
        OptionSpec("id", .required), OptionSpec("time", .required),
    ]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("placebo", options: options) { call, s in try run(call, s) })
    }

    /// Random-replicate results of one kind (in-space or mixed).
    struct Draws {
        var kind: String
        var b: [Double]
        var se: [Double]
        var summary: PlaceboSummary
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: options)
        guard call.head.trimmingCharacters(in: .whitespaces).isEmpty else { throw StataError(198, "placebo takes no varlist; use treatvar()") }
        guard let tv = o.string("treatvar") else { throw StataError(198, "option treatvar() required") }
        let shifts = try o.has("pbotime") ? numlist(o.string("pbotime") ?? "1") : []
        var mix: Int? = nil
        if o.has("pbomix") {
            guard let m = Int((o.string("pbomix") ?? "1").trimmingCharacters(in: .whitespaces)), (1...3).contains(m) else {
                throw StataError(198, "pbomix() must be 1, 2 or 3")
            }
            mix = m
        }
        guard !shifts.isEmpty || o.has("pbounit") || mix != nil else {
            throw StataError(198, "specify at least one of pbotime(), pbounit or pbomix()")
        }
        let reps = try o.number("repeat").map { v -> Int in
            guard v == v.rounded(), v >= 1, v <= 1e7 else { throw StataError(198, "repeat() must be a positive integer") }
            return Int(v)
        } ?? 500
        let level = try LinearModelOptions.level(o, s)
        let saving = try o.string("saving").map(parseSaving)
        if let sv = saving, !sv.replace, FileManager.default.fileExists(atPath: s.resolvePath(sv.path)) {
            throw StataError.fileExists(sv.path)
        }
        if let seed = try o.number("seed") {
            guard seed == seed.rounded(), seed >= 0, seed < 9.2e18 else { throw StataError(198, "seed() must be a nonnegative integer") }
            s.random.seed(UInt64(seed))
            s.settings["seed"] = String(UInt64(seed))
        }
        let setup = try PlaceboSetup.read(s, treatvar: tv, id: o.string("id"), time: o.string("time"))
        var results = StoredResults()
        results.set("b_real", setup.b)
        results.set("se_real", setup.se)
        var timeRows: [InTimeRow] = []
        var draws: [Draws] = []
        defer { s.eResults = setup.original }

        if !shifts.isEmpty {
            timeRows = try inTime(setup, shifts: shifts, drop: !o.has("nodrop"), level: level, s)
            PlaceboDisplay.inTimeTable(setup, timeRows, level: level, s)
            PlaceboDisplay.postInTime(timeRows, level: level, &results)
        }
        if o.has("pbounit") || mix != nil {
            s.eResults = setup.original     // the in-time re-fits replaced e(sample)
            let design = try setup.partialledDesign(s)
            if o.has("pbounit") {
                draws.append(try random(setup, design, reps: reps, kind: "unit", s) { setup.onSample(setup.panel.permuted(s.random)) })
            }
            if let m = mix {
                let rule: MixedPlaceboRule
                do { rule = try setup.panel.mixedRule(method: m) } catch PlaceboError.invalidInput(let msg) { throw StataError(198, msg) }
                draws.append(try random(setup, design, reps: reps, kind: "mix", s) { setup.onSample(setup.panel.mixed(rule, s.random)) })
            }
            for d in draws {
                PlaceboDisplay.randomTable(setup, d, mix: mix, s)
                PlaceboDisplay.postRandom(d, &results, reps: reps)
            }
        }
        s.rResults = results
        if !o.has("nograph") {
            if !timeRows.isEmpty { try PlaceboDisplay.inTimePlot(setup, timeRows, level: level, s) }
            for d in draws { try PlaceboDisplay.randomPlot(setup, d, s) }
        }
        if let sv = saving { try PlaceboDisplay.save(timeRows, draws, to: s.resolvePath(sv.path), replace: sv.replace) }
    }

    /// One in-time placebo estimate.
    struct InTimeRow {
        var shift: Double
        var b: Double, se: Double, df: Double?, N: Int
    }

    /// Re-runs the original command on each shifted treatment (quietly) and collects b and SE.
    static func inTime(_ p: PlaceboSetup, shifts: [Double], drop: Bool, level: Double, _ s: Session) throws -> [InTimeRow] {
        let delta = s.timeSettings?.delta ?? 1
        let refit = PlaceboRefit(p, keep: p.inTimeKeep(drop: drop), s)
        defer { refit.close() }
        var out: [InTimeRow] = []
        for k in shifts {
            try s.checkInterrupt()
            let (fit, N) = try refit.fit(p.onSample(p.panel.shifted(by: k * delta)))
            guard let f = fit else {
                if N > 0 { s.line("note: shift \(Session.macroText(k)): the fake treatment is collinear with the fixed effects; no estimate") }
                out.append(InTimeRow(shift: k, b: Missing.dot, se: Missing.dot, df: nil, N: N)); continue
            }
            out.append(InTimeRow(shift: k, b: f.b, se: f.se, df: f.df, N: f.N))
        }
        return out
    }

    /// `repeat()` replicates through the FWL engine; a progress bar only on a terminal.
    static func random(_ p: PlaceboSetup, _ design: PartialledDesign, reps: Int, kind: String, _ s: Session,
                       assign: () -> [Double]) throws -> Draws {
        var b = [Double](repeating: .nan, count: reps), se = b
        let progress = s.interactive && s.quietDepth == 0
        var shown = -1
        for r in 0..<reps {
            try s.checkInterrupt()
            if let est = try? design.estimate(assign()) { b[r] = est.b; se[r] = est.se }
            if progress {
                let pct = (r + 1) * 100 / reps
                if pct != shown {
                    shown = pct
                    let bar = String(repeating: "#", count: pct / 5) + String(repeating: " ", count: 20 - pct / 5)
                    s.emit("\r  \(kind == "unit" ? "in-space" : "mixed") placebo [\(bar)] \(pct)%" + (r + 1 == reps ? "\n" : ""))
                }
            }
        }
        return Draws(kind: kind, b: b, se: se, summary: PlaceboSummary(placebo: b, real: p.b))
    }

    /// numlist: `1 2 3`, `1/3`, `1(1)10`; shifts must be positive.
    static func numlist(_ text: String) throws -> [Double] {
        let out = try GraphArgs.numlist(text.replacingOccurrences(of: ",", with: " "))
        guard !out.isEmpty else { throw StataError(122, "pbotime(): numlist required") }
        for v in out where !(v > 0) || v > 1e6 { throw StataError(125, "pbotime(): shifts must be positive (got \(Session.macroText(v)))") }
        return out
    }

    /// saving(file [, replace]).
    static func parseSaving(_ text: String) throws -> (path: String, replace: Bool) {
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let path = parts.first, !path.isEmpty else { throw StataError(198, "saving() requires a file name") }
        var replace = false
        if parts.count == 2 {
            guard parts[1] == "replace" || parts[1] == "replac" || parts[1] == "repla" else { throw StataError(198, "saving(): option \(parts[1]) not allowed") }
            replace = true
        }
        var p = CommandCall.unquote(path)
        if !p.lowercased().hasSuffix(".dta") { p += ".dta" }
        return (p, replace)
    }
}
