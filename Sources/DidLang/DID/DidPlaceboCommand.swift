// didplacebo: Chen, Qi & Yan's SSC command (version 2.0.0), run on stored estimates.
//
//   didplacebo estname, treatvar(var) [pbotime(numlist) pbounit pbomix(numlist of 1 2 3) nodrop
//              repeat(#) seed(#) ranunitnum(#) rantimescope(tmin tmax) frame(name) nofigure
//              savegraph(prefix [, asis replace])]
//
// The named estimates (from `estimates store`, after regress/reghdfe/areg/xtreg on xtset data)
// are restored and their command line re-run with a fake treatment:
//  - pbotime: each treated unit's first treatment date moved k periods back; the sample drops
//    the actually treated observations and, unless nodrop, every observation at or after the
//    latest real adoption date. Each shift is a full re-estimation (as didplacebo does).
//  - pbounit: the units' treatment paths shuffled across all panel units (cohorts kept).
//  - pbomix(1 2 3): mixed placebos (see MixedPlaceboRule in DidStats).
//  Random replicates go through the FWL engine (PartialledDesign) on e(sample), which gives the
//  re-estimated coefficient exactly, or re-run the command where the engine does not apply
//  (multiway clustering); seed() re-seeds before each random test, like didplacebo.
// A fake treatment collinear with the fixed effects counts as 0, Stata's omitted coefficient.
// Like didplacebo, the units, cohorts and periods behind the fake treatments come from the whole
// dataset (rows with id, time and treatment), not only e(sample); the estimates use e(sample).
// Shifts are in periods of the xtset delta. e() holds only didplacebo's results afterwards
// (didplacebo clears it too).
// frame(name): we have no frames, so the draws are saved as name.dta (replaced) for `use`.

import DidFrame
import DidGraph
import DidStats
import Foundation

enum DidPlaceboCommand {
    static let options: [OptionSpec] = [
        OptionSpec("treatvar", min: 5, .required), OptionSpec("pbotime", min: 4, .required), OptionSpec("pbounit", min: 4),
        OptionSpec("pbomix", min: 4, .required), OptionSpec("nodrop"), OptionSpec("repeat", min: 3, .required),
        OptionSpec("seed", .required), OptionSpec("ranunitnum", min: 4, .required), OptionSpec("rantimescope", min: 4, .required),
        OptionSpec("frame", .required), OptionSpec("nofigure", min: 5), OptionSpec("savegraph", min: 5, .required),
    ]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("didplacebo", options: options) { call, s in try run(call, s) })
    }

    /// The checked request.
    struct Request {
        var estimates: String
        var treatvar: String
        var shifts: [Double] = []
        var unit = false
        var mixes: [Int] = []
        var drop = true
        var reps = 500
        var seed: UInt64?
        var ranUnits: Int?
        var scope: (lo: Double, hi: Double)?
        var frame: String?
        var figure = true
        var saveGraph: (prefix: String, replace: Bool)?
    }

    /// One random test's draws (kind: pbounit, pbomix1, pbomix2, pbomix3).
    struct Draws {
        var kind: String
        var b: [Double]
        var summary: PlaceboSummary
        var collinear: Int
        var rule: MixedPlaceboRule?
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        guard let ts = s.timeSettings, ts.panel != nil else {
            throw StataError(198, "panel variable or time variable missing, please use -xtset panelvar timevar")
        }
        let req = try parse(call, s)
        try EstimatesCommands.restore(req.estimates, s)
        guard let col = s.frame.column(req.treatvar), !col.isString else {
            throw StataError(198, "\(req.treatvar) should be a numeric variable in dataset")
        }
        let setup = try PlaceboSetup.read(s, treatvar: req.treatvar, id: nil, time: nil, clusterBlocks: false, wholeData: true)
        let level = s.eResults.scalars["level"] ?? 95
        var times: [PlaceboCommand.InTimeRow] = []
        var draws: [Draws] = []
        if !req.shifts.isEmpty {
            s.line()
            s.line("Implementing in-time placebo test using fake treatment time shifted back by "
                   + req.shifts.map { Session.macroText($0) }.joined(separator: ", ") + " periods respectively.")
            times = try PlaceboCommand.inTime(setup, shifts: req.shifts, drop: req.drop, level: level, s)
            try DidPlaceboDisplay.inTimeTable(setup, times, level: level, s)
        }
        if req.unit || !req.mixes.isEmpty {
            s.eResults = setup.original
            let estimator = try Estimator(setup, s)
            defer { estimator.close(); s.eResults = setup.original }
            if estimator.design == nil {
                s.line("note: the FWL fast path does not cover these estimates; each draw re-runs \(setup.cmd)")
            }
            if req.unit {
                s.line()
                s.line("Implementing in-space placebo test using fake treatment units:")
                let d = try random(setup, estimator, req, kind: "pbounit", s) { setup.onSample(setup.panel.permuted(s.random)) }
                draws.append(d)
                DidPlaceboDisplay.pValueTable(setup, d, s)
            }
            for m in req.mixes {
                let rule: MixedPlaceboRule
                do { rule = try setup.panel.mixedRule(method: m, units: req.ranUnits, scope: req.scope) } catch PlaceboError.invalidInput(let msg) {
                    throw StataError(198, msg)
                }
                s.line()
                s.line("Implementing " + DidPlaceboDisplay.mixName(m) + " (version \(m)) using both fake treatment units and times:")
                DidPlaceboDisplay.mixHeader(rule, s)
                var d = try random(setup, estimator, req, kind: "pbomix\(m)", s) { setup.onSample(setup.panel.mixed(rule, s.random)) }
                d.rule = rule
                draws.append(d)
                DidPlaceboDisplay.pValueTable(setup, d, s)
            }
        }
        let graphs = try DidPlaceboDisplay.graphs(setup, times, draws, level: level, s)
        if req.figure, let sg = req.saveGraph { try DidPlaceboDisplay.saveGraphs(graphs, prefix: sg.prefix, replace: sg.replace, s) }
        if let f = req.frame, !draws.isEmpty { try DidPlaceboDisplay.saveDraws(draws, reps: req.reps, name: f, s) }
        s.eResults = post(req, setup, times, draws, graphs: graphs, level: level, cmdline: "didplacebo " + call.arguments.trimmingCharacters(in: .whitespaces))
        s.line()
        s.line("Finished.")
    }

    /// didplacebo's options, checked before anything runs.
    static func parse(_ call: CommandCall, _ s: Session) throws -> Request {
        let o = try Options(call.options, specs: options)
        let head = call.head.split(separator: " ").map(String.init)
        guard head.count == 1, let est = head.first else {
            throw StataError(198, "didplacebo requires the name of one estimation stored by estimates store")
        }
        guard s.storedEstimates.contains(where: { $0.name == est }) else {
            throw StataError(198, "\(est) should be an estimation generated by estimates store.")
        }
        guard let tv = o.string("treatvar")?.trimmingCharacters(in: .whitespaces), !tv.isEmpty else {
            throw StataError(198, "option treatvar() required")
        }
        var r = Request(estimates: est, treatvar: try s.varlist(tv).first ?? tv)
        if let t = o.string("pbotime") {
            r.shifts = try GraphArgs.numlist(t)
            guard !r.shifts.isEmpty else { throw StataError(122, "pbotime(): numlist required") }
            for v in r.shifts where !(v > 0) || v != v.rounded() || v > 1e6 {
                throw StataError(125, "pbotime(): \(Session.macroText(v)) is not a positive integer")
            }
        }
        r.unit = o.has("pbounit")
        if let m = o.string("pbomix") {
            let v = try GraphArgs.numlist(m)
            guard (1...3).contains(v.count), v.allSatisfy({ [1.0, 2, 3].contains($0) }) else {
                throw StataError(198, "pbomix() takes one to three of the numbers 1, 2, 3")
            }
            r.mixes = v.map { Int($0) }
        }
        r.drop = !o.has("nodrop")
        r.reps = try positiveInt(o, "repeat") ?? 500
        if let sd = o.string("seed")?.trimmingCharacters(in: .whitespaces), sd != "." {
            guard let v = Double(sd), v == v.rounded(), v >= 0, v < 2_147_483_648 else {
                throw StataError(198, "seed() must be an integer between 0 and 2,147,483,647")
            }
            r.seed = UInt64(v)
        }
        r.ranUnits = try positiveInt(o, "ranunitnum")
        if let sc = o.string("rantimescope") {
            let v = try GraphArgs.numlist(sc)
            guard v.count == 2, v.allSatisfy({ $0 > 0 && $0 == $0.rounded() }), v[0] <= v[1] else {
                throw StataError(198, "rantimescope() requires two positive integers tmin <= tmax")
            }
            r.scope = (v[0], v[1])
        }
        if let f = o.string("frame").map({ CommandCall.unquote($0.trimmingCharacters(in: .whitespaces)) }) {
            guard f != "default" else { throw StataError(198, "invalid frame() -- current frame can not be specified") }
            guard Session.isValidName(f) else { throw StataError(198, "frame(\(f)): invalid name") }
            r.frame = f
        }
        r.figure = !o.has("nofigure")
        if let sg = o.string("savegraph") { r.saveGraph = try parseSaveGraph(sg) }
        return r
    }

    static func positiveInt(_ o: Options, _ name: String) throws -> Int? {
        guard let v = try o.number(name) else { return nil }
        guard v == v.rounded(), v >= 1, v <= 1e7 else { throw StataError(198, "\(name)() must be a positive integer") }
        return Int(v)
    }

    /// savegraph(prefix [, asis replace]); asis concerns .gph files, which we never write.
    static func parseSaveGraph(_ text: String) throws -> (prefix: String, replace: Bool) {
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let prefix = CommandCall.unquote(parts.first ?? "")
        guard !prefix.isEmpty else { throw StataError(198, "savegraph() requires a file name prefix") }
        var replace = false
        if parts.count == 2 {
            for w in parts[1].split(separator: " ") {
                switch w {
                case "replace", "replac", "repla", "repl", "rep": replace = true
                case "asis": break
                default: throw StataError(198, "savegraph(): option \(w) not allowed")
                }
            }
        }
        return (prefix, replace)
    }

    /// How a random draw is estimated: the FWL engine when it represents the original estimate,
    /// else a quiet re-run of the original command (PlaceboRefit).
    final class Estimator {
        let design: PartialledDesign?
        let refit: PlaceboRefit?

        init(_ p: PlaceboSetup, _ s: Session) throws {
            do {
                design = try p.partialledDesign(s); refit = nil
            } catch let e as StataError where e.code != 459 {
                // 459 = the data changed since estimation: a real error, not a reason to fall back.
                design = nil; refit = PlaceboRefit(p, keep: nil, s)
            }
        }

        /// The fake treatment's coefficient; nil when it is collinear (omitted).
        func estimate(_ d: [Double]) throws -> Double? {
            if let design {
                do { return try design.estimate(d).b } catch PlaceboError.collinearTreatment { return nil } catch {
                    throw StataError(459, "didplacebo: \(error)")
                }
            }
            return try refit!.fit(d).fit?.b
        }

        func close() { refit?.close() }
    }

    /// `reps` draws, printing didplacebo's progress dots.
    static func random(_ p: PlaceboSetup, _ est: Estimator, _ req: Request, kind: String, _ s: Session,
                       assign: () -> [Double]) throws -> Draws {
        if let sd = req.seed { s.random.seed(sd) }
        var b = [Double](repeating: 0, count: req.reps), collinear = 0
        s.emit("Simulations (\(req.reps)):")
        for r in 0..<req.reps {
            try s.checkInterrupt()
            if let v = try est.estimate(assign()) { b[r] = v } else { collinear += 1 }
            s.emit((r + 1) % 10 == 0 ? String(r + 1) : ".")
            if (r + 1) % 50 == 0 && r + 1 < req.reps { s.emit("\n") }
        }
        s.line()
        return Draws(kind: kind, b: b, summary: PlaceboSummary(placebo: b, real: p.b), collinear: collinear, rule: nil)
    }

    /// e(): didplacebo's macros and matrices only.
    static func post(_ req: Request, _ p: PlaceboSetup, _ times: [PlaceboCommand.InTimeRow], _ draws: [Draws],
                     graphs: [(String, Plot)], level: Double, cmdline: String) -> StoredResults {
        var e = StoredResults()
        if !times.isEmpty { e.set("pbotime", DidPlaceboDisplay.inTimeMatrix(times, level: level)) }
        for d in draws { e.set(d.kind, DidPlaceboDisplay.pValueMatrix(p, d)) }
        if !draws.isEmpty, let f = req.frame { e.set("frame", f) }
        e.set("graph", graphs.map(\.0).joined(separator: " "))
        e.set("seed", req.seed.map { String($0) } ?? "")
        e.set("cmdline", cmdline)
        e.set("cmd", "didplacebo")
        e.set("treatvar", p.treatvar)
        e.set("timevar", p.timeVar)
        e.set("panelvar", p.idVar)
        e.set("didcmdline", p.original.macros["cmdline"] ?? "")
        e.set("didcmd", p.cmd)
        e.set("didestname", req.estimates)
        return e
    }
}
