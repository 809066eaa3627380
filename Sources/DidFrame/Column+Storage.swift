// Storage-type rules for assigning values (`replace`), changing types (`recast`) and combining
// types (`append`), as Stata applies them.

extension StorageType {
    /// Rank of the numeric types in Stata's promotion order byte < int < long < float < double.
    var numericRank: Int {
        switch self { case .byte: return 0; case .int: return 1; case .long: return 2; case .float: return 3; default: return 4 }
    }

    /// The type that holds values of both types (`append`): integers widen to the larger; an
    /// integer with float gives float unless it is long (float holds only 24-bit integers), which
    /// gives double; strings widen to the longer, strL absorbing everything. Nil when one is a
    /// string and the other a number.
    public static func promoted(_ a: StorageType, _ b: StorageType) -> StorageType? {
        switch (a, b) {
        case (.strL, _) where b.isString, (_, .strL) where a.isString: return .strL
        case (.str(let m), .str(let n)): return .str(max(m, n))
        default:
            guard a.isNumeric && b.isNumeric else { return nil }
            if (a == .long && b == .float) || (a == .float && b == .long) { return .double }
            return a.numericRank >= b.numericRank ? a : b
        }
    }

    /// True when this numeric type stores `x` unchanged.
    public func holds(_ x: Double) -> Bool {
        if Missing.isMissing(x) { return true }
        switch self {
        case .float: return Double(Float(x)) == x || !x.isFinite
        case .double: return true
        case .str, .strL: return false
        default: return x == x.rounded() && integerRange!.contains(x)
        }
    }
}

extension Column {
    /// Stores `x` in observation `i` as `replace` does: with `promote` (the default) an integer
    /// column that cannot hold `x` is widened (to the smallest integer type for whole numbers,
    /// else float, or double from long); a float column rounds to single precision. Without
    /// `promote` (`nopromote`) the value is forced into the type: integers truncate toward zero
    /// and anything out of range becomes `.`. Returns the value actually stored.
    @discardableResult
    public mutating func storeValue(_ x: Double, at i: Int, promote: Bool = true) -> Double {
        precondition(type.isNumeric, "storeValue on a string column")
        let x = Missing.isMissing(x) && (x.isNaN || x.isInfinite) ? Missing.dot : x
        if !type.holds(x) && type.integerRange != nil {
            if promote {
                let target: StorageType
                if x == x.rounded() {
                    target = [StorageType.int, .long].first { $0.numericRank > type.numericRank && $0.holds(x) } ?? .double
                } else {
                    target = type == .long ? .double : .float
                }
                type = target
                format = target.defaultFormat
            } else {
                let t = x.rounded(.towardZero)
                nums[i] = type.integerRange!.contains(t) ? t : Missing.dot
                return nums[i]
            }
        }
        nums[i] = type.store(x)
        return nums[i]
    }

    /// Changes the storage type (`recast`). Between numeric types every value must survive
    /// unchanged unless `force` (then values are stored as the new type stores them, out of
    /// range becoming `.`); r(109) when some would change, or between string and numeric.
    /// A str# target must hold every string (strL always does).
    public mutating func recast(to newType: StorageType, force: Bool = false) throws {
        if newType == type { return }
        if newType.isString != type.isString { throw StataError.typeMismatch() }
        if newType.isString {
            if case .str(let n) = newType {
                let changed = strs.filter { $0.utf8.count > n }.count
                if changed > 0 {
                    guard force else { throw StataError(109, "\(name): \(changed) values would be changed; not changed") }
                    strs = strs.map { s in s.utf8.count <= n ? s : String(decoding: Array(s.utf8.prefix(n)), as: UTF8.self) }
                }
            }
        } else {
            let changed = nums.filter { !newType.holds($0) }.count
            if changed > 0 {
                guard force else { throw StataError(109, "\(name): \(changed) values would be changed; not changed") }
                nums = nums.map { x in
                    if newType.holds(x) { return x }
                    if let r = newType.integerRange { let t = x.rounded(.towardZero); return r.contains(t) ? t : Missing.dot }
                    return Double(Float(x)).isFinite ? Double(Float(x)) : Missing.dot
                }
            }
        }
        type = newType
        format = newType.defaultFormat
    }
}
