import Foundation

// Decimal text → the correctly rounded double, without building a String.
//
// Grammar accepted (what Stata reads as a number in a data file):
//     [+-] digits [. digits] [(e|E) [+-] digits]   |   [+-] . digits [exponent]
// and the missing-value tokens `.` and `.a`…`.z`.
//
// Let the decimal be m × 10^e with m the (at most 19) significant digits as a UInt64.
//   1. m ≤ 2^53 and |e| ≤ 22: m and 10^|e| are exact doubles, so one IEEE multiply or divide
//      rounds correctly (Clinger's fast path).
//   2a. m > 2^53, 1 ≤ -e ≤ 19: guess q0 = Double(m) · 10^e (rounded reciprocal) = Q·2^E and
//      check it in integers: with D = m·2^-E − Q·10^-e (exact in 128 bits), Q is right when
//      |D| < 10^-e / 2 (ties to even); otherwise step Q by one ulp toward the value and check
//      again (the guess is at most two ulps off). Two multiplies, no division.
//   2b. m > 2^53, |e| ≤ 27, x86-64: one Float80 multiply or divide (64-bit significand; m and
//      10^|e| ≤ 10^27 are exact) gives RN64(x). Rounding that to 53 bits equals RN53(x) unless
//      RN64(x) is itself a midpoint between two doubles (no other midpoint can lie between x and
//      its nearest 64-bit neighbour); that rare case goes to step 3.
//   On x86-64 2b is tried before 2a (cheaper there); 2a then serves the midpoint cases.
//   3. m > 2^53, 1 ≤ -e ≤ 19: q = ⌊m·2^s / 10^-e⌋ by 128/64-bit integer division, with s chosen
//      so q has exactly 64 bits; q plus a sticky bit (remainder ≠ 0) rounds to 53 bits.
//      m > 2^53, 0 ≤ e ≤ 19: m·10^e is an exact 128-bit product, rounded the same way.
//   4. anything else (more than 19 significant digits, larger exponents): C `strtod`.
// The power tables are reached through `DecimalTables` pointers that callers hold, because a
// `static let` costs a `swift_once` call on every access in a hot loop.
// Values beyond Stata's largest double would collide with the missing-value encoding and are
// read as `.` (Stata does the same).

/// Outcome of parsing one field.
enum ParsedField {
    case number(Double)
    case missing(Double)
    case text
}

/// Exact powers of ten, allocated once and never freed.
struct DecimalTables {
    /// 10^k, k = 0…22, as doubles (exact).
    let pow10: UnsafePointer<Double>
    /// 10^k, k = 0…19, as integers.
    let pow10Int: UnsafePointer<UInt64>
    /// 10^-k, k = 0…22, rounded to double (a first guess only; see `checkedQuotient`).
    let pow10Inv: UnsafePointer<Double>
    #if arch(x86_64) || arch(i386)
    /// 10^k, k = 0…27, as Float80 (exact).
    let pow10x: UnsafePointer<Float80>
    #endif

    static let shared = DecimalTables()

    private init() {
        let d = UnsafeMutablePointer<Double>.allocate(capacity: 23)
        for k in 0...22 { d[k] = k == 0 ? 1 : d[k - 1] * 10 }
        let i = UnsafeMutablePointer<UInt64>.allocate(capacity: 20)
        for k in 0...19 { i[k] = k == 0 ? 1 : i[k - 1] * 10 }
        let v = UnsafeMutablePointer<Double>.allocate(capacity: 23)
        for k in 0...22 { v[k] = 1 / d[k] }
        pow10 = UnsafePointer(d); pow10Int = UnsafePointer(i); pow10Inv = UnsafePointer(v)
        #if arch(x86_64) || arch(i386)
        let x = UnsafeMutablePointer<Float80>.allocate(capacity: 28)
        for k in 0...27 { x[k] = k == 0 ? 1 : x[k - 1] * 10 }
        pow10x = UnsafePointer(x)
        #endif
    }
}

/// Byte-level decimal parser.
enum DecimalParser {

    /// Parses the bytes `[p, p+len)`, ignoring surrounding blanks.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ len: Int, _ t: DecimalTables) -> ParsedField {
        var i = 0, n = len
        while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        while n > i, p[n - 1] == 0x20 || p[n - 1] == 0x09 || p[n - 1] == 0x0D { n -= 1 }
        if i == n { return .missing(Missing.dot) }
        if p[i] == 0x2E {   // "." or ".a"…".z"
            if n - i == 1 { return .missing(Missing.dot) }
            if n - i == 2, p[i + 1] >= 0x61, p[i + 1] <= 0x7A { return .missing(Missing.extended(Int(p[i + 1]) - 0x60)) }
        }
        return number(p + i, n - i, t)
    }

    /// Parses an already trimmed, non-empty field as a number.
    @inline(__always)
    static func number(_ p: UnsafePointer<UInt8>, _ n: Int, _ t: DecimalTables) -> ParsedField {
        let (r, used) = numberPrefix(p, n, t)
        return used == n ? r : .text
    }

    /// Parses the longest number at the start of `[p, p+n)`; returns it and the bytes used
    /// (`.text` when no number starts there). Lets the CSV scanner parse a field in the same
    /// pass that finds its end.
    @inline(__always)
    static func numberPrefix(_ p: UnsafePointer<UInt8>, _ n: Int, _ t: DecimalTables) -> (ParsedField, Int) {
        if n == 0 { return (.text, 0) }
        var i = 0
        var negative = false
        if p[0] == 0x2D { negative = true; i = 1 } else if p[0] == 0x2B { i = 1 }
        var m: UInt64 = 0
        var sig = 0            // significant digits taken into m
        var dropped = false    // a nonzero digit beyond 19 significant digits
        var exp10 = 0
        var digits = 0
        var fraction = false
        // Digits before and after the point. Eight bytes are classified at once: a full word of
        // digits is converted by a few independent multiplies (digit by digit is a chain of
        // dependent multiply-adds); otherwise the word says how many digits precede the first
        // non-digit, and those are taken one by one without re-testing.
        while true {
            var run: Int
            if i &+ 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let mask = nonDigitMask(w)
                if mask == 0 && sig <= 11 {
                    let v = eightDigitValue(w)
                    if m != 0 { m = m &* 100_000_000 &+ v; sig &+= 8 }
                    else if v != 0 { m = v; sig = 8 &- (((w ^ 0x3030_3030_3030_3030).trailingZeroBitCount) >> 3) }
                    if fraction { exp10 &-= 8 }
                    digits &+= 8; i &+= 8
                    continue
                }
                run = mask == 0 ? 8 : mask.trailingZeroBitCount >> 3
                if run != 0 && run != 8 && sig &+ run <= 19 {
                    // The first `run` digits as one number, without a loop whose exit the branch
                    // predictor misses: move them to the top of the word and fill the bytes
                    // below with '0' characters (leading zeros add nothing).
                    let filled = (w &<< UInt64(8 &* (8 &- run))) | (0x3030_3030_3030_3030 &>> UInt64(8 &* run))
                    let v = eightDigitValue(filled)
                    if m != 0 { m = m &* t.pow10Int[run] &+ v; sig &+= run }
                    else if v != 0 { m = v; sig = 8 &- (((filled ^ 0x3030_3030_3030_3030).trailingZeroBitCount) >> 3) }
                    if fraction { exp10 &-= run }
                    digits &+= run; i &+= run
                    if i < n && p[i] == 0x2E && !fraction { fraction = true; i &+= 1; continue }
                    break
                }
            } else {
                run = 0
                while i &+ run < n, p[i &+ run] &- 0x30 <= 9 { run &+= 1 }
            }
            let stop = i &+ run
            while i < stop {
                let d = p[i] &- 0x30
                if sig < 19 {
                    if m != 0 || d != 0 { m = m &* 10 &+ UInt64(d); sig &+= 1 }
                    if fraction { exp10 &-= 1 }
                } else {
                    if !fraction { exp10 &+= 1 }
                    if d != 0 { dropped = true }
                }
                i &+= 1
            }
            digits &+= run
            if run == 8 { continue }
            if i < n && p[i] == 0x2E && !fraction { fraction = true; i &+= 1; continue }
            break
        }
        if digits == 0 { return (.text, 0) }
        if i < n, p[i] | 0x20 == 0x65 {   // e or E
            i += 1
            var eneg = false
            if i < n, p[i] == 0x2D { eneg = true; i += 1 } else if i < n, p[i] == 0x2B { i += 1 }
            var e = 0, edigits = 0
            while i < n {
                let d = p[i] &- 0x30
                if d > 9 { break }
                if e < 100_000 { e = e * 10 + Int(d) }
                edigits += 1
                i += 1
            }
            if edigits == 0 { return (.text, 0) }
            exp10 += eneg ? -e : e
        }
        if m == 0 { return (.number(negative ? -0.0 : 0), i) }
        if !dropped, let v = fast(m, exp10, t) { return (finish(negative ? -v : v), i) }
        return (finish(slow(p, i)), i)
    }

    /// Nonzero bits in (at least) every byte of `w` that is not an ASCII digit: a digit has high
    /// nibble 3 and does not carry into it when 6 is added. A carry out of a non-digit byte can
    /// only disturb later bytes, so the lowest flagged byte is always the first non-digit.
    @inline(__always)
    static func nonDigitMask(_ w: UInt64) -> UInt64 {
        let bad = (w & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030
        let over = ((w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030
        return bad | over
    }

    /// The value of eight ASCII digits (checked by the caller). Pairs, then quads, then the
    /// octet are combined by multiplies on the whole word.
    @inline(__always)
    static func eightDigitValue(_ w: UInt64) -> UInt64 {
        let low = w &- 0x3030_3030_3030_3030
        // Byte k holds digit k (first digit in the lowest byte).
        let pairs = (low &* 10 &+ (low >> 8)) & 0x00FF_00FF_00FF_00FF      // d0d1, d2d3, …
        let quads = (pairs &* 100 &+ (pairs >> 16)) & 0x0000_FFFF_0000_FFFF // d0..d3, d4..d7
        return (quads &* 10_000 &+ (quads >> 32)) & 0xFFFF_FFFF
    }

    @inline(__always)
    private static func finish(_ x: Double) -> ParsedField {
        if !(abs(x) <= Missing.maxDouble) { return .missing(Missing.dot) }
        return .number(x)
    }

    /// Exactly rounded m × 10^e for the cases that need no big arithmetic, else nil.
    @inline(__always)
    static func fast(_ m: UInt64, _ e: Int, _ t: DecimalTables) -> Double? {
        if m <= 1 << 53 {
            if e >= 0 && e <= 22 { return Double(m) * t.pow10[e] }
            if e < 0 && e >= -22 { return Double(m) / t.pow10[-e] }
            return nil
        }
        #if arch(x86_64) || arch(i386)
        // Step 2b first where Float80 exists: one x87 multiply or divide is measurably cheaper
        // than the integer check of 2a (about 20% of the whole CSV load of 17-digit data).
        if e >= -27 && e <= 27 {
            let x = e < 0 ? Float80(m) / t.pow10x[-e] : Float80(m) * t.pow10x[e]
            if x.significandBitPattern & 0x7FF != 0x400 { return Double(x) }
        }
        #endif
        if e < 0 && e >= -19, let v = checkedQuotient(m, -e, t) { return v }
        return rareFast(m, e, t)
    }

    /// The exact paths that are rarely needed, kept out of line so the common path inlines.
    @inline(never)
    static func rareFast(_ m: UInt64, _ e: Int, _ t: DecimalTables) -> Double? {
        #if arch(x86_64) || arch(i386)
        if e >= -27 && e <= 27 {
            let x = e < 0 ? Float80(m) / t.pow10x[-e] : Float80(m) * t.pow10x[e]
            if x.significandBitPattern & 0x7FF != 0x400 { return Double(x) }
        }
        #endif
        if e < 0 && e >= -19 { return divide(m, t.pow10Int[-e]) }
        if e >= 0 && e <= 19 {
            let (hi, lo) = m.multipliedFullWidth(by: t.pow10Int[e])
            return round128(hi: hi, lo: lo, sticky: false, scale: 0)
        }
        return nil
    }

    /// Correctly rounded m / 10^k (m > 2^53, 1 ≤ k ≤ 19) by a double guess verified in integer
    /// arithmetic; nil in the rare cases it does not settle (binade edges).
    @inline(__always)
    static func checkedQuotient(_ m: UInt64, _ k: Int, _ t: DecimalTables) -> Double? {
        // Multiplying by the rounded reciprocal is within two ulps and much faster than dividing;
        // the integer check below walks to the correctly rounded value.
        let q0 = Double(m) * t.pow10Inv[k]
        let exp = Int(q0.exponent) - 52          // q0 = Q · 2^exp
        guard exp < 0, exp >= -63 else { return nil }
        var q = q0.significandBitPattern | (1 << 52)
        let d = t.pow10Int[k]
        let a = UInt128(m) << UInt128(-exp)      // m · 2^-exp < 2^127
        var b = UInt128(q) * UInt128(d)
        let half = UInt128(d >> 1)               // 10^k is even
        for _ in 0..<5 {
            if a >= b {
                let diff = a - b
                if diff < half || (diff == half && q & 1 == 0) { return Double(bitPattern: UInt64(1075 + exp) << 52 | (q & 0xF_FFFF_FFFF_FFFF)) }
                q += 1; b += UInt128(d)
            } else {
                // Below the bottom of a binade the spacing halves, so the half-ulp test above
                // does not apply there: leave that case to the exact paths.
                if q == 1 << 52 { return nil }
                let diff = b - a
                if diff < half || (diff == half && q & 1 == 0) { return Double(bitPattern: UInt64(1075 + exp) << 52 | (q & 0xF_FFFF_FFFF_FFFF)) }
                q -= 1; b -= UInt128(d)
            }
            if q < 1 << 52 || q >= 1 << 53 { return nil }
        }
        return nil
    }

    /// Correctly rounded m / d for m > 0 and 1 < d < 2^64.
    @inline(__always)
    static func divide(_ m: UInt64, _ d: UInt64) -> Double {
        let bm = 64 - m.leadingZeroBitCount, bd = 64 - d.leadingZeroBitCount
        var s = 63 - bm + bd
        var (q, r) = shiftedQuotient(m, s, d)
        if q >> 63 == 0 { s += 1; (q, r) = shiftedQuotient(m, s, d) }
        return round64(q, sticky: r != 0, scale: -s)
    }

    /// ⌊m·2^s / d⌋ and the remainder; the caller guarantees the quotient fits 64 bits.
    @inline(__always)
    private static func shiftedQuotient(_ m: UInt64, _ s: Int, _ d: UInt64) -> (UInt64, UInt64) {
        let hi: UInt64, lo: UInt64
        if s >= 64 { hi = m << UInt64(s - 64); lo = 0 }
        else if s == 0 { hi = 0; lo = m }
        else { hi = m >> UInt64(64 - s); lo = m << UInt64(s) }
        return d.dividingFullWidth((high: hi, low: lo))
    }

    /// Rounds the 128-bit value (hi, lo)·2^scale (+ sticky) to a double.
    @inline(__always)
    static func round128(hi: UInt64, lo: UInt64, sticky: Bool, scale: Int) -> Double {
        if hi == 0 { return round64(lo, sticky: sticky, scale: scale, normalize: true) }
        let lz = hi.leadingZeroBitCount
        let q = lz == 0 ? hi : (hi << UInt64(lz)) | (lo >> UInt64(64 - lz))
        let rest = lz == 0 ? lo : lo << UInt64(lz)
        return round64(q, sticky: sticky || rest != 0, scale: scale + 64 - lz)
    }

    /// Rounds q·2^scale (q with its top bit set unless `normalize`) to 53 bits, ties to even.
    @inline(__always)
    static func round64(_ q0: UInt64, sticky: Bool, scale: Int, normalize: Bool = false) -> Double {
        var q = q0, scale = scale
        if normalize { let lz = q.leadingZeroBitCount; q <<= UInt64(lz); scale -= lz }
        var mant = q >> 11
        let low = q & 0x7FF
        if low > 0x400 || (low == 0x400 && (sticky || mant & 1 == 1)) { mant += 1 }
        // A carry out to 2^53 is still exactly representable; the multiplication below is exact.
        return Double(sign: .plus, exponent: scale + 11, significand: Double(mant))
    }

    /// C `strtod` on a copy of the bytes (rare: long mantissas, big exponents).
    static func slow(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
            for k in 0..<n { buf[k] = CChar(bitPattern: p[k]) }
            buf[n] = 0
            return strtod(buf.baseAddress!, nil)
        }
    }

    /// Convenience for tests and small inputs.
    static func parse(_ s: String) -> ParsedField {
        var a = Array(s.utf8)
        if a.isEmpty { a = [0x20] }
        return a.withUnsafeBufferPointer { parse($0.baseAddress!, $0.count, DecimalTables.shared) }
    }
}
