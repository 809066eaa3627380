// One variable of a dataset: a name, a storage type and its values.
//
// Numeric values live in `nums` (Double, Stata missing encoding) and strings in `strs`; exactly
// one of the two has `count` elements, the other is empty. Keeping both as plain arrays lets
// callers mutate in place (`frame.columns[j].nums[i] = v`) without copying.

/// A dataset variable.
public struct Column: Sendable {
    /// Variable name.
    public var name: String
    /// Storage type; decides which of `nums`/`strs` holds the data.
    public var type: StorageType
    /// Numeric values (empty for string columns).
    public var nums: [Double]
    /// String values (empty for numeric columns).
    public var strs: [String]
    /// Variable label (`label variable`).
    public var label: String = ""
    /// Display format (`%9.0g`, `%td`, `%-12s`).
    public var format: String
    /// Name of the value label attached (`label values`), if any.
    public var valueLabel: String? = nil
    /// Variable notes / characteristics are not modelled.

    /// A numeric column.
    public init(name: String, type: StorageType = .double, values: [Double]) {
        precondition(type.isNumeric)
        self.name = name
        self.type = type
        self.nums = type == .float ? values.map { type.store($0) } : values
        self.strs = []
        self.format = type.defaultFormat
    }

    /// A string column; the type defaults to the narrowest `str#` that holds every value.
    public init(name: String, strings: [String], type: StorageType? = nil) {
        self.name = name
        let width = strings.reduce(1) { max($0, $1.utf8.count) }
        self.type = type ?? (width > 2045 ? .strL : .str(width))
        self.nums = []
        self.strs = strings
        self.format = self.type.defaultFormat
    }

    /// Number of observations.
    public var count: Int { type.isString ? strs.count : nums.count }

    /// True for string columns.
    public var isString: Bool { type.isString }

    /// Widens a `str#` type to hold `s` when needed (Stata promotes on `replace`).
    public mutating func widen(toHold s: String) {
        if case .str(let n) = type {
            let w = s.utf8.count
            if w > n { type = w > 2045 ? .strL : .str(w); format = type.defaultFormat }
        }
    }
}
