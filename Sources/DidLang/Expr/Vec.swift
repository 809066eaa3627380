// The evaluator's working value: a column of results or a constant broadcast over all rows.
//
// Constants stay unexpanded (`x*2 + 1` allocates one array, not three); `count` is the number
// of rows of the evaluation. Numeric results are normalised so nothing at or above `.` other
// than the missing codes themselves, and no NaN/±inf, ever leaves an operation.
import DidFrame

/// A vector of per-row values or a broadcast constant.
enum Vec {
    case num([Double])
    case str([String])
    case numC(Double)
    case strC(String)

    var isString: Bool {
        switch self { case .str, .strC: return true; default: return false }
    }

    /// Numeric value for row position k; throws r(109) for strings.
    @inline(__always) func num(_ k: Int) -> Double {
        switch self {
        case .num(let a): return a[k]
        case .numC(let x): return x
        default: return Missing.dot
        }
    }

    /// String value for row position k.
    @inline(__always) func str(_ k: Int) -> String {
        switch self {
        case .str(let a): return a[k]
        case .strC(let s): return s
        default: return ""
        }
    }

    /// Throws r(109) unless numeric.
    func requireNumeric() throws {
        if isString { throw StataError.typeMismatch() }
    }

    /// Throws r(109) unless string.
    func requireString() throws {
        if !isString { throw StataError.typeMismatch() }
    }

    /// Expands to one value per row.
    func column(_ n: Int) -> ColumnValues {
        switch self {
        case .num(let a): return .numbers(a)
        case .numC(let x): return .numbers(Array(repeating: x, count: n))
        case .str(let a): return .strings(a)
        case .strC(let s): return .strings(Array(repeating: s, count: n))
        }
    }

    /// The numeric values as an array of n elements.
    func numbers(_ n: Int) -> [Double] {
        switch self {
        case .num(let a): return a
        case .numC(let x): return Array(repeating: x, count: n)
        default: return Array(repeating: Missing.dot, count: n)
        }
    }

    /// The string values as an array of n elements.
    func strings(_ n: Int) -> [String] {
        switch self {
        case .str(let a): return a
        case .strC(let s): return Array(repeating: s, count: n)
        default: return Array(repeating: "", count: n)
        }
    }

    /// True when the value is a broadcast constant.
    var isConstant: Bool {
        switch self { case .numC, .strC: return true; default: return false }
    }
}

// The two constants as literals: reading `Missing.dot` from DidFrame goes through a lazy-global
// accessor on every element, which showed up at ~5% of a vectorised x*2.
@inline(__always) var kDot: Double { Double(bitPattern: 0x7FE0_0000_0000_0000) }
@inline(__always) var kMaxDouble: Double { Double(bitPattern: 0x7FDF_FFFF_FFFF_FFFF) }

/// Maps NaN, ±inf and out-of-range results to `.` (missing codes pass through only when they
/// are inputs, which callers handle before computing).
@inline(__always) func norm(_ x: Double) -> Double { abs(x) <= kMaxDouble ? x : kDot }

/// True for any missing value.
@inline(__always) func isMiss(_ x: Double) -> Bool { !(x < kDot) }

/// An array of n doubles filled by `body(i)` without first zeroing it.
@inline(__always) func makeDoubles(_ n: Int, _ body: (Int) -> Double) -> [Double] {
    [Double](unsafeUninitializedCapacity: n) { buf, count in
        for i in 0..<n { buf[i] = body(i) }
        count = n
    }
}

/// Applies a numeric function elementwise. With `propagate` (the default) `f` sees only
/// non-missing inputs (missing in → `.` out) and results beyond the double range become `.`;
/// without it `f` sees missing codes too and may return them (only NaN/±inf are mapped to `.`).
@inline(__always) func map1(_ a: Vec, propagate: Bool = true, _ f: (Double) -> Double) throws -> Vec {
    try a.requireNumeric()
    @inline(__always) func g(_ x: Double) -> Double {
        if propagate { return isMiss(x) ? kDot : norm(f(x)) }
        let r = f(x)
        return r.isFinite ? r : kDot
    }
    switch a {
    case .numC(let x): return .numC(g(x))
    case .num(let xs):
        return .num(xs.withUnsafeBufferPointer { src in makeDoubles(src.count) { g(src[$0]) } })
    default: throw StataError.typeMismatch()
    }
}

/// Applies a binary numeric function elementwise with broadcasting; missing in → `.` out when
/// `propagate`, results normalised.
@inline(__always) func map2(_ a: Vec, _ b: Vec, n: Int, propagate: Bool = true,
                            _ f: (Double, Double) -> Double) throws -> Vec {
    try a.requireNumeric(); try b.requireNumeric()
    @inline(__always) func g(_ x: Double, _ y: Double) -> Double {
        if propagate { return isMiss(x) || isMiss(y) ? kDot : norm(f(x, y)) }
        let r = f(x, y)
        return r.isFinite ? r : kDot
    }
    switch (a, b) {
    case (.numC(let x), .numC(let y)): return .numC(g(x, y))
    case (.num(let xs), .numC(let y)):
        return .num(xs.withUnsafeBufferPointer { s in makeDoubles(s.count) { g(s[$0], y) } })
    case (.numC(let x), .num(let ys)):
        return .num(ys.withUnsafeBufferPointer { s in makeDoubles(s.count) { g(x, s[$0]) } })
    case (.num(let xs), .num(let ys)):
        precondition(xs.count == ys.count)
        return .num(xs.withUnsafeBufferPointer { s in ys.withUnsafeBufferPointer { t in
            makeDoubles(s.count) { g(s[$0], t[$0]) } } })
    default: throw StataError.typeMismatch()
    }
}

/// Elementwise over any number of arguments (slow path: per-row accessors); `f` gets the row
/// position and returns a number or a missing code (NaN/±inf become `.`; `f` must use `norm`
/// on computed values itself).
func mapRowsNum(_ n: Int, _ args: [Vec], _ f: (Int) throws -> Double) rethrows -> Vec {
    if args.allSatisfy({ $0.isConstant }) { return .numC(Missing.clean(try f(0))) }
    var out = [Double](repeating: 0, count: n)
    for k in 0..<n { out[k] = Missing.clean(try f(k)) }
    return .num(out)
}

/// Elementwise over any number of arguments, producing strings.
func mapRowsStr(_ n: Int, _ args: [Vec], _ f: (Int) throws -> String) rethrows -> Vec {
    if args.allSatisfy({ $0.isConstant }) { return .strC(try f(0)) }
    var out = [String](repeating: "", count: n)
    for k in 0..<n { out[k] = try f(k) }
    return .str(out)
}
