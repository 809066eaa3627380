// Bridges to pieces other modules are still delivering: number formatting (Expr's
// DisplayFormat) and sorting (Frame's sortPermutation). Callers in DidLang use these names so the
// switch is one file.

import DidFrame
import Foundation

/// Display formatting used by commands (Expr's DisplayFormat).
enum Fmt {
    static func format(_ x: Double, _ fmt: String) throws -> String { try DisplayFormat.format(x, fmt) }
    static func format(_ s: String, _ fmt: String) throws -> String { try DisplayFormat.format(s, fmt) }
}

extension Session {
    /// Stable order of observations by `names` (abbreviations allowed; missing last, strings
    /// bytewise) — DidFrame's sort after resolving the names.
    public func sortPermutation(by names: [String], descending: [Bool]? = nil) throws -> [Int] {
        let full = try names.map { frame.columns[try resolveVariable($0)].name }
        return try frame.sortPermutation(by: full, descending: descending)
    }

    /// Sorts the dataset by `names` and records it.
    public func sortData(by names: [String]) throws {
        let full = try names.map { frame.columns[try resolveVariable($0)].name }
        if frame.sortedBy.starts(with: full) { return }
        // Frame.sort checks in one pass whether the data are already in order (a freshly
        // imported panel) and then moves nothing; otherwise it gathers the columns in parallel.
        try frame.sort(by: full)
    }
}

/// CSV reading/writing through DidFrame's reader and writer.
enum CSVBridge {
    static func read(path: String, options: CSVOptions) throws -> Frame {
        try CSVReader.read(path: path, options: options)
    }
    static func write(_ frame: Frame, to path: String, delimiter: UInt8, header: Bool, replace: Bool, useDisplayFormat: Bool) throws {
        try CSVWriter.write(frame, to: path, delimiter: delimiter, header: header, replace: replace, useDisplayFormat: useDisplayFormat, valueLabels: true)
    }
}
