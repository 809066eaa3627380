// Double-double arithmetic (≈32 significant digits) for the incomplete-beta continued fraction.
//
// With a large shape parameter and x close to 1 (t tests with large df, F tests with a large
// denominator df) the fraction's terms are 1 − (1 − small): each step cancels ~log10(1/(1−x))
// digits. Carrying the recurrence in double-double, with x formed exactly as 1 − y from the
// accurately known y, keeps the result at full double precision. Error-free transformations:
// Knuth's TwoSum and an FMA-based TwoProduct.
import Foundation

/// A number represented as an unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2.
struct DoubleDouble {
    var hi: Double
    var lo: Double

    init(_ x: Double) { hi = x; lo = 0 }
    init(hi: Double, lo: Double) { self.hi = hi; self.lo = lo }

    var value: Double { hi + lo }

    @inline(__always) static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b, bb = s - a
        return DoubleDouble(hi: s, lo: (a - (s - bb)) + (b - bb))
    }

    @inline(__always) static func quickTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        return DoubleDouble(hi: s, lo: b - (s - a))
    }

    static func + (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let s = twoSum(x.hi, y.hi), t = twoSum(x.lo, y.lo)
        let v = quickTwoSum(s.hi, s.lo + t.hi)
        return quickTwoSum(v.hi, v.lo + t.lo)
    }

    static prefix func - (x: DoubleDouble) -> DoubleDouble { DoubleDouble(hi: -x.hi, lo: -x.lo) }

    static func - (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble { x + (-y) }

    static func * (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let p = x.hi * y.hi
        let err = (-p).addingProduct(x.hi, y.hi)   // exact low part of x.hi*y.hi (FMA)
        return quickTwoSum(p, err + (x.hi * y.lo + x.lo * y.hi))
    }

    static func / (x: DoubleDouble, y: DoubleDouble) -> DoubleDouble {
        let q1 = x.hi / y.hi
        let r = x - y * DoubleDouble(q1)
        let q2 = r.hi / y.hi
        let r2 = r - y * DoubleDouble(q2)
        let q3 = r2.hi / y.hi
        return quickTwoSum(q1, q2) + DoubleDouble(q3)
    }
}
