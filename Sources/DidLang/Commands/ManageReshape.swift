// reshape long stubs, i(varlist) j(name) [string] | reshape wide stubs, i(varlist) j(var) [string]
// and the bare `reshape long` / `reshape wide` that reverse the last reshape.
//
// Both directions first code i (radix group codes, in sort order) so the work is index
// arithmetic: long has one row per (i, j) in i-then-j order; wide has one row per i and one
// column per (j, stub). What the last reshape did is kept where Stata keeps it (the dataset's
// characteristics — here session settings `ReS_*`) so a bare reshape can undo it.

import DidFrame
import Foundation

/// The reshape command.
enum ManageReshape {
    static let specs = [OptionSpec("i", .required), OptionSpec("j", .required), OptionSpec("string", min: 3), OptionSpec("atwl", .required)]

    /// reshape long|wide [stubs] [, i() j() string]
    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        var words = ManageKeys.words(call.head)
        guard let dir = words.first, dir == "long" || dir == "wide" else {
            throw StataError(198, "reshape \(words.first ?? ""): use reshape long or reshape wide")
        }
        words.removeFirst()
        var stubs = words, iText = o.string("i"), jName = o.string("j"), isString = o.has("string")
        if stubs.isEmpty && iText == nil {
            // Bare reshape: reverse what was done last.
            guard let i = s.settings["ReS_i"], let j = s.settings["ReS_j"], let x = s.settings["ReS_Xij"] else {
                throw StataError(111, "no reshape information; specify stubs, i() and j()")
            }
            stubs = ManageKeys.words(x); iText = i; jName = j; isString = s.settings["ReS_str"] == "1"
        }
        guard let iT = iText else { throw StataError(198, "option i() required") }
        guard !stubs.isEmpty else { throw StataError(198, "variable stubs required") }
        let ivars = try s.varlist(iT)
        if let j = jName, ivars.contains(j) { throw StataError(198, "variable \(j) may not be in both i() and j()") }
        for st in stubs where ivars.contains(stubName(st)) { throw StataError(198, "variable \(stubName(st)) may not be both an i() variable and a stub") }
        // j(name [values]): the value list only restricts, so the name is the first word.
        jName = jName.flatMap { ManageKeys.words($0).first }
        if dir == "long" {
            let j = jName ?? "_j"
            guard StataName.isValid(j) else { throw StataError(198, "\(j) invalid name") }
            try toLong(stubs: stubs, ivars: ivars, j: j, isString: isString, s)
            remember(ivars, j, stubs, isString, s)
        } else {
            // Without j(), the j of the last reshape, else `_j` (what reshape long names it).
            let j = jName ?? s.settings["ReS_j"] ?? "_j"
            let jv = try s.varlist(j)[0]
            if s.frame.column(jv)!.isString && !isString {
                throw StataError(109, "variable \(jv) is string; specify string option")
            }
            try toWide(stubs: stubs, ivars: ivars, j: jv, s)
            remember(ivars, j, stubs, isString, s)
        }
    }

    static func remember(_ i: [String], _ j: String, _ stubs: [String], _ str: Bool, _ s: Session) {
        s.settings["ReS_i"] = i.joined(separator: " "); s.settings["ReS_j"] = j
        s.settings["ReS_Xij"] = stubs.joined(separator: " "); s.settings["ReS_str"] = str ? "1" : "0"
    }

    /// Variable name for stub and j value (`@` marks where j goes).
    static func wideName(_ stub: String, _ j: String) -> String {
        stub.contains("@") ? stub.replacingOccurrences(of: "@", with: j) : stub + j
    }

    /// The j text of `name` for `stub`, if `name` is one of its wide variables.
    static func suffix(of name: String, stub: String, numeric: Bool) -> String? {
        let parts = stub.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let pre = parts[0], post = parts.count > 1 ? parts[1] : ""
        guard name.count > pre.count + post.count, name.hasPrefix(pre), name.hasSuffix(post) else { return nil }
        let j = String(name.dropFirst(pre.count).dropLast(post.count))
        if numeric {
            let digits = j.hasPrefix("-") ? j.dropFirst() : Substring(j)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        return j
    }

    // MARK: wide -> long

    static func toLong(stubs: [String], ivars: [String], j: String, isString: Bool, _ s: Session) throws {
        let f = s.frame
        if f.index(of: j) != nil { throw StataError(110, "variable \(j) already defined") }
        // xij variables per stub and the j values.
        var byStub: [[String: Int]] = [], jSet = Set<String>()
        for st in stubs {
            var m: [String: Int] = [:]
            for (k, c) in f.columns.enumerated() where !ivars.contains(c.name) {
                if let sfx = suffix(of: c.name, stub: st, numeric: !isString) { m[sfx] = k; jSet.insert(sfx) }
            }
            guard !m.isEmpty else { throw StataError(111, "variable \(wideName(st, isString ? "" : "#")) not found") }
            byStub.append(m)
        }
        let jValues = isString ? jSet.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                               : jSet.sorted { Double($0)! < Double($1)! }
        let (codes, ng) = try f.groupCodes(by: ivars)
        guard ng == f.count else {
            throw StataError(9, "\(ManageKeys.subject(ivars)) uniquely identify the observations")
        }
        // Row order: by i, then j.
        var order = [Int](repeating: 0, count: f.count)
        for (r, c) in codes.enumerated() { order[Int(c)] = r }
        let nj = jValues.count, nOut = f.count * nj
        var src = [Int](repeating: 0, count: nOut)
        for (k, r) in order.enumerated() { for q in 0..<nj { src[k * nj + q] = r } }
        let xijIndex = Set(byStub.flatMap(\.values))
        var cols: [Column] = []
        for v in ivars { cols.append(ManageKeys.take(f.column(v)!, src)) }
        if isString {
            cols.append(Column(name: j, strings: (0..<nOut).map { jValues[$0 % nj] }))
        } else {
            let jv = jValues.map { Double($0)! }
            cols.append(Column(name: j, type: StorageType.smallestHolding(jv),
                               values: (0..<nOut).map { jv[$0 % nj] }))
        }
        var emitted = Set<Int>()
        for (k, c) in f.columns.enumerated() where !ivars.contains(c.name) {
            if xijIndex.contains(k) {
                guard let t = byStub.firstIndex(where: { $0.values.contains(k) }), emitted.insert(t).inserted else { continue }
                cols.append(try stubColumn(stubs[t], byStub[t], jValues, src: src, nj: nj, f))
            } else {
                cols.append(ManageKeys.take(c, src))
            }
        }
        let n0 = f.count, k0 = f.width
        let wideLists = stubs.indices.map { t in jValues.compactMap { byStub[t][$0].map { f.columns[$0].name } } }
        // `f` is the session's frame itself: read everything needed before replacing it.
        let labels = f.valueLabels, label = f.label
        s.frame.replaceContents(with: Frame(columns: cols))
        ManageKeys.dropStaleTimeSettings(s)
        s.frame.valueLabels = labels; s.frame.label = label
        s.frame.sortedBy = ivars + [j]; s.frame.changed = true
        summary(from: "wide", to: "long", jValues: jValues, nFrom: n0, nTo: nOut, kFrom: k0, kTo: cols.count,
                jLeft: "", jRight: j, xij: stubs.indices.map { (wideLists[$0].joined(separator: " "), stubName(stubs[$0])) }, s)
    }

    static func stubName(_ st: String) -> String { st.replacingOccurrences(of: "@", with: "") }

    /// The long variable of one stub: values of stub+j for each output row (missing when absent).
    static func stubColumn(_ stub: String, _ m: [String: Int], _ jValues: [String], src: [Int], nj: Int, _ f: Frame) throws -> Column {
        let members = jValues.compactMap { m[$0].map { f.columns[$0] } }
        var type = members[0].type
        for c in members.dropFirst() {
            guard let t = StorageType.promoted(type, c.type) else { throw StataError(106, "variable \(c.name) type mismatch with other \(stub) variables") }
            type = t
        }
        let byJ = jValues.map { m[$0].map { f.columns[$0] } }
        var out: Column
        if type.isString {
            out = Column(name: stubName(stub), strings: (0..<src.count).map { byJ[$0 % nj]?.strs[src[$0]] ?? "" }, type: type)
        } else {
            out = Column(name: stubName(stub), type: type, values: (0..<src.count).map { byJ[$0 % nj]?.nums[src[$0]] ?? Missing.dot })
        }
        out.valueLabel = members[0].valueLabel
        return out
    }

    // MARK: long -> wide

    static func toWide(stubs: [String], ivars: [String], j: String, _ s: Session) throws {
        let f = s.frame
        guard let jc = f.column(j) else { throw StataError.varNotFound(j) }
        let stubCols = try stubs.map { st -> Column in
            guard let c = f.column(stubName(st)) else { throw StataError.varNotFound(stubName(st)) }
            return c
        }
        let (ic, ni) = try f.groupCodes(by: ivars)
        let (jcodes, nj) = try f.groupCodes(by: [j])
        // j values as text, in sort order.
        var jText = [String](repeating: "", count: nj), named = [Bool](repeating: false, count: nj)
        for r in 0..<f.count where !named[Int(jcodes[r])] {
            named[Int(jcodes[r])] = true
            jText[Int(jcodes[r])] = jc.isString ? jc.strs[r] : ManageKeys.num(jc.nums[r])
        }
        if !jc.isString, let bad = (0..<f.count).first(where: { Missing.isMissing(jc.nums[$0]) }) {
            _ = bad; throw StataError(498, "variable \(j) contains missing values")
        }
        var cell = [Int](repeating: -1, count: ni * nj)
        for r in 0..<f.count {
            let k = Int(ic[r]) * nj + Int(jcodes[r])
            if cell[k] >= 0 { throw StataError(9, "values of variable \(j) not unique within \(ivars.joined(separator: " "))") }
            cell[k] = r
        }
        // Other variables must be constant within i.
        let used = Set(ivars + [j] + stubCols.map(\.name))
        let others = f.columns.filter { !used.contains($0.name) }
        let first = ManageKeys.group(ic, groups: ni)
        for c in others {
            for g in 0..<ni {
                let m = first.members(g), r0 = m.first!
                for r in m.dropFirst() where c.isString ? c.strs[r] != c.strs[r0] : c.nums[r].bitPattern != c.nums[r0].bitPattern {
                    throw StataError(9, "variable \(c.name) not constant within \(ivars.joined(separator: " "))")
                }
            }
        }
        let firstRow = (0..<ni).map { first.rows[first.start[$0]] }
        var cols: [Column] = ivars.map { ManageKeys.take(f.column($0)!, firstRow) }
        for q in 0..<nj {
            for (t, st) in stubs.enumerated() {
                let name = wideName(st, jText[q])
                guard StataName.isValid(name) else { throw StataError(198, "\(name) invalid variable name") }
                var c = ManageKeys.take(stubCols[t], (0..<ni).map { cell[$0 * nj + q] })
                c.name = name
                c.label = "\(jText[q]) \(stubCols[t].label.isEmpty ? stubName(st) : stubCols[t].label)"
                cols.append(c)
            }
        }
        for c in others { cols.append(ManageKeys.take(c, firstRow)) }
        var seen = Set<String>()
        for c in cols where !seen.insert(c.name).inserted { throw StataError(110, "variable \(c.name) already defined") }
        let n0 = f.count, k0 = f.width
        let labels = f.valueLabels, label = f.label
        s.frame.replaceContents(with: Frame(columns: cols))
        ManageKeys.dropStaleTimeSettings(s)
        s.frame.valueLabels = labels; s.frame.label = label
        s.frame.sortedBy = ivars; s.frame.changed = true
        summary(from: "long", to: "wide", jValues: jText, nFrom: n0, nTo: ni, kFrom: k0, kTo: cols.count,
                jLeft: j, jRight: "(dropped)",
                xij: stubs.map { st in (stubName(st), jText.map { wideName(st, $0) }.joined(separator: " ")) }, s)
    }

    // MARK: display

    /// Stata's reshape summary block.
    static func summary(from: String, to: String, jValues: [String], nFrom: Int, nTo: Int, kFrom: Int, kTo: Int,
                        jLeft: String, jRight: String, xij: [(String, String)], _ s: Session) {
        func pad(_ t: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - t.count)) + t }
        func left(_ label: String, _ value: String) -> String { label + pad(value, 39 - label.count) }
        s.line("(note: j = \(jValues.joined(separator: " ")))")
        s.line()
        s.line(left("Data", from) + "   ->   " + to)
        s.line(String(repeating: "-", count: 77))
        s.line(left("Number of obs.", String(nFrom)) + "   ->" + pad(String(nTo), 8))
        s.line(left("Number of variables", String(kFrom)) + "   ->" + pad(String(kTo), 8))
        s.line(left("j variable (\(jValues.count) values)", jLeft) + "   ->   " + jRight)
        s.line("xij variables:")
        for (a, b) in xij {
            let l = a.count > 38 ? abbreviateList(a) : a
            s.line(pad(l, 39) + "   ->   " + (b.count > 38 ? abbreviateList(b) : b))
        }
        s.line(String(repeating: "-", count: 77))
    }

    /// A long list shown as "first second ... last".
    static func abbreviateList(_ t: String) -> String {
        let w = ManageKeys.words(t)
        guard w.count > 3 else { return t }
        return "\(w[0]) \(w[1]) ... \(w[w.count - 1])"
    }
}
