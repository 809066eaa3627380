// duplicates report | drop | tag | list [varlist] [if] [in] [, generate() force]
//
// Observations are grouped by the variables (all variables when none are given) with radix
// group codes; a group of k observations has k copies and k − 1 surplus observations.

import DidFrame
import Foundation

/// The duplicates command.
enum ManageDuplicates {
    static let specs = [OptionSpec("generate", min: 1, .required), OptionSpec("force")]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("duplicates", minAbbreviation: 3, options: specs) { call, s in try run(call, s) })
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        var words = ManageKeys.words(call.head)
        guard let sub = words.first else { throw StataError(198, "invalid syntax") }
        words.removeFirst()
        let given = !words.isEmpty
        let vars = given ? try s.varlist(words.joined(separator: " ")) : s.frame.variableNames
        guard !vars.isEmpty else { throw StataError(2000, "no variables") }
        let rows = try s.sampleRows(call)
        let (codes, ng) = try s.frame.groupCodes(by: vars, rows: rows)
        var size = [Int](repeating: 0, count: ng)
        for c in codes { size[Int(c)] += 1 }
        s.line()
        s.line("Duplicates in terms of \(given ? vars.joined(separator: " ") : "all variables")")
        s.line()
        switch sub {
        case "report", "r", "re", "rep", "repo", "repor":
            report(size, s)
        case "tag":
            guard let g = o.string("generate") else { throw StataError(198, "generate() required") }
            try s.checkNewName(g)
            var v = [Double](repeating: 0, count: s.frame.count)
            for (k, r) in rows.enumerated() { v[r] = Double(size[Int(codes[k])] - 1) }
            s.frame.add(Column(name: g, type: StorageType.smallestHolding(v) == .byte ? .byte : .int, values: v))
        case "drop":
            if given && !o.has("force") { throw StataError(198, "force option required with duplicates drop varlist") }
            var seen = [Bool](repeating: false, count: ng)
            var dropRow = [Bool](repeating: false, count: s.frame.count)
            var n = 0
            for (k, r) in rows.enumerated() {
                let c = Int(codes[k])
                if seen[c] { dropRow[r] = true; n += 1 } else { seen[c] = true }
            }
            if n == 0 { s.line("(0 observations are duplicates)"); return }
            let sorted = s.frame.sortedBy
            s.frame.select(rows: (0..<s.frame.count).filter { !dropRow[$0] })
            s.frame.sortedBy = sorted
            s.line("(\(DataCommands.fmtInt(n)) observation\(n == 1 ? "" : "s") deleted)")
        case "list", "l", "li", "lis":
            for (k, r) in rows.enumerated() where size[Int(codes[k])] > 1 {
                s.line("  group \(codes[k] + 1): obs \(r + 1)")
            }
        default:
            throw StataError(198, "duplicates \(sub) invalid")
        }
    }

    /// The Copies / Observations / Surplus table; r(N) and r(unique_value).
    static func report(_ size: [Int], _ s: Session) {
        var byCopies: [Int: Int] = [:]
        for k in size { byCopies[k, default: 0] += 1 }
        func pad(_ t: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - t.count)) + t }
        let rule = String(repeating: "-", count: 38)
        s.line(rule)
        s.line("   Copies | Observations       Surplus")
        s.line("----------+" + String(repeating: "-", count: 27))
        for (k, groups) in byCopies.sorted(by: { $0.key < $1.key }) {
            s.line(pad(String(k), 9) + " |" + pad(DataCommands.fmtInt(k * groups), 13) + pad(DataCommands.fmtInt((k - 1) * groups), 14))
        }
        s.line(rule)
        s.rResults = StoredResults()
        s.rResults.set("N", Double(size.reduce(0, +)))
        s.rResults.set("unique_value", Double(size.count))
    }
}
