// Stata display formats: %w.dg, %w.df, %w.de (each with optional `c` for commas), `-` left
// alignment, `0` zero padding, %ws strings, and date formats %td (with custom codes), %tm, %tq,
// %th, %ty, %tw, %tc.
//
// The %g rule, from StataCorp's description of the format (W. Gould, Statalist 2003-04 and
// 2003-07): of the w columns, two are set aside for a sign and a decimal point, and the number
// is shown with as many significant digits as fit in the remaining w-2 (%12.0g: 3.141592654,
// 314159265.4, .0003141593); when the fixed layout would need more integer digits than fit, or
// exponential notation shows more significant digits (3.14159e-06 rather than .0000031416),
// the e layout d.ddde±XX is used, w-1 columns wide (%10.0g: 1.000e+20). Leading zeros before the
// decimal point are dropped and trailing zeros after it are removed in the fixed layout. With
// d > 0, d caps the significant digits (%9.2g: .0045). Whole numbers get no extra column
// either: Stata's help for strofreal() (which uses %9.0g) gives strofreal(1234567) = "1234567"
// but strofreal(12345678) = "1.23e+07", and strofreal(123456789, "%11.0g") = "123456789".
// The comma variant keeps the two reserved columns for digits+commas and drops the commas when
// they do not fit (%12.0gc: 12,345,678 but 123456789; %13.0gc: 123,456,789).
// %w.df that does not fit in w switches to %w.de with the same d (%9.2fc 10000000 → 1.00e+07);
// the zero before the decimal point is not counted (%6.4f: -0.0768).
import DidFrame
import Foundation

/// Formats numbers and strings with Stata display formats.
public enum DisplayFormat {
    /// Formats a number (missing values show as `.`, `.a`, …) right-aligned in the format's width
    /// (left-aligned with `%-`); throws r(120) "invalid %format" for a malformed format.
    public static func format(_ x: Double, _ fmt: String) throws -> String {
        guard let spec = Spec(fmt) else { throw StataError(120, "invalid %format") }
        return try format(x, spec: spec)
    }

    /// Formats with an already parsed format (callers formatting many values parse once).
    static func format(_ x: Double, spec: Spec) throws -> String {
        if let m = Missing.text(x) { return spec.justify(m) }
        switch spec.kind {
        case .string: throw StataError.typeMismatch()
        case .date(let code): return spec.justify(DateFormat.format(x, code))
        case .g: return spec.justify(spec.pad(general(x, spec)))
        case .f: return spec.justify(spec.pad(fixed(x, spec)))
        case .e: return spec.justify(spec.pad(cFormat(x, "e", spec.decimals)))
        }
    }

    /// Formats a string with `%ws` (right-aligned) or `%-ws` (left-aligned); numeric formats
    /// give r(109) type mismatch.
    public static func format(_ s: String, _ fmt: String) throws -> String {
        guard let spec = Spec(fmt) else { throw StataError(120, "invalid %format") }
        guard case .string = spec.kind else { throw StataError.typeMismatch() }
        return spec.justify(s)
    }

    /// True when `fmt` is a format Stata (and this formatter) accepts.
    public static func isValid(_ fmt: String) -> Bool { Spec(fmt) != nil }

    /// True for string formats (`%10s`).
    public static func isString(_ fmt: String) -> Bool {
        if case .string? = Spec(fmt)?.kind { return true }
        return false
    }

    /// The width a format occupies (0 when it has none, e.g. `%td`).
    public static func width(_ fmt: String) -> Int { Spec(fmt)?.width ?? 0 }

    // MARK: the layouts

    // C's printf does the correctly rounded decimal conversion; called through vsnprintf into
    // a stack buffer because Foundation's String(format:) is ~50x slower on Linux (it made
    // string() over 1M rows take seconds).
    static func cFormat(_ x: Double, _ conv: String, _ decimals: Int) -> String {
        let spec = "%.\(max(0, min(decimals, 40)))\(conv)"
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buf -> String in
            let n = withVaList([x]) { vsnprintf(buf.baseAddress!, 400, spec, $0) }
            if n < 0 || n >= 400 { return String(format: spec, x) }
            return String(cString: buf.baseAddress!)
        }
    }

    // %w.df: fixed decimals; commas when asked; too wide → %w.de with the same decimals.
    static func fixed(_ x: Double, _ spec: Spec) -> String {
        var s = cFormat(x, "f", spec.decimals)
        if spec.commas { s = insertCommas(s) }
        // A leading zero does not count against the width: xtreg prints e(corr) with %6.4f and
        // Stata shows "corr(u_i, Xb) = -0.0768" (a Stata 9-era xtreg, fe log on bbs.pinggu.org).
        let leadingZero = s.hasPrefix("0.") || s.hasPrefix("-0.")
        if s.count > spec.width && !(leadingZero && s.count - 1 <= spec.width) {
            var d = spec.decimals
            var e = cFormat(x, "e", d)
            while e.count > spec.width && d > 0 { d -= 1; e = cFormat(x, "e", d) }
            return e
        }
        return s
    }

    // %w.dg as described in the file header.
    static func general(_ x: Double, _ spec: Spec) -> String {
        if x == 0 { return "0" }
        let w = spec.width
        let positions = max(1, w - 2)
        let maxSig = spec.decimals > 0 ? min(spec.decimals, 17) : 17
        let ax = abs(x)
        let sign = x < 0 ? "-" : ""
        let eDigits = max(1, min(maxSig, w - 6 - (ax >= 1e100 || ax < 1e-99 ? 1 : 0)))
        // Fixed layout candidate.
        let exp10 = Int(Foundation.floor(Foundation.log10(ax)))
        if exp10 >= 0 {
            let intDigits = exp10 + 1
            if intDigits <= positions {
                let sig = min(maxSig, positions)
                let dec = max(0, sig - intDigits)
                var s = stripZeros(cFormat(ax, "f", dec))
                let used = s.utf8.reduce(0) { $0 + ($1 >= 48 && $1 <= 57 ? 1 : 0) }
                if used <= positions {
                    if spec.commas {
                        let c = insertCommas(s)
                        if c.utf8.reduce(0, { $0 + ($1 != 46 ? 1 : 0) }) <= positions { s = c }
                    }
                    return sign + s
                }
            }
        } else {
            let zeros = -exp10 - 1
            let fixedSig = min(maxSig, positions - zeros)
            if fixedSig >= 1 && fixedSig >= eDigits {
                let s = stripZeros(cFormat(ax, "f", zeros + fixedSig))
                // Stata drops the leading zero: "0.25" → ".25".
                let b = s.utf8
                if b.count > 1, b.first == 48, b[b.index(after: b.startIndex)] == 46 {
                    return sign + String(decoding: b.dropFirst(), as: UTF8.self)
                }
                return sign + s
            }
        }
        return sign + cFormat(ax, "e", eDigits - 1)
    }

    /// Removes trailing zeros after a decimal point, and the point itself when nothing follows.
    static func stripZeros(_ s: String) -> String {
        var b = Array(s.utf8)
        guard b.contains(46) else { return s }   // bytes, not Foundation's slow String search
        while b.last == 48 { b.removeLast() }
        if b.last == 46 { b.removeLast() }
        return String(decoding: b, as: UTF8.self)
    }

    /// Inserts thousands separators into the integer part of a plain decimal number.
    static func insertCommas(_ s: String) -> String {
        var body = Substring(s), sign = ""
        if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let intPart = Array(parts[0])
        guard intPart.allSatisfy({ $0.isNumber }) else { return s }
        var out = ""
        for (i, c) in intPart.enumerated() {
            if i > 0 && (intPart.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return sign + out + (parts.count > 1 ? "." + parts[1] : "")
    }

    // MARK: format parsing

    /// A parsed format.
    struct Spec {
        enum Kind: Equatable { case g, f, e, string, date(String) }
        var kind: Kind
        var width = 0
        var decimals = 0
        var left = false
        var center = false
        var zeroPad = false
        var commas = false

        // format := "%" ["-"] ["0"] width ["." decimals] ("g"|"f"|"e") ["c"]
        //         | "%" ["-"] width "s" | "%" ["-"] "t" unit [codes]
        init?(_ text: String) {
            var b = Array(text.utf8)[...]
            guard b.first == 37 else { return nil }
            b = b.dropFirst()
            if b.first == 45 { left = true; b = b.dropFirst() }
            else if b.first == 126 { center = true; b = b.dropFirst() }   // %~12s centres strings
            if b.first == 116 { // "t"
                b = b.dropFirst()
                guard let u = b.first else { return nil }
                let unit = String(UnicodeScalar(u))
                guard "dcCmqhywb".contains(unit) else { return nil }
                kind = .date(unit + String(decoding: b.dropFirst(), as: UTF8.self))
                return
            }
            if b.first == 48 { zeroPad = true; b = b.dropFirst() }
            var w = 0, digits = 0
            while let c = b.first, c >= 48 && c <= 57 { w = w * 10 + Int(c - 48); digits += 1; b = b.dropFirst() }
            // Width-less date formats such as %9td are handled here too.
            if b.first == 116 {
                b = b.dropFirst()
                guard let u = b.first, "dcCmqhywb".contains(String(UnicodeScalar(u))) else { return nil }
                width = w
                kind = .date(String(decoding: b, as: UTF8.self))
                return
            }
            if b.first == 115 { // "s"
                guard b.count == 1, !zeroPad, w <= 2045, !center || w > 0 else { return nil }
                width = w; kind = .string; return
            }
            guard digits > 0, w >= 1, w <= 244, !center else { return nil }
            width = w
            guard b.first == 46 else { return nil }
            b = b.dropFirst()
            var d = 0, dd = 0
            while let c = b.first, c >= 48 && c <= 57 { d = d * 10 + Int(c - 48); dd += 1; b = b.dropFirst() }
            guard dd > 0, d <= 40 else { return nil }
            decimals = d
            guard let k = b.first else { return nil }
            switch k {
            case 103: kind = .g
            case 102: kind = .f
            case 101: kind = .e
            default: return nil
            }
            b = b.dropFirst()
            if b.first == 99 { guard kind != .e else { return nil }; commas = true; b = b.dropFirst() }
            guard b.isEmpty else { return nil }
        }

        /// Zero padding after the sign (`%09.3f`).
        func pad(_ s: String) -> String {
            guard zeroPad, !left, s.count < width else { return s }
            let zeros = String(repeating: "0", count: width - s.count)
            if s.hasPrefix("-") { return "-" + zeros + s.dropFirst() }
            return zeros + s
        }

        /// Pads to the width, right-aligned unless `-`.
        func justify(_ s: String) -> String {
            guard width > 0 else { return s }
            let n = s.count
            guard n < width else { return s }
            let fill = String(repeating: " ", count: width - n)
            if center {
                let before = (width - n) / 2
                return String(repeating: " ", count: before) + s + String(repeating: " ", count: width - n - before)
            }
            return left ? s + fill : fill + s
        }
    }
}
