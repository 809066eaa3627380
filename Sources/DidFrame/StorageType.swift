import Foundation
// Stata storage types. Numbers are held as Double in memory whatever the type; the type decides
// rounding on assignment (float keeps single precision, integers must be whole and in range) and
// what a `.dta` file stores.

/// A column's Stata storage type.
public enum StorageType: Equatable, Hashable, Sendable, CustomStringConvertible {
    case byte, int, long, float, double
    /// Fixed-width string of 1…2045 bytes.
    case str(Int)
    case strL

    /// True for the numeric types.
    public var isNumeric: Bool {
        switch self { case .str, .strL: return false; default: return true }
    }
    /// True for `str#` and `strL`.
    public var isString: Bool { !isNumeric }

    /// Stata's name for the type (`float`, `str12`, `strL`).
    public var description: String {
        switch self {
        case .byte: return "byte"
        case .int: return "int"
        case .long: return "long"
        case .float: return "float"
        case .double: return "double"
        case .str(let n): return "str\(n)"
        case .strL: return "strL"
        }
    }

    /// Parses `byte`, `int`, `long`, `float`, `double`, `str#`, `strL`.
    public init?(name: String) {
        switch name {
        case "byte": self = .byte
        case "int": self = .int
        case "long": self = .long
        case "float": self = .float
        case "double": self = .double
        case "strL", "strl": self = .strL
        default:
            guard name.hasPrefix("str"), let n = Int(name.dropFirst(3)), n >= 1, n <= 2045 else { return nil }
            self = .str(n)
        }
    }

    /// Valid non-missing range of an integer type.
    public var integerRange: ClosedRange<Double>? {
        switch self {
        case .byte: return -127...100
        case .int: return -32767...32740
        case .long: return -2_147_483_647...2_147_483_620
        default: return nil
        }
    }

    /// Default display format for the type, as Stata assigns it.
    public var defaultFormat: String {
        switch self {
        case .byte, .int: return "%8.0g"
        case .long: return "%12.0g"
        case .float: return "%9.0g"
        case .double: return "%10.0g"
        case .str(let n): return "%\(max(n, 9))s"
        case .strL: return "%9s"
        }
    }

    /// Rounds a value to what this numeric type can hold (float precision for `float`).
    @inlinable public func store(_ x: Double) -> Double {
        if Missing.isMissing(x) { return x }
        switch self {
        case .float: return Double(Float(x))
        default: return x
        }
    }

    /// The smallest numeric type that holds every value exactly (Stata's `compress` logic),
    /// never narrower than `floor`.
    public static func smallestHolding(_ values: [Double]) -> StorageType {
        var allInt = true, lo = 0.0, hi = 0.0
        for v in values where !Missing.isMissing(v) {
            if v != v.rounded() { allInt = false; break }
            lo = min(lo, v); hi = max(hi, v)
        }
        if allInt {
            if lo >= -127 && hi <= 100 { return .byte }
            if lo >= -32767 && hi <= 32740 { return .int }
            if lo >= -2_147_483_647 && hi <= 2_147_483_620 { return .long }
        }
        for v in values where !Missing.isMissing(v) && Double(Float(v)) != v { return .double }
        return .float
    }
}
