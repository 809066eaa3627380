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

    public init(_ code: Int, _ message: String, at location: SourceLocation? = nil) {
        self.code = code; self.message = message; self.location = location
    }

    public var description: String { "\(message)\nr(\(code));" }

    // Common errors, named as Stata names them.
    public static func syntax(_ m: String = "invalid syntax") -> StataError { StataError(198, m) }
    public static func varNotFound(_ name: String) -> StataError { StataError(111, "variable \(name) not found") }
    public static func alreadyDefined(_ name: String) -> StataError { StataError(110, "variable \(name) already defined") }
    public static func typeMismatch() -> StataError { StataError(109, "type mismatch") }
    public static func fileNotFound(_ path: String) -> StataError { StataError(601, "file \(path) not found") }
    public static func fileExists(_ path: String) -> StataError { StataError(602, "file \(path) already exists") }
    public static func noObservations() -> StataError { StataError(2000, "no observations") }
}

/// A position in a source file, 1-based, with the text of its line for the caret display.
public struct SourceLocation: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var lineText: String
    public init(file: String, line: Int, column: Int, lineText: String) {
        self.file = file; self.line = line; self.column = column; self.lineText = lineText
    }
}
