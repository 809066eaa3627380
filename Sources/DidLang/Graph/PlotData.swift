// From variables to series: which observations a plot uses, in what order, and what each plot
// type draws. Stata's conventions: the last variable of line/scatter/connected is x and every
// other one a y (one series each); observations with missing values are skipped unless
// `cmissing(n)` asks for breaks; `sort` orders the line by x; lfit draws the OLS line of y on x.

import DidFrame
import DidGraph
import Foundation

/// Series built from the data for one twoway plot.
enum PlotData {
    /// The series of plot `type` over `vars` at `rows`, with the names for default axis titles.
    static func series(_ type: String, vars: [String], rows: [Int], weights: (kind: String, values: [Double])?,
                       style: PlotStyle, _ s: Session) throws -> (series: [Series], x: String, y: [String]) {
        func need(_ n: Int, exact: Bool = false) throws {
            if vars.count < n { throw StataError(102, "too few variables specified") }
            if exact && vars.count > n { throw StataError(103, "too many variables specified") }
        }
        switch type {
        case "line", "scatter", "connected", "bar":
            try need(2)
            let xName = vars[vars.count - 1]
            let x = try GraphCommands.numbers(xName, rows: rows, s)
            var out: [Series] = []
            for yName in vars.dropLast() {
                let y = try GraphCommands.numbers(yName, rows: rows, s)
                let (xs, ys) = ordered(x, y, sort: style.sort || type == "bar",
                                       keepMissing: style.breakAtMissing && type != "scatter" && type != "bar")
                let label = GraphCommands.label(yName, s)
                switch type {
                case "line": out.append(.line(x: xs, y: ys, label: label))
                case "scatter": out.append(.scatter(x: xs, y: ys, label: label))
                case "connected": out.append(.connected(x: xs, y: ys, label: label))
                default: out.append(.bar(x: xs, height: ys, width: [style.barWidth ?? 1], label: label))
                }
            }
            return (out, GraphCommands.label(xName, s), vars.dropLast().map { GraphCommands.label($0, s) })
        case "rcap", "rarea":
            try need(3, exact: true)
            let lo = try GraphCommands.numbers(vars[0], rows: rows, s)
            let hi = try GraphCommands.numbers(vars[1], rows: rows, s)
            let x = try GraphCommands.numbers(vars[2], rows: rows, s)
            var idx = rows.indices.filter { k in
                !x[k].isNaN && (style.breakAtMissing && type == "rarea" || (!lo[k].isNaN && !hi[k].isNaN))
            }
            if style.sort { idx.sort { x[$0] != x[$1] ? x[$0] < x[$1] : $0 < $1 } }
            let xs = idx.map { x[$0] }, los = idx.map { lo[$0] }, his = idx.map { hi[$0] }
            let label = GraphCommands.label(vars[0], s) + "/" + GraphCommands.label(vars[1], s)
            let series: Series = type == "rcap"
                ? .rcap(x: xs, lo: los, hi: his, horizontal: style.horizontal, label: label)
                : .rarea(x: xs, lo: los, hi: his, label: label)
            let xTitle = GraphCommands.label(vars[2], s)
            return ([series], style.horizontal ? "" : xTitle, [style.horizontal ? xTitle : ""])
        case "lfit":
            try need(2, exact: true)
            let y = try GraphCommands.numbers(vars[0], rows: rows, s)
            let x = try GraphCommands.numbers(vars[1], rows: rows, s)
            return ([try fitLine(x, y, weights: weights.map { w in rows.map { w.values[$0] } })],
                    GraphCommands.label(vars[1], s), ["Fitted values"])
        case "kdensity":
            try need(1, exact: true)
            let v = try GraphCommands.numbers(vars[0], rows: rows, s)
            let w = weights.map { w in rows.map { w.values[$0] } }
            let kind: KernelDensity.WeightKind = weights?.kind == "fw" ? .frequency : weights?.kind == "iw" ? .importance : .analytic
            let kernel = try style.statistics["kernel"].map(DensityCommands.kernel) ?? .epanechnikov
            let bw = try style.statistics["bwidth"].map { try GraphArgs.number($0, "bwidth") }
            let n = try style.statistics["n"].map { try GraphArgs.count($0, "n") } ?? 50
            let series = try GraphCommands.wrap {
                try Series.kdensity(v, weights: w, weightKind: kind, kernel: kernel, bandwidth: bw, points: n,
                                    label: "kdensity " + vars[0])
            }
            return ([series], GraphCommands.label(vars[0], s), ["Density"])
        default:   // histogram
            try need(1, exact: true)
            let v = try GraphCommands.numbers(vars[0], rows: rows, s)
            if let k = weights?.kind, k != "fw" { throw StataError(101, "\(k) not allowed") }
            let scale = DensityCommands.scale(style.flags)
            let bins = try style.statistics["bin"].map { try GraphArgs.count($0, "bin") }
            let width = try style.statistics["width"].map { try GraphArgs.number($0, "width") }
            let start = try style.statistics["start"].map { try GraphArgs.number($0, "start") }
            let series = try GraphCommands.wrap {
                try Series.histogram(v, weights: weights.map { w in rows.map { w.values[$0] } }, bins: bins, width: width,
                                     start: start, scale: scale, discrete: style.flags.contains("discrete"),
                                     label: GraphCommands.label(vars[0], s))
            }
            return ([series], GraphCommands.label(vars[0], s), [scale.rawValue.capitalized])
        }
    }

    /// (x, y) pairs in data order or sorted by x (stable); pairs with a missing value are dropped,
    /// or kept as NaN breaks when `keepMissing` (a missing x still drops the point).
    static func ordered(_ x: [Double], _ y: [Double], sort: Bool, keepMissing: Bool) -> ([Double], [Double]) {
        var idx = x.indices.filter { !x[$0].isNaN && (keepMissing || !y[$0].isNaN) }
        if sort { idx.sort { x[$0] != x[$1] ? x[$0] < x[$1] : $0 < $1 } }
        return (idx.map { x[$0] }, idx.map { y[$0] })
    }

    /// The least-squares line of y on x (optionally weighted), drawn from min x to max x.
    static func fitLine(_ x: [Double], _ y: [Double], weights: [Double]?) throws -> Series {
        var sw = 0.0, sx = 0.0, sy = 0.0
        var pairs: [(Double, Double, Double)] = []
        for k in x.indices where !x[k].isNaN && !y[k].isNaN {
            let w = weights?[k] ?? 1
            guard !w.isNaN, w > 0 else { continue }
            pairs.append((x[k], y[k], w)); sw += w; sx += w * x[k]; sy += w * y[k]
        }
        guard pairs.count >= 2 else { throw StataError(2001, "insufficient observations") }
        let mx = sx / sw, my = sy / sw
        var sxy = 0.0, sxx = 0.0
        for (a, b, w) in pairs { sxy += w * (a - mx) * (b - my); sxx += w * (a - mx) * (a - mx) }
        let slope = sxx > 0 ? sxy / sxx : 0
        let lo = pairs.map(\.0).min()!, hi = pairs.map(\.0).max()!
        return .line(x: [lo, hi], y: [my + slope * (lo - mx), my + slope * (hi - mx)], label: "Fitted values")
    }
}
