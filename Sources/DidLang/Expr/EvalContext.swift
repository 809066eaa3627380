// What the evaluator needs from the session, and which rows it evaluates.
//
// Contract shared with the interpreter ("lang"): lang's session class conforms to `EvalContext`;
// the evaluator never touches anything else. Observation indices are 0-based everywhere in this
// API; `_n` shows them 1-based within the by-group.
import DidFrame
import DidStats

/// The session seen from an expression.
public protocol EvalContext: AnyObject {
    /// The dataset in memory.
    var frame: Frame { get }
    /// Column index of a variable; handles unique abbreviations; throws r(111) when there is no
    /// such variable (and r(111) "… ambiguous abbreviation" when several match).
    func resolveVariable(_ name: String) throws -> Int
    /// A scalar (`scalar define`), or nil when none has that name.
    func scalar(_ name: String) -> Value?
    /// A stored result: kind `e`, `r`, `c` or `s`; nil means "not set" (shown as `.`/`""`).
    func storedResult(_ kind: Character, _ name: String) throws -> Value?
    /// Element (i, j), 1-based, of a matrix; throws r(111) for an unknown matrix and r(503)
    /// "conformability error" out of range.
    func matrixElement(_ name: String, _ i: Int, _ j: Int) throws -> Double
    /// `_b[name]` (which = "b") or `_se[name]` (which = "se") of the last estimation; `name` is
    /// raw (`x1`, `_cons`, `1.treat#1.post`, `eq:name`). Throws r(111) "[name] not found".
    func coefficient(_ which: String, _ name: String) throws -> Double
    /// The whole column of `op` (`L` lag or `F` lead, order ≥ 1) applied to `variable`, one value
    /// per observation (panel/time logic, gaps and `tsset` checks are lang's). The evaluator only
    /// asks for `L` and `F`: it builds `D`, `S` and combinations such as `LD.` from them.
    func timeSeries(_ op: Character, _ lag: Int, _ variable: String) throws -> [Double]
    /// Random-number generator used by runiform(), rnormal(), runiformint().
    var random: StataRandom { get }
    /// Per-session evaluator state (regexm captures for regexs()); lang stores one instance.
    var exprState: ExprState { get }
    /// Rows and columns of a matrix, for rowsof()/colsof(); throws r(111) when unknown.
    func matrixSize(_ name: String) throws -> (rows: Int, cols: Int)
    /// The last estimation's sample marker, one entry per observation, or nil when there is
    /// none; `e(sample)` is 1/0 per observation from it (it is not a scalar in Stata).
    func estimationSample() -> [Bool]?
}

extension EvalContext {
    /// Default: no matrices.
    public func matrixSize(_ name: String) throws -> (rows: Int, cols: Int) {
        throw StataError(111, "matrix \(name) not found")
    }
    /// Default: no estimation sample (e(sample) is 0 everywhere).
    public func estimationSample() -> [Bool]? { nil }
}

/// Mutable evaluator state kept by the session between evaluations.
public final class ExprState {
    /// Captures of the most recent regexm() in scalar/sequential context (index 0 = whole match).
    public var lastCaptures: [String]? = nil
    /// Captures of the most recent vectorised regexm(), by observation index.
    public var rowCaptures: [Int: [String]] = [:]
    /// Creates an empty state.
    public init() {}
}

/// The observations an expression is evaluated on, and the by-group of each.
///
/// `rows[k]` is an observation index (0-based) and `groupStart[k]..<groupEnd[k]` the
/// observations of its by-group (the whole dataset without `by`). Then, for row k:
/// `_n = rows[k] - groupStart[k] + 1`, `_N = groupEnd[k] - groupStart[k]`, `x[i]` reads
/// observation `groupStart[k] + i - 1` (missing when outside the group), and running `sum()`
/// restarts whenever `groupStart` changes between consecutive rows, accumulating only over the
/// rows listed (so `if`/`in` exclusions do not contribute). Rows are processed in the listed
/// order, which for `by` must be the sorted order.
public struct RowSet: Equatable, Sendable {
    /// Observation indices evaluated, in processing order.
    public var rows: [Int]
    /// First observation of each row's group.
    public var groupStart: [Int]
    /// One past the last observation of each row's group.
    public var groupEnd: [Int]

    /// True when `rows` is exactly 0, 1, …, count-1 and there is no `by` (lets the evaluator
    /// use columns without copying).
    public private(set) var isWholeDataset: Bool = false

    /// Rows with explicit group bounds (all three arrays have the same length).
    public init(rows: [Int], groupStart: [Int], groupEnd: [Int]) {
        precondition(rows.count == groupStart.count && rows.count == groupEnd.count)
        self.rows = rows; self.groupStart = groupStart; self.groupEnd = groupEnd
        isWholeDataset = Self.checkWhole(rows, groupStart, groupEnd)
    }

    /// The given rows of a dataset of `count` observations, without `by`.
    public init(rows: [Int], count: Int) {
        self.rows = rows
        groupStart = Array(repeating: 0, count: rows.count)
        groupEnd = Array(repeating: count, count: rows.count)
        isWholeDataset = rows.count == count && Self.checkWhole(rows, groupStart, groupEnd)
    }

    private static func checkWhole(_ rows: [Int], _ gs: [Int], _ ge: [Int]) -> Bool {
        let n = rows.count
        for k in 0..<n where rows[k] != k || gs[k] != 0 || ge[k] != n { return false }
        return true
    }

    /// Every observation of a dataset of `count` observations, without `by`.
    public static func all(_ count: Int) -> RowSet { RowSet(rows: Array(0..<count), count: count) }

    /// The given rows under `by`: `bounds` are the groups as ranges of observations (sorted data,
    /// consecutive groups); each row gets the bounds of the range containing it.
    public static func grouped(rows: [Int], bounds: [Range<Int>]) -> RowSet {
        var gs = [Int](), ge = [Int]()
        gs.reserveCapacity(rows.count); ge.reserveCapacity(rows.count)
        // Rows usually come in ascending order: walk the bounds forward, and fall back to a binary
        // search only when a row lies before the current bound.
        var cursor = 0
        for r in rows {
            if bounds.isEmpty { gs.append(r); ge.append(r + 1); continue }
            if cursor >= bounds.count || bounds[cursor].lowerBound > r {
                var lo = 0, hi = bounds.count - 1
                while lo < hi {
                    let mid = (lo + hi + 1) / 2
                    if bounds[mid].lowerBound <= r { lo = mid } else { hi = mid - 1 }
                }
                cursor = lo
            }
            while cursor + 1 < bounds.count && bounds[cursor + 1].lowerBound <= r { cursor += 1 }
            let b = bounds[cursor]
            gs.append(b.lowerBound); ge.append(b.upperBound)
        }
        return RowSet(rows: rows, groupStart: gs, groupEnd: ge)
    }

    /// One observation with its group bounds (used by sequential evaluation).
    public static func single(_ row: Int, groupStart: Int, groupEnd: Int) -> RowSet {
        RowSet(rows: [row], groupStart: [groupStart], groupEnd: [groupEnd])
    }

    /// Number of rows evaluated.
    public var count: Int { rows.count }
}
