// Whole-frame edits the language layer builds commands on: names, rename, append.

extension Frame {
    /// Variable names in dataset order.
    public var variableNames: [String] { columns.map(\.name) }

    /// Renames a variable (`rename old new`): r(111) if `old` is unknown, r(110) if `new`
    /// exists, r(198) if `new` is not a valid name.
    public func rename(_ old: String, to new: String) throws {
        guard let j = index(of: old) else { throw StataError.varNotFound(old) }
        if old == new { return }
        guard StataName.isValid(new) else { throw StataError(198, "\(new) invalid name") }
        if index(of: new) != nil { throw StataError.alreadyDefined(new) }
        columns[j].name = new
        sortedBy = sortedBy.map { $0 == old ? new : $0 }
        changed = true
    }

    /// Appends the observations of `other` (`append using`): variables are matched by name,
    /// types promoted to hold both (StorageType.promoted), variables present on one side only
    /// are missing ("" for strings) on the other. String vs numeric is r(106). The master's
    /// labels, formats and value-label definitions win; new ones are taken from `other`.
    public func append(_ other: Frame) throws {
        for oc in other.columns {
            if let c = column(oc.name), StorageType.promoted(c.type, oc.type) == nil {
                let (a, b) = (c.isString ? "str" : "numeric", oc.isString ? "str" : "numeric")
                throw StataError(106, "variable \(oc.name) is \(a) in master but \(b) in using data")
            }
        }
        let n0 = count, n1 = other.count
        for j in columns.indices {
            if let oc = other.column(columns[j].name) {
                let t = StorageType.promoted(columns[j].type, oc.type)!
                if t != columns[j].type {
                    let keepFormat = columns[j].format != columns[j].type.defaultFormat
                    columns[j].type = t
                    if !keepFormat { columns[j].format = t.defaultFormat }
                }
                if t.isString { columns[j].strs.append(contentsOf: oc.strs) }
                else { columns[j].nums.append(contentsOf: t == .float ? oc.nums.map { t.store($0) } : oc.nums) }
            } else if columns[j].isString {
                columns[j].strs.append(contentsOf: repeatElement("", count: n1))
            } else {
                columns[j].nums.append(contentsOf: repeatElement(Missing.dot, count: n1))
            }
        }
        for oc in other.columns where index(of: oc.name) == nil {
            var c = oc
            if c.isString { c.strs = Array(repeating: "", count: n0) + oc.strs }
            else { c.nums = Array(repeating: Missing.dot, count: n0) + oc.nums }
            columns.append(c)
        }
        for (k, v) in other.valueLabels where valueLabels[k] == nil { valueLabels[k] = v }
        recordCount(n0 + n1)
        sortedBy = []
        changed = true
    }
}
