// Text helpers shared by the display commands (summarize, describe, list, tabulate): Stata's
// name abbreviation with `~`, padding, word wrapping of labels, numbers in a display format
// trimmed and re-aligned in a field, counts with thousands separators, and the weight clause.

import DidFrame
import Foundation

/// Layout helpers for Stata-style tables.
enum OutText {
    /// Stata's `abbrev(s, n)`: names longer than `n` keep their first n-2 characters, a `~`
    /// and their last character (`pobre_extremo` → `pobre_extr~o`).
    static func abbrev(_ name: String, _ n: Int) -> String {
        guard name.count > n, n >= 3 else { return name }
        return String(name.prefix(n - 2)) + "~" + String(name.suffix(1))
    }

    /// Right-aligns `s` in `width` columns (longer text is kept whole).
    static func right(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// Left-aligns `s` in `width` columns.
    static func left(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// An integer option value; non-integers and values beyond ±1e9 are r(198) (a plain
    /// Int(Double) conversion would trap on them).
    static func integer(_ x: Double?, _ option: String, default d: Int) throws -> Int {
        guard let x = x else { return d }
        guard x == x.rounded(), abs(x) <= 1e9 else { throw StataError(198, "option \(option)() invalid") }
        return Int(x)
    }

    /// `n` spaces.
    static func spaces(_ n: Int) -> String { String(repeating: " ", count: max(0, n)) }

    /// `n` dashes.
    static func dashes(_ n: Int) -> String { String(repeating: "-", count: max(0, n)) }

    /// A number in a display format, trimmed (missing values as `.`, `.a`, …).
    static func num(_ x: Double, _ fmt: String = "%9.0g") -> String {
        let s = (try? Fmt.format(x, fmt)) ?? (Missing.text(x) ?? "\(x)")
        return s.trimmingCharacters(in: .whitespaces)
    }

    /// A number in `fmt`, right-aligned in `width` columns.
    static func num(_ x: Double, _ fmt: String, width: Int) -> String { right(num(x, fmt), width) }

    /// A whole count with thousands separators when they fit in `width - 2` columns (what
    /// `%w.0gc` shows for counts), else plain digits; right-aligned in `width`.
    static func count(_ x: Double, width: Int) -> String {
        guard !Missing.isMissing(x), x == x.rounded(), abs(x) < 1e15 else { return num(x, "%\(width).0g", width: width) }
        let plain = String(Int64(x))
        let commas = DataCommands.fmtInt(Int(x))
        if commas.count == plain.count || commas.count <= width - 2 { return right(commas, width) }
        if plain.count <= width { return right(plain, width) }
        return num(x, "%\(width).0g", width: width)
    }

    /// Word-wraps `text` into lines of at most `width` characters; a word longer than the
    /// width is cut into pieces (as tabulate does with long labels).
    static func wrap(_ text: String, _ width: Int) -> [String] {
        guard width > 0 else { return [text] }
        var lines: [String] = []
        var current = ""
        for var word in text.split(separator: " ").map(String.init) {
            if current.isEmpty {
                while word.count > width { lines.append(String(word.prefix(width))); word = String(word.dropFirst(width)) }
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                while word.count > width { lines.append(String(word.prefix(width))); word = String(word.dropFirst(width)) }
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}

/// The weight clause of a command, evaluated over the sample.
struct WeightSpec {
    /// Weight kinds as Stata names them.
    enum Kind: String { case fweight, aweight, iweight, pweight }
    var kind: Kind
    /// One weight per observation (missing where the expression is missing).
    var values: [Double]

    /// Parses `[aw=…]` etc.; `defaultKind` applies to plain `[w=]` / `[weight=]` and prints the
    /// "(… weights assumed)" note. Allowed kinds outside `allowed` are r(101).
    static func parse(_ call: CommandCall, _ s: Session, allowed: Set<Kind>, defaultKind: Kind, command: String) throws -> WeightSpec? {
        guard let w = call.weight else { return nil }
        let kind: Kind
        switch w.kind {
        case "fw", "fweight": kind = .fweight
        case "aw", "aweight": kind = .aweight
        case "iw", "iweight": kind = .iweight
        case "pw", "pweight": kind = .pweight
        case "w", "weight":
            kind = defaultKind
            s.line("(\(defaultKind == .aweight ? "analytic" : "frequency") weights assumed)")
        default: throw StataError(198, "invalid weight type \(w.kind)")
        }
        guard allowed.contains(kind) else { throw StataError(101, "\(kind.rawValue)s not allowed") }
        let e = try ExprParser.parse(w.exp)
        let v = try Evaluator.evaluate(e, in: s, rows: RowSet.all(s.frame.count))
        guard case .numbers(let values) = v else { throw StataError.typeMismatch() }
        return WeightSpec(kind: kind, values: values)
    }

    /// Drops rows with missing or zero weights and checks the values Stata rejects.
    func filter(_ rows: [Int]) throws -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(rows.count)
        for r in rows {
            let w = values[r]
            if Missing.isMissing(w) || w == 0 { continue }
            if w < 0 && kind != .iweight { throw StataError(402, "negative weights encountered") }
            if kind == .fweight && w != w.rounded() { throw StataError(401, "may not use noninteger frequency weights") }
            out.append(r)
        }
        return out
    }
}
