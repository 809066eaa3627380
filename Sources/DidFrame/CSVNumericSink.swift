import Foundation

// First pass of `import delimited`: every column is parsed as numbers into a malloc'd buffer of
// doubles, while recording what Stata needs to pick its storage type (all integers? range?).
// A column that meets non-numeric text is marked as a string column and its numbers are
// abandoned; the second pass (StringColumnsSink) collects the text of those columns only.
//
// All columns share one row capacity so a field store needs no bounds check; buffers grow by
// realloc (which remaps large blocks instead of copying). Dimension naming: `rows` = rows parsed,
// `cap` = rows each buffer can hold, `ncols` = columns seen so far.

/// Per-column state of the numeric pass.
struct CSVColumnStats {
    var vals: UnsafeMutablePointer<Double>
    var isString: Bool
    var forcedNumeric: Bool
    var allInt = true
    var anyValue = false
    var lo = 0.0
    var hi = 0.0

    /// Stata's storage type for a numeric column with these statistics: the smallest of
    /// byte/int/long holding an integer column (double beyond), float for other numbers unless
    /// `asDouble` or a magnitude beyond float's range, byte when the column is all missing.
    func storageType(asDouble: Bool) -> StorageType {
        if !anyValue { return .byte }
        if allInt {
            return [StorageType.byte, .int, .long].first { $0.integerRange!.contains(lo) && $0.integerRange!.contains(hi) } ?? .double
        }
        return asDouble || !fitsFloat ? .double : .float
    }

    /// True when no value's magnitude exceeds float's largest (~3.4e38).
    var fitsFloat: Bool { max(abs(lo), abs(hi)) <= Double(Float.greatestFiniteMagnitude) }

    /// Folds another chunk's statistics of the same column into this one (not the values).
    mutating func merge(_ o: CSVColumnStats) {
        isString = isString || o.isString
        if o.anyValue {
            lo = anyValue ? min(lo, o.lo) : o.lo
            hi = anyValue ? max(hi, o.hi) : o.hi
            allInt = allInt && o.allInt
            anyValue = true
        }
    }
}

/// The numeric pass over one chunk of rows.
struct CSVNumericSink: CSVFieldSink {
    var cols: UnsafeMutablePointer<CSVColumnStats>
    var ncols = 0
    var colCap: Int
    var rows = 0
    var cap: Int
    let maxRows: Int
    let stringColumns: Set<Int>
    let numericColumns: Set<Int>
    let tables = DecimalTables.shared
    /// Stata/MP's limit on variables; a wider row stops the scan (r(900) for the caller).
    static let maxColumns = 120_000
    var tooWide = false
    /// True when the buffers belong to someone else (CSVPlacedLoad's column arrays): they are
    /// neither grown nor freed, and a row or column beyond them stops the scan instead.
    let placed: Bool
    /// A placed sink met more rows or columns than it was given room for.
    var overflow = false

    init(expectedRows: Int, expectedCols: Int, maxRows: Int, options: CSVOptions) {
        cap = max(16, expectedRows)
        colCap = max(4, expectedCols)
        cols = .allocate(capacity: colCap)
        self.maxRows = maxRows
        stringColumns = options.stringColumns
        numericColumns = options.numericColumns
        placed = false
    }

    /// A sink writing `rows` rows of `ncols` columns into `bases[j] + offset`.
    init(placedAt bases: UnsafePointer<UnsafeMutablePointer<Double>>, offset: Int, rows: Int, ncols: Int, options: CSVOptions) {
        // One more than the rows counted, so the last counted row does not trigger grow().
        cap = rows + 1
        colCap = ncols
        cols = .allocate(capacity: ncols)
        maxRows = Int.max
        stringColumns = options.stringColumns
        numericColumns = options.numericColumns
        placed = true
        for j in 0..<ncols {
            (cols + j).initialize(to: CSVColumnStats(vals: bases[j] + offset, isString: stringColumns.contains(j + 1),
                                                     forcedNumeric: numericColumns.contains(j + 1)))
        }
        self.ncols = ncols
    }

    /// Frees every buffer still owned (values already moved out are nil'ed by `takeValues`).
    func release() {
        if !placed { for j in 0..<ncols { free(cols[j].vals) } }
        cols.deallocate()
    }

    /// Adds columns up to index `col`, missing for the rows already parsed.
    @inline(never)
    mutating func addColumns(through col: Int) {
        if placed { overflow = true; return }
        if col >= colCap {
            let newCap = max(col + 1, colCap * 2)
            let n = UnsafeMutablePointer<CSVColumnStats>.allocate(capacity: newCap)
            n.moveInitialize(from: cols, count: ncols)
            cols.deallocate()
            cols = n; colCap = newCap
        }
        while ncols <= col {
            let v = malloc(cap * MemoryLayout<Double>.stride)!.assumingMemoryBound(to: Double.self)
            Self.preferHugePages(v, bytes: cap * MemoryLayout<Double>.stride)
            v.update(repeating: Missing.dot, count: rows)
            let number = ncols + 1   // options count columns from 1
            (cols + ncols).initialize(to: CSVColumnStats(vals: v, isString: stringColumns.contains(number),
                                                         forcedNumeric: numericColumns.contains(number)))
            ncols += 1
        }
    }

    /// Asks for transparent huge pages on a large buffer: one fault per 2 MB instead of per
    /// 4 KB, and far fewer TLB misses across the nine or so output streams.
    static func preferHugePages(_ p: UnsafeMutableRawPointer, bytes: Int) {
        let huge = 2 << 20
        guard bytes >= 2 * huge, getenv("NOTHP") == nil else { return }
        let start = (Int(bitPattern: p) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: p) + bytes) & ~(huge - 1)
        if end > start { madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
    }

    @inline(never)
    mutating func grow() {
        if placed { overflow = true; return }
        cap = cap + cap / 2 + 16
        for j in 0..<ncols {
            cols[j].vals = realloc(cols[j].vals, cap * MemoryLayout<Double>.stride)!.assumingMemoryBound(to: Double.self)
            Self.preferHugePages(cols[j].vals, bytes: cap * MemoryLayout<Double>.stride)
        }
    }

    @inline(__always)
    mutating func field(_ col: Int, _ p: UnsafePointer<UInt8>, _ len: Int, quoted: Bool, escaped: Bool) {
        if col >= ncols {
            if col >= Self.maxColumns { tooWide = true; return }
            addColumns(through: col)
            if col >= ncols { return }
        }
        let c = cols + col
        if c.pointee.isString { return }
        let parsed = escaped ? ParsedField.text : DecimalParser.parse(p, len, tables)
        switch parsed {
        case .number(let x):
            store(c, x)
        case .missing(let x):
            c.pointee.vals[rows] = x
        case .text:
            if c.pointee.forcedNumeric { c.pointee.vals[rows] = Missing.dot } else { c.pointee.isString = true }
        }
    }

    /// Parses a number directly from the scan position; only fields that are not a plain
    /// number followed by the delimiter/newline take the general path.
    @inline(__always)
    mutating func unquotedField(_ col: Int, _ s: CSVScanner, _ start: Int) -> Int {
        if col >= ncols && col < Self.maxColumns { addColumns(through: col) }
        let c = cols + col
        if col < ncols && !c.pointee.isString {
            let (parsed, used) = DecimalParser.numberPrefix(s.base + start, s.end - start, tables)
            if case .number(let x) = parsed {
                var e = start + used
                if e < s.end && s.base[e] == 0x0D && (e + 1 == s.end || s.base[e + 1] == 0x0A) { e += 1 }
                if e == s.end || s.base[e] == s.delim || s.base[e] == 0x0A {
                    store(c, x)
                    return e
                }
            }
        }
        var q = start
        while q < s.end { let b = s.base[q]; if b == s.delim || b == 0x0A { break }; q += 1 }
        var fe = q
        if fe > start && s.base[fe - 1] == 0x0D { fe -= 1 }
        field(col, s.base + start, fe - start, quoted: false, escaped: false)
        return q
    }

    @inline(__always)
    mutating func store(_ c: UnsafeMutablePointer<CSVColumnStats>, _ x: Double) {
        c.pointee.vals[rows] = x
        if c.pointee.anyValue {
            if x < c.pointee.lo { c.pointee.lo = x }
            if x > c.pointee.hi { c.pointee.hi = x }
        } else {
            c.pointee.anyValue = true; c.pointee.lo = x; c.pointee.hi = x
        }
        // Whole-number test without libm's trunc (not inlined below SSE4.1): every double of
        // magnitude 2^53 or more is whole; below that the Int64 conversion is exact.
        if c.pointee.allInt && abs(x) < 9.0e15 && Double(Int64(x)) != x { c.pointee.allInt = false }
    }

    @inline(__always)
    mutating func endRow(_ fields: Int) -> Bool {
        var j = fields
        while j < ncols { cols[j].vals[rows] = Missing.dot; j += 1 }
        rows += 1
        if rows == cap { grow() }
        return rows < maxRows && !tooWide && !overflow
    }
}
