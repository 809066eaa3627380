// Data-management commands (merge, append, collapse, reshape, labels, …), registered here, plus
// the small ones: preserve/restore, isid, expand, fillin.

import DidFrame
import Foundation

/// Registration of the data-management family and its smallest commands.
enum ManageCommands {
    /// Where `preserve` keeps the `xtset` in force (Session keeps only the frame): a session
    /// setting holding "panel<TAB>time<TAB>delta".
    static let preservedTimeKey = "_preserve_xtset"

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("preserve", minAbbreviation: 4, options: [OptionSpec("changed")]) { call, s in
            guard call.head.isEmpty else { throw StataError(198, "invalid syntax") }
            if s.preserved != nil { throw StataError(621, "already preserved") }
            s.preserved = s.frame.copy()
            s.settings[preservedTimeKey] = s.timeSettings.map { "\($0.panel ?? "")\t\($0.time)\t\($0.delta)" }
        })
        r.register(ClosureCommand("restore", minAbbreviation: 3, options: [OptionSpec("not"), OptionSpec("preserve")]) { call, s in
            try restore(call, s)
        })
        r.register(ClosureCommand("isid", options: [OptionSpec("sort"), OptionSpec("missok")]) { call, s in try isid(call, s) })
        r.register(ClosureCommand("expand", options: [OptionSpec("generate", min: 1, .required)], splitsEquals: false) { call, s in
            try expand(call, s)
        })
        r.register(ClosureCommand("fillin") { call, s in try fillin(call, s) })
        r.register(ClosureCommand("merge", minAbbreviation: 2, options: ManageMerge.specs) { call, s in try ManageMerge.run(call, s) })
        r.register(ClosureCommand("append", minAbbreviation: 2, options: ManageAppend.appendSpecs) { call, s in
            try ManageAppend.append(call, s)
        })
        r.register(ClosureCommand("joinby", options: ManageAppend.joinbySpecs) { call, s in try ManageAppend.joinby(call, s) })
        r.register(ClosureCommand("collapse", options: ManageCollapse.specs) { call, s in try ManageCollapse.run(call, s) })
        r.register(ClosureCommand("reshape", options: ManageReshape.specs) { call, s in try ManageReshape.run(call, s) })
        ManageLabel.register(in: r)
        ManageRecode.register(in: r)
        ManageConvert.register(in: r)
        ManageDuplicates.register(in: r)
        ManageFiles.register(in: r)
        ManageCorrelate.register(in: r)
        ManageLog.register(in: r)
    }

    /// restore [, not preserve]
    static func restore(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: [OptionSpec("not"), OptionSpec("preserve")])
        guard let saved = s.preserved else { throw StataError(622, "nothing to restore") }
        if o.has("not") { s.preserved = nil; s.settings[preservedTimeKey] = nil; return }
        s.frame.replaceContents(with: saved)
        // xtset belongs to the dataset in Stata (characteristics), so it comes back too.
        let parts = (s.settings[preservedTimeKey] ?? "").split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        s.timeSettings = parts.count == 3 ? TimeSettings(panel: parts[0].isEmpty ? nil : parts[0], time: parts[1], delta: Double(parts[2]) ?? 1) : nil
        if o.has("preserve") { s.preserved = saved.copy() } else { s.preserved = nil; s.settings[preservedTimeKey] = nil }
    }

    /// isid varlist [, sort missok]
    static func isid(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: [OptionSpec("sort"), OptionSpec("missok")])
        let vars = try s.varlist(call.head)
        if !o.has("missok") {
            for v in vars {
                let c = s.frame.column(v)!
                if (0..<s.frame.count).contains(where: { ManageKeys.isMissing(c, $0) }) {
                    throw StataError(459, "variable \(v) should never be missing")
                }
            }
        }
        let (_, g) = try s.frame.groupCodes(by: vars)
        if g != s.frame.count {
            throw StataError(459, "\(ManageKeys.subject(vars)) uniquely identify the observations")
        }
        if o.has("sort") { try s.sortData(by: vars) }
    }

    /// expand [=]exp [if] [in] [, generate(newvar)]: copies go to the end of the data.
    static func expand(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: [OptionSpec("generate", min: 1, .required)])
        var text = call.head
        if text.hasPrefix("=") { text.removeFirst() }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw StataError(198, "invalid syntax") }
        if let g = o.string("generate") { try s.checkNewName(g) }
        let rows = try s.sampleRows(call)
        guard case .numbers(let k) = try Evaluator.evaluate(try ExprParser.parse(text), in: s, rows: s.rowSet(rows)) else {
            throw StataError.typeMismatch()
        }
        var added = 0.0
        for x in k where !Missing.isMissing(x) && x >= 2 { added += x.rounded(.towardZero) - 1 }
        guard Double(s.frame.count) + added <= 2_147_483_647 else { throw StataError(901, "no room to add more observations") }
        var extra: [Int] = []
        extra.reserveCapacity(Int(added))
        for (p, r) in rows.enumerated() where !Missing.isMissing(k[p]) && k[p] >= 2 {
            let copies = Int(min(k[p], 2_147_483_620).rounded(.towardZero)) - 1
            extra.append(contentsOf: repeatElement(r, count: copies))
        }
        let n = s.frame.count
        if let g = o.string("generate") {
            s.frame.add(Column(name: g, type: .byte, values: [Double](repeating: 0, count: n)))
        }
        s.frame.select(rows: Array(0..<n) + extra)
        if let g = o.string("generate"), let j = s.frame.index(of: g) {
            for i in n..<s.frame.count { s.frame.columns[j].nums[i] = 1 }
        }
        s.frame.sortedBy = []
        s.line("(\(DataCommands.fmtInt(extra.count)) observation\(extra.count == 1 ? "" : "s") created)")
    }

    /// fillin varlist: adds the missing combinations, `_fillin` = 1 on them; sorted by varlist.
    static func fillin(_ call: CommandCall, _ s: Session) throws {
        guard call.options.isEmpty else { throw StataError(198, "options not allowed") }
        let vars = try s.varlist(call.head)
        guard vars.count >= 2 else { throw StataError(102, "too few variables specified") }
        if s.frame.index(of: "_fillin") != nil { throw StataError(110, "variable _fillin already defined") }
        let f = s.frame
        // Distinct values of each variable (first row of each), in sort order.
        var levels: [[Int]] = [], perVar: [[Int32]] = []
        for v in vars {
            let (codes, g) = try f.groupCodes(by: [v])
            var firstRow = [Int](repeating: -1, count: g)
            for (r, c) in codes.enumerated() where firstRow[Int(c)] < 0 { firstRow[Int(c)] = r }
            levels.append(firstRow); perVar.append(codes)
        }
        let total = levels.reduce(1) { $0 * $1.count }
        guard total <= 2_000_000_000 else { throw StataError(901, "no room to add more observations") }
        var present = [Bool](repeating: false, count: total)
        for r in 0..<f.count {
            var k = 0
            for (q, codes) in perVar.enumerated() { k = k * levels[q].count + Int(codes[r]) }
            present[k] = true
        }
        let missingCombos = (0..<total).filter { !present[$0] }
        let n = f.count
        f.add(Column(name: "_fillin", type: .byte, values: [Double](repeating: 0, count: n)))
        // New rows copy row 0 for shape, then get their key values; other variables are missing.
        f.select(rows: Array(0..<n) + repeatElement(0, count: missingCombos.count))
        for j in f.columns.indices {
            let name = f.columns[j].name
            let q = vars.firstIndex(of: name)
            for (p, combo) in missingCombos.enumerated() {
                let i = n + p
                if let q {
                    var rest = combo
                    for qq in stride(from: vars.count - 1, to: q, by: -1) { rest /= levels[qq].count }
                    let src = levels[q][rest % levels[q].count]
                    if f.columns[j].isString { f.columns[j].strs[i] = f.columns[j].strs[src] } else { f.columns[j].nums[i] = f.columns[j].nums[src] }
                } else if name == "_fillin" {
                    f.columns[j].nums[i] = 1
                } else if f.columns[j].isString { f.columns[j].strs[i] = "" } else { f.columns[j].nums[i] = Missing.dot }
            }
        }
        f.sortedBy = []
        try f.sort(by: vars)
    }
}
