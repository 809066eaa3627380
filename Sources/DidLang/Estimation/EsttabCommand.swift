// esttab/estout: a table of stored estimates to the screen or, with `using`, to a file.
//   esttab [names] [using file] [, b(fmt) t(fmt) se[(fmt)] p[(fmt)] z not abs star[(sym # …)] nostar
//          ci[(fmt)] level(#) eform rename(old new …)
//          keep() drop() order() noconstant label coeflabels() mtitles[("…" …)] nomtitles nodepvars
//          nonumbers title() stats(names, labels() fmt()) r2 ar2 pr2 aic bic scalars() sfmt() noobs
//          obslast indicate("lab = coefs" …) nofe addnotes() nonotes nogaps nolines compress plain
//          interaction() varlabels() nobaselevels noomitted brackets noparentheses float nofloat
//          page[()] alignment() width() smcl|fixed|tab|csv|scsv|rtf|html|tex|booktabs|md fragment
//          replace append type]
// Models default to every stored estimate (else the active one). The format comes from the
// format option, else from the file's suffix (.html/.htm, .tex, .csv, .rtf, .md/.mmd, anything
// else text); a name without a suffix gets the format's. Options live in EsttabSettings.swift,
// content in EsttabTable.swift, layouts in EsttabRender*.swift.

import DidFrame
import Foundation

enum EsttabCommand {
    /// Registers esttab and estout (one command; estout's own cells() syntax is not implemented).
    static func register(in r: CommandRegistry) {
        for name in ["esttab", "estout"] {
            r.register(ClosureCommand(name, options: EsttabSettings.specs) { call, s in try run(call, s) })
        }
    }

    /// Parse → build the table → render → show or write.
    static func run(_ call: CommandCall, _ s: Session) throws {
        var st = try EsttabSettings.parse(try Options(call.options, specs: EsttabSettings.specs),
                                          level: Double(s.settings["level"] ?? "") ?? 95)
        // A matrix instead of stored estimates: matrix(name[, subopts]), or r(name)/e(name).
        let head = call.head.trimmingCharacters(in: .whitespaces)
        var matrixSpec = st.matrix ?? ((head.hasPrefix("r(") || head.hasPrefix("e(")) && head.hasSuffix(")") ? head : nil)
        if matrixSpec == nil, let open = head.firstIndex(of: "("), head.hasSuffix(")") {
            let word = head[..<open]
            if !word.isEmpty && "matrix".hasPrefix(word) {
                matrixSpec = String(head[head.index(after: open)..<head.index(before: head.endIndex)])
            }
        }
        let models = matrixSpec == nil ? try selectModels(call.head, s) : []
        func build() throws -> EsttabTable {
            if let spec = matrixSpec { return try EsttabTable.matrixTable(spec, s) }
            return try EsttabTable.build(models, st, s)
        }
        guard let file = call.using else {
            if st.replace || st.append { throw StataError(198, "options replace and append require using") }
            let mode = st.mode ?? .smcl
            if st.interaction == nil && mode.isTeX { st.interaction = " $\\times$ " }
            s.line(EsttabRender.render(try build(), st, mode: mode))
            return
        }
        var path = s.resolvePath(file)
        var shown = file
        let suffix = (path as NSString).pathExtension
        if suffix.isEmpty {
            // esttab adds the format's suffix to a bare name.
            let ext = (st.mode ?? .fixed).suffix
            path += "." + ext; shown += "." + ext
        }
        let mode = st.mode ?? EsttabMode.from(suffix: suffix)
        if st.interaction == nil && mode.isTeX { st.interaction = " $\\times$ " }
        let table = try build()
        let exists = FileManager.default.fileExists(atPath: path)
        if exists && !st.replace && !st.append { throw StataError.fileExists(path) }
        var text: String
        if st.append && exists {
            let old = try read(path)
            // An RTF document is one group: the new table goes before its closing brace, without
            // a second header (esttab: "existing documents are assumed to end with a line }").
            if mode == .rtf && !st.fragment {
                text = removingClosingBrace(old) + EsttabRender.render(table, st, mode: mode, continuing: true)
            } else if st.page && (mode.isTeX || mode == .html) {
                // With page, the table goes into the document's body: esttab starts writing at the
                // line "\end{document}" or "</body>" and rewrites what follows.
                text = truncated(old, at: mode == .html ? "</body>" : "\\end{document}")
                    + EsttabRender.render(table, st, mode: mode, continuing: true)
            } else {
                text = old + (old.isEmpty || old.hasSuffix("\n") ? "" : "\n") + EsttabRender.render(table, st, mode: mode)
            }
        } else {
            text = EsttabRender.render(table, st, mode: mode)
        }
        if !text.hasSuffix("\n") { text += "\n" }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw StataError(603, "file \(path) could not be opened")
        }
        if st.type { s.line(EsttabRender.render(table, st, mode: mode)) }
        s.line("(output written to \(shown))")
    }

    /// An existing output file's text (r(603) when it cannot be read).
    static func read(_ path: String) throws -> String {
        guard let d = FileManager.default.contents(atPath: path) else { throw StataError(603, "file \(path) could not be opened") }
        return String(decoding: d, as: UTF8.self)
    }

    /// The document without its last line when that line is a lone "}".
    static func removingClosingBrace(_ doc: String) -> String {
        var lines = doc.components(separatedBy: "\n")
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        if lines.last?.trimmingCharacters(in: .whitespaces) == "}" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The document up to (without) its last line reading `marker`; all of it when there is none.
    static func truncated(_ doc: String, at marker: String) -> String {
        let lines = doc.components(separatedBy: "\n")
        guard let k = lines.lastIndex(where: { $0.trimmingCharacters(in: .whitespaces) == marker }) else { return doc }
        return lines[..<k].joined(separator: "\n") + "\n"
    }

    /// Named (wildcards allowed) stored estimates, all of them, or the active results.
    static func selectModels(_ head: String, _ s: Session) throws -> [(name: String, e: StoredResults)] {
        let words = LinearModelOptions.words(head)
        if words.isEmpty {
            if !s.storedEstimates.isEmpty { return s.storedEstimates.map { ($0.name, $0.results) } }
            guard s.eResults.matrices["b"] != nil else { throw StataError(301, "last estimates not found") }
            return [(".", s.eResults)]
        }
        var out: [(name: String, e: StoredResults)] = []
        for w in words {
            if w == "." {
                guard s.eResults.matrices["b"] != nil else { throw StataError(301, "last estimates not found") }
                out.append((".", s.eResults)); continue
            }
            let hits = w == "_all" ? s.storedEstimates : s.storedEstimates.filter { Session.wildcardMatch(w, $0.name) }
            guard !hits.isEmpty else { throw StataError(111, "estimation result \(w) not found") }
            out += hits.map { ($0.name, $0.results) }
        }
        return out
    }

    /// esttab's numerical formats: `3` → fixed with 3 decimals, `a3`/`a` → adaptive (kept as
    /// `a3`), `g`/`%g` → %9.0g, a Stata format as is.
    static func format(_ f: String) throws -> String {
        let t = f.trimmingCharacters(in: .whitespaces)
        if t == "a" { return "a3" }
        if t.hasPrefix("a"), let d = Int(t.dropFirst()), d >= 1, d <= 9 { return t }
        if let d = Int(t), d >= 0, d <= 16 { return "%\(d + 9).\(d)f" }
        if t == "g" || t == "%g" { return "%9.0g" }
        guard DisplayFormat.isValid(t) else { throw StataError(198, "\(t): invalid format") }
        return t
    }
}
