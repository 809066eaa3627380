// Options of `import delimited`, as the CSV back end understands them.

/// How `CSVReader` reads a delimited text file.
public struct CSVOptions: Sendable {
    /// Text encodings understood for string fields.
    public enum Encoding: Sendable { case utf8, latin1 }

    /// Field separator byte; nil detects comma, tab or semicolon from the first line (`delimiters()`).
    public var delimiter: UInt8?
    /// 1-based row holding the variable names (`varnames(#)`); nil means none (`varnames(nonames)`)
    /// and variables are called v1, v2, …. Rows before it are skipped.
    public var varnamesRow: Int?
    /// Lowercase names taken from the header (`case(lower)`, Stata's default); false = `case(preserve)`.
    public var lowercaseNames: Bool
    /// Store non-integer numeric columns as double (`asdouble`) instead of float (`set type float`).
    public var asDouble: Bool
    /// 1-based column numbers always imported as strings (`stringcols()`).
    public var stringColumns: Set<Int>
    /// 1-based column numbers always imported as numbers, non-numeric text becoming `.` (`numericcols()`).
    public var numericColumns: Set<Int>
    /// Encoding of the file's text (`encoding()`).
    public var encoding: Encoding
    /// 1-based data rows to load (`rowrange()`), counted after the names row; nil loads all.
    public var rowRange: ClosedRange<Int>?
    /// Worker threads for large files (1 disables parallel parsing).
    public var threads: Int

    /// Defaults as `import delimited filename` uses them.
    public init(delimiter: UInt8? = nil, varnamesRow: Int? = 1, lowercaseNames: Bool = true, asDouble: Bool = false,
                stringColumns: Set<Int> = [], numericColumns: Set<Int> = [], encoding: Encoding = .utf8,
                rowRange: ClosedRange<Int>? = nil, threads: Int = 2) {
        self.delimiter = delimiter; self.varnamesRow = varnamesRow; self.lowercaseNames = lowercaseNames
        self.asDouble = asDouble; self.stringColumns = stringColumns; self.numericColumns = numericColumns
        self.encoding = encoding; self.rowRange = rowRange; self.threads = threads
    }
}
