// Several plots in one graph, in a grid of panels (Stata's `graph combine`): an overall title
// and note, each panel laid out on its own at its cell's size, with text kept readable.
import Foundation

/// Plots arranged in a grid of panels, with an overall title and note.
public struct CombinedPlot: Sendable {
    /// The panels, filled row by row.
    public var plots: [Plot]
    /// Panels per row; nil = all in one row up to three, else a near-square grid.
    public var columns: Int?
    /// Give every panel the same x (`xcommon`) or y (`ycommon`) range.
    public var commonX = false, commonY = false
    /// Overall title above the panels.
    public var title: String?
    /// Overall note below the panels.
    public var note: String?
    /// Size in pixels (PDF: 0.72 pt per pixel).
    public var width: Double, height: Double
    /// Colour behind everything.
    public var background: Color

    /// A combined graph of `plots`.
    public init(_ plots: [Plot], columns: Int? = nil, commonX: Bool = false, commonY: Bool = false,
                title: String? = nil, note: String? = nil,
                width: Double = 800, height: Double = 600, background: Color = .white) {
        self.plots = plots; self.columns = columns; self.title = title; self.note = note
        self.commonX = commonX; self.commonY = commonY
        self.width = width; self.height = height; self.background = background
    }

    /// The grid shape for the panels.
    var grid: (rows: Int, columns: Int) {
        let n = max(1, plots.count)
        let c = max(1, min(n, columns ?? (n <= 3 ? n : Int(Double(n).squareRoot().rounded(.up)))))
        return ((n + c - 1) / c, c)
    }

    /// The panels with `commonX`/`commonY` applied: each axis forced to cover every panel's data.
    func sharedRanges() -> [Plot] {
        func union(_ data: (Plot) -> [Double]) -> (min: Double, max: Double)? {
            let all = plots.flatMap(data).filter(\.isFinite)
            guard let lo = all.min(), let hi = all.max() else { return nil }
            return (lo, hi)
        }
        let xr = commonX ? union { p in p.series.flatMap { $0.extent.x } + p.xLines.map(\.value) + [p.xAxis.range?.min, p.xAxis.range?.max].compactMap { $0 } } : nil
        let yr = commonY ? union { p in p.series.flatMap { $0.extent.y } + p.yLines.map(\.value) + [p.yAxis.range?.min, p.yAxis.range?.max].compactMap { $0 } } : nil
        return plots.map { p in
            var q = p
            if let xr, !q.xAxis.exact { q.xAxis.range = xr }
            if let yr, !q.yAxis.exact { q.yAxis.range = yr }
            return q
        }
    }

    /// Lays the panels out into one scene of `width` × `height`.
    func layout(measurer: TextMeasurer, width: Double, height: Double) throws -> Scene {
        guard !plots.isEmpty else { throw GraphError(.noObservations, "no graphs to combine") }
        guard width.isFinite, height.isFinite, width >= 50, height >= 50, width <= 20000, height <= 20000 else {
            throw GraphError(.invalidInput, "graph size must be between 50 and 20000 pixels")
        }
        let s = max(0.4, min(width / 800, height / 600))
        var scene = Scene(width: width, height: height)
        scene.rect(Rect(x: 0, y: 0, width: width, height: height), fill: background, stroke: nil)
        var top = 10 * s, bottom = height - 10 * s
        if let t = title, !t.isEmpty {
            let m = measurer.measure(t, size: 20 * s, bold: false)
            scene.text(t, at: Point(width / 2, top + m.ascent), size: 20 * s, role: .title)
            top += m.ascent + m.descent + 6 * s
        }
        if let n = note, !n.isEmpty {
            let m = measurer.measure(n, size: 11.5 * s, bold: false)
            scene.text(n, at: Point(14 * s, bottom - m.descent), size: 11.5 * s, role: .note, h: .left)
            bottom -= m.ascent + m.descent + 4 * s
        }
        let (rows, cols) = grid
        let cellW = width / Double(cols), cellH = (bottom - top) / Double(rows)
        // Panels are smaller than a full graph; shrinking text in proportion would make it
        // unreadable, so it shrinks only part of the way (Stata's combine does much the same).
        let panelScale = max(0.6 * s, pow(min(cellW / 800, cellH / 600), 0.3) * s)
        for (k, plot) in sharedRanges().enumerated() {
            let panel = try SceneBuilder(plot: plot, measurer: measurer, width: cellW, height: cellH,
                                         scale: panelScale).build()
            let dx = Double(k % cols) * cellW, dy = top + Double(k / cols) * cellH
            scene.items += panel.translatedItems(dx: dx, dy: dy)
            if k == 0 {
                scene.plotRegion = Rect(x: panel.plotRegion.x + dx, y: panel.plotRegion.y + dy,
                                        width: panel.plotRegion.width, height: panel.plotRegion.height)
            }
        }
        return scene
    }
}
