// compress [varlist]
//
// Demotes storage types where no value changes, as [D] compress lists: double to long, int,
// byte or float; float to int or byte; long to int or byte; int to byte; str# to the longest
// string actually held. A demotion is made only when it saves bytes (float to long would not),
// values are never altered, and display formats stay as they were. Each change is reported as
// "variable x was double now byte", followed by the total bytes saved.

import DidFrame
import Foundation

/// The compress command.
enum Compress {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("compress", options: [OptionSpec("nocoalesce", min: 5)]) { call, s in try run(call, s) })
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        guard call.ifExp == nil, call.inRange == nil, call.weight == nil else { throw StataError(101, "if, in and weights not allowed") }
        let vars = call.head.isEmpty ? s.frame.columns.map(\.name) : try s.varlist(call.head)
        var saved = 0
        // Numeric variables are reported first, then strings (as auto.dta's make, its first
        // variable, comes last in Stata's report).
        let ordered = vars.filter { s.frame.column($0)?.isString == false } + vars.filter { s.frame.column($0)?.isString == true }
        for v in ordered {
            let j = try s.resolveVariable(v)
            let c = s.frame.columns[j]
            guard let target = smallerType(c), target != c.type else { continue }
            var changed = c
            try changed.recast(to: target)
            changed.format = c.format
            s.frame.columns[j] = changed
            saved += (bytes(c.type) - bytes(target)) * s.frame.count
            s.line("  variable \(c.name) was \(c.type) now \(target)")
        }
        s.line("  (\(DataCommands.fmtInt(saved)) byte\(saved == 1 ? "" : "s") saved)")
        if saved > 0 { s.frame.changed = true }
    }

    /// The smallest type that holds every value of `c` unchanged and uses fewer bytes, or nil.
    static func smallerType(_ c: Column) -> StorageType? {
        switch c.type {
        case .str(let n):
            let longest = c.strs.reduce(1) { max($0, $1.utf8.count) }
            return longest < n ? .str(longest) : nil
        case .strL, .byte:
            // strL coalescing is a memory layout matter without an equivalent here.
            return nil
        default:
            let best = StorageType.smallestHolding(c.nums)
            return bytes(best) < bytes(c.type) ? best : nil
        }
    }

    /// Bytes one observation of a type takes (Stata's data types table).
    static func bytes(_ t: StorageType) -> Int {
        switch t {
        case .byte: return 1
        case .int: return 2
        case .long, .float: return 4
        case .double: return 8
        case .str(let n): return n
        case .strL: return 8
        }
    }
}
