// The statement tree of a script. Only block structure is parsed ahead of time; the text of each
// command is kept raw, because Stata expands macros in a line just before running it (a loop body
// is re-expanded on every pass).

import DidFrame

/// A node of the statement tree.
public indirect enum Stmt: Sendable {
    /// An ordinary command line (prefixes included), expanded and parsed when run.
    case command(RawStatement)
    /// `foreach name in|of kind list {` body `}`; `header` is the text after `foreach`.
    case foreach(header: String, body: [Stmt], at: RawStatement)
    /// `forvalues name = range {` body `}`.
    case forvalues(header: String, body: [Stmt], at: RawStatement)
    /// `while exp {` body `}`.
    case whileLoop(condition: String, body: [Stmt], at: RawStatement)
    /// `if exp {` … `} else if exp {` … `} else {` … `}`; a nil condition is the final `else`.
    case ifChain(branches: [(condition: String?, body: [Stmt])], at: RawStatement)
    /// `quietly {`, `noisily {`, `capture {` (and combinations) around a block; `prefix` is the
    /// prefix words as written.
    case prefixedBlock(prefix: String, body: [Stmt], at: RawStatement)
    /// `program [define] name [, options]` … `end`.
    case program(name: String, options: String, body: [Stmt], at: RawStatement)
}
