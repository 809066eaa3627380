// Stored results: the r(), e() and s() classes a command posts and `return list` /
// `ereturn list` show. Display and replay read only these.

import DidFrame
import DidKernel

/// A named matrix with row and column names (`matrix`, `e(b)`, `e(V)`).
public struct NamedMatrix: Sendable {
    public var rows: Int
    public var cols: Int
    /// Column-major values.
    public var data: [Double]
    public var rowNames: [String]
    public var colNames: [String]

    public init(rows: Int, cols: Int, data: [Double]? = nil, rowNames: [String]? = nil, colNames: [String]? = nil) {
        self.rows = rows; self.cols = cols
        self.data = data ?? Array(repeating: 0, count: rows * cols)
        self.rowNames = rowNames ?? (1...max(rows, 1)).prefix(rows).map { "r\($0)" }
        self.colNames = colNames ?? (1...max(cols, 1)).prefix(cols).map { "c\($0)" }
    }

    /// Element (i, j), 0-based.
    public subscript(i: Int, j: Int) -> Double {
        get { data[j * rows + i] }
        set { data[j * rows + i] = newValue }
    }
}

/// One class of stored results.
public struct StoredResults: Sendable {
    public var scalars: [String: Double] = [:]
    public var macros: [String: String] = [:]
    public var matrices: [String: NamedMatrix] = [:]
    /// `e(sample)`: estimation sample over the observations at estimation time.
    public var sample: [Bool]? = nil
    /// Insertion order of names, so `return list` shows them as Stata does (newest last).
    public var order: [String] = []

    public init() {}

    public var isEmpty: Bool { scalars.isEmpty && macros.isEmpty && matrices.isEmpty }

    public mutating func set(_ name: String, _ v: Double) { scalars[name] = v; note(name) }
    public mutating func set(_ name: String, _ s: String) { macros[name] = s; note(name) }
    public mutating func set(_ name: String, _ m: NamedMatrix) { matrices[name] = m; note(name) }
    private mutating func note(_ n: String) { if !order.contains(n) { order.append(n) } }
}
