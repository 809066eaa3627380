import Foundation

// Colours for plots: an RGBA value type, Stata's s2color palette for series that name no colour,
// and the colour names a user can type (`lcolor(maroon)`), so the language layer needs no table.

/// An sRGB colour with opacity, components in 0...1.
public struct Color: Equatable, Hashable, Sendable {
    /// Red, green, blue and alpha (opacity), each in 0...1.
    public var red: Double, green: Double, blue: Double, alpha: Double

    /// A colour from components in 0...1 (clamped, so a bad value cannot reach cairo).
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        func clamp(_ v: Double) -> Double { v.isNaN ? 0 : min(max(v, 0), 1) }
        self.red = clamp(red); self.green = clamp(green); self.blue = clamp(blue); self.alpha = clamp(alpha)
    }

    /// A colour from 0-255 components, the way Stata's colour files write them (`"26 71 111"`).
    public init(r: Int, g: Int, b: Int, alpha: Double = 1) {
        self.init(red: Double(r) / 255, green: Double(g) / 255, blue: Double(b) / 255, alpha: alpha)
    }

    /// The same colour with another opacity (Stata's `color%50` is `withAlpha(0.5)`).
    public func withAlpha(_ a: Double) -> Color { Color(red: red, green: green, blue: blue, alpha: a) }

    /// `#rrggbb` (opacity dropped), handy in tests and SVG checks.
    public var hex: String {
        func h(_ v: Double) -> String {
            let s = String(Int((v * 255).rounded()), radix: 16)
            return s.count == 1 ? "0" + s : s
        }
        return "#" + h(red) + h(green) + h(blue)
    }

    /// White, the graph background.
    public static let white = Color(r: 255, g: 255, b: 255)
    /// Black, for text and axes.
    public static let black = Color(r: 0, g: 0, b: 0)
    /// The grey of axis lines, ticks and reference lines.
    public static let axis = Color(r: 64, g: 64, b: 64)
    /// The light grey of grid lines.
    public static let grid = Color(r: 221, g: 226, b: 230)

    /// Stata's s2color series colours p1…p15, in order; series without a colour cycle through them.
    public static let s2color: [Color] = [
        Color(r: 26, g: 71, b: 111),    // navy
        Color(r: 144, g: 53, b: 59),    // maroon
        Color(r: 85, g: 117, b: 47),    // forest_green
        Color(r: 227, g: 126, b: 0),    // dkorange
        Color(r: 110, g: 142, b: 132),  // teal
        Color(r: 193, g: 5, b: 52),     // cranberry
        Color(r: 147, g: 141, b: 210),  // lavender
        Color(r: 202, g: 194, b: 126),  // khaki
        Color(r: 160, g: 82, b: 45),    // sienna
        Color(r: 123, g: 146, b: 168),  // emidblue
        Color(r: 45, g: 109, b: 102),   // emerald
        Color(r: 156, g: 136, b: 71),   // brown
        Color(r: 191, g: 161, b: 156),  // erose
        Color(r: 255, g: 210, b: 0),    // gold
        Color(r: 217, g: 230, b: 235),  // bluishgray
    ]

    /// The palette colour for the `index`-th series (0-based), wrapping around.
    public static func palette(_ index: Int) -> Color {
        s2color[((index % s2color.count) + s2color.count) % s2color.count]
    }

    /// The colour a Stata colour name denotes (`navy`, `gs8`, `"255 0 0"`, `red%30`), or nil.
    public static func named(_ spec: String) -> Color? {
        var text = spec.trimmingCharacters(in: .whitespaces).lowercased()
        var alpha = 1.0
        if let pct = text.firstIndex(of: "%") {
            guard let p = Double(text[text.index(after: pct)...]), p >= 0, p <= 100 else { return nil }
            alpha = p / 100
            text = String(text[..<pct])
        }
        let parts = text.split(separator: " ").compactMap { Int($0) }
        if parts.count == 3, text.split(separator: " ").count == 3 {
            guard parts.allSatisfy({ (0...255).contains($0) }) else { return nil }
            return Color(r: parts[0], g: parts[1], b: parts[2], alpha: alpha)
        }
        if text.hasPrefix("gs"), let level = Int(text.dropFirst(2)), (0...16).contains(level) {
            // Stata's grey scale: gs0 is black, gs16 white, in 16 even steps.
            let v = Int((Double(level) * 255 / 16).rounded())
            return Color(r: v, g: v, b: v, alpha: alpha)
        }
        guard let c = namedColors[text] else { return nil }
        return c.withAlpha(alpha)
    }

    private static let namedColors: [String: Color] = [
        "black": black, "white": white, "none": Color(red: 0, green: 0, blue: 0, alpha: 0),
        "navy": s2color[0], "maroon": s2color[1], "forest_green": s2color[2], "dkorange": s2color[3],
        "teal": s2color[4], "cranberry": s2color[5], "lavender": s2color[6], "khaki": s2color[7],
        "sienna": s2color[8], "emidblue": s2color[9], "emerald": s2color[10], "brown": s2color[11],
        "erose": s2color[12], "gold": s2color[13], "bluishgray": s2color[14],
        "red": Color(r: 255, g: 0, b: 0), "green": Color(r: 0, g: 128, b: 0), "blue": Color(r: 0, g: 0, b: 255),
        "orange": Color(r: 255, g: 165, b: 0), "yellow": Color(r: 255, g: 255, b: 0),
        "purple": Color(r: 128, g: 0, b: 128), "pink": Color(r: 255, g: 20, b: 147),
        "gray": Color(r: 128, g: 128, b: 128), "grey": Color(r: 128, g: 128, b: 128),
        "ltblue": Color(r: 190, g: 210, b: 255), "dknavy": Color(r: 0, g: 32, b: 96),
        "eltblue": Color(r: 160, g: 200, b: 230), "olive": Color(r: 128, g: 128, b: 0),
        "ebblue": Color(r: 24, g: 116, b: 205), "edkblue": Color(r: 62, g: 95, b: 125),
        "dkgreen": Color(r: 0, g: 100, b: 0), "ltkhaki": Color(r: 240, g: 230, b: 140),
        "magenta": Color(r: 255, g: 0, b: 255), "cyan": Color(r: 0, g: 255, b: 255),
        "midblue": Color(r: 0, g: 139, b: 188), "mint": Color(r: 137, g: 208, b: 168),
        "olive_teal": Color(r: 144, g: 188, b: 164), "stone": Color(r: 210, g: 194, b: 158),
        "sand": Color(r: 206, g: 178, b: 103), "sandb": Color(r: 255, g: 210, b: 0),
    ]
}
