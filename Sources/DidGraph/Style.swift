// Line patterns and marker symbols: the small vocabularies of `lpattern()` and `msymbol()`.

/// How a line is dashed (Stata's `lpattern()`).
public enum LinePattern: String, Sendable, CaseIterable {
    /// An unbroken line.
    case solid
    /// Long dashes (`dash`).
    case dash
    /// Dots (`dot`).
    case dot
    /// Dash-dot (`dash_dot`).
    case dashDot
    /// Short dashes (`shortdash`).
    case shortDash
    /// Long dashes with long gaps (`longdash`).
    case longDash

    /// On/off lengths in units of the line width; empty for solid. Scaled by the width at drawing
    /// time so that thick dashed lines keep their rhythm.
    var dashes: [Double] {
        switch self {
        case .solid: return []
        case .dash: return [6, 4]
        case .dot: return [1, 3]
        case .dashDot: return [6, 3, 1, 3]
        case .shortDash: return [3, 3]
        case .longDash: return [10, 5]
        }
    }

    /// The pattern a Stata name denotes (`dash`, `shortdash`, `l` for solid …), or nil.
    public static func named(_ name: String) -> LinePattern? {
        switch name.lowercased() {
        case "solid", "l": return .solid
        case "dash", "-": return .dash
        case "dot", ".", "shortdot": return .dot
        case "dash_dot", "dashdot", "-.": return .dashDot
        case "shortdash", "shortdash_dot": return .shortDash
        case "longdash", "longdash_dot", "__": return .longDash
        default: return nil
        }
    }
}

/// A marker symbol (Stata's `msymbol()`); hollow variants draw only the outline.
public enum MarkerSymbol: String, Sendable, CaseIterable {
    /// A filled circle (`O`).
    case circle
    /// A filled diamond (`D`).
    case diamond
    /// A filled triangle (`T`).
    case triangle
    /// A filled square (`S`).
    case square
    /// A plus sign (`+`).
    case plus
    /// An x (`X`).
    case cross
    /// A hollow circle (`Oh`).
    case circleHollow
    /// A hollow diamond (`Dh`).
    case diamondHollow
    /// A hollow triangle (`Th`).
    case triangleHollow
    /// A hollow square (`Sh`).
    case squareHollow
    /// A point (`p`).
    case point
    /// No marker (`i`, `none`).
    case invisible

    /// The symbol a Stata name denotes (`O`, `Oh`, `d`, `circle_hollow` …), or nil.
    public static func named(_ name: String) -> MarkerSymbol? {
        switch name {
        case "O", "o", "circle": return .circle
        case "D", "d", "diamond": return .diamond
        case "T", "t", "triangle": return .triangle
        case "S", "s", "square": return .square
        case "+", "plus": return .plus
        case "X", "x": return .cross
        case "Oh", "oh", "circle_hollow": return .circleHollow
        case "Dh", "dh", "diamond_hollow": return .diamondHollow
        case "Th", "th", "triangle_hollow": return .triangleHollow
        case "Sh", "sh", "square_hollow": return .squareHollow
        case "p", "point": return .point
        case "i", "none": return .invisible
        default: return nil
        }
    }

    /// Whether the symbol is drawn as an outline only.
    var isHollow: Bool {
        switch self {
        case .circleHollow, .diamondHollow, .triangleHollow, .squareHollow, .plus, .cross: return true
        default: return false
        }
    }
}
