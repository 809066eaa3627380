// Stata missing values, encoded exactly as Stata encodes doubles.
//
// `.` is 2^1023 and `.a`…`.z` follow it in steps of 2^999, so every missing value compares larger
// than every number and `. < .a < … < .z` holds with plain `<`. A value is missing when it is at
// or above `.` (NaN and ±inf coming from arithmetic are normalised to `.` by `Missing.clean`).

/// Stata's missing values and tests for them.
public enum Missing {
    /// The system missing value `.`.
    public static let dot: Double = Double(bitPattern: 0x7FE0_0000_0000_0000)
    /// The largest non-missing double Stata allows (`c(maxdouble)`).
    public static let maxDouble: Double = Double(bitPattern: 0x7FDF_FFFF_FFFF_FFFF)

    /// Extended missing value `.a` (index 1) … `.z` (index 26); index 0 is `.`.
    @inlinable public static func extended(_ index: Int) -> Double {
        Double(bitPattern: 0x7FE0_0000_0000_0000 + UInt64(index) << 40)
    }

    /// Extended missing value for a letter `a`…`z`.
    public static func extended(letter: Character) -> Double? {
        guard let a = letter.asciiValue, a >= 97, a <= 122 else { return nil }
        return extended(Int(a) - 96)
    }

    /// True when `x` is any missing value.
    @inlinable public static func isMissing(_ x: Double) -> Bool { !(x < dot) }

    /// Maps NaN and infinities (results of arithmetic) to `.`; leaves everything else.
    @inlinable public static func clean(_ x: Double) -> Double { x.isFinite ? x : dot }

    /// The text Stata shows for a missing value (`.`, `.a`, …), or nil for a number.
    public static func text(_ x: Double) -> String? {
        guard isMissing(x) else { return nil }
        if x.isNaN || x.isInfinite { return "." }
        let k = Int((x.bitPattern &- dot.bitPattern) >> 40)
        if k <= 0 || k > 26 { return "." }
        return "." + String(UnicodeScalar(UInt8(96 + k)))
    }
}
