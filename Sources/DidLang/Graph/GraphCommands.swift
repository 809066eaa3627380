// Graph commands (twoway and its plot shorthands, histogram, kdensity, coefplot, psgraph and the
// graph subcommands), registered here, plus what they share: keeping a finished plot under its
// name, reading numeric variables, and turning DidGraph's errors into Stata return codes.

import DidFrame
import DidGraph
import Foundation

enum GraphCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("twoway", minAbbreviation: 2, parsesSyntax: false) { call, s in
            try TwowayCommand.run(call.arguments, s)
        })
        for (plotType, abbreviation) in TwowayCommand.standalone {
            r.register(ClosureCommand(plotType, minAbbreviation: abbreviation, parsesSyntax: false) { call, s in
                try TwowayCommand.run(plotType + " " + call.arguments, s)
            })
        }
        r.register(ClosureCommand("histogram", minAbbreviation: 4) { call, s in try DensityCommands.histogram(call, s) })
        r.register(ClosureCommand("kdensity", minAbbreviation: 5) { call, s in try DensityCommands.kdensity(call, s) })
        r.register(ClosureCommand("coefplot") { call, s in try CoefplotCommand.run(call, s) })
        r.register(ClosureCommand("psgraph") { call, s in try PsgraphCommand.run(call, s) })
        r.register(ClosureCommand("graph", minAbbreviation: 2, parsesSyntax: false) { call, s in
            try GraphManageCommands.run(call.arguments, s)
        })
    }

    /// Keeps `plot` as graph `opts.name` and makes it current. A name other than `Graph` that is
    /// already taken needs `name(x, replace)` (Stata: r(110) "graph x already exists").
    static func store(_ plot: Plot, _ opts: GraphOptions, _ s: Session) throws {
        if opts.name != "Graph" && !opts.replaceName && (s.graphs[opts.name] != nil || CombinedGraphs.get(opts.name, s) != nil) {
            throw StataError(110, "graph \(opts.name) already exists")
        }
        CombinedGraphs.set(opts.name, nil, s)
        s.graphs[opts.name] = plot
        s.currentGraphName = opts.name
    }

    /// Runs a DidGraph call, turning its `GraphError` into a `StataError` with the same code.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as GraphError { throw StataError(e.stataCode, e.message) }
    }

    /// The values of numeric variable `name` at `rows` (missing values as NaN); r(109) for strings.
    static func numbers(_ name: String, rows: [Int], _ s: Session) throws -> [Double] {
        let c = s.frame.columns[try s.resolveVariable(name)]
        guard !c.isString else { throw StataError(109, "variable \(c.name) is a string variable; type mismatch") }
        return rows.map { Missing.isMissing(c.nums[$0]) ? .nan : c.nums[$0] }
    }

    /// The variable's label, or its name when it has none (Stata's default axis and legend text).
    static func label(_ name: String, _ s: Session) -> String {
        guard let j = try? s.resolveVariable(name) else { return name }
        let c = s.frame.columns[j]
        return c.label.isEmpty ? c.name : c.label
    }

    /// The evaluated weight expression over all observations, and its kind word (`fw`, `aw`, …).
    static func weights(_ call: CommandCall, _ s: Session, allowed: [String]) throws -> (kind: String, values: [Double])? {
        guard let w = call.weight else { return nil }
        let kinds = ["fw": "fw", "fweight": "fw", "aw": "aw", "aweight": "aw", "iw": "iw", "iweight": "iw",
                     "pw": "pw", "pweight": "pw"]
        guard let kind = kinds[w.kind.lowercased()], allowed.contains(kind) else {
            throw StataError(101, "\(w.kind) not allowed")
        }
        let e = try ExprParser.parse(w.exp)
        guard case .numbers(let v) = try Evaluator.evaluate(e, in: s, rows: RowSet(rows: Array(0..<s.frame.count), count: s.frame.count)) else {
            throw StataError.typeMismatch()
        }
        return (kind, v.map { Missing.isMissing($0) ? .nan : $0 })
    }
}

/// Combined graphs (`graph combine`) by session and name. Session keeps `[String: Plot]` only,
/// so the combined layouts live here beside it, keyed by the session's identity.
enum CombinedGraphs {
    nonisolated(unsafe) private static var table: [ObjectIdentifier: [String: CombinedPlot]] = [:]
    private static let lock = NSLock()

    /// The combined graph `name` of session `s`, if any.
    static func get(_ name: String, _ s: Session) -> CombinedPlot? {
        lock.lock(); defer { lock.unlock() }
        return table[ObjectIdentifier(s)]?[name]
    }

    /// Stores (or with nil removes) a combined graph.
    static func set(_ name: String, _ plot: CombinedPlot?, _ s: Session) {
        lock.lock(); defer { lock.unlock() }
        table[ObjectIdentifier(s), default: [:]][name] = plot
    }

    /// Removes every combined graph of the session.
    static func removeAll(_ s: Session) {
        lock.lock(); defer { lock.unlock() }
        table[ObjectIdentifier(s)] = nil
    }
}
