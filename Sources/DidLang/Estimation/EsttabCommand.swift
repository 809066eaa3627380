// esttab/estout: a table of stored estimates to the screen or, with `using`, to a Markdown
// (.md), LaTeX (.tex), CSV (.csv) or plain-text (anything else) file.
//   esttab [names] [using file] [, b(fmt) se[(fmt)] t p nostar star(sym # …) keep() drop() order()
//          label mtitles("…" …) nomtitles stats(N r2, labels("…" …)) indicate("lab = pattern" …)
//          nofe replace]
// Models default to every stored estimate (else the active one).

import DidFrame
import Foundation

enum EsttabCommand {
    static let specs: [OptionSpec] = [
        OptionSpec("b", .required), OptionSpec("se", .optional), OptionSpec("t", .optional), OptionSpec("p", .optional),
        OptionSpec("nostar"), OptionSpec("star", .required), OptionSpec("keep", .required), OptionSpec("drop", .required),
        OptionSpec("order", .required), OptionSpec("label", min: 3), OptionSpec("mtitles", min: 6, .optional),
        OptionSpec("nomtitles"), OptionSpec("stats", .required), OptionSpec("scalars", .required),
        OptionSpec("indicate", .required), OptionSpec("nofe"), OptionSpec("replace"), OptionSpec("nonotes"),
        OptionSpec("title", .required), OptionSpec("noparentheses"), OptionSpec("not"), OptionSpec("nose"),
    ]

    static func register(in r: CommandRegistry) {
        for name in ["esttab", "estout"] {
            r.register(ClosureCommand(name, options: specs) { call, s in try run(call, s) })
        }
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        let models = try selectModels(call.head, s)
        let settings = try parseSettings(o)
        let table = try EsttabTable.build(models, settings, s)
        let title = o.string("title").map(CommandCall.unquote)
        let notes = o.has("nonotes") ? [] : table.notes
        guard let file = call.using else {
            s.line(EsttabRender.text(table, title: title, notes: notes))
            return
        }
        let path = s.resolvePath(file)
        let ext = (path as NSString).pathExtension.lowercased()
        let text: String
        switch ext {
        case "md", "markdown": text = EsttabRender.markdown(table, title: title, notes: notes)
        case "tex": text = EsttabRender.latex(table, title: title, notes: notes)
        case "csv": text = EsttabRender.csv(table, title: title, notes: notes)
        default: text = EsttabRender.text(table, title: title, notes: notes)
        }
        if FileManager.default.fileExists(atPath: path) && !o.has("replace") { throw StataError.fileExists(path) }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw StataError(603, "file \(path) could not be opened")
        }
        s.line("(output written to \(file))")
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
            let hits = s.storedEstimates.filter { Session.wildcardMatch(w, $0.name) }
            guard !hits.isEmpty else { throw StataError(111, "estimation result \(w) not found") }
            out += hits.map { ($0.name, $0.results) }
        }
        return out
    }

    static func parseSettings(_ o: Options) throws -> EsttabSettings {
        var st = EsttabSettings()
        if let b = o.string("b") { st.bFormat = try format(b) }
        if o.has("t") { st.aux = "t"; if let f = o.string("t") { st.auxFormat = try format(f) } }
        if o.has("p") { st.aux = "p"; if let f = o.string("p") { st.auxFormat = try format(f) } }
        if let f = o.string("se") { st.aux = "se"; st.auxFormat = try format(f) }
        if o.has("nose") || o.has("not") { st.aux = "none" }
        if o.has("nostar") { st.stars = false }
        if let sp = o.string("star") {
            let w = LinearModelOptions.words(sp)
            guard w.count % 2 == 0, !w.isEmpty else { throw StataError(198, "star(): pairs of symbol and level expected") }
            st.starLevels = try stride(from: 0, to: w.count, by: 2).map { k in
                guard let v = Double(w[k + 1]), v > 0, v < 1 else { throw StataError(198, "star(): \(w[k + 1]) invalid level") }
                return (w[k], v)
            }.sorted { $0.1 > $1.1 }
        }
        if let k = o.string("keep") { st.keep = LinearModelOptions.words(k) }
        if let d = o.string("drop") { st.drop = LinearModelOptions.words(d) }
        if let r = o.string("order") { st.order = LinearModelOptions.words(r) }
        st.useLabels = o.has("label")
        if let m = o.string("mtitles") { st.mtitles = quotedList(m) }
        if o.has("nomtitles") { st.mtitles = [] }
        if let stats = o.string("stats") ?? o.string("scalars") {
            var main = stats
            if let comma = stats.firstIndex(of: ",") {
                main = String(stats[..<comma])
                let sub = try CommandCall.parseOptions(String(stats[stats.index(after: comma)...]))
                if let l = sub.first(where: { "labels".hasPrefix($0.name) && $0.name.count >= 3 })?.argument { st.statLabels = quotedList(l) }
            }
            st.stats = LinearModelOptions.words(main)
        }
        if let ind = o.string("indicate") {
            for item in quotedList(ind) {
                let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[1].isEmpty else { throw StataError(198, "indicate(): \"label = coefficients\" expected") }
                st.indicate.append((parts[0], LinearModelOptions.words(parts[1])))
            }
        }
        st.feRows = !o.has("nofe")
        return st
    }

    /// `3` → %9.3f, `a3` → %9.3f, a Stata format as is.
    static func format(_ f: String) throws -> String {
        let t = f.trimmingCharacters(in: .whitespaces)
        if let d = Int(t.hasPrefix("a") ? String(t.dropFirst()) : t), d >= 0, d <= 16 { return "%9.\(d)f" }
        guard DisplayFormat.isValid(t) else { throw StataError(120, "invalid format \(t)") }
        return t
    }

    /// `"a b" "c"` → ["a b", "c"]; unquoted words split at blanks.
    static func quotedList(_ text: String) -> [String] {
        var out: [String] = [], cur = "", inQ = false
        for ch in text {
            if ch == "\"" {
                if inQ { out.append(cur); cur = "" }
                inQ.toggle(); continue
            }
            if !inQ && (ch == " " || ch == "\t") { if !cur.isEmpty { out.append(cur); cur = "" }; continue }
            cur.append(ch)
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }
}

/// Renderers of an EsttabTable.
enum EsttabRender {
    static func header(_ t: EsttabTable) -> [[String]] {
        var rows = [t.titles.indices.map { "(\($0 + 1))" }]
        if t.titles.contains(where: { !$0.isEmpty }) { rows.append(t.titles) }
        return rows
    }

    /// Plain text (screen and .txt).
    static func text(_ t: EsttabTable, title: String?, notes: [String]) -> String {
        let body = t.coefRows + t.indicatorRows + t.statRows
        let labelWidth = max(12, body.map(\.label.count).max() ?? 0) + 2
        let allCells = (body.flatMap(\.cells) + header(t).flatMap { $0 })
        let w = max(10, (allCells.map(\.count).max() ?? 0) + 2)
        let width = labelWidth + w * t.titles.count
        let rule = String(repeating: "-", count: width)
        func line(_ label: String, _ cells: [String]) -> String {
            label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + cells.map { EstimationTable.pad($0, w) }.joined()
        }
        var out: [String] = []
        if let ti = title { out.append(ti) }
        out.append(rule)
        for h in header(t) { out.append(line("", h)) }
        out.append(rule)
        for r in t.coefRows { out.append(line(r.label, r.cells)) }
        if !t.indicatorRows.isEmpty { out.append(rule); for r in t.indicatorRows { out.append(line(r.label, r.cells)) } }
        if !t.statRows.isEmpty { out.append(rule); for r in t.statRows { out.append(line(r.label, r.cells)) } }
        out.append(rule)
        out += notes
        return out.joined(separator: "\n")
    }

    static func markdown(_ t: EsttabTable, title: String?, notes: [String]) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "*", with: "\\*") }
        var out: [String] = []
        if let ti = title { out.append("**\(esc(ti))**"); out.append("") }
        let h = header(t)
        out.append("| | " + h[0].joined(separator: " | ") + " |")
        out.append("|---|" + String(repeating: "---:|", count: t.titles.count))
        if h.count > 1 { out.append("| | " + h[1].map(esc).joined(separator: " | ") + " |") }
        for r in t.coefRows + t.indicatorRows + t.statRows {
            out.append("| \(esc(r.label)) | " + r.cells.map(esc).joined(separator: " | ") + " |")
        }
        if !notes.isEmpty { out.append(""); out += notes.map(esc) }
        return out.joined(separator: "\n") + "\n"
    }

    static func latex(_ t: EsttabTable, title: String?, notes: [String]) -> String {
        func esc(_ s: String) -> String {
            var r = ""
            for ch in s {
                switch ch {
                case "_", "#", "%", "&", "$": r += "\\\(ch)"
                default: r.append(ch)
                }
            }
            return r
        }
        func cell(_ s: String) -> String {
            // Stars as superscripts: 0.123** → 0.123\sym{**}.
            let stars = s.reversed().prefix { $0 == "*" }.count
            guard stars > 0 else { return esc(s) }
            return esc(String(s.dropLast(stars))) + "$^{" + String(repeating: "*", count: stars) + "}$"
        }
        let k = t.titles.count
        var out: [String] = []
        if let ti = title { out.append("% \(ti)") }
        out.append("\\begin{tabular}{l*{\(k)}{c}}")
        out.append("\\hline\\hline")
        for h in header(t) { out.append(" & " + h.map(esc).joined(separator: " & ") + " \\\\") }
        out.append("\\hline")
        for r in t.coefRows { out.append(esc(r.label) + " & " + r.cells.map(cell).joined(separator: " & ") + " \\\\") }
        if !t.indicatorRows.isEmpty { out.append("\\hline"); for r in t.indicatorRows { out.append(esc(r.label) + " & " + r.cells.map(esc).joined(separator: " & ") + " \\\\") } }
        if !t.statRows.isEmpty { out.append("\\hline"); for r in t.statRows { out.append(esc(r.label) + " & " + r.cells.map(esc).joined(separator: " & ") + " \\\\") } }
        out.append("\\hline\\hline")
        for n in notes { out.append("\\multicolumn{\(k + 1)}{l}{\\footnotesize \(esc(n).replacingOccurrences(of: "<", with: "$<$"))}\\\\") }
        out.append("\\end{tabular}")
        return out.joined(separator: "\n") + "\n"
    }

    static func csv(_ t: EsttabTable, title: String?, notes: [String]) -> String {
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var out: [String] = []
        if let ti = title { out.append(q(ti)) }
        for h in header(t) { out.append(([""] + h).map(q).joined(separator: ",")) }
        for r in t.coefRows + t.indicatorRows + t.statRows { out.append(([r.label] + r.cells).map(q).joined(separator: ",")) }
        for n in notes { out.append(q(n)) }
        return out.joined(separator: "\n") + "\n"
    }
}
