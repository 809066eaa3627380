// The plot model: plain data describing a two-way graph (Stata's `graph twoway`), from which
// `GraphRenderer` lays out and draws the picture. Nothing here knows about cairo or the language.

/// A two-way graph: titles, layered series, reference lines, axes and legend.
public struct Plot: Sendable {
    /// The title above the plot (`title()`).
    public var title: String?
    /// The smaller line under the title (`subtitle()`).
    public var subtitle: String?
    /// Small print at the bottom left (`note()`).
    public var note: String?
    /// The x-axis title (`xtitle()`).
    public var xTitle: String?
    /// The y-axis title (`ytitle()`).
    public var yTitle: String?
    /// The layers, drawn in order (later ones on top).
    public var series: [Series]
    /// Vertical reference lines at x values (`xline()`).
    public var xLines: [RefLine]
    /// Horizontal reference lines at y values (`yline()`).
    public var yLines: [RefLine]
    /// Legend placement and content.
    public var legend: Legend
    /// The x axis (range, ticks, labels, grid).
    public var xAxis: Axis
    /// The y axis.
    public var yAxis: Axis
    /// Width in pixels; a PDF page is `width * 0.72` points (8 in for the default).
    public var width: Double
    /// Height in pixels; a PDF page is `height * 0.72` points.
    public var height: Double
    /// Colour behind everything.
    public var background: Color

    /// A plot of `series` with Stata-like defaults: 800×600, white, y grid lines, legend at the bottom.
    public init(title: String? = nil, subtitle: String? = nil, note: String? = nil,
                xTitle: String? = nil, yTitle: String? = nil, series: [Series] = [],
                xLines: [RefLine] = [], yLines: [RefLine] = [], legend: Legend = Legend(),
                xAxis: Axis = Axis(grid: false), yAxis: Axis = Axis(grid: true),
                width: Double = 800, height: Double = 600, background: Color = .white) {
        self.title = title; self.subtitle = subtitle; self.note = note
        self.xTitle = xTitle; self.yTitle = yTitle; self.series = series
        self.xLines = xLines; self.yLines = yLines; self.legend = legend
        self.xAxis = xAxis; self.yAxis = yAxis
        self.width = width; self.height = height; self.background = background
    }

    /// The colour series `index` is drawn in: its own, or the palette's in series order.
    public func color(ofSeries index: Int) -> Color {
        series[index].color ?? Color.palette(index)
    }
}

/// A reference line across the plot region (`xline(0, lpattern(dash))`).
public struct RefLine: Sendable {
    /// Where the line crosses its axis.
    public var value: Double
    /// Line colour.
    public var color: Color
    /// Dash pattern.
    public var pattern: LinePattern
    /// Line width in pixels.
    public var width: Double
    /// Optional text written next to the line, inside the plot region.
    public var label: String?

    /// A reference line at `value`; Stata's default is a thin grey solid line.
    public init(_ value: Double, color: Color = .axis, pattern: LinePattern = .solid,
                width: Double = 1.2, label: String? = nil) {
        self.value = value; self.color = color; self.pattern = pattern; self.width = width; self.label = label
    }
}

/// Where the legend goes (`legend(position())`, `ring(0)` for the inside ones).
public enum LegendPosition: String, Sendable, CaseIterable {
    /// Below the plot, centred (Stata's default, 6 o'clock).
    case bottom
    /// Above the plot, under the titles (12 o'clock).
    case top
    /// Right of the plot, stacked (3 o'clock).
    case right
    /// Left of the plot, stacked (9 o'clock).
    case left
    /// Inside the plot region, top right corner (`pos(1) ring(0)`).
    case insideTopRight
    /// Inside, top left (`pos(11) ring(0)`).
    case insideTopLeft
    /// Inside, bottom right (`pos(5) ring(0)`).
    case insideBottomRight
    /// Inside, bottom left (`pos(7) ring(0)`).
    case insideBottomLeft

    /// The position a Stata clock position denotes, with `ring(0)` meaning inside.
    public static func clock(_ position: Int, inside: Bool = false) -> LegendPosition {
        switch (position, inside) {
        case (12, false), (11, false), (1, false): return .top
        case (2...4, false): return .right
        case (8...10, false): return .left
        case (0...1, true), (2, true), (12, true): return .insideTopRight
        case (10...11, true): return .insideTopLeft
        case (4...6, true), (3, true): return .insideBottomRight
        case (7...9, true): return .insideBottomLeft
        default: return .bottom
        }
    }

    var isInside: Bool { rawValue.hasPrefix("inside") }
}

/// The legend: whether it shows, where, in how many columns; entries come from series labels.
public struct Legend: Sendable {
    /// Show it; nil shows it when two or more series have labels (Stata shows it for 2+ plots).
    public var show: Bool?
    /// Where it goes.
    public var position: LegendPosition
    /// Columns of entries; nil = 2 at top/bottom (Stata's default), 1 at the sides and inside.
    public var columns: Int?
    /// Explicit entry order as series indices (`legend(order(2 1))`); nil = every labelled series.
    public var order: [Int]?

    /// A legend with Stata's defaults.
    public init(show: Bool? = nil, position: LegendPosition = .bottom, columns: Int? = nil, order: [Int]? = nil) {
        self.show = show; self.position = position; self.columns = columns; self.order = order
    }
}

/// One axis: range, ticks and their labels, grid, label angle, visibility.
public struct Axis: Sendable {
    /// Forced range (`xscale(range())`); the data and ticks may still widen it unless `exact`.
    public var range: (min: Double, max: Double)?
    /// Use exactly `range`, clipping what falls outside.
    public var exact: Bool
    /// Tick positions (`xlabel(0(5)20)`), replacing the automatic nice ticks.
    public var ticks: [Double]?
    /// Tick positions with their own text (`xlabel(1 "treat" 2 "post")`), for categorical axes.
    public var tickLabels: [(Double, String)]?
    /// About how many ticks to aim for (Stata: ~5).
    public var tickCount: Int
    /// Rotation of tick labels in degrees, counter-clockwise (`angle(45)`); nil = horizontal, except
    /// that x labels which would overlap are turned 45°.
    public var angle: Double?
    /// Draw grid lines at the ticks (Stata's s2color: on for y, off for x).
    public var grid: Bool
    /// Draw the axis at all (`xscale(off)`).
    public var show: Bool
    /// Writes tick values as text (a Stata display format such as `%8.0gc` or `%td`, applied by
    /// the language layer); nil = compact `%9.0g`-like labels. Not used for `tickLabels`.
    public var format: (@Sendable (Double) -> String)?

    /// An axis with automatic ticks.
    public init(range: (min: Double, max: Double)? = nil, exact: Bool = false, ticks: [Double]? = nil,
                tickLabels: [(Double, String)]? = nil, tickCount: Int = 5, angle: Double? = nil,
                grid: Bool = false, show: Bool = true, format: (@Sendable (Double) -> String)? = nil) {
        self.range = range; self.exact = exact; self.ticks = ticks; self.tickLabels = tickLabels
        self.tickCount = tickCount; self.angle = angle; self.grid = grid; self.show = show; self.format = format
    }
}
