// coefplot [name …] [, options]: point estimates and confidence intervals from e(b) and e(V) of
// the current or stored estimates, names on a category axis. The interval is b ± q·se with
// q = invttail(e(df_r), α/2) when e(df_r) is posted, else invnormal(1 − α/2) (what coefplot
// does by default). Base levels (`8b.rel`) and omitted terms (`o.x`) are left out unless
// `baselevels`/`omitted` is given; keep()/drop() take `*` wildcards and match names as written
// in e(b) or without their b/o marks.

import DidStats
import DidFrame
import DidGraph
import Foundation

/// The `coefplot` command.
enum CoefplotCommand {
    /// One model's coefficients to plot.
    struct Model {
        var label: String
        var names: [String]
        var b: [Double]
        var lo: [Double]
        var hi: [Double]
    }

    /// Options of coefplot itself (the rest are graph options).
    struct Settings {
        var keep: [String]?, drop: [String] = []
        var vertical = false
        var level: Double
        var rename: [(String, String)] = [], labels: [String: String] = [:]
        var order: [String] = []
        var omitted = false, baselevels = false, connect = false
        /// `nolabels`: show coefficient names as in e(b) instead of variable and value labels.
        var useLabels = true
        var color: Color?
        var yline: [RefLine] = [], xline: [RefLine] = []
    }

    /// coefplot [namelist] [, keep() drop() vertical horizontal levels(#) rename() coeflabels() order()
    ///          omitted baselevels connect ciopts() yline() xline() graph options]
    static func run(_ call: CommandCall, _ s: Session) throws {
        var plot = Plot(), opts = GraphOptions()
        var st = Settings(level: Double(s.settings["level"] ?? "95") ?? 95)
        for o in call.options where !(try option(o, &st)) {
            guard try opts.apply(o, to: &plot) else { throw StataError(198, "option \(o.name) not allowed") }
        }
        let words = call.head.split(separator: " ").map(String.init).filter { $0 != "||" }
        var models: [Model] = []
        for w in words.isEmpty ? ["."] : words {
            let results: StoredResults
            if w == "." {
                guard s.eResults.matrices["b"] != nil else { throw StataError(301, "last estimates not found") }
                results = s.eResults
            } else {
                let matched = s.storedEstimates.filter { Session.wildcardMatch(w, $0.name) }
                guard !matched.isEmpty else { throw StataError(111, "estimation result \(w) not found") }
                for m in matched { models.append(try model(m.results, label: m.name, st)) }
                continue
            }
            models.append(try model(results, label: w == "." ? (results.macros["depvar"] ?? "") : w, st))
        }
        // Categories: every model's coefficients, first appearance first, then order() moves some up.
        var names: [String] = []
        for m in models { for n in m.names where !names.contains(n) { names.append(n) } }
        guard !names.isEmpty else { throw StataError(111, "no coefficients found (check keep() and drop())") }
        names = ordered(names, st.order)
        if st.useLabels { for n in names where st.labels[n] == nil { st.labels[n] = defaultLabel(n, s) } }
        plot = try draw(models, names: names, st, base: plot)
        opts.finish(&plot, defaultX: nil, defaultY: nil)
        try GraphCommands.store(plot, opts, s)
    }

    /// Consumes one coefplot option; false when it is a graph option.
    static func option(_ o: ParsedOption, _ st: inout Settings) throws -> Bool {
        let n = o.name.lowercased(), a = o.argument ?? ""
        func list() -> [String] { a.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
        switch n {
        case "keep": st.keep = (st.keep ?? []) + list()
        case "drop": st.drop += list()
        case _ where GraphArgs.matches(n, "vertical", min: 4): st.vertical = true
        case _ where GraphArgs.matches(n, "horizontal", min: 3): st.vertical = false
        case _ where GraphArgs.matches(n, "levels", min: 5) || GraphArgs.matches(n, "level", min: 5):
            guard let first = list().first else { throw StataError(198, "levels() requires a number") }
            let v = try GraphArgs.number(first, "levels")
            guard v >= 10, v <= 99.99 else { throw StataError(198, "levels() must be between 10 and 99.99") }
            st.level = v
        case "rename": st.rename += try GraphArgs.pairs(a)
        case _ where GraphArgs.matches(n, "coeflabels", min: 5):
            let (main, _) = try GraphArgs.splitComma(a)
            for (k, v) in try GraphArgs.pairs(main) { st.labels[k] = v }
        case "order": st.order = list()
        case "omitted": st.omitted = true
        case _ where GraphArgs.matches(n, "nolabels", min: 5): st.useLabels = false
        case "baselevels": st.baselevels = true
        case "connect", "recast":
            if n == "connect" || a.lowercased().hasPrefix("con") { st.connect = true }
        case "yline": st.yline += try GraphOptions.refLines(a, "yline")
        case "xline": st.xline += try GraphOptions.refLines(a, "xline")
        case _ where GraphArgs.matches(n, "mcolor", min: 3) || GraphArgs.matches(n, "color", min: 5):
            st.color = try GraphArgs.color(a)
        case "ciopts", "msymbol", "msize", "mlabel", "format", "citop", "nooffsets", "offset", "cismooth", "noci",
             "lcolor", "lpattern", "lwidth", "mlabposition", "mlabsize", "mlabcolor", "mlabgap", "nolabel", "noeqlabels",
             "grid", "byopts", "aseq", "eqlabels", "headings", "groups", "transform", "bycoefs", "norecycle":
            break   // drawn with coefplot's defaults
        default: return false
        }
        return true
    }

    /// One model's kept coefficients with their intervals.
    static func model(_ e: StoredResults, label: String, _ st: Settings) throws -> Model {
        guard let b = e.matrices["b"] else { throw StataError(301, "e(b) not found") }
        guard let v = e.matrices["V"] else { throw StataError(301, "e(V) not found") }
        let alpha = (100 - st.level) / 100
        let df = e.scalars["df_r"].flatMap { $0.isFinite && !Missing.isMissing($0) && $0 > 0 ? $0 : nil }
        let q = df.map { Distributions.invttail($0, alpha / 2) } ?? Distributions.invNormal(1 - alpha / 2)
        var m = Model(label: label, names: [], b: [], lo: [], hi: [])
        for j in 0..<b.cols {
            let raw = b.colNames[j]
            if !st.omitted && isOmitted(raw) { continue }
            if !st.baselevels && isBase(raw) { continue }
            let plain = Session.stripBase(raw)
            func hit(_ p: String) -> Bool { Session.wildcardMatch(p, raw) || Session.wildcardMatch(p, plain) }
            if let keep = st.keep, !keep.contains(where: hit) { continue }
            if st.drop.contains(where: hit) { continue }
            let variance = j < v.rows && j < v.cols ? v[j, j] : .nan
            let se = variance > 0 && !Missing.isMissing(variance) ? variance.squareRoot() : 0
            let name = st.rename.first { hit($0.0) }?.1 ?? plain
            guard !m.names.contains(name) else { continue }
            m.names.append(name); m.b.append(b[0, j])
            m.lo.append(b[0, j] - q * se); m.hi.append(b[0, j] + q * se)
        }
        return m
    }

    /// `o.x`, `2o.year`, `o.1.treat#...`: an omitted term.
    static func isOmitted(_ name: String) -> Bool {
        name.split(separator: "#").contains { part in
            part.hasPrefix("o.") || (part.split(separator: ".").first.map { $0.last == "o" && $0.dropLast().allSatisfy(\.isNumber) } ?? false)
        }
    }

    /// `8b.rel`, `1b.treat#0b.post`: a base level (every factor part is a base, as coefplot drops them).
    static func isBase(_ name: String) -> Bool {
        let parts = name.split(separator: "#")
        let bases = parts.filter { p in
            guard let lvl = p.split(separator: ".").first, p.contains(".") else { return false }
            return lvl.contains("b") && lvl.filter(\.isNumber).count + lvl.filter { $0 == "b" || $0 == "n" }.count == lvl.count
        }
        return !bases.isEmpty && bases.count == parts.filter { $0.contains(".") }.count
    }

    /// `names` with those matching `order` patterns first, in the order of the patterns.
    static func ordered(_ names: [String], _ order: [String]) -> [String] {
        guard !order.isEmpty else { return names }
        var first: [String] = []
        for p in order { for n in names where Session.wildcardMatch(p, n) && !first.contains(n) { first.append(n) } }
        return first + names.filter { !first.contains($0) }
    }

    /// coefplot's default text for a coefficient: `Constant` for _cons, a variable's label, for a
    /// factor level its value label or `varlabel=level`, interactions joined by ` # `.
    static func defaultLabel(_ name: String, _ s: Session) -> String {
        if name == "_cons" { return "Constant" }
        func label(_ v: String) -> String {   // exact names only: e(b) never abbreviates
            guard let j = s.frame.index(of: v), !s.frame.columns[j].label.isEmpty else { return v }
            return s.frame.columns[j].label
        }
        return name.split(separator: "#").map { part -> String in
            let p = String(part)
            guard let dot = p.firstIndex(of: ".") else { return label(p) }
            let head = String(p[..<dot]), variable = String(p[p.index(after: dot)...])
            guard let level = Int(head) else { return p }   // c.x, L.x: keep as written
            if let j = s.frame.index(of: variable), let set = s.frame.columns[j].valueLabel,
               let text = s.frame.valueLabels[set]?.mapping[level] {
                return text
            }
            return label(variable) + "=" + head
        }.joined(separator: " # ")
    }

    /// The coefficient label coefplot shows: coeflabels() if given, else the name.
    static func label(_ name: String, _ st: Settings) -> String { st.labels[name] ?? name }

    /// Draws the models: one rcap + marker pair per model, offset around each category.
    static func draw(_ models: [Model], names: [String], _ st: Settings, base: Plot) throws -> Plot {
        let k = models.count
        let positions = (1...names.count).map(Double.init)
        let first = models[0]
        func aligned(_ m: Model, _ values: [Double]) -> [Double] {
            names.map { n in m.names.firstIndex(of: n).map { values[$0] } ?? .nan }
        }
        func offset(_ i: Int) -> Double { k == 1 ? 0 : -0.2 + 0.4 * Double(i) / Double(k - 1) }
        var pos = positions.map { $0 + offset(0) }
        if !st.vertical { pos = pos.map { Double(names.count) + 1 - $0 } }   // first name at the top
        var plot = try GraphCommands.wrap {
            try CoefficientPlot.make(names: names.map { label($0, st) }, b: aligned(first, first.b),
                                     lo: aligned(first, first.lo), hi: aligned(first, first.hi), vertical: st.vertical,
                                     positions: pos, connect: st.connect, color: st.color,
                                     label: k > 1 ? first.label : nil)
        }
        let catPositions = st.vertical ? positions : positions.map { Double(names.count) + 1 - $0 }
        let catAxis = Axis(range: (0.5, Double(names.count) + 0.5), exact: true,
                           tickLabels: Array(zip(catPositions, names.map { label($0, st) })), grid: false)
        if st.vertical { plot.xAxis = catAxis } else { plot.yAxis = catAxis }
        for (i, m) in models.enumerated().dropFirst() {
            let color = Color.palette(i)
            var p = positions.map { $0 + offset(i) }
            if !st.vertical { p = p.map { Double(names.count) + 1 - $0 } }
            let b = aligned(m, m.b)
            plot.series.append(.rcap(x: p, lo: aligned(m, m.lo), hi: aligned(m, m.hi), horizontal: !st.vertical, color: color))
            let points: Series = st.vertical
                ? (st.connect ? .connected(x: p, y: b, label: m.label, color: color) : .scatter(x: p, y: b, label: m.label, color: color))
                : (st.connect ? .connected(x: b, y: p, label: m.label, color: color) : .scatter(x: b, y: p, label: m.label, color: color))
            plot.series.append(points)
        }
        // Carry over what the graph options already set on the base plot.
        plot.title = base.title; plot.subtitle = base.subtitle; plot.note = base.note
        if base.legend.show != nil || base.legend.order != nil { plot.legend = base.legend }
        plot.width = base.width; plot.height = base.height
        plot.xLines += base.xLines + st.xline
        plot.yLines += base.yLines + st.yline
        if st.vertical {
            if base.yAxis.ticks != nil || base.yAxis.range != nil || base.yAxis.format != nil { plot.yAxis = base.yAxis }
            if let a = base.xAxis.angle { plot.xAxis.angle = a }
            if let tl = base.xAxis.tickLabels { plot.xAxis.tickLabels = tl }
        } else {
            if base.xAxis.ticks != nil || base.xAxis.range != nil || base.xAxis.format != nil { plot.xAxis = base.xAxis }
            if let a = base.yAxis.angle { plot.yAxis.angle = a }
            if let tl = base.yAxis.tickLabels { plot.yAxis.tickLabels = tl }
        }
        return plot
    }
}
