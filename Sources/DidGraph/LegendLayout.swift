// The legend: which series get an entry, how the entries are arranged in rows and columns,
// and where the box goes (outside at a side of the plot region, or inside one of its corners).
import Foundation

/// Sizes and draws the legend of a plot.
struct LegendLayout {
    let builder: SceneBuilder

    /// The measured legend: entries, grid shape and box size.
    struct Box {
        var entries: [Int]
        /// The label texts as drawn (shortened when even one column is too wide).
        var labels: [String]
        var columns: Int
        var columnWidths: [Double]
        var rowHeight: Double
        var width: Double, height: Double
    }

    var plot: Plot { builder.plot }
    var s: Double { builder.s }
    var keyWidth: Double { 28 * s }
    var padding: Double { 8 * s }
    var columnGap: Double { 18 * s }

    /// Series indices with an entry: the explicit order, else every labelled series.
    func entries() -> [Int] {
        let labelled = { (i: Int) in plot.series.indices.contains(i) && !(plot.series[i].label ?? "").isEmpty }
        if let order = plot.legend.order { return order.filter(labelled) }
        return plot.series.indices.filter(labelled)
    }

    /// The box size, or nil when no legend is drawn; columns drop until it fits `maxWidth`.
    func size(maxWidth: Double) -> Box? {
        let list = entries()
        let show = plot.legend.show ?? (list.count >= 2)
        guard show, !list.isEmpty else { return nil }
        let side: Bool
        switch plot.legend.position { case .top, .bottom: side = false; default: side = true }
        var labels = list.map { plot.series[$0].label! }
        var labelWidths = labels.map { builder.measurer.measure($0, size: builder.fLegend, bold: false).width }
        let m = builder.measurer.measure("Xg", size: builder.fLegend, bold: false)
        let rowHeight = max(m.ascent + m.descent, list.map { plot.series[$0].markerSize * s }.max() ?? 0) + 5 * s
        var columns = max(1, min(plot.legend.columns ?? (side ? 1 : 2), list.count))
        var truncated = false
        while true {
            let widths = (0..<columns).map { c in
                stride(from: c, to: list.count, by: columns).map { keyWidth + 6 * s + labelWidths[$0] }.max() ?? 0
            }
            let width = widths.reduce(0, +) + Double(columns - 1) * columnGap + 2 * padding
            let rows = (list.count + columns - 1) / columns
            if width > maxWidth && columns == 1 && !truncated {
                // Even one column is too wide: shorten the labels to fit.
                let room = maxWidth - 2 * padding - keyWidth - 6 * s
                labels = labels.map { builder.truncate($0, size: builder.fLegend, maxWidth: room) }
                labelWidths = labels.map { builder.measurer.measure($0, size: builder.fLegend, bold: false).width }
                truncated = true
                continue
            }
            if width <= maxWidth || columns == 1 {
                return Box(entries: list, labels: labels, columns: columns, columnWidths: widths, rowHeight: rowHeight,
                           width: min(width, maxWidth), height: Double(rows) * rowHeight + 2 * padding - 2 * s)
            }
            columns -= 1
        }
    }

    /// Draws the box. `edge` is the free-area coordinate the outside positions hang from
    /// (bottom: its lower edge; top: its upper edge; right/left: its outer x).
    func draw(_ scene: inout Scene, box: Box, region: Rect, edge: Double) {
        let inset = 10 * s
        let origin: Point
        switch plot.legend.position {
        case .bottom: origin = Point(region.x + (region.width - box.width) / 2, edge - box.height)
        case .top: origin = Point(region.x + (region.width - box.width) / 2, edge)
        case .right: origin = Point(edge - box.width, region.y + (region.height - box.height) / 2)
        case .left: origin = Point(edge, region.y + (region.height - box.height) / 2)
        case .insideTopRight: origin = Point(region.maxX - box.width - inset, region.y + inset)
        case .insideTopLeft: origin = Point(region.x + inset, region.y + inset)
        case .insideBottomRight: origin = Point(region.maxX - box.width - inset, region.maxY - box.height - inset)
        case .insideBottomLeft: origin = Point(region.x + inset, region.maxY - box.height - inset)
        }
        let rect = Rect(x: origin.x, y: origin.y, width: box.width, height: box.height)
        scene.rect(rect, fill: .white, stroke: Stroke(Color(r: 160, g: 160, b: 160), width: 0.8 * s))
        for (k, index) in box.entries.enumerated() {
            let col = k % box.columns, row = k / box.columns
            let x = origin.x + padding + box.columnWidths[..<col].reduce(0, +) + Double(col) * columnGap
            let yMid = origin.y + padding + (Double(row) + 0.5) * box.rowHeight - 1 * s
            key(&scene, series: index, x: x, yMid: yMid)
            scene.text(box.labels[k], at: Point(x + keyWidth + 6 * s, yMid), size: builder.fLegend,
                       role: .legend, h: .left, v: .middle)
        }
    }

    /// The little sample of a series: a line, a marker, a cap or a filled box.
    func key(_ scene: inout Scene, series index: Int, x: Double, yMid: Double) {
        let series = plot.series[index], color = plot.color(ofSeries: index)
        let a = Point(x, yMid), b = Point(x + keyWidth, yMid)
        switch series.kind {
        case .line:
            scene.line(a, b, builder.stroke(series, color))
        case .scatter:
            builder.marker(series.marker, at: Point(x + keyWidth / 2, yMid), size: series.markerSize * s, color: color, &scene)
        case .connected:
            scene.line(a, b, builder.stroke(series, color))
            builder.marker(series.marker, at: Point(x + keyWidth / 2, yMid), size: series.markerSize * s, color: color, &scene)
        case .rcap:
            let h = series.capSize * s / 2
            scene.add(.path(subpaths: [[a, b], [Point(a.x, yMid - h), Point(a.x, yMid + h)], [Point(b.x, yMid - h), Point(b.x, yMid + h)]],
                            closed: false, fill: nil, stroke: builder.stroke(series, color)))
        case .rarea:
            scene.rect(keyBox(x, yMid), fill: builder.fill(series, color), stroke: nil)
        case .bar:
            // Bars are outlined in the plot, so their key is too.
            scene.rect(keyBox(x, yMid), fill: builder.fill(series, color), stroke: Stroke(color, width: 0.8 * s))
        }
    }

    func keyBox(_ x: Double, _ yMid: Double) -> Rect {
        Rect(x: x, y: yMid - 5 * s, width: keyWidth, height: 10 * s)
    }
}
