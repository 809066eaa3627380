// Random numbers for runiform(), rnormal(), runiformint(), `set seed` and bootstrap draws.
//
// Generator: 64-bit Mersenne Twister (MT19937-64, Matsumoto & Nishimura 2004), which is what
// Stata's default `set rng mt64` names. Seeding uses the reference `init_genrand64` recurrence,
// so `seed(s)` gives the reference MT19937-64 stream for s (tested against the published first
// outputs). This is Stata's own runiform() stream: `set seed 98034` then 10,000 runiform() and
// 10,000 runiform(1,2) reproduce the summaries Stata printed in K. Gopal's Stata Blog post of
// 10 March 2016 to every shown digit (Tests/scripts/random_stata_stream.did). How Stata turns
// words into normals and bounded integers is not public: rnormal() and runiformint() streams
// are reproducible here but are not known to equal Stata's (runiformint(0,100) does not).
//
//   uniform()  53 random bits → k / 2^53, redrawn when 0, so values lie in (0, 1) (a subset of
//              [0, 1), and safe for ln()).
//   normal()   inverse-CDF: Φ⁻¹(uniform()) with Wichura's AS 241 (relative error ~1e-16). One
//              uniform per normal keeps streams aligned (draw k always uses word k) and keeps
//              the method independent of rejection loops.
//   uniformInt(a, b)  unbiased: rejection sampling on 64-bit words.

import DidFrame

/// Stata-like random-number generator (MT19937-64).
public final class StataRandom: @unchecked Sendable {
    private static let nn = 312
    private static let mm = 156
    private static let matrixA: UInt64 = 0xB502_6F5A_A966_19E9
    private static let upperMask: UInt64 = 0xFFFF_FFFF_8000_0000
    private static let lowerMask: UInt64 = 0x7FFF_FFFF

    private var mt = [UInt64](repeating: 0, count: 312)
    private var mti = 313

    /// A generator seeded with `seed` (Stata's default seed is 123456789).
    public init(seed: UInt64 = 123_456_789) { self.seed(seed) }

    /// Re-seeds (`set seed #`): the reference `init_genrand64` recurrence.
    public func seed(_ s: UInt64) {
        mt[0] = s
        for i in 1..<Self.nn {
            mt[i] = 6_364_136_223_846_793_005 &* (mt[i - 1] ^ (mt[i - 1] >> 62)) &+ UInt64(i)
        }
        mti = Self.nn
    }

    /// The next raw 64-bit word.
    public func next64() -> UInt64 {
        if mti >= Self.nn { twist() }
        var x = mt[mti]
        mti += 1
        x ^= (x >> 29) & 0x5555_5555_5555_5555
        x ^= (x << 17) & 0x71D6_7FFF_EDA6_0000
        x ^= (x << 37) & 0xFFF7_EEE0_0000_0000
        x ^= x >> 43
        return x
    }

    // Regenerates all 312 words at once (the reference generation step).
    private func twist() {
        let n = Self.nn, m = Self.mm
        for i in 0..<n {
            let x = (mt[i] & Self.upperMask) | (mt[(i + 1) % n] & Self.lowerMask)
            var xa = x >> 1
            if x & 1 != 0 { xa ^= Self.matrixA }
            mt[i] = mt[(i + m) % n] ^ xa
        }
        mti = 0
    }

    /// Uniform on (0, 1) with 53-bit resolution.
    public func uniform() -> Double {
        while true {
            let k = next64() >> 11
            if k != 0 { return Double(k) * 0x1p-53 }
        }
    }

    /// Standard normal by inversion of a uniform (see the file header).
    public func normal() -> Double { Self.inverseNormal(uniform()) }

    /// Normal with mean `m` and standard deviation `s`.
    public func normal(mean m: Double, sd s: Double) -> Double { m + s * normal() }

    /// Integer uniform on a…b inclusive (requires a <= b and b - a < 2^63), without modulo bias.
    public func uniformInt(_ a: Int, _ b: Int) -> Int {
        precondition(a <= b)
        let range = UInt64(bitPattern: Int64(b) &- Int64(a)) &+ 1
        if range == 0 { return Int(Int64(bitPattern: next64())) }  // the full 64-bit range
        let limit = UInt64.max - UInt64.max % range
        while true {
            let w = next64()
            if w < limit { return a + Int(w % range) }
        }
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = uniformInt(0, i)
            p.swapAt(i, j)
        }
        return p
    }

    /// The full state: 312 words then the position (for save/restore of the stream).
    public var state: [UInt64] {
        get { mt + [UInt64(mti)] }
        set {
            guard newValue.count == Self.nn + 1, newValue[Self.nn] <= UInt64(Self.nn) else { return }
            mt = Array(newValue[0..<Self.nn]); mti = Int(newValue[Self.nn])
        }
    }

    /// The state as text, like Stata's `c(rngstate)`: "X" followed by 313 16-digit hex words.
    public var stateString: String {
        "X" + state.map { w in
            let h = String(w, radix: 16)
            return String(repeating: "0", count: 16 - h.count) + h
        }.joined()
    }

    /// Restores a state produced by `stateString`; throws r(198) for malformed text.
    public func setState(_ text: String) throws {
        let body = Array(text.utf8.dropFirst())
        guard text.hasPrefix("X"), body.count == 16 * (Self.nn + 1) else {
            throw StataError(198, "invalid rngstate")
        }
        var words: [UInt64] = []
        words.reserveCapacity(Self.nn + 1)
        for k in 0...(Self.nn) {
            guard let w = UInt64(String(decoding: body[(16 * k)..<(16 * k + 16)], as: UTF8.self), radix: 16) else {
                throw StataError(198, "invalid rngstate")
            }
            words.append(w)
        }
        guard words[Self.nn] <= UInt64(Self.nn) else { throw StataError(198, "invalid rngstate") }
        state = words
    }

    /// Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16), relative accuracy about 1e-16; returns
    /// ±infinity at 0 and 1 and NaN outside [0, 1] (callers map those to missing).
    public static func inverseNormal(_ p: Double) -> Double {
        if p.isNaN || p < 0 || p > 1 { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num = ((((((2509.0809287301226727 * r + 33430.575583588128105) * r
                + 67265.770927008700853) * r + 45921.953931549871457) * r
                + 13731.693765509461125) * r + 1971.5909503065514427) * r
                + 133.14166789178437745) * r + 3.387132872796366608
            let den = ((((((5226.495278852545925 * r + 28729.085735721942674) * r
                + 39307.89580009271061) * r + 21213.794301586595867) * r
                + 5394.1960214247511077) * r + 687.1870074920579083) * r
                + 42.313330701600911252) * r + 1.0
            return q * num / den
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        var x: Double
        if r <= 5 {
            r -= 1.6
            let num = ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r
                + 0.24178072517745061177) * r + 1.27045825245236838258) * r
                + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                + 4.6303378461565452959) * r + 1.42343711074968357734
            let den = ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r
                + 0.0151986665636164571966) * r + 0.14810397642748007459) * r
                + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                + 2.05319162663775882187) * r + 1.0
            x = num / den
        } else {
            r -= 5
            let num = ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
                + 0.0012426609473880784386) * r + 0.026532189526576123093) * r
                + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                + 5.4637849111641143699) * r + 6.6579046435011037772
            let den = ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r
                + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r
                + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
                + 0.59983220655588793769) * r + 1.0
            x = num / den
        }
        return q < 0 ? -x : x
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
