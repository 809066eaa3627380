// use, save, import delimited, export delimited.

import DidFrame
import Foundation

enum FileCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("use", options: [OptionSpec("clear"), OptionSpec("nolabel")]) { call, s in try use(call, s) })
        r.register(ClosureCommand("save", minAbbreviation: 2, options: [OptionSpec("replace"), OptionSpec("version", min: 1, .required), OptionSpec("nolabel"), OptionSpec("emptyok")]) { call, s in
            try save(call, s, version: nil)
        })
        r.register(ClosureCommand("saveold", options: [OptionSpec("replace"), OptionSpec("version", min: 1, .required), OptionSpec("nolabel")]) { call, s in
            try save(call, s, version: 117)
        })
        r.register(ClosureCommand("import", minAbbreviation: 3) { call, s in try importCommand(call, s) })
        r.register(ClosureCommand("insheet") { call, s in try importCommand(call, s, forceDelimited: true) })
        r.register(ClosureCommand("export", minAbbreviation: 3) { call, s in try exportCommand(call, s) })
        r.register(ClosureCommand("outsheet") { call, s in try exportCommand(call, s, forceDelimited: true) })
    }

    static func checkURL(_ p: String) throws {
        if p.hasPrefix("http://") || p.hasPrefix("https://") {
            throw StataError(631, "could not open \(p): this machine has no network access; download the file and `use` its local path")
        }
    }

    /// Adds `.dta` when the name has no extension.
    static func dtaPath(_ p: String, _ s: Session) -> String {
        var path = CommandCall.unquote(p)
        if (path as NSString).pathExtension.isEmpty { path += ".dta" }
        return s.resolvePath(path)
    }

    /// use filename [, clear] | use varlist [if] [in] using filename [, clear]
    static func use(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: [OptionSpec("clear"), OptionSpec("nolabel")])
        let file = call.using ?? call.head
        guard !file.isEmpty else { throw StataError(198, "invalid file specification") }
        try checkURL(CommandCall.unquote(file))
        if s.frame.changed && s.frame.width > 0 && !o.has("clear") {
            throw StataError(4, "no; dataset in memory has changed since last saved")
        }
        let path = dtaPath(file, s)
        let loaded = try DTAReader.read(path: path)
        s.frame.replaceContents(with: loaded)
        s.frame.changed = false
        s.timeSettings = nil
        if call.using != nil {
            if !call.head.isEmpty {
                let keep = Set(try s.varlist(call.head))
                for name in s.frame.columns.map(\.name).reversed() where !keep.contains(name) {
                    s.frame.remove(at: s.frame.index(of: name)!)
                }
            }
            if call.ifExp != nil || call.inRange != nil {
                var sub = call
                sub.head = ""
                let rows = try s.sampleRows(sub)
                s.frame.select(rows: rows)
            }
            s.frame.changed = false
        }
        s.currentDataFile = path
    }

    static func save(_ call: CommandCall, _ s: Session, version: Int?) throws {
        let o = try Options(call.options, specs: [OptionSpec("replace"), OptionSpec("version", min: 1, .required), OptionSpec("nolabel"), OptionSpec("emptyok")])
        var file = call.head
        if file.isEmpty {
            guard let p = s.currentDataFile else { throw StataError(198, "invalid file specification") }
            file = p
        }
        let path = dtaPath(file, s)
        var v = version ?? 118
        if let vs = o.string("version"), let n = Int(vs) {
            let map = [11: 114, 12: 115, 13: 117, 14: 118, 15: 118, 16: 118, 17: 118, 18: 118, 19: 118]
            v = map[n] ?? n
        }
        if !o.has("replace") && FileManager.default.fileExists(atPath: path) { throw StataError.fileExists(path) }
        try DTAWriter.write(s.frame, to: path, version: v, replace: o.has("replace"))
        s.frame.changed = false
        s.currentDataFile = path
        s.line("file \(path) saved")
    }

    static let importSpecs = [OptionSpec("clear"), OptionSpec("delimiters", min: 5, .required), OptionSpec("varnames", .required),
                              OptionSpec("asdouble"), OptionSpec("asfloat"), OptionSpec("case", .required), OptionSpec("encoding", .required),
                              OptionSpec("stringcols", .required), OptionSpec("numericcols", .required), OptionSpec("bindquotes", .required),
                              OptionSpec("rowrange", .required), OptionSpec("colrange", .required), OptionSpec("names"), OptionSpec("tab"), OptionSpec("comma")]

    /// import delimited [using] filename [, options]
    static func importCommand(_ call: CommandCall, _ s: Session, forceDelimited: Bool = false) throws {
        var head = call.head
        if !forceDelimited {
            let kind = BlockParser.firstWord(head)
            if kind == "spss" || kind == "sas" {
                try importForeign(call, s, kind: kind, head: String(head.dropFirst(kind.count)).trimmingCharacters(in: .whitespaces))
                return
            }
            guard ["delimited", "delim", "delimit", "delimi", "delimite"].contains(kind) else {
                throw StataError(198, "import \(kind): supported are import delimited, import spss and import sas")
            }
            head = String(head.dropFirst(kind.count)).trimmingCharacters(in: .whitespaces)
        }
        let file = call.using ?? head
        guard !file.isEmpty else { throw StataError(198, "invalid file specification") }
        try checkURL(CommandCall.unquote(file))
        let o = try Options(call.options, specs: importSpecs)
        if s.frame.changed && s.frame.width > 0 && !o.has("clear") {
            throw StataError(4, "no; dataset in memory has changed since last saved")
        }
        var path = s.resolvePath(file)
        if !FileManager.default.fileExists(atPath: path) && (path as NSString).pathExtension.isEmpty { path += ".csv" }
        var opts = CSVOptions()
        if let d = o.string("delimiters") {
            let t = CommandCall.unquote(d)
            opts.delimiter = t == "\\t" || t == "tab" ? 9 : t.utf8.first
        }
        if o.has("tab") { opts.delimiter = 9 }
        if o.has("comma") { opts.delimiter = 44 }
        if let v = o.string("varnames") { opts.varnamesRow = v == "nonames" ? nil : Int(v) ?? 1 }
        opts.asDouble = o.has("asdouble")
        if let c = o.string("case") { opts.lowercaseNames = !(c.hasPrefix("pre") || c.hasPrefix("up")) }
        if let e = o.string("encoding"), e.lowercased().contains("latin") || e.contains("1252") || e.contains("8859") { opts.encoding = .latin1 }
        if let sc = o.string("stringcols") { opts.stringColumns = Set(try columnList(sc)) }
        if let nc = o.string("numericcols") { opts.numericColumns = Set(try columnList(nc)) }
        if let rr = o.string("rowrange") {
            let parts = rr.split(separator: ":", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2 else { throw StataError(198, "rowrange() invalid") }
            opts.rowRange = (parts[0] ?? 1)...(parts[1] ?? Int.max)
        }
        let loaded = try CSVBridge.read(path: path, options: opts)
        s.frame.replaceContents(with: loaded)
        s.frame.changed = false
        s.timeSettings = nil
        s.currentDataFile = nil   // not a Stata dataset: describe says "Contains data"
        s.line("(encoding automatically selected: UTF-8)")
        s.line("(\(s.frame.width) var\(s.frame.width == 1 ? "" : "s"), \(DataCommands.fmtInt(s.frame.count)) obs)")
    }

    /// import spss [varlist using] file [, clear]  |  import sas [varlist using] file [, clear]
    static func importForeign(_ call: CommandCall, _ s: Session, kind: String, head: String) throws {
        let o = try Options(call.options, specs: [OptionSpec("clear"), OptionSpec("encoding", .required), OptionSpec("bcat", .required)])
        let file = call.using ?? head
        guard !file.isEmpty else { throw StataError(198, "invalid file specification") }
        try checkURL(CommandCall.unquote(file))
        if s.frame.changed && s.frame.width > 0 && !o.has("clear") {
            throw StataError(4, "no; dataset in memory has changed since last saved")
        }
        let path = s.resolvePath(file)
        var format = ForeignReader.Kind(path: path) ?? (kind == "spss" ? .spss : .sas)
        if kind == "spss" && format != .spss && format != .spssPortable { format = .spss }
        if kind == "sas" && format != .sas && format != .sasTransport { format = .sas }
        let wanted = call.using != nil && !head.isEmpty ? head.split(separator: " ").map(String.init) : nil
        let loaded = try ForeignReader.read(path: path, kind: format, variables: wanted)
        s.frame.replaceContents(with: loaded)
        s.frame.changed = false
        s.timeSettings = nil
        s.currentDataFile = nil
        s.line("(\(s.frame.width) var\(s.frame.width == 1 ? "" : "s"), \(DataCommands.fmtInt(s.frame.count)) obs)")
    }

    /// Column numbers for stringcols()/numericcols(): a numlist, or `_all`.
    static func columnList(_ text: String) throws -> [Int] {
        if text.trimmingCharacters(in: .whitespaces) == "_all" { return Array(1...10_000) }
        return try Numlist.expand(text).map { Int($0) }
    }

    /// export delimited [varlist] using filename [, replace delimiter() novarnames]
    static func exportCommand(_ call: CommandCall, _ s: Session, forceDelimited: Bool = false) throws {
        var head = call.head
        if !forceDelimited {
            let kind = BlockParser.firstWord(head)
            guard kind.hasPrefix("delim") else { throw StataError(198, "export \(kind): only `export delimited` is supported") }
            head = String(head.dropFirst(kind.count)).trimmingCharacters(in: .whitespaces)
        }
        let o = try Options(call.options, specs: [OptionSpec("replace"), OptionSpec("delimiter", min: 5, .required), OptionSpec("novarnames"), OptionSpec("nolabel"), OptionSpec("datafmt"), OptionSpec("quote")])
        var file = call.using ?? ""
        var vars: [String]? = nil
        if call.using == nil { file = head } else if !head.isEmpty { vars = try s.varlist(head) }
        guard !file.isEmpty else { throw StataError(198, "invalid file specification") }
        var path = s.resolvePath(file)
        if (path as NSString).pathExtension.isEmpty { path += ".csv" }
        let out: Frame
        if let v = vars {
            out = Frame(columns: v.map { s.frame.column($0)! })
        } else { out = s.frame }
        var delim: UInt8 = 44
        if let d = o.string("delimiter") { let t = CommandCall.unquote(d); delim = t == "tab" || t == "\\t" ? 9 : (t.utf8.first ?? 44) }
        if !o.has("replace") && FileManager.default.fileExists(atPath: path) { throw StataError.fileExists(path) }
        try CSVBridge.write(out, to: path, delimiter: delim, header: !o.has("novarnames"), replace: o.has("replace"), useDisplayFormat: o.has("datafmt"))
        s.line("file \(path) saved")
    }
}
