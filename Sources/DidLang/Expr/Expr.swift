// The expression syntax tree.
//
// Contract shared with the interpreter ("lang"):
//   * `ExprParser.parse(text)` turns one expression (already macro-expanded) into an `Expr`.
//   * `Evaluator.evaluate(expr, in: ctx, rows:)` evaluates it over many rows at once (vectorised);
//     `Evaluator.evaluateSequential` row by row, for `replace` whose right-hand side reads
//     earlier rows of the variable being replaced (decide with `referencesSubscripted`);
//     `Evaluator.evaluateScalar` in display/`if`-command context.
// Names are kept as written: the evaluator resolves them through `EvalContext` at run time
// (variables, with abbreviations, win over scalars of the same name, as in Stata).
import DidFrame

/// Unary operators.
public enum UnaryOp: String, Equatable, Sendable {
    /// `-x`
    case negate = "-"
    /// `!x` or `~x`
    case not = "!"
}

/// Binary operators, in Stata's spelling (`~=` is stored as `!=`).
public enum BinaryOp: String, Equatable, Sendable, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", pow = "^"
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case and = "&", or = "|"

    /// True for the six comparisons.
    public var isRelational: Bool {
        switch self { case .eq, .ne, .lt, .le, .gt, .ge: return true; default: return false }
    }
}

/// Built-in system variables.
public enum SystemVar: String, Equatable, Sendable {
    /// `_n`: observation number within the by-group, 1-based.
    case n = "_n"
    /// `_N`: number of observations in the by-group.
    case N = "_N"
    /// `_pi`: π.
    case pi = "_pi"
}

/// One time-series operator with its order: `L2.` is (L, 2), `D.` is (D, 1).
public struct TSOp: Equatable, Sendable {
    /// `L`, `F`, `D` or `S` (upper case).
    public var op: Character
    /// Order (≥ 1; `L0.` is allowed and means the variable itself).
    public var order: Int
    /// Creates an operator.
    public init(_ op: Character, _ order: Int) { self.op = op; self.order = order }
}

/// A parsed Stata expression.
public indirect enum Expr: Equatable, Sendable {
    /// A numeric literal, including missing literals `.`, `.a`…`.z` (missing-encoded).
    case number(Double)
    /// A string literal (plain or compound quotes, quotes removed).
    case string(String)
    /// A name: a variable (unique abbreviations allowed) or, failing that, a scalar.
    case name(String)
    /// `_n`, `_N`, `_pi`.
    case system(SystemVar)
    /// Explicit subscript `x[exp]`: the value of variable `x` in observation `exp` of the group.
    case subscripted(String, Expr)
    /// Time-series operated variable: `L.x`, `L2.x`, `D.x`, `LD.x`, `F2.x`, `S.x`.
    case timeSeries([TSOp], String)
    /// `-e`, `!e`.
    case unary(UnaryOp, Expr)
    /// `a op b`.
    case binary(BinaryOp, Expr, Expr)
    /// Function call `f(a, b, …)`; the name is lower-cased only as Stata does (names are case-sensitive).
    case call(String, [Expr])
    /// `_b[name]` (which = "b") or `_se[name]` (which = "se"); `name` raw, e.g. `1.treat#1.post`.
    case coefficient(String, String)
    /// `e(name)`, `r(name)`, `c(name)`, `s(name)`: kind is e/r/c/s.
    case stored(Character, String)
    /// `scalar(name)`: a scalar only, never a variable.
    case scalarRef(String)
    /// `M[i,j]` or `el(M,i,j)`: a matrix element, 1-based.
    case matrixElement(String, Expr, Expr)

    /// True when the expression reads `variable` at another observation: an explicit subscript
    /// `variable[…]` or a time-series operator on it. Lang uses this to choose
    /// `Evaluator.evaluateSequential` for `replace variable = …`, where Stata's row-by-row
    /// semantics make earlier replacements visible (the carry-forward idiom
    /// `replace x = x[_n-1] if missing(x)`). An abbreviation of `variable` also counts, so the
    /// answer errs on the safe (sequential) side.
    public func referencesSubscripted(variable: String) -> Bool {
        var found = false
        visit { e in
            switch e {
            case .subscripted(let n, _), .timeSeries(_, let n):
                if n == variable || (!n.isEmpty && variable.hasPrefix(n)) { found = true }
            default: break
            }
        }
        return found
    }

    /// Every variable-or-scalar name the expression mentions (plain, subscripted, time-series),
    /// in first-use order without duplicates.
    public var referencedNames: [String] {
        var out: [String] = []
        visit { e in
            switch e {
            case .name(let n), .subscripted(let n, _), .timeSeries(_, let n):
                if !out.contains(n) { out.append(n) }
            default: break
            }
        }
        return out
    }

    /// Calls `body` on this node and every descendant (pre-order). Iterative, so a deeply
    /// nested tree cannot overflow the stack.
    public func visit(_ body: (Expr) -> Void) {
        var stack: [Expr] = [self]
        while let e = stack.popLast() {
            body(e)
            switch e {
            case .subscripted(_, let i): stack.append(i)
            case .unary(_, let a): stack.append(a)
            case .binary(_, let a, let b): stack.append(b); stack.append(a)
            case .call(_, let args): stack.append(contentsOf: args.reversed())
            case .matrixElement(_, let i, let j): stack.append(j); stack.append(i)
            default: break
            }
        }
    }

    /// A fully parenthesised rendering, for tests and diagnostics (`(a+(b*c))`).
    public var debugText: String {
        switch self {
        case .number(let x):
            if let m = Missing.text(x) { return m }
            return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case .string(let s): return "\"\(s)\""
        case .name(let n): return n
        case .system(let s): return s.rawValue
        case .subscripted(let n, let i): return "\(n)[\(i.debugText)]"
        case .timeSeries(let ops, let n):
            return ops.map { "\($0.op)\($0.order == 1 ? "" : String($0.order))" }.joined() + ".\(n)"
        case .unary(let op, let a): return "(\(op.rawValue)\(a.debugText))"
        case .binary(let op, let a, let b): return "(\(a.debugText)\(op.rawValue)\(b.debugText))"
        case .call(let f, let args): return "\(f)(\(args.map { $0.debugText }.joined(separator: ",")))"
        case .coefficient(let w, let n): return "_\(w)[\(n)]"
        case .stored(let k, let n): return "\(k)(\(n))"
        case .scalarRef(let n): return "scalar(\(n))"
        case .matrixElement(let m, let i, let j): return "\(m)[\(i.debugText),\(j.debugText)]"
        }
    }
}
