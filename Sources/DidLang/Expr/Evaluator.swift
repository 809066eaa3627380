// Evaluates expressions over many rows at once.
//
// Vectorised (`evaluate`): each AST node is computed once for all rows, as whole arrays, with
// constants kept unexpanded. Right for `gen`, for `if` qualifiers and for `replace` whose
// right-hand side does not read other observations of the variable being replaced.
//
// Sequential (`evaluateSequential`): Stata's `replace` is defined row by row, so a later row sees
// values already replaced in earlier rows. That only matters when the expression reads the
// target at another observation (`replace x = x[_n-1] if missing(x)`, `replace x = L.x + 1`);
// lang asks `expr.referencesSubscripted(variable:)` and uses this path only then. Each row is
// evaluated with the vectorised machinery on a one-row `RowSet`, and `store` writes the result
// back before the next row is read; running sum() keeps its accumulators across the rows.
//
// Scalar (`evaluateScalar`): `display`, the `if` command, `scalar x = …`: a bare variable means
// its first observation, `_n` is 1 and `_N` the number of observations.
//
// Names: an exact variable name wins, then an exact scalar name, then a unique variable
// abbreviation (via `EvalContext.resolveVariable`), so scalars are never shadowed by
// abbreviations of longer variable names.
import DidFrame
import Foundation

/// Public entry points of the expression evaluator.
public enum Evaluator {
    /// Evaluates `e` for every row of `rows`; one value per row in `rows.rows` order.
    public static func evaluate(_ e: Expr, in ctx: EvalContext, rows: RowSet) throws -> ColumnValues {
        let run = EvalRun(ctx: ctx, rows: rows, sequential: false)
        return try run.eval(e).column(rows.count)
    }

    /// Evaluates `e` row by row in `rows` order, calling `store(observation, value)` after each
    /// row so that later rows read the stored values (see the file header for when to use it).
    public static func evaluateSequential(_ e: Expr, in ctx: EvalContext, rows: RowSet,
                                          store: (Int, Value) throws -> Void) throws {
        let run = EvalRun(ctx: ctx, rows: rows, sequential: true)
        for k in 0..<rows.count {
            let obs = rows.rows[k]
            run.rows = .single(obs, groupStart: rows.groupStart[k], groupEnd: rows.groupEnd[k])
            run.sumSlot = 0
            let v = try run.eval(e)
            try store(obs, v.isString ? .string(v.str(0)) : .number(v.num(0)))
        }
    }

    /// Evaluates `e` once, in display context (a bare variable is its first observation).
    public static func evaluateScalar(_ e: Expr, in ctx: EvalContext) throws -> Value {
        let n = ctx.frame.count
        let run = EvalRun(ctx: ctx, rows: .single(0, groupStart: 0, groupEnd: n), sequential: true)
        let v = try run.eval(e)
        return v.isString ? .string(v.str(0)) : .number(v.num(0))
    }

    /// Parses and evaluates text in display context (convenience for lang and tests).
    public static func evaluateScalar(_ text: String, in ctx: EvalContext) throws -> Value {
        try evaluateScalar(ExprParser.parse(text), in: ctx)
    }
}

/// One evaluation: the context, the rows and the per-evaluation state.
final class EvalRun {
    let ctx: EvalContext
    var rows: RowSet
    /// True in sequential/scalar mode (one row at a time, state carried across rows).
    let sequential: Bool
    /// Running-sum accumulators, one per sum() call in traversal order (sequential mode).
    var sumAccumulators: [(start: Int, total: Double)] = []
    /// Next sum() slot in the current row's traversal (sequential mode).
    var sumSlot = 0
    /// Compiled regular expressions by pattern, for this evaluation.
    var regexCache: [String: NSRegularExpression] = [:]

    init(ctx: EvalContext, rows: RowSet, sequential: Bool) {
        self.ctx = ctx; self.rows = rows; self.sequential = sequential
    }

    /// Number of rows being evaluated.
    var n: Int { rows.count }

    // A small dispatcher: each case's work lives in its own non-inlined method so that the
    // recursion (one eval frame per tree level) stays cheap on the stack, even in debug builds.
    func eval(_ e: Expr) throws -> Vec {
        switch e {
        case .number(let x): return .numC(x)
        case .string(let s): return .strC(s)
        case .name(let name): return try nameValue(name)
        case .system(let s): return systemValue(s)
        case .subscripted(let name, let index): return try subscripted(name, index)
        case .timeSeries(let ops, let name): return try timeSeries(ops, name)
        case .unary(let op, let a): return try unary(op, a)
        case .binary: return try binaryChain(e)
        case .call(let name, let args): return try call(name, args)
        case .coefficient(let which, let name): return .numC(norm(try ctx.coefficient(which, name)))
        case .stored(let kind, let name): return try stored(kind, name)
        case .scalarRef(let name): return try scalarRef(name)
        case .matrixElement(let m, let i, let j): return try matrixElement(m, i, j)
        }
    }

    @inline(never) func unary(_ op: UnaryOp, _ a: Expr) throws -> Vec {
        let v = try eval(a)
        switch op {
        case .negate: return try map1(v) { -$0 }
        case .not: return try map1(v, propagate: false) { $0 == 0 ? 1 : 0 }
        }
    }

    // Left-deep chains (a+b+c+…, which the parser builds for long sums) are walked down their
    // left spine iteratively and folded back up, so their length costs no recursion.
    @inline(never) func binaryChain(_ e: Expr) throws -> Vec {
        var spine: [(BinaryOp, Expr)] = []
        var node = e
        while case .binary(let op, let l, let r) = node { spine.append((op, r)); node = l }
        var acc = try eval(node)
        for (op, r) in spine.reversed() {
            var rv = try eval(r)
            acc = try binaryReusing(op, &acc, &rv)
        }
        return acc
    }

    // Numeric operators write into an operand's array when that array is a temporary (only
    // this evaluation references it), saving an allocation and its page faults per operator;
    // a column still owned by the frame is copied first by copy-on-write, as it must be.
    func binaryReusing(_ op: BinaryOp, _ a: inout Vec, _ b: inout Vec) throws -> Vec {
        if a.isString || b.isString { return try binary(op, a, b) }
        let done: Vec?
        // Literal closures at each call site let the compiler specialise the loops.
        switch op {
        case .add: done = reuse(&a, &b, true) { $0 + $1 }
        case .sub: done = reuse(&a, &b, true) { $0 - $1 }
        case .mul: done = reuse(&a, &b, true) { $0 * $1 }
        case .div: done = reuse(&a, &b, true) { $1 == 0 ? kDot : $0 / $1 }
        case .pow: done = reuse(&a, &b, true) { x, y in y == 0 ? 1 : Foundation.pow(x, y) }
        case .eq: done = reuse(&a, &b, false) { $0 == $1 ? 1 : 0 }
        case .ne: done = reuse(&a, &b, false) { $0 != $1 ? 1 : 0 }
        case .lt: done = reuse(&a, &b, false) { $0 < $1 ? 1 : 0 }
        case .le: done = reuse(&a, &b, false) { $0 <= $1 ? 1 : 0 }
        case .gt: done = reuse(&a, &b, false) { $0 > $1 ? 1 : 0 }
        case .ge: done = reuse(&a, &b, false) { $0 >= $1 ? 1 : 0 }
        case .and: done = reuse(&a, &b, false) { $0 != 0 && $1 != 0 ? 1 : 0 }
        case .or: done = reuse(&a, &b, false) { $0 != 0 || $1 != 0 ? 1 : 0 }
        }
        return try done ?? binary(op, a, b)
    }

    @inline(__always) func reuse(_ a: inout Vec, _ b: inout Vec, _ propagate: Bool,
                                 _ f: (Double, Double) -> Double) -> Vec? {
        @inline(__always) func g(_ x: Double, _ y: Double) -> Double {
            if propagate { return isMiss(x) || isMiss(y) ? kDot : norm(f(x, y)) }
            let r = f(x, y)
            return r.isFinite ? r : kDot
        }
        if case .num(var xs) = a {
            if case .num(let ys) = b, ys.count != xs.count { return nil }
            a = .numC(0)
            xs.withUnsafeMutableBufferPointer { d in
                switch b {
                case .numC(let y): for i in 0..<d.count { d[i] = g(d[i], y) }
                case .num(let ys): ys.withUnsafeBufferPointer { t in for i in 0..<d.count { d[i] = g(d[i], t[i]) } }
                default: break
                }
            }
            return .num(xs)
        }
        if case .numC(let x) = a, case .num(var ys) = b {
            b = .numC(0)
            ys.withUnsafeMutableBufferPointer { d in for i in 0..<d.count { d[i] = g(x, d[i]) } }
            return .num(ys)
        }
        return nil
    }

    @inline(never) func call(_ name: String, _ args: [Expr]) throws -> Vec {
        var values: [Vec] = []
        values.reserveCapacity(args.count)
        for a in args { values.append(try eval(a)) }
        return try FunctionRegistry.call(name, values, self)
    }

    @inline(never) func stored(_ kind: Character, _ name: String) throws -> Vec {
        if kind == "e" && name == "sample" {
            // A per-observation function in Stata, not a stored scalar.
            let marks = ctx.estimationSample() ?? []
            return .num(rows.rows.map { $0 >= 0 && $0 < marks.count && marks[$0] ? 1 : 0 })
        }
        switch try ctx.storedResult(kind, name) {
        case .number(let x)?: return .numC(x)
        case .string(let s)?: return .strC(s)
        case nil: return .numC(Missing.dot)
        }
    }

    @inline(never) func scalarRef(_ name: String) throws -> Vec {
        guard let v = ctx.scalar(name) else { throw StataError(111, "scalar \(name) not found") }
        return constant(v)
    }

    @inline(never) func matrixElement(_ m: String, _ i: Expr, _ j: Expr) throws -> Vec {
        let iv = try eval(i), jv = try eval(j)
        try iv.requireNumeric(); try jv.requireNumeric()
        return try mapRowsNum(n, [iv, jv]) { k in
            let a = iv.num(k), b = jv.num(k)
            guard !isMiss(a), !isMiss(b), abs(a) < 1e9, abs(b) < 1e9 else { throw StataError(503, "conformability error") }
            return try ctx.matrixElement(m, Int(a), Int(b))
        }
    }

    func constant(_ v: Value) -> Vec {
        switch v { case .number(let x): return .numC(x); case .string(let s): return .strC(s) }
    }

    // MARK: names and observations

    @inline(never) func nameValue(_ name: String) throws -> Vec {
        let frame = ctx.frame
        if let j = frame.index(of: name) { return gather(j) }
        if let v = ctx.scalar(name) { return constant(v) }
        return gather(try ctx.resolveVariable(name))
    }

    /// The column's values at the evaluated rows (no copy for the whole dataset in order).
    func gather(_ j: Int) -> Vec {
        let col = ctx.frame.columns[j]
        if rows.isWholeDataset && col.count == rows.count {
            return col.isString ? .str(col.strs) : .num(col.nums)
        }
        if col.isString {
            let s = col.strs
            return .str(rows.rows.map { $0 >= 0 && $0 < s.count ? s[$0] : "" })
        }
        let xs = col.nums
        return .num(xs.withUnsafeBufferPointer { b in rows.rows.map { $0 >= 0 && $0 < b.count ? b[$0] : Missing.dot } })
    }

    func systemValue(_ s: SystemVar) -> Vec {
        switch s {
        case .pi: return .numC(Double.pi)
        case .n:
            return .num((0..<n).map { Double(rows.rows[$0] - rows.groupStart[$0] + 1) })
        case .N:
            if rows.isWholeDataset { return .numC(Double(n)) }
            return .num((0..<n).map { Double(rows.groupEnd[$0] - rows.groupStart[$0]) })
        }
    }

    // x[exp]: observation groupStart + exp - 1 of the row's group; outside it → missing / "".
    @inline(never) func subscripted(_ name: String, _ index: Expr) throws -> Vec {
        let j: Int
        if let exact = ctx.frame.index(of: name) { j = exact } else { j = try ctx.resolveVariable(name) }
        let idx = try eval(index)
        try idx.requireNumeric()
        let col = ctx.frame.columns[j]
        let count = col.count
        func obs(_ k: Int) -> Int? {
            let v = idx.num(k)
            guard !isMiss(v) else { return nil }
            let t = v.rounded(.towardZero)
            guard abs(t) < 1e15 else { return nil }
            let o = rows.groupStart[k] + Int(t) - 1
            return o >= rows.groupStart[k] && o < rows.groupEnd[k] && o < count ? o : nil
        }
        if col.isString {
            let s = col.strs
            return .str((0..<n).map { k in obs(k).map { s[$0] } ?? "" })
        }
        let xs = col.nums
        return .num((0..<n).map { k in obs(k).map { xs[$0] } ?? Missing.dot })
    }

    // L/F/D/S operators are linear in the lag operator: expand them into Σ c_j · L^j x, with
    // negative j for leads, and fetch each shifted column once from the context.
    @inline(never) func timeSeries(_ ops: [TSOp], _ name: String) throws -> Vec {
        let j: Int
        if let exact = ctx.frame.index(of: name) { j = exact } else { j = try ctx.resolveVariable(name) }
        let col = ctx.frame.columns[j]
        if col.isString { throw StataError.typeMismatch() }
        var poly: [Int: Double] = [0: 1]
        func multiply(_ factor: [Int: Double]) {
            var out: [Int: Double] = [:]
            for (a, ca) in poly { for (b, cb) in factor { out[a + b, default: 0] += ca * cb } }
            poly = out.filter { $0.value != 0 }
        }
        for op in ops {
            // Orders beyond these are meaningless and would make the expansion slow.
            guard op.order >= 0, op.order <= (op.op == "D" ? 100 : 10_000) else { throw StataError(198, "invalid syntax") }
            switch op.op {
            case "L": multiply([op.order: 1])
            case "F": multiply([-op.order: 1])
            case "D": for _ in 0..<op.order { multiply([0: 1, 1: -1]) }
            case "S": if op.order > 0 { multiply([0: 1, op.order: -1]) }
            default: throw StataError(198, "invalid syntax")
            }
        }
        var total: [Double]? = nil
        for (shift, c) in poly.sorted(by: { $0.key < $1.key }) {
            let series: [Double]
            if shift == 0 { series = col.nums }
            else if shift > 0 { series = try ctx.timeSeries("L", shift, col.name) }
            else { series = try ctx.timeSeries("F", -shift, col.name) }
            guard series.count == col.count else { throw StataError(198, "time-series operator: wrong length") }
            if var t = total {
                for i in 0..<t.count {
                    t[i] = isMiss(t[i]) || isMiss(series[i]) ? Missing.dot : norm(t[i] + c * series[i])
                }
                total = t
            } else {
                total = c == 1 ? series : series.map { isMiss($0) ? Missing.dot : norm(c * $0) }
            }
        }
        let full = total ?? Array(repeating: 0, count: col.count)
        if rows.isWholeDataset && full.count == n { return .num(full) }
        return .num(rows.rows.map { $0 < full.count ? full[$0] : Missing.dot })
    }

    // MARK: operators

    func binary(_ op: BinaryOp, _ a: Vec, _ b: Vec) throws -> Vec {
        if a.isString || b.isString { return try stringBinary(op, a, b) }
        switch op {
        case .add: return try map2(a, b, n: n) { $0 + $1 }
        case .sub: return try map2(a, b, n: n) { $0 - $1 }
        case .mul: return try map2(a, b, n: n) { $0 * $1 }
        case .div: return try map2(a, b, n: n) { $1 == 0 ? Missing.dot : $0 / $1 }
        case .pow: return try map2(a, b, n: n) { x, y in y == 0 ? 1 : Foundation.pow(x, y) }
        case .eq: return try map2(a, b, n: n, propagate: false) { $0 == $1 ? 1 : 0 }
        case .ne: return try map2(a, b, n: n, propagate: false) { $0 != $1 ? 1 : 0 }
        case .lt: return try map2(a, b, n: n, propagate: false) { $0 < $1 ? 1 : 0 }
        case .le: return try map2(a, b, n: n, propagate: false) { $0 <= $1 ? 1 : 0 }
        case .gt: return try map2(a, b, n: n, propagate: false) { $0 > $1 ? 1 : 0 }
        case .ge: return try map2(a, b, n: n, propagate: false) { $0 >= $1 ? 1 : 0 }
        case .and: return try map2(a, b, n: n, propagate: false) { $0 != 0 && $1 != 0 ? 1 : 0 }
        case .or: return try map2(a, b, n: n, propagate: false) { $0 != 0 || $1 != 0 ? 1 : 0 }
        }
    }

    // Strings: + concatenates, string*number repeats, comparisons are bytewise (UTF-8 order,
    // not Unicode canonical equivalence, as Stata compares bytes); anything else is r(109).
    func stringBinary(_ op: BinaryOp, _ a: Vec, _ b: Vec) throws -> Vec {
        if op == .mul, a.isString != b.isString {
            let s = a.isString ? a : b, k = a.isString ? b : a
            return mapRowsStr(n, [s, k]) { i in
                let c = k.num(i)
                guard !isMiss(c), c >= 1 else { return "" }
                return String(repeating: s.str(i), count: Int(min(c, 1e6)))
            }
        }
        guard a.isString && b.isString else { throw StataError.typeMismatch() }
        func cmp(_ f: @escaping (String, String) -> Bool) -> Vec {
            mapRowsNum(n, [a, b]) { k in f(a.str(k), b.str(k)) ? 1 : 0 }
        }
        switch op {
        case .add: return mapRowsStr(n, [a, b]) { k in a.str(k) + b.str(k) }
        case .eq: return cmp { $0.utf8.elementsEqual($1.utf8) }
        case .ne: return cmp { !$0.utf8.elementsEqual($1.utf8) }
        case .lt: return cmp { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        case .le: return cmp { !$1.utf8.lexicographicallyPrecedes($0.utf8) }
        case .gt: return cmp { $1.utf8.lexicographicallyPrecedes($0.utf8) }
        case .ge: return cmp { !$0.utf8.lexicographicallyPrecedes($1.utf8) }
        default: throw StataError.typeMismatch()
        }
    }
}
