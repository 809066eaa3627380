// Recursive-descent parser for Stata expressions ([U] 13.2).
//
// Precedence, tightest first (Stata's documented order of evaluation):
//   !  ~          logical not (so `!x==1` is `(!x)==1`)
//   ^             power, LEFT-associative as in Stata: 2^3^2 = (2^3)^2 = 64
//   -             negation: binds looser than ^, so -2^2 = -(2^2) = -4
//   * /           left-associative
//   + -           left-associative (string + concatenates)
//   == != ~= < <= > >=   left-associative
//   &
//   |
// Stata lists `/` before `*` and `-` before `+`; evaluated left to right at one level the
// results are the same, which is what users see.
//
// Errors are StataError: r(198) invalid syntax, r(132) unbalanced parentheses/brackets,
// r(133) unknown function, r(130) expression too complex (nesting deeper than
// `ExprParser.maxDepth` or a tree taller than `ExprParser.maxHeight`, which keep recursion,
// evaluation and deinitialisation of the tree within the thread's stack).
import DidFrame

/// Parses expression text into an `Expr`.
public enum ExprParser {
    /// Deepest nesting accepted: parentheses, function calls, subscripts and prefix operators
    /// (these recurse while parsing and evaluating). Sized so parse + evaluation fit a 512 KB
    /// thread stack in release builds (measured: ~300 nested calls fit) and the 8 MB main-thread
    /// stack in debug builds.
    public static let maxDepth = 250
    /// Tallest tree accepted (long chains such as x1+x2+…+xn; evaluated iteratively, but
    /// releasing the tree recurses once per level; 4000 measured safe on 512 KB).
    public static let maxHeight = 2000

    /// Parses one complete expression; throws `StataError` for anything else.
    public static func parse(_ text: String) throws -> Expr {
        var p = try Parser(text)
        if p.tok == .end { throw StataError(198, "invalid syntax") }
        let node = try p.expression()
        switch p.tok {
        case .end: return node.e
        case .rparen, .rbracket: throw StataError(132, "too many ')' or ']'")
        default: throw StataError(198, "invalid syntax")
        }
    }
}

/// A node with its height, so chains like 1+1+…+1 are bounded too.
private struct Node { var e: Expr; var h: Int }

private struct Parser {
    var lex: ExprLexer
    var tok: ExprToken
    var depth = 0

    init(_ text: String) throws {
        lex = ExprLexer(text)
        tok = try lex.next()
    }

    mutating func advance() throws { tok = try lex.next() }

    mutating func enter() throws {
        depth += 1
        if depth > ExprParser.maxDepth { throw StataError(130, "expression too complex") }
    }

    func combine(_ op: BinaryOp, _ a: Node, _ b: Node) throws -> Node {
        let h = max(a.h, b.h) + 1
        if h > ExprParser.maxHeight { throw StataError(130, "expression too complex") }
        return Node(e: .binary(op, a.e, b.e), h: h)
    }

    func isOp(_ s: String) -> Bool { tok == .op(s) }

    // expression := unary { binop unary }      (precedence climbing over | & rel +- */)
    //
    // One function handles every binary level, so a parenthesised sub-expression costs a few
    // stack frames rather than one per precedence level, and chains such as a+b+…+z iterate.
    mutating func expression() throws -> Node {
        try enter(); defer { depth -= 1 }
        return try binary(minPrecedence: 1)
    }

    static func precedence(_ op: BinaryOp) -> Int {
        switch op {
        case .or: return 1
        case .and: return 2
        case .eq, .ne, .lt, .le, .gt, .ge: return 3
        case .add, .sub: return 4
        case .mul, .div: return 5
        case .pow: return 0   // handled in unary(): binds tighter than negation
        }
    }

    var binaryOp: BinaryOp? {
        guard case .op(let s) = tok, let op = BinaryOp(rawValue: s), op != .pow else { return nil }
        return op
    }

    mutating func binary(minPrecedence: Int) throws -> Node {
        var left = try unary()
        while let op = binaryOp, Self.precedence(op) >= minPrecedence {
            try advance()
            // All binary levels are left-associative: the right operand binds only tighter ops.
            let right = try binary(minPrecedence: Self.precedence(op) + 1)
            left = try combine(op, left, right)
        }
        return left
    }

    // unary := { "-" | "+" | "!" | "~" } primary { "^" exponent }
    //
    // Prefix operators are collected iteratively. The `!`s written directly before the primary
    // bind to it (! is Stata's tightest operator), then the left-associative ^ chain, then the
    // remaining prefixes from the inside out — so -2^2 is -(2^2) and !x^2 is (!x)^2.
    mutating func unary() throws -> Node {
        var prefixes: [UnaryOp?] = []   // nil records a unary plus
        while true {
            if isOp("-") { prefixes.append(.negate) } else if isOp("+") { prefixes.append(nil) }
            else if isOp("!") { prefixes.append(.not) } else { break }
            try advance()
            try enter()
        }
        defer { depth -= prefixes.count }
        var node = try primary()
        while let last = prefixes.last, last == .not {
            prefixes.removeLast()
            node = try wrap(.not, node)
        }
        while isOp("^") {
            try advance()
            node = try combine(.pow, node, try exponent())
        }
        while let last = prefixes.popLast() {
            if let op = last { node = try wrap(op, node) }
        }
        return node
    }

    // exponent := { "-" | "+" | "!" } primary        (so 2^-1 works; ^ chains stay left-assoc)
    mutating func exponent() throws -> Node {
        var prefixes: [UnaryOp?] = []
        while true {
            if isOp("-") { prefixes.append(.negate) } else if isOp("+") { prefixes.append(nil) }
            else if isOp("!") { prefixes.append(.not) } else { break }
            try advance()
            try enter()
        }
        let count = prefixes.count
        defer { depth -= count }
        var node = try primary()
        while let last = prefixes.popLast() {
            if let op = last { node = try wrap(op, node) }
        }
        return node
    }

    func wrap(_ op: UnaryOp, _ a: Node) throws -> Node {
        // Fold negative literals so `-1` is the number -1 (as Stata treats it).
        if op == .negate, case .number(let x) = a.e, x < Missing.dot { return Node(e: .number(-x), h: a.h) }
        let h = a.h + 1
        if h > ExprParser.maxHeight { throw StataError(130, "expression too complex") }
        return Node(e: .unary(op, a.e), h: h)
    }

    /// Skips spaces and tells whether the next raw byte is `c` (without consuming it).
    mutating func nextByteIs(_ c: UInt8) -> Bool {
        lex.skipSpace()
        return lex.peekByte() == c
    }

    // primary := number | string | "(" expression ")" | name-based forms
    mutating func primary() throws -> Node {
        switch tok {
        case .number(let x): try advance(); return Node(e: .number(x), h: 1)
        case .string(let s): try advance(); return Node(e: .string(s), h: 1)
        case .lparen:
            try advance()
            let inner = try expression()
            guard tok == .rparen else {
                if tok == .end { throw StataError(132, "too few ')' or ']'") }
                throw StataError(198, "invalid syntax")
            }
            try advance()
            return inner
        case .tsOps(let ops):
            try advance()
            guard case .name(let v) = tok else { throw StataError(198, "invalid syntax") }
            try advance()
            return Node(e: .timeSeries(ops, v), h: 1)
        case .name(let n): return try named(n)
        case .end: throw StataError(198, "invalid syntax")
        case .rparen, .rbracket: throw StataError(132, "too many ')' or ']'")
        default: throw StataError(198, "invalid syntax")
        }
    }

    // named := "_b[" raw "]" | "_se[" raw "]" | kind "(" raw ")" | "scalar(" raw ")"
    //        | "el(" raw "," expression "," expression ")" | ("rowsof"|"colsof") "(" raw ")"
//        | name "(" args ")"
    //        | name "[" expression [ "," expression ] "]" | name
    mutating func named(_ n: String) throws -> Node {
        if (n == "_b" || n == "_coef" || n == "_se"), nextByteIs(91) {
            lex.pos += 1
            let raw = try lex.readRaw(until: 93)
            guard !raw.isEmpty else { throw StataError(198, "invalid syntax") }
            try advance()
            return Node(e: .coefficient(n == "_se" ? "se" : "b", raw), h: 1)
        }
        if n.count == 1, "ercs".contains(n), nextByteIs(40) {
            lex.pos += 1
            let raw = try lex.readRaw(until: 41)
            guard !raw.isEmpty else { throw StataError(198, "invalid syntax") }
            try advance()
            return Node(e: .stored(Character(n), raw), h: 1)
        }
        if n == "scalar", nextByteIs(40) {
            lex.pos += 1
            let raw = try lex.readRaw(until: 41)
            guard !raw.isEmpty else { throw StataError(198, "invalid syntax") }
            try advance()
            return Node(e: .scalarRef(raw), h: 1)
        }
        if n == "rowsof" || n == "colsof", nextByteIs(40) {
            lex.pos += 1
            let raw = try lex.readRaw(until: 41)
            guard !raw.isEmpty else { throw StataError(198, "invalid syntax") }
            try advance()
            return Node(e: .call(n, [.string(raw)]), h: 2)
        }
        if n == "el", nextByteIs(40) {
            lex.pos += 1
            let m = try lex.readRawUntilComma()
            guard !m.isEmpty else { throw StataError(198, "invalid syntax") }
            try advance()
            let i = try expression()
            guard tok == .comma else { throw StataError(198, "invalid syntax") }
            try advance()
            let j = try expression()
            guard tok == .rparen else { throw StataError(132, "too few ')' or ']'") }
            try advance()
            return Node(e: .matrixElement(m, i.e, j.e), h: max(i.h, j.h) + 1)
        }
        try advance()
        if tok == .lparen { return try call(n) }
        if tok == .lbracket {
            try advance()
            let i = try expression()
            if tok == .comma {
                try advance()
                let j = try expression()
                guard tok == .rbracket else { throw StataError(132, "too few ')' or ']'") }
                try advance()
                return Node(e: .matrixElement(n, i.e, j.e), h: max(i.h, j.h) + 1)
            }
            guard tok == .rbracket else {
                if tok == .end { throw StataError(132, "too few ')' or ']'") }
                throw StataError(198, "invalid syntax")
            }
            try advance()
            return Node(e: .subscripted(n, i.e), h: i.h + 1)
        }
        switch n {
        case "_n": return Node(e: .system(.n), h: 1)
        case "_N": return Node(e: .system(.N), h: 1)
        case "_pi": return Node(e: .system(.pi), h: 1)
        default: return Node(e: .name(n), h: 1)
        }
    }

    // call := name "(" [ expression { "," expression } ] ")"
    mutating func call(_ n: String) throws -> Node {
        guard let arity = FunctionRegistry.arity(n) else { throw StataError(133, "unknown function \(n)()") }
        try advance()
        var args: [Node] = []
        if tok != .rparen {
            while true {
                args.append(try expression())
                if tok == .comma { try advance(); continue }
                break
            }
        }
        guard tok == .rparen else {
            if tok == .end { throw StataError(132, "too few ')' or ']'") }
            throw StataError(198, "invalid syntax")
        }
        try advance()
        guard arity.contains(args.count) else { throw StataError(198, "invalid syntax") }
        let h = (args.map { $0.h }.max() ?? 0) + 1
        if h > ExprParser.maxHeight { throw StataError(130, "expression too complex") }
        return Node(e: .call(n, args.map { $0.e }), h: h)
    }
}
