// coefplot-style plots: point estimates with confidence intervals on a categorical axis that
// carries the coefficient names. Vertical (names along x, intervals upright) suits event
// studies; horizontal (names down the y axis, first at the top) is coefplot's default look.
import Foundation

/// Builds coefficient plots.
public enum CoefficientPlot {
    /// A coefficient plot of estimates `b` with intervals `lo`…`hi`, one per name.
    ///
    /// - `vertical`: names along the x axis and upright intervals (event studies); otherwise names
    ///   down the y axis and horizontal intervals.
    /// - `positions`: where the coefficients sit on the categorical axis (default 1…k); pass
    ///   event times (−4…5) to make reference lines easy to place.
    /// - `yline`/`xline`: reference lines in data units of that axis (for the categorical axis, in
    ///   `positions` units: `xline: -0.5` between event times −1 and 0). The line on the value
    ///   axis is drawn solid (the zero line), the one on the categorical axis dashed (the event).
    /// - `connect`: join the estimates with a line.
    public static func make(names: [String], b: [Double], lo: [Double], hi: [Double], vertical: Bool = true,
                            positions: [Double]? = nil, title: String? = nil, subtitle: String? = nil,
                            note: String? = nil, xTitle: String? = nil, yTitle: String? = nil,
                            yline: Double? = nil, xline: Double? = nil, connect: Bool = false,
                            color: Color? = nil, label: String? = nil, ciLabel: String? = nil) throws -> Plot {
        let k = names.count
        guard k > 0 else { throw GraphError(.noObservations, "no coefficients to plot") }
        guard b.count == k, lo.count == k, hi.count == k, positions.map({ $0.count == k }) ?? true else {
            throw GraphError(.invalidInput, "names, b, lo, hi (and positions) must have the same length")
        }
        let color = color ?? Color.palette(0)
        var pos = positions ?? (1...k).map(Double.init)
        if !vertical && positions == nil { pos.reverse() }   // first name at the top
        guard pos.allSatisfy(\.isFinite) else { throw GraphError(.invalidInput, "positions must be finite") }
        let step = zip(pos.sorted().dropFirst(), pos.sorted()).map { $0 - $1 }.filter { $0 > 0 }.min() ?? 1
        let catAxis = Axis(range: (pos.min()! - step / 2, pos.max()! + step / 2), exact: true,
                           tickLabels: Array(zip(pos, names)), grid: false)
        var ci = Series.rcap(x: pos, lo: lo, hi: hi, horizontal: !vertical, label: ciLabel, color: color)
        ci.lineWidth = 1.4
        var points: Series
        if vertical {
            points = connect ? Series.connected(x: pos, y: b, label: label, color: color)
                             : Series.scatter(x: pos, y: b, label: label, color: color)
        } else {
            points = connect ? Series.connected(x: b, y: pos, label: label, color: color)
                             : Series.scatter(x: b, y: pos, label: label, color: color)
        }
        points.markerSize = 8
        let zero = RefLine(0, color: Color(r: 110, g: 110, b: 110), pattern: .solid, width: 1.1)
        let event = RefLine(0, color: Color(r: 110, g: 110, b: 110), pattern: .dash, width: 1.2)
        var plot = Plot(title: title, subtitle: subtitle, note: note, xTitle: xTitle, yTitle: yTitle,
                        series: [ci, points])
        plot.legend.show = (label != nil || ciLabel != nil) ? true : false
        if vertical {
            plot.xAxis = catAxis
            plot.yAxis = Axis(grid: true)
            if let v = yline { var l = zero; l.value = v; plot.yLines = [l] }
            if let v = xline { var l = event; l.value = v; plot.xLines = [l] }
        } else {
            plot.yAxis = catAxis
            plot.xAxis = Axis(grid: true)
            if let v = xline { var l = zero; l.value = v; plot.xLines = [l] }
            if let v = yline { var l = event; l.value = v; plot.yLines = [l] }
        }
        return plot
    }
}
