// Layout: turns a `Plot` into a `Scene`. Margins are computed from measured text (titles, tick
// labels, axis titles, legend) so nothing is cut off; then axes, grid, series, reference lines
// and legend are emitted in drawing order. Sizes are in pixels at 800×600 and scale with the
// smaller of width/800 and height/600.
import Foundation

/// Lays out a plot into a scene of primitives.
struct SceneBuilder {
    let plot: Plot
    let measurer: TextMeasurer
    let width: Double, height: Double
    /// Scale of all fonts, line widths and gaps relative to an 800×600 graph.
    let s: Double

    // Font sizes in pixels at scale 1.
    var fTitle: Double { 20 * s }
    var fSubtitle: Double { 15 * s }
    var fAxisTitle: Double { 14.5 * s }
    var fTick: Double { 13 * s }
    var fLegend: Double { 13 * s }
    var fNote: Double { 11.5 * s }
    var pad: Double { 14 * s }
    var tickLength: Double { 6 * s }

    /// `scale` overrides the text and line scale (panels of a combined graph keep text readable).
    init(plot: Plot, measurer: TextMeasurer, width: Double, height: Double, scale: Double? = nil) {
        self.plot = plot; self.measurer = measurer; self.width = width; self.height = height
        self.s = scale ?? max(0.4, min(width / 800, height / 600))
    }

    /// An axis after ranges and ticks are settled.
    struct AxisPlan {
        var min: Double, max: Double
        var ticks: [Double], labels: [String]
        var angle: Double
    }

    /// The laid-out scene.
    func build() throws -> Scene {
        guard width.isFinite, height.isFinite, width >= 50, height >= 50, width <= 20000, height <= 20000 else {
            throw GraphError(.invalidInput, "graph size must be between 50 and 20000 pixels")
        }
        for series in plot.series { try series.validate() }
        var xPlan = try planAxis(plot.xAxis, data: xData())
        let yPlan = try planAxis(plot.yAxis, data: yData())
        var scene = Scene(width: width, height: height)
        scene.rect(Rect(x: 0, y: 0, width: width, height: height), fill: plot.background, stroke: nil)

        // The free area shrinks from the outside in: titles, note, legend, axis titles, tick labels.
        var area = FreeArea(top: pad, bottom: height - pad, left: pad, right: width - pad)
        area.top = placeTitles(&scene, top: area.top)
        placeNote(&scene, &area)
        let legend = LegendLayout(builder: self)
        let (legendBox, legendEdge) = reserveLegend(legend, &area)
        let yTitleLeft = reserveAxes(&area, x: &xPlan, y: yPlan)
        guard area.right - area.left >= 20 * s, area.bottom - area.top >= 20 * s else {
            throw GraphError(.invalidInput, "graph too small for its titles, labels and legend")
        }
        let region = Rect(x: area.left, y: area.top, width: area.right - area.left, height: area.bottom - area.top)
        scene.plotRegion = region
        let map = CoordinateMap(region: region, x: xPlan, y: yPlan)

        drawGrid(&scene, map)
        drawSeries(&scene, map, filled: true)
        drawRefLines(&scene, map)
        drawSeries(&scene, map, filled: false)
        drawAxes(&scene, map, yTitleLeft: yTitleLeft)
        if let box = legendBox {
            legend.draw(&scene, box: box, region: region, edge: legendEdge)
        }
        return scene
    }

    /// The part of the graph not yet given to titles, legend and labels.
    struct FreeArea {
        var top: Double, bottom: Double, left: Double, right: Double
    }

    /// The note at the bottom left, wrapped to the graph width.
    func placeNote(_ scene: inout Scene, _ area: inout FreeArea) {
        guard let note = plot.note, !note.isEmpty else { return }
        let m = measurer.measure(note, size: fNote, bold: false)
        let lines = wrap(note, size: fNote, maxWidth: width - 2 * pad)
        for (i, line) in lines.enumerated() {
            let baseline = area.bottom - m.descent - Double(lines.count - 1 - i) * (m.ascent + m.descent)
            scene.text(line, at: Point(pad, baseline), size: fNote, role: .note, h: .left)
        }
        area.bottom -= Double(lines.count) * (m.ascent + m.descent) + 6 * s
    }

    /// Sizes the legend and takes its room from the side it sits on; returns the box and the
    /// coordinate of the free-area edge it hangs from.
    func reserveLegend(_ legend: LegendLayout, _ area: inout FreeArea) -> (LegendLayout.Box?, Double) {
        // Side and inside legends may take only part of the width, so the plot keeps some.
        let share: Double
        switch plot.legend.position { case .top, .bottom: share = 1; case .left, .right: share = 0.4; default: share = 0.6 }
        guard let box = legend.size(maxWidth: (area.right - area.left) * share) else { return (nil, 0) }
        var edge = 0.0
        switch plot.legend.position {
        case .bottom: edge = area.bottom; area.bottom -= box.height + 10 * s
        case .top: edge = area.top; area.top += box.height + 10 * s
        case .right: edge = area.right; area.right -= box.width + 12 * s
        case .left: edge = area.left; area.left += box.width + 12 * s
        default: break
        }
        return (box, edge)
    }

    /// Room for axis titles and tick labels (choosing the x label angle on the way); returns
    /// the right edge of the y title's band.
    func reserveAxes(_ area: inout FreeArea, x xPlan: inout AxisPlan, y yPlan: AxisPlan) -> Double {
        if let t = plot.yTitle, !t.isEmpty, plot.yAxis.show {
            let m = measurer.measure(t, size: fAxisTitle, bold: false)
            area.left += m.ascent + m.descent + 6 * s
        }
        if let t = plot.xTitle, !t.isEmpty, plot.xAxis.show {
            let m = measurer.measure(t, size: fAxisTitle, bold: false)
            area.bottom -= m.ascent + m.descent + 6 * s
        }
        let yTitleLeft = area.left
        if plot.yAxis.show {
            let ext = yPlan.labels.map { labelBox($0, angle: yPlan.angle).w }.max() ?? 0
            area.left += ext + tickLength + 4 * s
        }
        // Half of the top y label sticks out above the plot region.
        area.top += fTick * 0.6
        guard plot.xAxis.show else { return yTitleLeft }
        xPlan.angle = chooseXAngle(xPlan, plotWidth: area.right - area.left)
        // Horizontal x labels overhang the right edge by half their width (slanted ones hang left).
        if xPlan.angle == 0, let last = xPlan.labels.last {
            area.right -= max(0, measurer.measure(last, size: fTick, bold: false).width / 2 - pad * 0.5)
        }
        let ext = xPlan.labels.map { labelBox($0, angle: xPlan.angle).h }.max() ?? 0
        area.bottom -= ext + tickLength + 4 * s
        if xPlan.angle != 0, let first = xPlan.labels.first {
            let hang = labelBox(first, angle: xPlan.angle).w
            let offset = xPosition(xPlan.ticks.first ?? xPlan.min, xPlan, left: area.left, right: area.right) - area.left
            area.left = max(area.left, pad + hang - offset)
        }
        return yTitleLeft
    }

    // MARK: ranges and ticks

    func xData() -> [Double] {
        plot.series.flatMap { $0.extent.x } + plot.xLines.map(\.value)
    }

    func yData() -> [Double] {
        plot.series.flatMap { $0.extent.y } + plot.yLines.map(\.value)
    }

    /// Range, ticks and labels of one axis: data (and forced range) widened to the ticks.
    func planAxis(_ axis: Axis, data: [Double]) throws -> AxisPlan {
        let finite = data.filter(\.isFinite)
        var lo = finite.min(), hi = finite.max()
        if let r = axis.range, r.min.isFinite, r.max.isFinite {
            let (a, b) = (Swift.min(r.min, r.max), Swift.max(r.min, r.max))
            if axis.exact { lo = a; hi = b } else { lo = Swift.min(lo ?? a, a); hi = Swift.max(hi ?? b, b) }
        }
        var a = lo ?? 0, b = hi ?? 1
        if a == b { let pad = Swift.max(0.5, abs(a) * 0.1); a -= pad; b += pad }
        var ticks: [Double], labels: [String]
        if let tl = axis.tickLabels {
            ticks = tl.map(\.0); labels = tl.map(\.1)
        } else {
            ticks = axis.ticks ?? NiceScale.ticks(lo: a, hi: b, target: axis.tickCount)
            labels = axis.format.map { f in ticks.map(f) } ?? NiceScale.labels(ticks)
        }
        if !axis.exact {
            // Ticks widen the axis; then a small margin keeps markers off the axis lines,
            // as Stata's default plot-region margin does.
            let finiteTicks = ticks.filter(\.isFinite)
            if let tmin = finiteTicks.min(), let tmax = finiteTicks.max() {
                a = Swift.min(a, tmin); b = Swift.max(b, tmax)
            }
            let margin = (b - a) * 0.03
            a -= margin; b += margin
        }
        guard a.isFinite, b.isFinite, (b - a).isFinite, b - a > 0 else {
            throw GraphError(.invalidInput, "values too large in magnitude to plot")
        }
        let slack = (b - a) * 1e-9
        let keep = ticks.indices.filter { ticks[$0].isFinite && ticks[$0] >= a - slack && ticks[$0] <= b + slack }
        return AxisPlan(min: a, max: b, ticks: keep.map { ticks[$0] }, labels: keep.map { labels[$0] },
                        angle: axis.angle ?? 0)
    }

    /// The requested x label angle; else 0 if horizontal labels fit between their ticks, 45° if
    /// slanted ones clear each other, 90° otherwise.
    func chooseXAngle(_ plan: AxisPlan, plotWidth: Double) -> Double {
        if let a = plot.xAxis.angle { return a }
        guard plan.ticks.count > 1 else { return 0 }
        let px = plan.ticks.map { ($0 - plan.min) / (plan.max - plan.min) * plotWidth }
        var fits = true, minGap = Double.infinity
        for i in 1..<px.count {
            let w0 = measurer.measure(plan.labels[i - 1], size: fTick, bold: false).width
            let w1 = measurer.measure(plan.labels[i], size: fTick, bold: false).width
            let gap = abs(px[i] - px[i - 1])
            if gap < (w0 + w1) / 2 + 6 * s { fits = false }
            minGap = min(minGap, gap)
        }
        if fits { return 0 }
        let m = measurer.measure("Xg", size: fTick, bold: false)
        // Slanted labels are parallel strips `gap · sin 45°` apart.
        return minGap * 0.5.squareRoot() >= m.ascent + m.descent + 2 * s ? 45 : 90
    }

    /// Horizontal and vertical extent of a tick label rotated by `angle` degrees.
    func labelBox(_ text: String, angle: Double) -> (w: Double, h: Double) {
        let m = measurer.measure(text, size: fTick, bold: false)
        let th = m.ascent + m.descent, rad = angle * .pi / 180
        return (abs(m.width * cos(rad)) + abs(th * sin(rad)), abs(m.width * sin(rad)) + abs(th * cos(rad)))
    }

    func xPosition(_ v: Double, _ plan: AxisPlan, left: Double, right: Double) -> Double {
        left + (v - plan.min) / (plan.max - plan.min) * (right - left)
    }

    // MARK: titles, grid, axes

    /// Title and subtitle centred over the graph; returns the new top of the free area.
    func placeTitles(_ scene: inout Scene, top: Double) -> Double {
        var y = top
        for (text, size, role) in [(plot.title, fTitle, Scene.Role.title), (plot.subtitle, fSubtitle, .subtitle)] {
            guard let t = text, !t.isEmpty else { continue }
            let m = measurer.measure(t, size: size, bold: false)
            for line in wrap(t, size: size, maxWidth: width - 2 * pad) {
                scene.text(line, at: Point(width / 2, y + m.ascent), size: size, role: role)
                y += m.ascent + m.descent + 2 * s
            }
            y += 2 * s
        }
        return y > top ? y + 6 * s : top
    }

    /// Greedy word wrap to `maxWidth`; a single word wider than that is cut with "…".
    func wrap(_ text: String, size: Double, maxWidth: Double) -> [String] {
        func fits(_ t: String) -> Bool { measurer.measure(t, size: size, bold: false).width <= maxWidth }
        if fits(text) { return [text] }
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if fits(candidate) { current = candidate; continue }
            if !current.isEmpty { lines.append(current) }
            current = fits(word) ? word : truncate(word, size: size, maxWidth: maxWidth)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// `text` shortened with a trailing "…" until it fits `maxWidth`.
    func truncate(_ text: String, size: Double, maxWidth: Double) -> String {
        if measurer.measure(text, size: size, bold: false).width <= maxWidth { return text }
        var chars = Array(text)
        while !chars.isEmpty {
            chars.removeLast()
            let t = String(chars) + "…"
            if measurer.measure(t, size: size, bold: false).width <= maxWidth { return t }
        }
        return "…"
    }

    func drawGrid(_ scene: inout Scene, _ map: CoordinateMap) {
        let r = map.region, stroke = Stroke(.grid, width: 1 * s)
        if plot.yAxis.grid && plot.yAxis.show {
            for t in map.y.ticks { let py = map.py(t); scene.line(Point(r.x, py), Point(r.maxX, py), stroke) }
        }
        if plot.xAxis.grid && plot.xAxis.show {
            for t in map.x.ticks { let px = map.px(t); scene.line(Point(px, r.y), Point(px, r.maxY), stroke) }
        }
    }

    func drawRefLines(_ scene: inout Scene, _ map: CoordinateMap) {
        let r = map.region
        scene.add(.clip(r))
        for l in plot.xLines where l.value.isFinite {
            let px = map.cx(l.value)
            scene.line(Point(px, r.y), Point(px, r.maxY), Stroke(l.color, width: l.width * s, pattern: l.pattern))
            if let t = l.label {
                scene.text(t, at: Point(px + 4 * s, r.y + 4 * s), size: fNote, role: .lineLabel, h: .left, v: .top, color: l.color)
            }
        }
        for l in plot.yLines where l.value.isFinite {
            let py = map.cy(l.value)
            scene.line(Point(r.x, py), Point(r.maxX, py), Stroke(l.color, width: l.width * s, pattern: l.pattern))
            if let t = l.label {
                scene.text(t, at: Point(r.maxX - 4 * s, py - 3 * s), size: fNote, role: .lineLabel, h: .right, v: .bottom, color: l.color)
            }
        }
        scene.add(.unclip)
    }

    /// Axis lines at the left and bottom of the plot region, outward ticks, labels and titles.
    func drawAxes(_ scene: inout Scene, _ map: CoordinateMap, yTitleLeft: Double) {
        let r = map.region, stroke = Stroke(.axis, width: 1.1 * s)
        if plot.yAxis.show {
            scene.line(Point(r.x, r.y), Point(r.x, r.maxY), stroke)
            for (t, label) in zip(map.y.ticks, map.y.labels) {
                let py = map.py(t)
                scene.line(Point(r.x - tickLength, py), Point(r.x, py), stroke)
                let a = map.y.angle
                scene.text(label, at: Point(r.x - tickLength - 4 * s, py), size: fTick, role: .yTick,
                           h: a == 0 ? .right : .center, v: a == 0 ? .middle : .bottom, angle: a)
            }
            if let full = plot.yTitle, !full.isEmpty {
                let t = truncate(full, size: fAxisTitle, maxWidth: r.height + 2 * pad)
                let m = measurer.measure(t, size: fAxisTitle, bold: false)
                scene.text(t, at: Point(yTitleLeft - 6 * s - m.descent, r.y + r.height / 2), size: fAxisTitle,
                           role: .yTitle, h: .center, v: .baseline, angle: 90)
            }
        }
        if plot.xAxis.show {
            scene.line(Point(r.x, r.maxY), Point(r.maxX, r.maxY), stroke)
            var labelBottom = r.maxY + tickLength + 4 * s
            for (t, label) in zip(map.x.ticks, map.x.labels) {
                let px = map.px(t)
                scene.line(Point(px, r.maxY), Point(px, r.maxY + tickLength), stroke)
                let a = map.x.angle, at = Point(px, r.maxY + tickLength + 4 * s)
                if a == 0 {
                    scene.text(label, at: at, size: fTick, role: .xTick, h: .center, v: .top)
                } else {
                    scene.text(label, at: at, size: fTick, role: .xTick, h: .right, v: .middle, angle: a)
                }
                labelBottom = max(labelBottom, at.y + labelBox(label, angle: a).h)
            }
            if let full = plot.xTitle, !full.isEmpty {
                let t = truncate(full, size: fAxisTitle, maxWidth: r.width + 2 * pad)
                let m = measurer.measure(t, size: fAxisTitle, bold: false)
                scene.text(t, at: Point(r.x + r.width / 2, labelBottom + 6 * s + m.ascent), size: fAxisTitle, role: .xTitle)
            }
        }
    }
}

/// Data-to-pixel mapping for the plot region. Pixels far outside the region are brought back
/// to a margin around it (cairo's fixed-point coordinates overflow near ±8 million): lines by
/// clipping their segments, rectangles and caps by clamping, which keeps what is visible exact.
struct CoordinateMap {
    let region: Rect
    let x: SceneBuilder.AxisPlan, y: SceneBuilder.AxisPlan
    /// The region plus a wide margin: everything drawn stays inside it.
    let bounds: Rect

    init(region: Rect, x: SceneBuilder.AxisPlan, y: SceneBuilder.AxisPlan) {
        self.region = region; self.x = x; self.y = y
        let m = 2000.0
        bounds = Rect(x: region.x - m, y: region.y - m, width: region.width + 2 * m, height: region.height + 2 * m)
    }

    /// Pixel column of data x (unclamped; may be far outside or infinite).
    func px(_ v: Double) -> Double { region.x + (v - x.min) / (x.max - x.min) * region.width }
    /// Pixel row of data y (up is larger y; unclamped).
    func py(_ v: Double) -> Double { region.maxY - (v - y.min) / (y.max - y.min) * region.height }
    /// Pixel column clamped to the bounds.
    func cx(_ v: Double) -> Double { Swift.min(Swift.max(px(v), bounds.x), bounds.maxX) }
    /// Pixel row clamped to the bounds.
    func cy(_ v: Double) -> Double { Swift.min(Swift.max(py(v), bounds.y), bounds.maxY) }

    /// The unclamped pixel point of (x, y), or nil if either is missing or it overflows.
    func point(_ xv: Double, _ yv: Double) -> Point? {
        guard xv.isFinite, yv.isFinite else { return nil }
        let p = Point(px(xv), py(yv))
        return p.x.isFinite && p.y.isFinite ? p : nil
    }

    /// The pixel point of (x, y) clamped to the bounds, or nil if either is missing.
    func clampedPoint(_ xv: Double, _ yv: Double) -> Point? {
        xv.isFinite && yv.isFinite ? Point(cx(xv), cy(yv)) : nil
    }

    /// Whether a pixel point lies within the bounds (markers outside them are not drawn).
    func inBounds(_ p: Point) -> Bool {
        p.x >= bounds.x && p.x <= bounds.maxX && p.y >= bounds.y && p.y <= bounds.maxY
    }

    /// The part of segment a–b inside the bounds (Liang–Barsky), or nil.
    func clip(_ a: Point, _ b: Point) -> (Point, Point)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, a.x - bounds.x), (dx, bounds.maxX - a.x), (-dy, a.y - bounds.y), (dy, bounds.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { t0 = Swift.max(t0, t) } else { t1 = Swift.min(t1, t) }
                if t0 > t1 { return nil }
            }
        }
        let start = t0 == 0 ? a : Point(a.x + t0 * dx, a.y + t0 * dy)
        let end = t1 == 1 ? b : Point(a.x + t1 * dx, a.y + t1 * dy)
        return (start, end)
    }
}
