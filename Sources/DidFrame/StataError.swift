// The one user-facing error type. Every layer that can fail on user input throws it with a Stata
// return code; the language layer adds the source position before it is shown.

/// A user-facing error with a Stata return code (`r(198)` invalid syntax, `r(111)` not found, …).
public struct StataError: Error, CustomStringConvertible, Sendable {
    /// The return code, as `_rc` and `r(#)` show it.
    public var code: Int
    /// What went wrong, in Stata's words where Stata has words for it.
    public var message: String
    /// Where in the source it happened (filled in by the interpreter).
    public var location: SourceLocation?

    /// An error with return code `code` and Stata's message text.
    public init(_ code: Int, _ message: String, at location: SourceLocation? = nil) {
        self.code = code; self.message = message; self.location = location
    }

    /// The message followed by `r(#);`, as Stata prints it.
    public var description: String { "\(message)\nr(\(code));" }

    // Common errors, named as Stata names them.
    /// r(198) invalid syntax.
    public static func syntax(_ m: String = "invalid syntax") -> StataError { StataError(198, m) }
    /// r(111) variable not found.
    public static func varNotFound(_ name: String) -> StataError { StataError(111, "variable \(name) not found") }
    /// r(110) variable already defined.
    public static func alreadyDefined(_ name: String) -> StataError { StataError(110, "variable \(name) already defined") }
    /// r(109) type mismatch.
    public static func typeMismatch() -> StataError { StataError(109, "type mismatch") }
    /// r(601) file not found.
    public static func fileNotFound(_ path: String) -> StataError { StataError(601, "file \(path) not found") }
    /// r(602) file already exists.
    public static func fileExists(_ path: String) -> StataError { StataError(602, "file \(path) already exists") }
    /// r(2000) no observations.
    public static func noObservations() -> StataError { StataError(2000, "no observations") }
}

/// A position in a source file, 1-based, with the text of its line for the caret display.
public struct SourceLocation: Sendable, Equatable {
    /// Script path (or a name such as `<stdin>`).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// The text of the line, for the caret display.
    public var lineText: String
    /// A location.
    public init(file: String, line: Int, column: Int, lineText: String) {
        self.file = file; self.line = line; self.column = column; self.lineText = lineText
    }
}
