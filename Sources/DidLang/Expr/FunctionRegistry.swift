// The registry of built-in functions: one list, name → (arity, implementation).
//
// Implementations receive already-evaluated arguments (`Vec`, vectors or broadcast constants)
// and the running evaluation (row bounds, context, state). Math functions live here; string,
// date and statistical functions in FunctionRegistry+String.swift, FunctionRegistry+Date.swift and
// FunctionRegistry+Stats.swift, which register themselves through `FunctionRegistry.table` below.
import DidFrame
import Foundation

/// A built-in function: how many arguments it takes and how to compute it.
struct Builtin {
    let arity: ClosedRange<Int>
    let impl: ([Vec], EvalRun) throws -> Vec
}

/// Built-in function registry.
enum FunctionRegistry {
    /// Every built-in, by Stata name (aliases included).
    static let table: [String: Builtin] = {
        var t: [String: Builtin] = [:]
        for (k, v) in math { t[k] = v }
        for (k, v) in strings { t[k] = v }
        for (k, v) in dates { t[k] = v }
        for (k, v) in stats { t[k] = v }
        return t
    }()

    /// Accepted argument counts, or nil for an unknown function.
    static func arity(_ name: String) -> ClosedRange<Int>? { table[name]?.arity }

    /// Names of all built-ins (for documentation and tests).
    static var names: [String] { table.keys.sorted() }

    static func call(_ name: String, _ args: [Vec], _ run: EvalRun) throws -> Vec {
        guard let f = table[name] else { throw StataError(133, "unknown function \(name)()") }
        guard f.arity.contains(args.count) else { throw StataError(198, "invalid syntax") }
        return try f.impl(args, run)
    }

    /// A one-argument numeric function with missing propagation.
    static func unary(_ f: @escaping (Double) -> Double) -> Builtin {
        Builtin(arity: 1...1) { a, _ in try map1(a[0], f) }
    }

    static let math: [String: Builtin] = [
        "abs": unary { abs($0) },
        "exp": unary { Foundation.exp($0) },
        "ln": unary { $0 > 0 ? Foundation.log($0) : Missing.dot },
        "log": unary { $0 > 0 ? Foundation.log($0) : Missing.dot },
        "log10": unary { $0 > 0 ? Foundation.log10($0) : Missing.dot },
        "sqrt": unary { $0 >= 0 ? $0.squareRoot() : Missing.dot },
        "floor": Builtin(arity: 1...1) { a, _ in try map1(a[0], propagate: false) { isMiss($0) ? $0 : Foundation.floor($0) } },
        "ceil": Builtin(arity: 1...1) { a, _ in try map1(a[0], propagate: false) { isMiss($0) ? $0 : Foundation.ceil($0) } },
        "int": Builtin(arity: 1...1) { a, _ in try map1(a[0], propagate: false) { isMiss($0) ? $0 : $0.rounded(.towardZero) } },
        "trunc": Builtin(arity: 1...1) { a, _ in try map1(a[0], propagate: false) { isMiss($0) ? $0 : $0.rounded(.towardZero) } },
        "round": Builtin(arity: 1...2) { a, run in
            // Stata: y*floor(x/y + .5); round(.a) = .a; missing unit gives "."; unit 0 returns x.
            let unit = a.count > 1 ? a[1] : .numC(1)
            return try map2(a[0], unit, n: run.n, propagate: false) { x, y in
                if isMiss(y) { return Missing.dot }
                if isMiss(x) || y == 0 { return x }
                return norm(y * Foundation.floor(x / y + 0.5))
            }
        },
        "sign": unary { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) },
        "mod": Builtin(arity: 2...2) { a, run in
            try map2(a[0], a[1], n: run.n) { x, y in y == 0 ? Missing.dot : x - y * Foundation.floor(x / y) }
        },
        "float": Builtin(arity: 1...1) { a, _ in
            try map1(a[0], propagate: false) { isMiss($0) ? $0 : Double(Float($0)) }
        },
        "min": Builtin(arity: 1...100) { a, run in try extremum(a, run, pickLarger: false) },
        "max": Builtin(arity: 1...100) { a, run in try extremum(a, run, pickLarger: true) },
        "sin": unary { Foundation.sin($0) },
        "cos": unary { Foundation.cos($0) },
        "tan": unary { Foundation.tan($0) },
        "asin": unary { Foundation.asin($0) },
        "acos": unary { Foundation.acos($0) },
        "atan": unary { Foundation.atan($0) },
        "atan2": Builtin(arity: 2...2) { a, run in try map2(a[0], a[1], n: run.n) { Foundation.atan2($0, $1) } },
        // Stata's reldif(x, y) = |x - y| / (|y| + 1); missing when either is missing.
        "reldif": Builtin(arity: 2...2) { a, run in try map2(a[0], a[1], n: run.n) { Swift.abs($0 - $1) / (Swift.abs($1) + 1) } },
        "logit": unary { $0 > 0 && $0 < 1 ? Foundation.log($0 / (1 - $0)) : Missing.dot },
        "invlogit": unary { x in x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x)) },
        "cond": Builtin(arity: 3...4) { a, run in try cond(a, run) },
        "missing": Builtin(arity: 1...100) { a, run in missingAny(a, run) },
        "mi": Builtin(arity: 1...100) { a, run in missingAny(a, run) },
        "inlist": Builtin(arity: 2...255) { a, run in try inlist(a, run) },
        "inrange": Builtin(arity: 3...3) { a, run in try inrange(a, run) },
        "runiform": Builtin(arity: 0...2) { a, run in try runiform(a, run) },
        "uniform": Builtin(arity: 0...0) { a, run in try runiform(a, run) },
        "rnormal": Builtin(arity: 0...2) { a, run in try rnormal(a, run) },
        "runiformint": Builtin(arity: 2...2) { a, run in try runiformint(a, run) },
        "sum": Builtin(arity: 1...1) { a, run in try runningSum(a[0], run) },
        "rowsof": Builtin(arity: 1...1) { a, run in try matrixDim(a[0], run, rows: true) },
        "colsof": Builtin(arity: 1...1) { a, run in try matrixDim(a[0], run, rows: false) },
    ]

    // min()/max() ignore missing arguments; all missing gives ".".
    static func extremum(_ a: [Vec], _ run: EvalRun, pickLarger: Bool) throws -> Vec {
        for v in a { try v.requireNumeric() }
        return mapRowsNum(run.n, a) { k in
            var best = Missing.dot, found = false
            for v in a {
                let x = v.num(k)
                if isMiss(x) { continue }
                if !found || (pickLarger ? x > best : x < best) { best = x; found = true }
            }
            return best
        }
    }

    // cond(c, a, b[, m]): a when c is true (nonzero), b when c is 0; with m, m when c is missing.
    static func cond(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        try a[0].requireNumeric()
        let results = Array(a.dropFirst())
        let stringy = results[0].isString
        guard results.allSatisfy({ $0.isString == stringy }) else { throw StataError.typeMismatch() }
        func pick(_ k: Int) -> Vec {
            let c = a[0].num(k)
            if a.count == 4 && isMiss(c) { return a[3] }
            return c != 0 ? a[1] : a[2]
        }
        if stringy { return mapRowsStr(run.n, a) { k in pick(k).str(k) } }
        return mapRowsNum(run.n, a) { k in pick(k).num(k) }
    }

    // missing(…): 1 when any argument is missing (numeric missing or the empty string).
    static func missingAny(_ a: [Vec], _ run: EvalRun) -> Vec {
        mapRowsNum(run.n, a) { k in
            a.contains { $0.isString ? $0.str(k).isEmpty : isMiss($0.num(k)) } ? 1 : 0
        }
    }

    // inlist(z, a, b, …): 1 when z equals any of the others (all of z's type).
    static func inlist(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        let stringy = a[0].isString
        guard a.allSatisfy({ $0.isString == stringy }) else { throw StataError.typeMismatch() }
        if stringy {
            return mapRowsNum(run.n, a) { k in
                let z = a[0].str(k)
                return a.dropFirst().contains { $0.str(k).utf8.elementsEqual(z.utf8) } ? 1 : 0
            }
        }
        return mapRowsNum(run.n, a) { k in
            let z = a[0].num(k)
            return a.dropFirst().contains { $0.num(k) == z } ? 1 : 0
        }
    }

    // inrange(z, a, b), Stata's ordered rules (help inrange()): z ≥ . gives 0; a ≥ . and b = .
    // gives 1; a ≥ . gives z ≤ b; b ≥ . gives a ≤ z; otherwise a ≤ z ≤ b.
    static func inrange(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        let stringy = a[0].isString
        guard a.allSatisfy({ $0.isString == stringy }) else { throw StataError.typeMismatch() }
        if stringy {
            return mapRowsNum(run.n, a) { k in
                let z = Array(a[0].str(k).utf8), lo = Array(a[1].str(k).utf8), hi = Array(a[2].str(k).utf8)
                return !z.lexicographicallyPrecedes(lo) && !hi.lexicographicallyPrecedes(z) ? 1 : 0
            }
        }
        return mapRowsNum(run.n, a) { k in
            let z = a[0].num(k), lo = a[1].num(k), hi = a[2].num(k)
            if isMiss(z) { return 0 }
            if isMiss(lo) && hi == kDot { return 1 }
            if isMiss(lo) { return z <= hi ? 1 : 0 }
            if isMiss(hi) { return lo <= z ? 1 : 0 }
            return lo <= z && z <= hi ? 1 : 0
        }
    }

    // Random draws: one per evaluated row, in row order.
    static func runiform(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        let rng = run.ctx.random
        if a.isEmpty { return .num((0..<run.n).map { _ in rng.uniform() }) }
        guard a.count == 2 else { throw StataError(198, "invalid syntax") }
        try a[0].requireNumeric(); try a[1].requireNumeric()
        return .num((0..<run.n).map { k in
            let lo = a[0].num(k), hi = a[1].num(k)
            let u = rng.uniform()
            return isMiss(lo) || isMiss(hi) || lo > hi ? Missing.dot : norm(lo + (hi - lo) * u)
        })
    }

    static func rnormal(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        let rng = run.ctx.random
        for v in a { try v.requireNumeric() }
        return .num((0..<run.n).map { k in
            let m = a.count > 0 ? a[0].num(k) : 0, s = a.count > 1 ? a[1].num(k) : 1
            let z = rng.normal()
            return isMiss(m) || isMiss(s) || s < 0 ? Missing.dot : norm(m + s * z)
        })
    }

    static func runiformint(_ a: [Vec], _ run: EvalRun) throws -> Vec {
        let rng = run.ctx.random
        try a[0].requireNumeric(); try a[1].requireNumeric()
        return .num((0..<run.n).map { k in
            let lo = a[0].num(k), hi = a[1].num(k)
            guard !isMiss(lo), !isMiss(hi), lo <= hi, abs(lo) < 9e15, abs(hi) < 9e15,
                  lo == lo.rounded(), hi == hi.rounded() else { return Missing.dot }
            return Double(rng.uniformInt(Int(lo), Int(hi)))
        })
    }

    // sum(x): running sum over the evaluated rows, restarting at each by-group; missing adds 0.
    static func runningSum(_ x: Vec, _ run: EvalRun) throws -> Vec {
        try x.requireNumeric()
        let rows = run.rows
        if run.sequential {
            let slot = run.sumSlot
            run.sumSlot += 1
            if slot >= run.sumAccumulators.count { run.sumAccumulators.append((start: -1, total: 0)) }
            var acc = run.sumAccumulators[slot]
            let v = x.num(0)
            if acc.start != rows.groupStart[0] { acc = (start: rows.groupStart[0], total: 0) }
            if !isMiss(v) { acc.total += v }
            run.sumAccumulators[slot] = acc
            return .numC(norm(acc.total))
        }
        var out = [Double](repeating: 0, count: run.n)
        var total = 0.0, start = -1
        for k in 0..<run.n {
            if rows.groupStart[k] != start { start = rows.groupStart[k]; total = 0 }
            let v = x.num(k)
            if !isMiss(v) { total += v }
            out[k] = norm(total)
        }
        return .num(out)
    }

    static func matrixDim(_ a: Vec, _ run: EvalRun, rows: Bool) throws -> Vec {
        try a.requireString()
        let size = try run.ctx.matrixSize(a.str(0))
        return .numC(Double(rows ? size.rows : size.cols))
    }
}
