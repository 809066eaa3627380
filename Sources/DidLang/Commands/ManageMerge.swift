// merge 1:1 | m:1 | 1:m varlist using file [, keep() generate() nogenerate keepusing() update
// replace nolabel noreport assert()].
//
// Both datasets' keys are coded together (ManageKeys.codes), so matching is a walk over dense
// codes: master rows in key order (stable), each paired with its using rows, then the using-only
// rows in key order at the end — the order Stata leaves after merge. The side that must be unique
// is checked before any data move (r(459)). When the using keys are unique (1:1, m:1) the walk is
// a lookup per master row, and master rows already in key order (a sorted panel) keep their
// arrays: nothing is gathered but the using variables.

import DidFrame
import Foundation

/// The merge command.
enum ManageMerge {
    static let specs = [OptionSpec("keep", .required), OptionSpec("generate", min: 3, .required), OptionSpec("nogenerate", min: 5),
                        OptionSpec("keepusing", min: 5, .required), OptionSpec("update"), OptionSpec("replace"),
                        OptionSpec("nolabel", min: 5), OptionSpec("noreport", min: 5), OptionSpec("assert", .required),
                        OptionSpec("sorted"), OptionSpec("force"), OptionSpec("nonotes")]

    /// Result codes by keep()/assert() word.
    static func codeSet(_ text: String) throws -> Set<Double> {
        var out = Set<Double>()
        for w in ManageKeys.words(text) {
            switch w {
            case "1", "master", "mas", "mast", "maste": out.insert(1)
            case "2", "using", "us", "usi", "usin": out.insert(2)
            case "3", "match", "mat", "matc": out.insert(3)
            case "4", "match_update", "match_up", "match_upd", "match_upda", "match_updat": out.insert(4)
            case "5", "match_conflict", "match_con", "match_conf", "match_confl", "match_confli", "match_conflic": out.insert(5)
            default: throw StataError(198, "\(w) invalid keyword")
            }
        }
        return out
    }

    /// merge kind varlist using file [, options]
    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        var words = ManageKeys.words(call.head)
        guard let kind = words.first, ["1:1", "m:1", "1:m", "m:m"].contains(kind) else {
            throw StataError(198, "merge requires 1:1, m:1, 1:m or m:m followed by the key variables")
        }
        if kind == "m:m" { throw StataError(198, "merge m:m is not supported; use joinby to form all pairwise combinations") }
        words.removeFirst()
        guard let file = call.using else { throw StataError(100, "using required") }
        // `merge 1:1 _n using`: a sequential merge pairs observations by position.
        let sequential = words == ["_n"]
        if sequential && kind != "1:1" { throw StataError(198, "_n may be used only with merge 1:1") }
        let keys = sequential ? [] : try s.varlist(words.joined(separator: " "))
        let master = s.frame
        let genName = o.has("nogenerate") ? nil : (o.string("generate") ?? "_merge")
        if let g = genName, master.index(of: g) != nil { throw StataError(110, "variable \(g) already defined") }
        var using = try DTAReader.read(path: FileManagePaths.dta(file, s))
        if let ku = o.string("keepusing") {
            let want = ManageKeys.words(ku)
            for w in want where using.column(w) == nil { throw StataError(111, "variable \(w) not found in using data") }
            let labels = using.valueLabels
            using = Frame(columns: using.columns.filter { keys.contains($0.name) || want.contains($0.name) })
            using.valueLabels = labels
        }
        if let g = genName, using.index(of: g) != nil { throw StataError(110, "variable \(g) already defined in using data") }
        for c in using.columns where !keys.contains(c.name) {
            if let mc = master.column(c.name), mc.isString != c.isString {
                guard o.has("force") else {
                    throw StataError(106, "variable \(c.name) is \(mc.type) in master but \(c.type) in using data")
                }
                // force: the using side's values of a clashing variable are not used.
                let labels = using.valueLabels
                using = Frame(columns: using.columns.filter { $0.name != c.name })
                using.valueLabels = labels
            }
        }
        var mIdx: [Int] = [], uIdx: [Int] = []
        var masterInOrder = false
        if sequential {
            let n = max(master.count, using.count)
            mIdx = (0..<n).map { $0 < master.count ? $0 : -1 }
            uIdx = (0..<n).map { $0 < using.count ? $0 : -1 }
            masterInOrder = true
        } else {
            masterInOrder = try pair(kind, master, using, keys, &mIdx, &uIdx)
        }
        let out = try combine(master: master, using: using, keys: keys, mIdx: mIdx, uIdx: uIdx, masterInOrder: masterInOrder,
                              update: o.has("update"), replace: o.has("replace"), nolabel: o.has("nolabel"), s: s)
        var result = out.columns
        var code = out.code
        // keep() and assert().
        if let a = o.string("assert") {
            let allowed = try codeSet(a)
            if code.contains(where: { !allowed.contains($0) }) {
                throw StataError(9, "merge: after merge, not all observations from \(a)")
            }
        }
        if let k = o.string("keep") {
            var allowed = try codeSet(k)
            // `match` covers the updated and conflicting matches too.
            if allowed.contains(3) { allowed.formUnion([4, 5]) }
            let rows = code.indices.filter { allowed.contains(code[$0]) }
            if rows.count != code.count {
                result = result.map { c in var c = c; if c.isString { c.strs = rows.map { c.strs[$0] } } else { c.nums = rows.map { c.nums[$0] } }; return c }
                code = rows.map { code[$0] }
            }
        }
        if let g = genName {
            var c = Column(name: g, type: .byte, values: code)
            c.valueLabel = g
            result.append(c)
        }
        let labels = out.labels, dataLabel = master.label
        s.frame.replaceContents(with: Frame(columns: result))
        s.frame.valueLabels = labels
        s.frame.label = dataLabel
        if let g = genName {
            s.frame.valueLabels[g] = ValueLabelSet(name: g, mapping: [1: "Master only (1)", 2: "Using only (2)", 3: "Matched (3)",
                                                                       4: "Missing updated (4)", 5: "Nonmissing conflict (5)"])
        }
        s.frame.changed = true
        s.frame.sortedBy = code.contains(2) ? [] : keys
        if !o.has("noreport") { report(code, update: o.has("update"), s) }
    }

    /// Master rows in key order, each with its using rows, then the using-only rows in key
    /// order; r(459) when the side that must be unique is not. Returns true when the master
    /// rows come out in their own order (`mIdx` starts 0, 1, …, master.count − 1).
    static func pair(_ kind: String, _ master: Frame, _ using: Frame, _ keys: [String],
                     _ mIdx: inout [Int], _ uIdx: inout [Int]) throws -> Bool {
        let (mc, uc, groups) = try ManageKeys.codes(master: master, using: using, keys: keys)
        if kind == "1:1" || kind == "1:m", hasDuplicates(mc, groups: groups) {
            throw StataError(459, "\(ManageKeys.subject(keys)) uniquely identify observations in the master data")
        }
        let ug = ManageKeys.group(uc, groups: groups)
        if kind == "1:1" || kind == "m:1", (0..<groups).contains(where: { ug.size($0) > 1 }) {
            throw StataError(459, "\(ManageKeys.subject(keys)) uniquely identify observations in the using data")
        }
        if kind != "1:m" {
            // Each master row has at most one using row: a lookup per row, no pairing walk.
            return pairUnique(mc, ug, groups: groups, &mIdx, &uIdx)
        }
        let mg = ManageKeys.group(mc, groups: groups)
        mIdx.reserveCapacity(master.count); uIdx.reserveCapacity(master.count)
        for g in 0..<groups {
            let um = ug.members(g)
            for m in mg.members(g) {
                if um.isEmpty { mIdx.append(m); uIdx.append(-1) }
                else { for u in um { mIdx.append(m); uIdx.append(u) } }
            }
        }
        for g in 0..<groups where mg.size(g) == 0 { for u in ug.members(g) { mIdx.append(-1); uIdx.append(u) } }
        return false
    }

    /// True when some code occurs twice.
    static func hasDuplicates(_ codes: [Int32], groups: Int) -> Bool {
        var seen = [Bool](repeating: false, count: groups)
        for g in codes {
            if seen[Int(g)] { return true }
            seen[Int(g)] = true
        }
        return false
    }

    /// `pair` when every key has at most one using row: master rows in key order (their own
    /// order when the codes never decrease, the usual sorted panel), each with its using row
    /// or −1, then the using-only rows in key order. Returns true when the master rows kept
    /// their own order.
    static func pairUnique(_ mc: [Int32], _ ug: ManageKeys.Groups, groups: Int, _ mIdx: inout [Int], _ uIdx: inout [Int]) -> Bool {
        var usingRow = [Int](repeating: -1, count: groups)
        for g in 0..<groups where ug.size(g) == 1 { usingRow[g] = ug.rows[ug.start[g]] }
        let nm = mc.count
        let inOrder = zip(mc, mc.dropFirst()).allSatisfy { $0 <= $1 }
        let order = inOrder ? Array(0..<nm) : ManageKeys.group(mc, groups: groups).rows
        var used = [Bool](repeating: false, count: groups)
        var uOut = [Int](repeating: -1, count: nm)
        order.withUnsafeBufferPointer { op in
            mc.withUnsafeBufferPointer { cp in
                for i in 0..<nm {
                    let g = Int(cp[op[i]])
                    uOut[i] = usingRow[g]
                    used[g] = true
                }
            }
        }
        mIdx = order
        uIdx = uOut
        for g in 0..<groups where !used[g] && usingRow[g] >= 0 { mIdx.append(-1); uIdx.append(usingRow[g]) }
        return inOrder
    }

    /// Gathers master and using columns into the merged layout; returns the `_merge` codes.
    static func combine(master: Frame, using: Frame, keys: [String], mIdx: [Int], uIdx: [Int], masterInOrder: Bool = false,
                        update: Bool, replace: Bool, nolabel: Bool, s: Session)
        throws -> (columns: [Column], code: [Double], labels: [String: ValueLabelSet]) {
        let n = mIdx.count
        var code = (0..<n).map { r -> Double in mIdx[r] < 0 ? 2 : (uIdx[r] < 0 ? 1 : 3) }
        // Columns that come from one side only are gathered together (in parallel); master
        // rows in their own order are copied whole and padded instead.
        let masterOnly = master.columns.filter { using.index(of: $0.name) == nil }
        var taken: [String: Column] = [:]
        let moved = masterInOrder ? masterOnly.map { padded($0, to: n) } : Frame.gather(masterOnly, mIdx)
        for c in moved { taken[c.name] = c }
        var cols: [Column] = []
        for mcol in master.columns {
            guard let ucol = using.column(mcol.name) else { cols.append(taken[mcol.name]!); continue }
            var c = masterInOrder ? takeInOrder(mcol, ucol, uIdx) : ManageKeys.take(mcol, mIdx, ucol, uIdx)
            if c.type != mcol.type {
                s.line("(variable \(mcol.name) was \(mcol.type), now \(c.type) to accommodate using data's values)")
            }
            if update && !keys.contains(mcol.name) {
                for r in 0..<n where mIdx[r] >= 0 && uIdx[r] >= 0 {
                    let u = uIdx[r]
                    let mMiss = ManageKeys.isMissing(c, r), uMiss = ManageKeys.isMissing(ucol, u)
                    if uMiss { continue }
                    let same = c.isString ? c.strs[r] == ucol.strs[u] : c.nums[r] == c.type.store(ucol.nums[u])
                    if mMiss {
                        if c.isString { c.strs[r] = ucol.strs[u] } else { c.nums[r] = c.type.store(ucol.nums[u]) }
                        if code[r] == 3 { code[r] = 4 }
                    } else if !same {
                        code[r] = 5
                        if replace { if c.isString { c.strs[r] = ucol.strs[u] } else { c.nums[r] = c.type.store(ucol.nums[u]) } }
                    }
                }
            }
            cols.append(c)
        }
        for var c in Frame.gather(using.columns.filter { master.index(of: $0.name) == nil }, uIdx) {
            if nolabel { c.valueLabel = nil }
            cols.append(c)
        }
        var labels = master.valueLabels
        if !nolabel {
            for (k, v) in using.valueLabels.sorted(by: { $0.key < $1.key }) {
                if labels[k] == nil { labels[k] = v } else { s.line("(label \(k) already defined)") }
            }
        }
        return (cols, code, labels)
    }

    /// `c` followed by missing values (or "") up to `n` observations.
    static func padded(_ c: Column, to n: Int) -> Column {
        var out = c
        let extra = n - c.count
        if extra > 0 {
            if c.isString { out.strs.append(contentsOf: repeatElement("", count: extra)) }
            else { out.nums.append(contentsOf: repeatElement(Missing.dot, count: extra)) }
        }
        return out
    }

    /// ManageKeys.take(a, mIdx, b, uIdx) when the master rows come first in their own order:
    /// the master's values whole, then the using-only rows' values from `b`.
    static func takeInOrder(_ a: Column, _ b: Column, _ uIdx: [Int]) -> Column {
        let nm = a.count
        var out = ManageKeys.take(a, [], b, [])              // the type and format that hold both sides
        out.strs = a.strs; out.nums = a.nums
        guard uIdx.count > nm else { return out }            // no using-only rows: the master's array as is
        let tail = ManageKeys.take(b, Array(uIdx[nm...]))   // both sides are string or both numeric here
        if out.isString { out.strs += tail.strs } else { out.nums += tail.nums.map(out.type.store) }
        return out
    }

    /// Stata's merge table (after keep()).
    static func report(_ code: [Double], update: Bool, _ s: Session) {
        var n = [Int](repeating: 0, count: 6)
        for c in code { n[Int(c)] += 1 }
        func row(_ label: String, _ k: Int, _ tag: String?) {
            let num = DataCommands.fmtInt(k)
            let pad = max(1, 45 - label.count - num.count)
            s.line(label + String(repeating: " ", count: pad) + num + (tag.map { "  (\($0))" } ?? ""))
        }
        s.line()
        s.line("    Result                      Number of obs")
        s.line("    " + String(repeating: "-", count: 41))
        row("    Not matched", n[1] + n[2], nil)
        if n[1] + n[2] > 0 {
            row("        from master", n[1], "_merge==1")
            row("        from using", n[2], "_merge==2")
            s.line()
        }
        if update {
            row("    Matched", n[3] + n[4] + n[5], nil)
            row("        not updated", n[3], "_merge==3")
            row("        missing updated", n[4], "_merge==4")
            row("        nonmissing conflict", n[5], "_merge==5")
        } else {
            row("    Matched", n[3], "_merge==3")
        }
        s.line("    " + String(repeating: "-", count: 41))
    }
}

/// File-name helpers shared by merge, append and joinby.
enum FileManagePaths {
    /// `.dta` added when the name has no extension, resolved against the working directory.
    static func dta(_ p: String, _ s: Session) -> String { FileCommands.dtaPath(p, s) }
}
