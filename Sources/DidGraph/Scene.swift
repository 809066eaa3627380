import Foundation

// A laid-out graph as a display list of primitive items in pixel coordinates (origin top left,
// y down). The layout (`SceneBuilder`) produces it without touching cairo's surfaces; the cairo
// backend replays it onto PNG, PDF or SVG surfaces. Tests can read it to find every text drawn.

/// A point in pixel coordinates (y grows downward).
public struct Point: Equatable, Sendable {
    /// Horizontal and vertical position in pixels.
    public var x: Double, y: Double
    /// A point at (x, y).
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in pixels.
public struct Rect: Equatable, Sendable {
    /// Left, top, width, height in pixels.
    public var x: Double, y: Double, width: Double, height: Double
    /// A rectangle with its top-left corner at (x, y).
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    /// The right edge.
    public var maxX: Double { x + width }
    /// The bottom edge.
    public var maxY: Double { y + height }
    /// Whether the two rectangles share any area.
    public func intersects(_ o: Rect) -> Bool {
        x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY
    }
}

/// How a path's outline is drawn.
public struct Stroke: Equatable, Sendable {
    /// Colour, width in pixels, dash pattern.
    public var color: Color, width: Double, pattern: LinePattern
    /// A stroke style.
    public init(_ color: Color, width: Double, pattern: LinePattern = .solid) {
        self.color = color; self.width = width; self.pattern = pattern
    }
}

/// A laid-out graph: its size and the primitives to draw, in order.
public struct Scene: Sendable {
    /// Horizontal alignment of text relative to its anchor.
    public enum HAlign: Sendable {
        /// Anchor at the start, middle or end of the text.
        case left, center, right
    }
    /// Vertical alignment of text relative to its anchor (font ascent/descent, not ink).
    public enum VAlign: Sendable {
        /// Anchor at the ascent line, halfway, the baseline, or the descent line.
        case top, middle, baseline, bottom
    }

    /// A piece of text at an anchor point, rotated counter-clockwise by `angle` degrees about it.
    public struct Text: Sendable {
        /// The string, its anchor and font size in pixels.
        public var string: String, at: Point, size: Double
        /// Colour, alignment, rotation, weight.
        public var color: Color, hAlign: HAlign, vAlign: VAlign, angle: Double, bold: Bool
        /// What the text is (title, tick label …), so tests and golden files can find it.
        public var role: Role
    }

    /// What a text item is for.
    public enum Role: String, Sendable {
        /// The title, subtitle and note.
        case title, subtitle, note
        /// The axis titles.
        case xTitle, yTitle
        /// Tick labels of the x and y axes.
        case xTick, yTick
        /// Legend entry texts.
        case legend
        /// Text next to a reference line.
        case lineLabel
    }

    /// One primitive.
    public enum Item: Sendable {
        /// Polylines (each subpath separately), optionally closed, filled and/or stroked.
        case path(subpaths: [[Point]], closed: Bool, fill: Color?, stroke: Stroke?)
        /// A circle (markers).
        case circle(center: Point, radius: Double, fill: Color?, stroke: Stroke?)
        /// Text.
        case text(Text)
        /// Start clipping to a rectangle (nested clips are not used).
        case clip(Rect)
        /// Stop clipping.
        case unclip
    }

    /// Size in pixels.
    public var width: Double, height: Double
    /// The primitives in drawing order.
    public var items: [Item] = []
    /// Where the data are drawn.
    public var plotRegion: Rect = Rect(x: 0, y: 0, width: 0, height: 0)

    /// Every text item, in drawing order.
    public var texts: [Text] {
        items.compactMap { if case let .text(t) = $0 { return t } else { return nil } }
    }

    /// The strings of the text items with the given role.
    public func strings(_ role: Role) -> [String] { texts.filter { $0.role == role }.map(\.string) }

    mutating func add(_ item: Item) { items.append(item) }

    /// The items moved by (dx, dy), to place a panel inside a larger scene.
    func translatedItems(dx: Double, dy: Double) -> [Item] {
        func mv(_ p: Point) -> Point { Point(p.x + dx, p.y + dy) }
        return items.map { item in
            switch item {
            case let .path(sub, closed, fill, stroke):
                return .path(subpaths: sub.map { $0.map(mv) }, closed: closed, fill: fill, stroke: stroke)
            case let .circle(c, r, fill, stroke):
                return .circle(center: mv(c), radius: r, fill: fill, stroke: stroke)
            case var .text(t):
                t.at = mv(t.at)
                return .text(t)
            case let .clip(r):
                return .clip(Rect(x: r.x + dx, y: r.y + dy, width: r.width, height: r.height))
            case .unclip:
                return .unclip
            }
        }
    }

    mutating func line(_ a: Point, _ b: Point, _ stroke: Stroke) {
        items.append(.path(subpaths: [[a, b]], closed: false, fill: nil, stroke: stroke))
    }

    mutating func rect(_ r: Rect, fill: Color?, stroke: Stroke?) {
        let pts = [Point(r.x, r.y), Point(r.maxX, r.y), Point(r.maxX, r.maxY), Point(r.x, r.maxY)]
        items.append(.path(subpaths: [pts], closed: true, fill: fill, stroke: stroke))
    }

    mutating func text(_ s: String, at p: Point, size: Double, role: Role, h: HAlign = .center,
                       v: VAlign = .baseline, angle: Double = 0, bold: Bool = false, color: Color = .black) {
        guard !s.isEmpty else { return }
        items.append(.text(Text(string: s, at: p, size: size, color: color, hAlign: h, vAlign: v,
                                angle: angle, bold: bold, role: role)))
    }
}

/// Measures text the way the renderer will draw it, so the layout can leave room for labels.
protocol TextMeasurer {
    /// Advance width of `s` and the font's ascent and descent, in pixels, at `size`.
    func measure(_ s: String, size: Double, bold: Bool) -> (width: Double, ascent: Double, descent: Double)
}

/// Where text sits relative to its anchor; shared by the cairo replay and layout checks.
enum TextGeometry {
    /// Offset of the text origin (start of the baseline) from the anchor, in the text's own frame.
    static func offset(_ t: Scene.Text, width: Double, ascent: Double, descent: Double) -> (dx: Double, dy: Double) {
        let dx: Double
        switch t.hAlign { case .left: dx = 0; case .center: dx = -width / 2; case .right: dx = -width }
        let dy: Double
        switch t.vAlign {
        case .top: dy = ascent
        case .middle: dy = (ascent - descent) / 2
        case .baseline: dy = 0
        case .bottom: dy = -descent
        }
        return (dx, dy)
    }

    /// The four screen corners of the (rotated) text's ascent-to-descent box, in order around it.
    static func corners(_ t: Scene.Text, width: Double, ascent: Double, descent: Double) -> [Point] {
        let (dx, dy) = offset(t, width: width, ascent: ascent, descent: descent)
        let phi = -t.angle * .pi / 180
        let local = [(dx, dy - ascent), (dx + width, dy - ascent), (dx + width, dy + descent), (dx, dy + descent)]
        return local.map { u, v in Point(t.at.x + u * cos(phi) - v * sin(phi), t.at.y + u * sin(phi) + v * cos(phi)) }
    }

    /// The screen-aligned box around the (rotated) text's ascent-to-descent box.
    static func bounds(_ t: Scene.Text, width: Double, ascent: Double, descent: Double) -> Rect {
        let pts = corners(t, width: width, ascent: ascent, descent: descent)
        let xs = pts.map(\.x), ys = pts.map(\.y)
        return Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
    }
}
