// Axis scales: "nice" tick values (steps of 1, 2 or 5 times a power of ten, about five ticks, as
// Stata's default labelling gives; like Stata, ticks lie within the data range unless asked to
// cover it) and compact tick labels in Stata's %9.0g spirit (".5", "-.25",
// "1000", "1.0e+07").
import Foundation

/// Nice tick values and their labels.
public enum NiceScale {
    /// Ticks for lo…hi: the multiples of a 1-2-5 step inside lo…hi, plus the next one outside an
    /// end that lies within a quarter step of it (or, when `loose`, from the last multiple at or
    /// below lo to the first at or above hi); the step is chosen so that their count is nearest
    /// `target`.
    public static func ticks(lo: Double, hi: Double, target: Int = 5, loose: Bool = false) -> [Double] {
        guard lo.isFinite, hi.isFinite else { return [] }
        var (a, b) = lo <= hi ? (lo, hi) : (hi, lo)
        if a == b {
            // One value: put it in the middle of a unit-ish range around it.
            let pad = a == 0 ? 1 : pow(10, floor(log10(abs(a))))
            a -= pad; b += pad
        }
        // Spans that overflow or vanish in double precision get no nice ticks, just the ends.
        let span = b - a
        guard span.isFinite, span > 0, span / 1e6 > Swift.max(abs(a), abs(b)) * 1e-15 else {
            return [a, b].filter(\.isFinite)
        }
        let step = self.step(lo: a, hi: b, target: max(2, target), loose: loose)
        var t = multiples(of: step, from: a, to: b, loose: loose)
        if !loose {
            // A nice value just outside the data is taken in (densities near 0 get their "0", as
            // mpg 12…41 gets Stata's 10 20 30 40).
            let outerLo = ((a / step + 1e-9).rounded(.down)) * step, outerHi = ((b / step - 1e-9).rounded(.up)) * step
            if let f = t.first, outerLo < f, a - outerLo <= 0.25 * step { t.insert(clean(outerLo, step), at: 0) }
            if let l = t.last, outerHi > l, outerHi - b <= 0.25 * step { t.append(clean(outerHi, step)) }
        }
        return t
    }

    /// The 1-2-5 step whose tick count is nearest `target`, where one tick too few counts as
    /// 1.5 too many (three ticks read worse than seven); ties go to the larger step.
    public static func step(lo: Double, hi: Double, target: Int, loose: Bool = false) -> Double {
        let span = hi - lo
        guard span.isFinite, span > 0 else { return 1 }
        let e = floor(log10(span / Double(target)))
        var best = (step: pow(10, e + 1), cost: Double.infinity)
        for k in [e - 1, e, e + 1] {
            for m in [1.0, 2.0, 5.0] {
                let s = m * pow(10, k)
                let n = multiples(of: s, from: lo, to: hi, loose: loose).count
                let cost = n < target ? 1.5 * Double(target - n) : Double(n - target)
                if cost < best.cost || (cost == best.cost && s > best.step) { best = (s, cost) }
            }
        }
        return best.step
    }

    /// `v` rounded to the decimals of `step`, so that 3·0.1 prints and compares as 0.3.
    static func clean(_ v: Double, _ step: Double) -> Double {
        guard step.isFinite, step > 0 else { return v }
        let decimals = max(0, -Int(floor(log10(step))) + 1)
        let scale = pow(10, Double(decimals))
        return abs(v) < 1e15 && decimals < 15 ? (v * scale).rounded() / scale : v
    }

    /// k·step for k from ceil(lo/step) to floor(hi/step) (loose: floor to ceil), rounding noise removed.
    static func multiples(of step: Double, from lo: Double, to hi: Double, loose: Bool = false) -> [Double] {
        // A relative slack so that 0.30000000000000004 / 0.1 neither adds nor loses a tick.
        let first = loose ? (lo / step + 1e-9).rounded(.down) : (lo / step - 1e-9).rounded(.up)
        let last = loose ? (hi / step - 1e-9).rounded(.up) : (hi / step + 1e-9).rounded(.down)
        guard last - first < 1000 else { return [] }
        return stride(from: first, through: last, by: 1).map { clean($0 * step, step) }
    }

    /// Labels for tick values, all with the same number of decimals, Stata style (no leading 0).
    public static func labels(_ values: [Double]) -> [String] {
        let finite = values.filter(\.isFinite)
        guard let maxAbs = finite.map(abs).max() else { return values.map { _ in "" } }
        // Exponent form when plain digits would be too long (as %9.0g switches to e-notation).
        let decimals = neededDecimals(finite)
        if maxAbs >= 1e7 || (maxAbs > 0 && maxAbs < 1e-4) || decimals > 6 {
            return values.map { v in v == 0 ? "0" : String(format: "%.1e", v) }
        }
        // Like %9.0g, each label keeps only the digits it needs: "0", ".2", "1".
        return values.map { v in format(v, decimals: decimals, trimZeros: true) }
    }

    /// One value in compact form with the given decimals (".5", "-1.25", "0"); `trimZeros`
    /// drops trailing zeros after the point.
    public static func format(_ v: Double, decimals: Int, trimZeros: Bool = false) -> String {
        guard v.isFinite else { return "." }
        var s = String(format: "%.\(decimals)f", v)
        if trimZeros && s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s.hasPrefix("-"), Double(s) == 0 { s.removeFirst() }   // no "-0"
        if s.hasPrefix("0.") { s.removeFirst() } else if s.hasPrefix("-0.") { s.remove(at: s.index(after: s.startIndex)) }
        return s
    }

    /// Fewest decimals (0…7) that write every value exactly enough to tell ticks apart.
    static func neededDecimals(_ values: [Double]) -> Int {
        for d in 0...7 {
            let scale = pow(10, Double(d))
            if values.allSatisfy({ abs(($0 * scale).rounded() - $0 * scale) < 1e-6 * max(1, abs($0 * scale)) }) {
                return d
            }
        }
        return 8
    }
}
