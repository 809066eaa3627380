// The options of one twoway plot: how its series look (colours, line pattern and width, marker,
// bar width), how its data are ordered (`sort`, `cmissing`) and the statistics options of the
// kdensity and histogram plot types. Graph-level options are left for GraphOptions.

import DidFrame
import DidGraph
import Foundation

/// Options of a single plot inside twoway.
struct PlotStyle {
    var sort = false
    /// `cmissing(n)`: missing values break the line (Stata's default `y` skips them).
    var breakAtMissing = false
    var horizontal = false
    var lineColor: Color?, markerColor: Color?, fillColor: Color?
    var pattern: LinePattern?
    var lineWidth: Double?
    var marker: MarkerSymbol?
    var markerSize: Double?
    var barWidth: Double?
    /// kdensity/histogram plot options (bin(), width(), kernel() …), by full name.
    var statistics: [String: String] = [:]
    /// Whether the options name a plot statistic without argument (`discrete`, `frequency` …).
    var flags: Set<String> = []

    /// Consumes a plot option; false when it is not one (then it may be a graph option).
    mutating func apply(_ o: ParsedOption) throws -> Bool {
        let n = o.name.lowercased(), a = o.argument ?? ""
        switch n {
        case "sort": sort = true
        case _ where GraphArgs.matches(n, "cmissing", min: 3):
            breakAtMissing = a.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("n")
        case _ where GraphArgs.matches(n, "horizontal", min: 3): horizontal = true
        case "vertical": horizontal = false
        case _ where GraphArgs.matches(n, "lcolor", min: 3): lineColor = try GraphArgs.color(a)
        case _ where GraphArgs.matches(n, "mcolor", min: 3): markerColor = try GraphArgs.color(a)
        case _ where GraphArgs.matches(n, "fcolor", min: 3): fillColor = try GraphArgs.color(a)
        case _ where GraphArgs.matches(n, "color", min: 5):
            let c = try GraphArgs.color(a)
            lineColor = c; markerColor = c
        case _ where GraphArgs.matches(n, "lpattern", min: 3): pattern = try GraphArgs.pattern(a)
        case _ where GraphArgs.matches(n, "lwidth", min: 3): lineWidth = try GraphArgs.width(a)
        case _ where GraphArgs.matches(n, "msymbol", min: 2): marker = try GraphArgs.symbol(a)
        case _ where GraphArgs.matches(n, "msize", min: 3): markerSize = try GraphArgs.markerSize(a)
        case _ where GraphArgs.matches(n, "barwidth", min: 4): barWidth = try GraphArgs.number(a, n)
        case "bin", "width", "start", "kernel", "bwidth", "n", "range":
            statistics[n] = a
        case "discrete", "density", "fraction", "frequency", "percent":
            flags.insert(n)
        case "connect", "lstyle", "mstyle", "mlcolor", "mfcolor", "mlwidth", "fintensity", "pstyle", "lalign",
             "mlabel", "mlabsize", "mlabcolor", "mlabposition", "jitter", "blcolor", "blwidth", "bcolor", "base",
             "recast", "msangle", "lcolors", "ciopts":
            break   // accepted; drawn with the defaults
        default:
            return false
        }
        return true
    }

    /// `series` with this plot's style; `index` picks the default palette colour.
    func styled(_ series: Series, index: Int) -> Series {
        var t = series
        let isMarker: Bool
        switch t.kind { case .scatter, .connected: isMarker = true; default: isMarker = false }
        if let c = (isMarker ? markerColor ?? lineColor : lineColor ?? markerColor) { t.color = c }
        if let f = fillColor { t.fillColor = f }
        if let p = pattern { t.pattern = p }
        if let w = lineWidth { t.lineWidth = w }
        if let m = marker { t.marker = m }
        if let z = markerSize { t.markerSize = z }
        if t.color == nil { t.color = Color.palette(index) }
        return t
    }
}
