// append using file1 [file2 …] [, generate() keep() force nolabel] and
// joinby varlist using file [, unmatched() _merge()].
//
// append leans on Frame.append (type promotion, one-sided variables); this layer adds Stata's
// notes, `force` for string/numeric clashes and the source indicator. joinby pairs every master
// row with every using row of the same key (an inner join by default), in key order.

import DidFrame
import Foundation

/// append and joinby.
enum ManageAppend {
    static let appendSpecs = [OptionSpec("generate", min: 3, .required), OptionSpec("keep", .required), OptionSpec("force"),
                              OptionSpec("nolabel", min: 5), OptionSpec("nonotes")]

    /// append using file1 [file2 …] [, options]
    static func append(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: appendSpecs)
        guard let files = call.using else { throw StataError(100, "using required") }
        guard call.head.isEmpty else { throw StataError(198, "invalid syntax") }
        let paths = splitFiles(files).map { FileManagePaths.dta($0, s) }
        guard !paths.isEmpty else { throw StataError(198, "invalid file specification") }
        let gen = o.string("generate")
        if let g = gen { try s.checkNewName(g) }
        // Read everything first so a bad file leaves the data untouched.
        var loaded: [Frame] = []
        for p in paths {
            var f = try DTAReader.read(path: p)
            if let k = o.string("keep") {
                let want = ManageKeys.words(k)
                f = Frame(columns: f.columns.filter { c in want.contains { w in c.name == w || Session.wildcardMatch(w, c.name) } })
            }
            loaded.append(f)
        }
        let result = s.frame.copy()
        var source = [Double](repeating: 0, count: result.count)
        for (k, var f) in loaded.enumerated() {
            for c in f.columns {
                guard let mc = result.column(c.name) else { continue }
                if mc.isString != c.isString {
                    guard o.has("force") else {
                        throw StataError(106, "variable \(c.name) is \(mc.type) in master but \(c.type) in using data")
                    }
                    f = Frame(columns: f.columns.filter { $0.name != c.name })
                    s.line("(variable \(c.name) is \(mc.type) in master but \(c.type) in using data; using data ignored)")
                } else if let t = StorageType.promoted(mc.type, c.type), t != mc.type {
                    s.line("(variable \(c.name) was \(mc.type), now \(t) to accommodate using data's values)")
                }
            }
            if o.has("nolabel") { f.valueLabels = [:] ; for j in f.columns.indices { f.columns[j].valueLabel = nil } }
            for k in f.valueLabels.keys.sorted() where result.valueLabels[k] != nil { s.line("(label \(k) already defined)") }
            if result.width == 0 && result.count == 0 { result.replaceContents(with: f) } else { try result.append(f) }
            source += repeatElement(Double(k + 1), count: f.count)
        }
        if let g = gen { result.add(Column(name: g, type: .byte, values: source)) }
        result.sortedBy = []
        result.changed = true
        s.frame.replaceContents(with: result)
    }

    /// File names separated by spaces, honouring double quotes.
    static func splitFiles(_ text: String) -> [String] {
        var out: [String] = [], cur = "", inQ = false
        for ch in text {
            if ch == "\"" { inQ.toggle(); continue }
            if (ch == " " || ch == "\t") && !inQ { if !cur.isEmpty { out.append(cur); cur = "" }; continue }
            cur.append(ch)
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static let joinbySpecs = [OptionSpec("unmatched", min: 5, .required), OptionSpec("_merge", .required), OptionSpec("update"),
                              OptionSpec("replace"), OptionSpec("nolabel", min: 5)]

    /// joinby varlist using file [, unmatched(none|both|master|using) _merge(name)]
    static func joinby(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: joinbySpecs)
        guard let file = call.using else { throw StataError(100, "using required") }
        let keys = try s.varlist(call.head)
        let unmatched = o.string("unmatched") ?? "none"
        guard ["none", "both", "master", "using"].contains(unmatched) else { throw StataError(198, "unmatched(\(unmatched)) invalid") }
        let mergeName = unmatched == "none" ? nil : (o.string("_merge") ?? "_merge")
        if let g = mergeName, s.frame.index(of: g) != nil { throw StataError(110, "variable \(g) already defined") }
        let using = try DTAReader.read(path: FileManagePaths.dta(file, s))
        let master = s.frame
        let (mc, uc, groups) = try ManageKeys.codes(master: master, using: using, keys: keys)
        let mg = ManageKeys.group(mc, groups: groups), ug = ManageKeys.group(uc, groups: groups)
        var mIdx: [Int] = [], uIdx: [Int] = []
        for g in 0..<groups {
            let um = ug.members(g), mm = mg.members(g)
            if um.isEmpty { if unmatched == "both" || unmatched == "master" { for m in mm { mIdx.append(m); uIdx.append(-1) } }; continue }
            if mm.isEmpty { if unmatched == "both" || unmatched == "using" { for u in um { mIdx.append(-1); uIdx.append(u) } }; continue }
            for m in mm { for u in um { mIdx.append(m); uIdx.append(u) } }
        }
        let out = try ManageMerge.combine(master: master, using: using, keys: keys, mIdx: mIdx, uIdx: uIdx,
                                          update: o.has("update"), replace: o.has("replace"), nolabel: o.has("nolabel"), s: s)
        var cols = out.columns
        if let g = mergeName { cols.append(Column(name: g, type: .byte, values: out.code)) }
        let labels = out.labels, dataLabel = master.label
        s.frame.replaceContents(with: Frame(columns: cols))
        s.frame.valueLabels = labels
        s.frame.label = dataLabel
        s.frame.changed = true
        s.frame.sortedBy = []
    }
}
