// Values an expression produces.
//
// Contract shared with the interpreter ("lang"):
//   * `Value` is one result (display, `if` command, `scalar x = …`, a macro `= exp`).
//   * `ColumnValues` is one result per evaluated row (`gen`, `replace`, `if` qualifiers).
// Numbers always use DidFrame's missing encoding (`.` = 2^1023, `.a`…`.z` above it); NaN and
// infinities never leave the evaluator.
import DidFrame

/// One scalar result: a number (missing-encoded) or a string.
public enum Value: Equatable, Sendable, CustomStringConvertible {
    case number(Double)
    case string(String)

    /// The system missing value.
    public static let missing = Value.number(Missing.dot)

    /// True for string values.
    public var isString: Bool { if case .string = self { return true }; return false }

    /// The number, or nil for a string.
    public var number: Double? { if case .number(let x) = self { return x }; return nil }

    /// The string, or nil for a number.
    public var string: String? { if case .string(let s) = self { return s }; return nil }

    /// The number; throws r(109) type mismatch for a string.
    public func requireNumber() throws -> Double {
        guard case .number(let x) = self else { throw StataError.typeMismatch() }
        return x
    }

    /// The string; throws r(109) type mismatch for a number.
    public func requireString() throws -> String {
        guard case .string(let s) = self else { throw StataError.typeMismatch() }
        return s
    }

    /// Debug text (numbers in Swift's shortest form, missing as `.`/`.a`).
    public var description: String {
        switch self {
        case .number(let x): return Missing.text(x) ?? "\(x)"
        case .string(let s): return "\"\(s)\""
        }
    }
}

/// One value per evaluated row, in the order of `RowSet.rows`.
public enum ColumnValues: Equatable, Sendable {
    case numbers([Double])
    case strings([String])

    /// Number of values.
    public var count: Int {
        switch self { case .numbers(let a): return a.count; case .strings(let a): return a.count }
    }

    /// True for string results.
    public var isString: Bool { if case .strings = self { return true }; return false }

    /// The value at position `k` (a position in `RowSet.rows`, not an observation index).
    public subscript(k: Int) -> Value {
        switch self {
        case .numbers(let a): return .number(a[k])
        case .strings(let a): return .string(a[k])
        }
    }
}
