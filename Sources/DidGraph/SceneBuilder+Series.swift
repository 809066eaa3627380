// Drawing the series: lines broken at missing values, bands, bars, capped ranges and markers,
// all clipped to the plot region. Filled kinds (bars, bands) go first so that reference lines
// and line series stay visible on top of them.
import Foundation

extension SceneBuilder {
    /// Emits the filled series (`filled == true`) or the others, in plot order.
    func drawSeries(_ scene: inout Scene, _ map: CoordinateMap, filled: Bool) {
        let r = map.region
        for (i, series) in plot.series.enumerated() where series.isFilled == filled {
            // Lines, bars and bands stop at the plot region; markers on its edge stay whole.
            var clip = r
            switch series.kind {
            case .scatter, .connected:
                let m = series.markerSize * s
                clip = Rect(x: r.x - m, y: r.y - m, width: r.width + 2 * m, height: r.height + 2 * m)
            default: break
            }
            scene.add(.clip(clip))
            draw(series, color: plot.color(ofSeries: i), &scene, map)
            scene.add(.unclip)
        }
    }

    func stroke(_ series: Series, _ color: Color) -> Stroke {
        Stroke(color, width: series.lineWidth * s, pattern: series.pattern)
    }

    func fill(_ series: Series, _ color: Color) -> Color {
        series.fillColor ?? color.withAlpha(color.alpha * series.fillOpacity)
    }

    func draw(_ series: Series, color: Color, _ scene: inout Scene, _ map: CoordinateMap) {
        switch series.kind {
        case let .line(x, y):
            polyline(x, y, stroke(series, color), &scene, map)
        case let .scatter(x, y):
            for (xv, yv) in zip(x, y) {
                if let p = map.point(xv, yv), map.inBounds(p) {
                    marker(series.marker, at: p, size: series.markerSize * s, color: color, &scene)
                }
            }
        case let .connected(x, y):
            polyline(x, y, stroke(series, color), &scene, map)
            for (xv, yv) in zip(x, y) {
                if let p = map.point(xv, yv), map.inBounds(p) {
                    marker(series.marker, at: p, size: series.markerSize * s, color: color, &scene)
                }
            }
        case let .rcap(x, lo, hi, horizontal):
            let st = stroke(series, color), half = series.capSize * s / 2
            for i in x.indices {
                let pos = x[i], a = lo[i], b = hi[i]
                guard pos.isFinite, a.isFinite, b.isFinite else { continue }
                if horizontal {
                    let py = map.cy(pos), pa = map.cx(a), pb = map.cx(b)
                    let segs = [[Point(pa, py), Point(pb, py)], [Point(pa, py - half), Point(pa, py + half)],
                                [Point(pb, py - half), Point(pb, py + half)]]
                    scene.add(.path(subpaths: segs, closed: false, fill: nil, stroke: st))
                } else {
                    let px = map.cx(pos), pa = map.cy(a), pb = map.cy(b)
                    let segs = [[Point(px, pa), Point(px, pb)], [Point(px - half, pa), Point(px + half, pa)],
                                [Point(px - half, pb), Point(px + half, pb)]]
                    scene.add(.path(subpaths: segs, closed: false, fill: nil, stroke: st))
                }
            }
        case let .rarea(x, lo, hi):
            // Each unbroken run becomes one polygon: along lo, back along hi.
            var runs: [[Point]] = [], lower: [Point] = [], upper: [Point] = []
            func flush() {
                if lower.count > 1 { runs.append(lower + upper.reversed()) }
                lower = []; upper = []
            }
            for i in x.indices {
                if let pl = map.clampedPoint(x[i], lo[i]), let ph = map.clampedPoint(x[i], hi[i]) {
                    lower.append(pl); upper.append(ph)
                } else { flush() }
            }
            flush()
            if !runs.isEmpty {
                scene.add(.path(subpaths: runs, closed: true, fill: fill(series, color), stroke: nil))
            }
        case let .bar(x, height, width):
            let outline = Stroke(color, width: max(0.8, series.lineWidth * 0.6) * s, pattern: series.pattern)
            for i in x.indices {
                let w = width.count == 1 ? width[0] : width[i]
                guard x[i].isFinite, height[i].isFinite, w.isFinite else { continue }
                let x0 = map.cx(x[i] - w / 2), x1 = map.cx(x[i] + w / 2)
                let y0 = map.cy(series.base), y1 = map.cy(height[i])
                let rect = Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0))
                scene.rect(rect, fill: fill(series, color), stroke: outline)
            }
        }
    }

    /// One path for a line series, with a new subpath after every missing value.
    /// Segments are clipped to the map's bounds, so far-away points bend nothing in view.
    func polyline(_ x: [Double], _ y: [Double], _ stroke: Stroke, _ scene: inout Scene, _ map: CoordinateMap) {
        var subpaths: [[Point]] = [], current: [Point] = []
        func flush() {
            if current.count > 1 { subpaths.append(current) }
            current = []
        }
        var previous: Point?
        for (xv, yv) in zip(x, y) {
            guard let p = map.point(xv, yv) else { flush(); previous = nil; continue }
            defer { previous = p }
            guard let a = previous else { continue }
            guard let (s0, s1) = map.clip(a, p) else { flush(); continue }
            if current.last != s0 { flush(); current = [s0] }
            current.append(s1)
        }
        flush()
        if !subpaths.isEmpty { scene.add(.path(subpaths: subpaths, closed: false, fill: nil, stroke: stroke)) }
    }

    /// A marker of diameter `size` centred at `p`.
    func marker(_ symbol: MarkerSymbol, at p: Point, size: Double, color: Color, _ scene: inout Scene) {
        let r = size / 2
        let outline = Stroke(color, width: max(1, 1.2 * s))
        let fillColor: Color? = symbol.isHollow ? nil : color
        func poly(_ pts: [Point]) {
            scene.add(.path(subpaths: [pts], closed: true, fill: fillColor, stroke: symbol.isHollow ? outline : nil))
        }
        switch symbol {
        case .invisible: return
        case .circle: scene.add(.circle(center: p, radius: r, fill: color, stroke: nil))
        case .circleHollow: scene.add(.circle(center: p, radius: r, fill: nil, stroke: outline))
        case .point: scene.add(.circle(center: p, radius: max(1, r / 3), fill: color, stroke: nil))
        case .square, .squareHollow:
            let h = r * 0.9
            poly([Point(p.x - h, p.y - h), Point(p.x + h, p.y - h), Point(p.x + h, p.y + h), Point(p.x - h, p.y + h)])
        case .diamond, .diamondHollow:
            let h = r * 1.2
            poly([Point(p.x, p.y - h), Point(p.x + h, p.y), Point(p.x, p.y + h), Point(p.x - h, p.y)])
        case .triangle, .triangleHollow:
            let h = r * 1.15
            poly([Point(p.x, p.y - h), Point(p.x + h * 0.95, p.y + h * 0.6), Point(p.x - h * 0.95, p.y + h * 0.6)])
        case .plus:
            scene.add(.path(subpaths: [[Point(p.x - r, p.y), Point(p.x + r, p.y)], [Point(p.x, p.y - r), Point(p.x, p.y + r)]],
                            closed: false, fill: nil, stroke: outline))
        case .cross:
            let h = r * 0.8
            scene.add(.path(subpaths: [[Point(p.x - h, p.y - h), Point(p.x + h, p.y + h)], [Point(p.x - h, p.y + h), Point(p.x + h, p.y - h)]],
                            closed: false, fill: nil, stroke: outline))
        }
    }
}
