// One plotted layer: what it draws (its kind and data) and how (colour, line, marker).
// Data are plain arrays; NaN marks a missing value, which breaks lines and areas and
// skips markers, as Stata's `cmissing(n)` would.

/// A plotted layer of a `Plot`: a kind carrying its data, plus its style and legend label.
public struct Series: Sendable {
    /// What a series draws, with its data.
    public enum Kind: Sendable {
        /// A line through (x, y), broken at missing values (`twoway line`).
        case line(x: [Double], y: [Double])
        /// Markers at (x, y) (`twoway scatter`).
        case scatter(x: [Double], y: [Double])
        /// Markers joined by a line (`twoway connected`).
        case connected(x: [Double], y: [Double])
        /// Capped ranges lo…hi at each x (`twoway rcap`); `horizontal` draws them along the x axis
        /// at vertical position x (`rcap …, horizontal`), for horizontal coefficient plots.
        case rcap(x: [Double], lo: [Double], hi: [Double], horizontal: Bool)
        /// A shaded band between lo and hi along x (`twoway rarea`), broken at missing values.
        case rarea(x: [Double], lo: [Double], hi: [Double])
        /// Bars centred at x from the base up to height, each `width` wide (`twoway bar`, histograms).
        case bar(x: [Double], height: [Double], width: [Double])
    }

    /// The layer's kind and data.
    public var kind: Kind
    /// The legend text; nil or empty keeps the series out of the legend.
    public var label: String?
    /// Line and marker colour; nil takes the next s2color palette colour.
    public var color: Color?
    /// Fill colour of bars and areas; nil uses `color` at `fillOpacity`.
    public var fillColor: Color?
    /// Opacity of the default fill of bars and areas.
    public var fillOpacity: Double = 0.55
    /// Dash pattern of lines, caps and outlines.
    public var pattern: LinePattern = .solid
    /// Line width in pixels (at 800×600).
    public var lineWidth: Double = 1.6
    /// Marker symbol for scatter and connected series.
    public var marker: MarkerSymbol = .circle
    /// Marker diameter in pixels.
    public var markerSize: Double = 7
    /// Cap length in pixels for rcap.
    public var capSize: Double = 8
    /// The value bars and areas start from (histograms: 0).
    public var base: Double = 0

    /// A series of the given kind with default style.
    public init(_ kind: Kind, label: String? = nil, color: Color? = nil) {
        self.kind = kind; self.label = label; self.color = color
    }

    /// A line through (x, y).
    public static func line(x: [Double], y: [Double], label: String? = nil, color: Color? = nil,
                            pattern: LinePattern = .solid, width: Double = 1.6) -> Series {
        var s = Series(.line(x: x, y: y), label: label, color: color)
        s.pattern = pattern; s.lineWidth = width
        return s
    }

    /// Markers at (x, y).
    public static func scatter(x: [Double], y: [Double], label: String? = nil, color: Color? = nil,
                               marker: MarkerSymbol = .circle, size: Double = 7) -> Series {
        var s = Series(.scatter(x: x, y: y), label: label, color: color)
        s.marker = marker; s.markerSize = size
        return s
    }

    /// Markers joined by a line.
    public static func connected(x: [Double], y: [Double], label: String? = nil, color: Color? = nil,
                                 marker: MarkerSymbol = .circle, pattern: LinePattern = .solid) -> Series {
        var s = Series(.connected(x: x, y: y), label: label, color: color)
        s.marker = marker; s.pattern = pattern
        return s
    }

    /// Capped ranges lo…hi at each x (vertical), or along x at position x when `horizontal`.
    public static func rcap(x: [Double], lo: [Double], hi: [Double], horizontal: Bool = false,
                            label: String? = nil, color: Color? = nil) -> Series {
        Series(.rcap(x: x, lo: lo, hi: hi, horizontal: horizontal), label: label, color: color)
    }

    /// A shaded band between lo and hi along x.
    public static func rarea(x: [Double], lo: [Double], hi: [Double], label: String? = nil,
                             color: Color? = nil, opacity: Double = 0.3) -> Series {
        var s = Series(.rarea(x: x, lo: lo, hi: hi), label: label, color: color)
        s.fillOpacity = opacity
        return s
    }

    /// Bars centred at x, `height` tall, `width` wide (one width for all, or one per bar).
    public static func bar(x: [Double], height: [Double], width: [Double], label: String? = nil,
                           color: Color? = nil) -> Series {
        Series(.bar(x: x, height: height, width: width), label: label, color: color)
    }

    /// The bars of a histogram (`Histogram.bins` output), edges to edges.
    public static func histogram(_ bins: [Histogram.Bin], label: String? = nil, color: Color? = nil) -> Series {
        bar(x: bins.map { ($0.lo + $0.hi) / 2 }, height: bins.map(\.height),
            width: bins.map { $0.hi - $0.lo }, label: label, color: color)
    }

    /// The x and y values this series spans, for the axis ranges (missing values ignored).
    var extent: (x: [Double], y: [Double]) {
        switch kind {
        case let .line(x, y), let .scatter(x, y), let .connected(x, y):
            return (x, y)
        case let .rcap(x, lo, hi, horizontal):
            return horizontal ? (lo + hi, x) : (x, lo + hi)
        case let .rarea(x, lo, hi):
            return (x, lo + hi)
        case let .bar(x, height, width):
            var xs: [Double] = []
            for (i, c) in x.enumerated() {
                let w = width.count == 1 ? width[0] : (i < width.count ? width[i] : .nan)
                xs.append(c - w / 2); xs.append(c + w / 2)
            }
            return (xs, height + [base])
        }
    }

    /// Checks that the data arrays agree in length; the message names the kind.
    func validate() throws {
        func same(_ name: String, _ counts: [Int]) throws {
            if Set(counts).count > 1 {
                throw GraphError(.invalidInput, "\(name) series: data arrays differ in length (\(counts.map(String.init).joined(separator: ", ")))")
            }
        }
        switch kind {
        case let .line(x, y): try same("line", [x.count, y.count])
        case let .scatter(x, y): try same("scatter", [x.count, y.count])
        case let .connected(x, y): try same("connected", [x.count, y.count])
        case let .rcap(x, lo, hi, _): try same("rcap", [x.count, lo.count, hi.count])
        case let .rarea(x, lo, hi): try same("rarea", [x.count, lo.count, hi.count])
        case let .bar(x, h, w):
            try same("bar", [x.count, h.count])
            if w.count != 1 && w.count != x.count {
                throw GraphError(.invalidInput, "bar series: need one width or one per bar, got \(w.count)")
            }
        }
        if !lineWidth.isFinite || lineWidth < 0 || !markerSize.isFinite || markerSize < 0 {
            throw GraphError(.invalidInput, "line width and marker size must be nonnegative numbers")
        }
    }

    /// Whether the legend key shows a filled box rather than a line.
    var isFilled: Bool {
        switch kind { case .bar, .rarea: return true; default: return false }
    }
}
