import Foundation

// Stata display formats, to the extent `export delimited` needs them: `%w.df`, `%w.de`, `%w.dg`
// (with `c` for thousands separators), `%w.0g` (as many significant digits as fit the width),
// and the daily date format `%td`. Padding is dropped: a CSV field carries no alignment.

/// Formatting of numbers by Stata display format.
enum DisplayFormat {
    /// `x` formatted by `format`; unknown formats fall back to `%10.0g`.
    static func format(_ x: Double, _ format: String) -> String {
        if format.hasPrefix("%td") || format.hasPrefix("%d") { return date(Int(x.rounded(.down))) }
        guard let spec = parse(format) else { return general(x, width: 10) }
        var s: String
        switch spec.kind {
        case "f": s = String(format: "%.\(spec.decimals)f", x)
        case "e": s = String(format: "%.\(spec.decimals)e", x)
        default: s = spec.decimals == 0 ? general(x, width: spec.width) : String(format: "%.\(spec.decimals)g", x)
        }
        if spec.commas { s = withCommas(s) }
        return s
    }

    struct Spec { var width: Int; var decimals: Int; var kind: Character; var commas: Bool }

    /// Parses `%[-][0]w.d(f|e|g)[c]`.
    static func parse(_ f: String) -> Spec? {
        var s = Substring(f)
        guard s.first == "%" else { return nil }
        s = s.dropFirst()
        while let c = s.first, c == "-" || c == "~" { s = s.dropFirst() }
        var commas = false
        if s.last == "c" { commas = true; s = s.dropLast() }
        guard let kind = s.last, "feg".contains(kind) else { return nil }
        s = s.dropLast()
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let d = Int(parts[1]) else { return nil }
        return Spec(width: w, decimals: d, kind: kind, commas: commas)
    }

    /// `%w.0g`: the most significant digits that fit in `width` characters.
    static func general(_ x: Double, width: Int) -> String {
        if x == x.rounded(), abs(x) < 1e15 {
            let s = String(Int64(x))
            if s.count <= max(width, 1) { return s }
        }
        var p = max(1, width - 1)
        while p > 1 {
            let s = String(format: "%.\(p)g", x)
            if s.count <= width { return s }
            p -= 1
        }
        return String(format: "%.1g", x)
    }

    private static func withCommas(_ s: String) -> String {
        var intPart = Substring(s), rest = Substring("")
        if let dot = s.firstIndex(where: { $0 == "." || $0 == "e" }) { intPart = s[..<dot]; rest = s[dot...] }
        let neg = intPart.hasPrefix("-")
        let digits = Array(neg ? intPart.dropFirst() : intPart)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (neg ? "-" : "") + out + rest
    }

    /// `%td`: days since 01jan1960 as `01jan2000`.
    static func date(_ days: Int) -> String {
        // Civil-from-days (proleptic Gregorian), shifted from the 1970 epoch to 1960.
        let z = days - 3653 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        return String(format: "%02d", d) + months[m - 1] + String(y)
    }
}
