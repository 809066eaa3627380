import Foundation
// The dataset in memory: an ordered list of equal-length columns plus value-label sets.
//
// A class because the interpreter, commands and an embedding host share one mutable dataset.
// Observation indices are 0-based here; the language shows them 1-based (`_n`).

/// A named mapping from integer values to text (`label define`).
public struct ValueLabelSet: Sendable, Equatable {
    /// The set's name (`label define name …`).
    public var name: String
    /// Integer value → label text.
    public var mapping: [Int: String]
    /// A set with the given entries.
    public init(name: String, mapping: [Int: String] = [:]) { self.name = name; self.mapping = mapping }
}

/// Columnar dataset.
public final class Frame: @unchecked Sendable {
    /// Variables in dataset order.
    public var columns: [Column] = []
    /// Value-label sets by name.
    public var valueLabels: [String: ValueLabelSet] = [:]
    /// Dataset label (`label data`).
    public var label: String = ""
    /// When the file the data came from was saved (the .dta time stamp), nil for new data.
    public var timestamp: Date? = nil
    /// Variables the data are known to be sorted by (`sort`), cleared by any change.
    public var sortedBy: [String] = []
    /// True when the data changed since the last `use`/`save`.
    public var changed: Bool = false
    private var obs: Int = 0

    /// An empty dataset.
    public init() {}

    /// A dataset from columns of equal length.
    public init(columns: [Column]) {
        self.columns = columns
        self.obs = columns.first?.count ?? 0
    }

    /// Number of observations (`_N`).
    public var count: Int { obs }

    /// Number of variables (`c(k)`).
    public var width: Int { columns.count }

    /// Removes all data and labels.
    public func clear() {
        columns = []; valueLabels = [:]; label = ""; sortedBy = []; obs = 0; changed = false; timestamp = nil
    }

    /// Replaces the whole contents with another frame's (used by `use`, `restore`).
    public func replaceContents(with other: Frame) {
        columns = other.columns; valueLabels = other.valueLabels; label = other.label; timestamp = other.timestamp
        sortedBy = other.sortedBy; obs = other.obs; changed = other.changed
    }

    /// A deep copy (arrays are copy-on-write, so this is cheap until mutated).
    public func copy() -> Frame {
        let f = Frame(columns: columns)
        f.valueLabels = valueLabels; f.label = label; f.sortedBy = sortedBy; f.changed = changed; f.timestamp = timestamp
        return f
    }

    /// Index of the variable named exactly `name`.
    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// The variable named exactly `name`.
    public func column(_ name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// Appends a column; its length must equal `count` unless the frame has no variables.
    public func add(_ column: Column) {
        if columns.isEmpty && obs == 0 { obs = column.count }
        precondition(column.count == obs, "column length \(column.count) != _N \(obs)")
        columns.append(column)
        changed = true
    }

    /// Removes the variable at `index`.
    public func remove(at index: Int) {
        columns.remove(at: index)
        sortedBy.removeAll()
        changed = true
    }

    /// Sets `_N` (`set obs`): grows with missing values / empty strings, or truncates.
    public func setCount(_ n: Int) {
        for j in columns.indices {
            if columns[j].isString {
                if n > obs { columns[j].strs.append(contentsOf: repeatElement("", count: n - obs)) }
                else { columns[j].strs.removeLast(obs - n) }
            } else {
                if n > obs { columns[j].nums.append(contentsOf: repeatElement(Missing.dot, count: n - obs)) }
                else { columns[j].nums.removeLast(obs - n) }
            }
        }
        obs = n
        changed = true
    }

    /// Records `_N` after columns were grown in place (they must all have `n` values).
    func recordCount(_ n: Int) {
        precondition(columns.allSatisfy { $0.count == n }, "column lengths differ from _N \(n)")
        obs = n
    }

    /// Keeps the observations whose index is listed, in that order (used by keep/drop/sort).
    public func select(rows: [Int]) {
        for j in columns.indices {
            if columns[j].isString {
                let s = columns[j].strs
                columns[j].strs = rows.map { s[$0] }
            } else {
                columns[j].nums = columns[j].nums.withUnsafeBufferPointer { src in
                    rows.map { src[$0] }
                }
            }
        }
        obs = rows.count
        changed = true
    }
}
