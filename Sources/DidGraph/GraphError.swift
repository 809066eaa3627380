// The one error type of DidGraph. DidGraph sits beside DidFrame, not above it, so it cannot throw
// StataError itself; it carries the Stata return code for the language layer to wrap.

/// A failure to build or write a graph, with the Stata return code the language layer should use.
public struct GraphError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable {
        /// The file name has no extension DidGraph can write (Stata: r(198)).
        case unknownFormat
        /// The file cannot be created or replaced (Stata: r(603)).
        case cannotWrite
        /// The file exists and replacing was not allowed (Stata: r(602)).
        case fileExists
        /// Bad data or options (Stata: r(198)).
        case invalidInput
        /// No usable observations (Stata: r(2000)).
        case noObservations
        /// Too few observations for the statistic (Stata: r(2001)).
        case insufficientObservations
        /// Cairo itself failed (reported as r(603) when writing, else r(198)).
        case cairo
    }

    /// The failure's kind.
    public var kind: Kind
    /// A message in Stata's words where Stata has words for it.
    public var message: String

    /// An error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }

    /// The Stata return code for this failure.
    public var stataCode: Int {
        switch kind {
        case .unknownFormat, .invalidInput: return 198
        case .cannotWrite, .cairo: return 603
        case .fileExists: return 602
        case .noObservations: return 2000
        case .insufficientObservations: return 2001
        }
    }

    /// The message.
    public var description: String { message }
}
