// histogram and kdensity: one variable's distribution as bars or a kernel density line, with
// optional normal and kernel overlays. The numbers come from DidGraph's Histogram and
// KernelDensity (Stata's binning and bandwidth rules); this file parses, posts r() and draws.

import DidFrame
import DidGraph
import Foundation

/// The `histogram` and `kdensity` commands.
enum DensityCommands {
    /// histogram varname [if] [in] [fw] [, bin(#)|width(#) start(#) discrete density|fraction|frequency|percent
    ///           normal kdensity graph options]
    static func histogram(_ call: CommandCall, _ s: Session) throws {
        let vars = try s.varlist(call.head)
        guard vars.count == 1 else { throw StataError(103, "too many variables specified") }
        let name = vars[0]
        var plot = Plot(), opts = GraphOptions(), style = PlotStyle()
        var normal = false, kdens = false
        for o in call.options {
            let n = o.name.lowercased()
            if n == "normal" || GraphArgs.matches(n, "normal", min: 4) { normal = true; continue }
            if GraphArgs.matches(n, "kdensity", min: 4) { kdens = true; continue }
            if n == "addlabels" || n == "gap" || n.hasPrefix("kdenop") || n.hasPrefix("normop") { continue }
            if GraphArgs.matches(n, "frequency", min: 4) { style.flags.insert("frequency"); continue }
            if GraphArgs.matches(n, "fraction", min: 4) { style.flags.insert("fraction"); continue }
            if GraphArgs.matches(n, "density", min: 3) { style.flags.insert("density"); continue }
            if try style.apply(o) { continue }
            guard try opts.apply(o, to: &plot) else { throw StataError(198, "option \(o.name) not allowed") }
        }
        guard style.flags.intersection(["density", "fraction", "frequency", "percent"]).count <= 1 else {
            throw StataError(198, "only one of density, fraction, frequency, and percent may be specified")
        }
        let rows = try s.sampleRows(call)
        let values = try GraphCommands.numbers(name, rows: rows, s)
        let w = try GraphCommands.weights(call, s, allowed: ["fw"]).map { w in rows.map { w.values[$0] } }
        let scale = Self.scale(style.flags)
        let bins = try GraphCommands.wrap {
            try Histogram.bins(values, weights: w, bins: style.statistics["bin"].map { try GraphArgs.count($0, "bin") },
                               width: style.statistics["width"].map { try GraphArgs.number($0, "width") },
                               start: style.statistics["start"].map { try GraphArgs.number($0, "start") },
                               scale: scale, discrete: style.flags.contains("discrete"))
        }
        let h = bins[0].hi - bins[0].lo
        let finite = zip(values, w ?? values.map { _ in 1 }).filter { $0.0.isFinite && !$0.1.isNaN && $0.1 > 0 }
        let n = bins.reduce(0) { $0 + $1.count }
        var bars = style.styled(Series.histogram(bins, label: GraphCommands.label(name, s)), index: 0)
        if style.fillColor == nil { bars.fillColor = (bars.color ?? Color.palette(0)).withAlpha(0.55) }
        plot.series = [bars]
        // Overlays are in density units; other scales multiply by what one unit of density is.
        let factor: Double
        switch scale { case .density: factor = 1; case .fraction: factor = h; case .frequency: factor = n * h; case .percent: factor = 100 * h }
        let lo = bins.first!.lo, hi = bins.last!.hi
        // Stata reports a discrete histogram's start as the smallest value (the first bar's centre).
        let start = style.flags.contains("discrete") ? lo + h / 2 : lo
        if normal {
            let m = finite.reduce(0) { $0 + $1.0 * $1.1 } / n
            let sd = (finite.reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) } / (n - 1)).squareRoot()
            let xs = (0...100).map { lo + (hi - lo) * Double($0) / 100 }
            let ys = xs.map { factor * exp(-0.5 * pow(($0 - m) / sd, 2)) / (sd * (2 * Double.pi).squareRoot()) }
            plot.series.append(.line(x: xs, y: ys, label: "Normal density", color: Color.palette(1)))
        }
        if kdens {
            let r = try GraphCommands.wrap { try KernelDensity.estimate(values: values, weights: w, weightKind: .frequency) }
            plot.series.append(.line(x: r.x, y: r.density.map { $0 * factor }, label: "Kernel density estimate",
                                     color: Color.palette(2)))
        }
        if plot.legend.show == nil { plot.legend.show = false }
        opts.finish(&plot, defaultX: GraphCommands.label(name, s), defaultY: scale.rawValue.capitalized)
        var r = StoredResults()
        r.set("N", n); r.set("bin", Double(bins.count)); r.set("start", start); r.set("width", h)
        r.set("min", finite.map(\.0).min() ?? .nan); r.set("max", finite.map(\.0).max() ?? .nan)
        s.rResults = r
        let startText = try Display.defaultNumber(start), widthText = try Display.defaultNumber(h)
        if style.flags.contains("discrete") {
            s.line("(start=\(startText), width=\(widthText))")
        } else {
            s.line("(bin=\(bins.count), start=\(startText), width=\(widthText))")
        }
        try GraphCommands.store(plot, opts, s)
    }

    /// kdensity varname [if] [in] [fw aw iw] [, kernel() bwidth(#) n(#) generate(x d) at(var) normal
    ///          nograph graph options]
    static func kdensity(_ call: CommandCall, _ s: Session) throws {
        let vars = try s.varlist(call.head)
        guard vars.count == 1 else { throw StataError(103, "too many variables specified") }
        let name = vars[0]
        var plot = Plot(), opts = GraphOptions(), style = PlotStyle()
        var kernel = KernelDensity.Kernel.epanechnikov, bw: Double?, points: Int?
        var generate: [String] = [], atVar: String?, normal = false, draw = true
        for o in call.options {
            let n = o.name.lowercased(), a = o.argument ?? ""
            if GraphArgs.matches(n, "kernel", min: 1) { kernel = try Self.kernel(a) }
            else if GraphArgs.matches(n, "bwidth", min: 1) || n == "width" { bw = try GraphArgs.number(a, "bwidth") }
            else if n == "n" {
                points = try GraphArgs.count(a, "n")
                guard points! <= 100_000 else { throw StataError(198, "n() must be at most 100000") }
            }
            else if GraphArgs.matches(n, "generate", min: 3) { generate = a.split(separator: " ").map(String.init) }
            else if n == "at" { atVar = a.trimmingCharacters(in: .whitespaces) }
            else if GraphArgs.matches(n, "normal", min: 3) { normal = true }
            else if GraphArgs.matches(n, "nograph", min: 4) { draw = false }
            else if n == "normopts" || n == "student" || n == "kdenopts" { continue }
            else if try style.apply(o) { continue }
            else if !(try opts.apply(o, to: &plot)) { throw StataError(198, "option \(o.name) not allowed") }
        }
        guard generate.count <= (atVar == nil ? 2 : 1) else { throw StataError(103, "generate(): too many names") }
        guard atVar == nil || points == nil else { throw StataError(198, "options at() and n() may not be combined") }
        for g in generate { try s.checkNewName(g) }
        let rows = try s.sampleRows(call)
        let values = try GraphCommands.numbers(name, rows: rows, s)
        let wt = try GraphCommands.weights(call, s, allowed: ["fw", "aw", "iw"])
        let w = wt.map { w in rows.map { w.values[$0] } }
        let kind: KernelDensity.WeightKind = wt?.kind == "fw" ? .frequency : wt?.kind == "iw" ? .importance : .analytic
        let h = try bw ?? GraphCommands.wrap { try KernelDensity.defaultBandwidth(values: values, weights: w, weightKind: kind) }
        let grid: [Double]
        if let atVar {
            grid = try GraphCommands.numbers(atVar, rows: Array(0..<s.frame.count), s)
        } else {
            // Stata: n() defaults to min(_N, 50) points from min − h to max + h.
            let n = points ?? min(50, s.frame.count)
            if n > s.frame.count && !generate.isEmpty {
                throw StataError(198, "n() must not exceed the number of observations (\(s.frame.count)) with generate()")
            }
            let xs = values.filter(\.isFinite)
            guard let lo = xs.min(), let hi = xs.max() else { throw StataError.noObservations() }
            let m = max(n, 2)
            grid = (0..<m).map { (lo - h) + Double($0) * ((hi + h) - (lo - h)) / Double(m - 1) }
        }
        let r = try GraphCommands.wrap {
            try KernelDensity.estimate(values: values, weights: w, weightKind: kind, kernel: kernel, bandwidth: h, at: grid)
        }
        var res = StoredResults()
        res.set("bwidth", r.bandwidth); res.set("n", Double(grid.count)); res.set("scale", r.scale)
        res.set("kernel", kernel.rawValue)
        s.rResults = res
        try generateVariables(generate, atVar: atVar, r, s)
        guard draw else { return }
        var line = style.styled(Series.line(x: r.x.indices.filter { r.x[$0].isFinite }.map { r.x[$0] },
                                            y: r.x.indices.filter { r.x[$0].isFinite }.map { r.density[$0] },
                                            label: "Kernel density estimate"), index: 0)
        if atVar != nil {   // at() points come in data order; a line needs them sorted
            let order = line.xy.x.indices.sorted { line.xy.x[$0] < line.xy.x[$1] }
            line.kind = .line(x: order.map { line.xy.x[$0] }, y: order.map { line.xy.y[$0] })
        }
        plot.series = [line]
        if normal {
            let sum = WeightedMoments(values, w)
            let ys = line.xy.x.map { exp(-0.5 * pow(($0 - sum.mean) / sum.sd, 2)) / (sum.sd * (2 * Double.pi).squareRoot()) }
            plot.series.append(.line(x: line.xy.x, y: ys, label: "Normal density", color: Color.palette(1)))
        } else if plot.legend.show == nil {
            plot.legend.show = false
        }
        if plot.title == nil { plot.title = "Kernel density estimate" }
        if plot.note == nil { plot.note = r.stataNote }
        opts.finish(&plot, defaultX: GraphCommands.label(name, s), defaultY: "Density")
        try GraphCommands.store(plot, opts, s)
    }

    /// generate(x d) / generate(d) with at(): the grid and densities in the first rows.
    static func generateVariables(_ names: [String], atVar: String?, _ r: KernelDensity.Result, _ s: Session) throws {
        guard !names.isEmpty else { return }
        let n = s.frame.count
        func column(_ v: [Double]) -> [Double] {
            (0..<n).map { $0 < v.count && v[$0].isFinite ? StorageType.float.store(v[$0]) : Missing.dot }
        }
        if atVar != nil || names.count == 1 {
            s.frame.add(Column(name: names[0], type: .float, values: column(r.density)))
        } else {
            s.frame.add(Column(name: names[0], type: .float, values: column(r.x)))
            s.frame.add(Column(name: names[1], type: .float, values: column(r.density)))
        }
    }

    /// The kernel a (possibly abbreviated) name denotes, or r(198).
    static func kernel(_ text: String) throws -> KernelDensity.Kernel {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let k = KernelDensity.Kernel.named(t) else { throw StataError(198, "kernel(\(t)) invalid") }
        return k
    }

    /// The bar scale the flags choose (density by default).
    static func scale(_ flags: Set<String>) -> Histogram.Scale {
        if flags.contains("fraction") { return .fraction }
        if flags.contains("frequency") { return .frequency }
        if flags.contains("percent") { return .percent }
        return .density
    }
}

/// Weighted mean and standard deviation (frequency-style, n − 1), missing values skipped.
struct WeightedMoments {
    var mean: Double, sd: Double
    init(_ x: [Double], _ w: [Double]?) {
        var sw = 0.0, sx = 0.0
        for k in x.indices where x[k].isFinite { let wk = w?[k] ?? 1; if wk.isFinite && wk > 0 { sw += wk; sx += wk * x[k] } }
        mean = sx / sw
        var ss = 0.0
        for k in x.indices where x[k].isFinite { let wk = w?[k] ?? 1; if wk.isFinite && wk > 0 { ss += wk * (x[k] - mean) * (x[k] - mean) } }
        sd = (ss / (sw - 1)).squareRoot()
    }
}

extension Series {
    /// The x and y arrays of a line, scatter or connected series (empty for the other kinds).
    var xy: (x: [Double], y: [Double]) {
        switch kind {
        case let .line(x, y), let .scatter(x, y), let .connected(x, y): return (x, y)
        default: return ([], [])
        }
    }
}
