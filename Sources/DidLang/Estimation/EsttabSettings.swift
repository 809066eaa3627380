// The options of esttab/estout, declared with esttab's own minimal abbreviations, and their
// translation into one checked EsttabSettings value. Defaults follow esttab (estout's esttab.ado):
// b in the adaptive a3 format, t statistics with two decimals in parentheses, N in the footer,
// notes explaining the parentheses and the stars — except the star levels, which the project sets
// to * p<0.10, ** p<0.05, *** p<0.01 (esttab's own are .05/.01/.001).

import DidFrame
import Foundation

/// The document format of an esttab table (esttab's `smcl`, `fixed`, `tab`, `csv`, `scsv`, `rtf`,
/// `html`, `tex`, `booktabs`, `md`).
enum EsttabMode: String {
    case smcl, fixed, tab, csv, scsv, rtf, html, tex, booktabs, md

    /// The format esttab infers from a file's suffix (anything unknown is fixed-format text).
    static func from(suffix: String) -> EsttabMode {
        switch suffix.lowercased() {
        case "html", "htm": return .html
        case "tex": return .tex
        case "csv": return .csv
        case "rtf": return .rtf
        case "smcl": return .smcl
        case "md", "mmd", "markdown": return .md
        default: return .fixed
        }
    }

    /// Suffix added to a `using` name given without one.
    var suffix: String {
        switch self {
        case .fixed, .tab: return "txt"
        case .csv, .scsv: return "csv"
        case .booktabs: return "tex"
        default: return rawValue
        }
    }

    var isTeX: Bool { self == .tex || self == .booktabs }
    var isDelimited: Bool { self == .tab || self == .csv || self == .scsv }
}

/// Settings of one esttab call (already parsed and checked).
struct EsttabSettings {
    /// Format of the point estimates: a Stata format, or `a#` for esttab's adaptive format.
    var bFormat = "a3"
    /// matrix(name[, subopts]): tabulate this matrix instead of stored estimates.
    var matrix: String? = nil
    /// Format of se/p in parentheses (`estimates table` sets it; esttab picks it per statistic).
    var auxFormat = "a3"
    /// Format of t/z statistics; nil keeps two decimals.
    var tFormat: String? = nil
    /// What goes in parentheses: "t", "z", "se", "p", "ci" or "none".
    var aux = "t"
    /// Confidence level of `ci`, in percent (`level()`, else `set level`).
    var level = 95.0
    /// `eform`: exp(b), SE and CI transformed with it; t and p stay those of b.
    var eform = false
    /// `rename(old new …)`: coefficient names merged into other rows.
    var rename: [String: String] = [:]
    /// Absolute t statistics (`abs`).
    var absT = false
    /// Delimiters around the auxiliary statistic: ( ), [ ] (`brackets`) or none (`noparentheses`).
    var auxOpen = "(", auxClose = ")"
    var stars = true
    /// (symbol, threshold) from the loosest to the strictest.
    var starLevels: [(String, Double)] = [("*", 0.10), ("**", 0.05), ("***", 0.01)]
    /// The thresholds as typed, for the legend (esttab prints what the user wrote: `p<0.10`).
    var starLevelTexts: [String] = ["0.10", "0.05", "0.01"]
    /// Base levels (2003b.year) and omitted coefficients as rows of 0 and (.); esttab's parse
    /// turns both on (`nobaselevels`, `noomitted` off), `estimates table` leaves them out.
    var baseLevels = false, omitted = false
    var keep: [String]? = nil
    var drop: [String] = []
    var order: [String] = []
    var useLabels = false
    /// `coeflabels(name label …)` (estout's `varlabels()` too).
    var coefLabels: [String: String] = [:]
    /// What joins the parts of an interaction's name (`interaction()`); nil: the format's default,
    /// " # " or " $\times$ " in LaTeX.
    var interaction: String? = nil
    /// Explicit model titles (`mtitles("…" …)`); used before `titleSource`.
    var mtitles: [String]? = nil
    enum TitleSource { case depvar, names, estimateTitles, none }
    var titleSource = TitleSource.depvar
    var numbers = true
    /// Footer rows: e() scalar names with their labels and formats (parallel arrays).
    var stats: [String] = ["N"]
    var statLabels: [String] = []
    /// Per-row formats; when empty, integers print as such and the rest in `statFormat`.
    var statFormats: [String] = []
    var statFormat = "%9.3f"
    /// Rows whose label is esttab's own (N, R-sq, …) and so gets each format's markup.
    var statKeys: [String?] = []
    var indicate: [(label: String, patterns: [String])] = []
    var indicateYes = "Yes", indicateNo = "No"
    var feRows = true
    var notes = true
    var addNotes: [String] = []
    var lines = true
    var gaps = true
    var compress = false
    var plain = false
    var varWidth: Int? = nil
    var modelWidth: Int? = nil
    var title: String? = nil
    var mode: EsttabMode? = nil
    var fragment = false
    /// `float`/`nofloat`: the LaTeX table environment (nil: only with a title).
    var float: Bool? = nil
    /// `page[(packages)]`: a whole LaTeX or HTML document around the table.
    var page = false
    var pagePackages: String? = nil
    /// `alignment()` of the model columns (a LaTeX column type, an HTML align value, RTF l/c/r/j).
    var alignment: String? = nil
    /// `width()` of the table (LaTeX tabular*, HTML width).
    var width: String? = nil
    var replace = false
    var append = false
    var type = false
}

extension EsttabSettings {
    /// Options in esttab's spelling; `min` is esttab's minimal abbreviation. Order matters where
    /// prefixes overlap (`se` before `stats`, `t` before `title`).
    static let specs: [OptionSpec] = [
        OptionSpec("matrix", min: 1, .required),
        OptionSpec("b", .required), OptionSpec("t", .optional), OptionSpec("not"), OptionSpec("nose"),
        OptionSpec("z", .optional), OptionSpec("se", .optional), OptionSpec("p", .optional), OptionSpec("ci", .optional),
        OptionSpec("level", .required), OptionSpec("eform"), OptionSpec("rename", min: 3, .required), OptionSpec("abs"),
        OptionSpec("nostar"), OptionSpec("star", .optional), OptionSpec("noconstant", min: 5), OptionSpec("constant", min: 3),
        OptionSpec("coeflabels", min: 4, .required), OptionSpec("nobaselevels", min: 6), OptionSpec("baselevels", min: 4),
        OptionSpec("noomitted", min: 6), OptionSpec("omitted", min: 4), OptionSpec("varlabels", min: 4, .required),
        OptionSpec("interaction", min: 8, .required),
        OptionSpec("noobs"), OptionSpec("obslast"), OptionSpec("r2", .optional), OptionSpec("ar2", .optional),
        OptionSpec("pr2", .optional), OptionSpec("aic", .optional), OptionSpec("bic", .optional),
        OptionSpec("scalars", min: 3, .required), OptionSpec("sfmt", .required), OptionSpec("stats", min: 1, .required),
        OptionSpec("nomtitles", min: 5), OptionSpec("mtitles", min: 3, .optional), OptionSpec("nodepvars", min: 5),
        OptionSpec("depvars", min: 3), OptionSpec("nonumbers", min: 5), OptionSpec("numbers", min: 3),
        OptionSpec("nogaps", min: 5), OptionSpec("gaps", min: 3), OptionSpec("nolines", min: 4), OptionSpec("lines", min: 2),
        OptionSpec("noparentheses", min: 4), OptionSpec("parentheses", min: 2), OptionSpec("brackets", min: 2),
        OptionSpec("nonotes", min: 6), OptionSpec("notes", min: 4), OptionSpec("addnotes", min: 4, .required),
        OptionSpec("compress", min: 3), OptionSpec("plain"), OptionSpec("title", min: 2, .required),
        OptionSpec("smcl"), OptionSpec("fixed", min: 3), OptionSpec("tab"), OptionSpec("csv"), OptionSpec("scsv", min: 2),
        OptionSpec("rtf"), OptionSpec("html", min: 3), OptionSpec("tex"), OptionSpec("booktabs", min: 5), OptionSpec("md"),
        OptionSpec("mmd"), OptionSpec("markdown"), OptionSpec("fragment", min: 1),
        OptionSpec("float"), OptionSpec("nofloat"), OptionSpec("page", .optional), OptionSpec("alignment", min: 5, .required),
        OptionSpec("width", .required),
        OptionSpec("replace", min: 1), OptionSpec("append", min: 1), OptionSpec("type", min: 2), OptionSpec("notype"),
        OptionSpec("drop", min: 1, .required), OptionSpec("keep", min: 1, .required), OptionSpec("order", min: 1, .required),
        OptionSpec("label", min: 1), OptionSpec("indicate", min: 1, .required), OptionSpec("nofe"),
        OptionSpec("varwidth", min: 3, .required), OptionSpec("modelwidth", min: 5, .required),
    ]

    /// Checks and translates esttab's options (esttab.ado's order of precedence).
    static func parse(_ o: Options, level: Double = 95) throws -> EsttabSettings {
        var st = EsttabSettings()
        st.level = level
        try notBoth(o, [("star", "nostar"), ("constant", "noconstant"), ("gaps", "nogaps"), ("lines", "nolines"),
                        ("parentheses", "noparentheses"), ("notes", "nonotes"), ("numbers", "nonumbers"),
                        ("depvars", "nodepvars"), ("mtitles", "nomtitles"), ("replace", "append"), ("type", "notype"),
                        ("baselevels", "nobaselevels"), ("omitted", "noomitted"), ("float", "nofloat")])
        st.matrix = o.string("matrix")
        st.plain = o.has("plain")
        if st.plain {
            // plain: nostar nodepvars nonumbers noparentheses nogaps nolines nonotes, %9.0g; each can be switched back on.
            st.stars = o.has("star"); st.titleSource = o.has("depvars") ? .depvar : .names
            st.numbers = o.has("numbers"); st.gaps = o.has("gaps"); st.lines = o.has("lines"); st.notes = o.has("notes")
            if !o.has("parentheses") { st.auxOpen = ""; st.auxClose = "" }
            st.bFormat = "%9.0g"
        }
        try parseCells(o, &st)
        try parseStars(o, &st)
        try parseStats(o, &st)
        try parseLayout(o, &st)
        return st
    }

    /// b(), t()/z()/se()/p(), not, abs, parentheses/brackets, keep/drop/order, noconstant.
    private static func parseCells(_ o: Options, _ st: inout EsttabSettings) throws {
        if let b = o.string("b") { st.bFormat = try EsttabCommand.format(b) }
        let kinds = ["z", "se", "p", "ci"].filter { o.has($0) }
        guard kinds.count <= 1 else { throw StataError(198, "only one allowed of z, se, p, and ci") }
        st.aux = kinds.first ?? "t"
        let plainFmt: String? = st.plain ? st.bFormat : nil
        switch st.aux {
        case "t", "z": st.tFormat = try o.string(st.aux).map(EsttabCommand.format) ?? plainFmt
        case "se", "ci": st.auxFormat = try o.string(st.aux).map(EsttabCommand.format) ?? st.bFormat
        default: st.auxFormat = try o.string("p").map(EsttabCommand.format) ?? plainFmt ?? "%9.3f"
        }
        if (o.has("not") || o.has("nose")) && kinds.isEmpty { st.aux = "none" }
        st.absT = o.has("abs") && (st.aux == "t" || st.aux == "z")
        // Confidence intervals are always bracketed, as in esttab.
        if o.has("brackets") || st.aux == "ci" { st.auxOpen = "["; st.auxClose = "]" }
        if o.has("noparentheses") { st.auxOpen = ""; st.auxClose = "" }
        if let l = try o.number("level") {
            guard l >= 10, l <= 99.99 else { throw StataError(198, "level() must be between 10 and 99.99") }
            st.level = l
        }
        st.eform = o.has("eform")
        if let r = o.string("rename") {
            let w = quotedList(r)
            guard w.count % 2 == 0 else { throw StataError(198, "rename(): pairs of old and new names expected") }
            for k in stride(from: 0, to: w.count, by: 2) { st.rename[w[k]] = w[k + 1] }
        }
        if let k = o.string("keep") { st.keep = LinearModelOptions.words(k) }
        if let d = o.string("drop") { st.drop = LinearModelOptions.words(d) }
        // eform drops the constant unless `constant` (esttab).
        if o.has("noconstant") || (st.eform && !o.has("constant")) { st.drop.append("_cons") }
        st.baseLevels = !o.has("nobaselevels"); st.omitted = !o.has("noomitted")
        if let r = o.string("order") { st.order = LinearModelOptions.words(r) }
    }

    /// star(sym level …): levels as typed, in (0,1], strictly descending (estout's CheckStarvals).
    private static func parseStars(_ o: Options, _ st: inout EsttabSettings) throws {
        if o.has("nostar") { st.stars = false }
        if o.has("star") { st.stars = true }
        guard let sp = o.string("star"), !sp.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        let w = quotedList(sp)
        guard w.count % 2 == 0 else { throw StataError(198, "unmatched list of significance symbols and levels") }
        var levels: [(String, Double)] = [], texts: [String] = [], last = 1.0
        for k in stride(from: 0, to: w.count, by: 2) {
            guard let v = Double(w[k + 1]) else { throw StataError(198, "star(): \(w[k + 1]) found where number expected") }
            guard v > 0, v <= last, levels.isEmpty || v < last else {
                throw StataError(198, "significance levels out of order or out of range (0,1]")
            }
            levels.append((w[k], v)); texts.append(w[k + 1]); last = v
        }
        st.starLevels = levels; st.starLevelTexts = texts
    }

    /// stats(names, labels() fmt()) replaces esttab's footer; otherwise N (noobs, obslast), r2 ar2
    /// pr2 aic bic, scalars("name label" …) with sfmt().
    private static func parseStats(_ o: Options, _ st: inout EsttabSettings) throws {
        if let stats = o.string("stats") {
            var main = stats
            if let comma = stats.firstIndex(of: ",") {
                main = String(stats[..<comma])
                let sub = try CommandCall.parseOptions(String(stats[stats.index(after: comma)...]))
                for s in sub {
                    if s.name.count >= 1 && "labels".hasPrefix(s.name) { st.statLabels = quotedList(s.argument ?? "") }
                    else if s.name.count >= 1 && "fmt".hasPrefix(s.name) { st.statFormats = try LinearModelOptions.words(s.argument ?? "").map(EsttabCommand.format) }
                    else { throw StataError(198, "stats(): option \(s.name) not allowed") }
                }
            }
            st.stats = LinearModelOptions.words(main)
            // estout: the coefficients' format when no fmt(); the last fmt() for the remaining rows.
            let fmts = st.statFormats.isEmpty ? [st.bFormat] : st.statFormats
            st.statFormats = st.stats.indices.map { fmts[min($0, fmts.count - 1)] }
            st.statLabels = st.stats.indices.map { $0 < st.statLabels.count ? st.statLabels[$0] : st.stats[$0] }
            st.statKeys = st.stats.map { _ in nil }
            return
        }
        var rows: [(name: String, label: String, fmt: String, key: String?)] = []
        let threeOrB = st.plain ? st.bFormat : "%9.3f"
        for (opt, name) in [("r2", "r2"), ("ar2", "r2_a"), ("pr2", "r2_p"), ("aic", "aic"), ("bic", "bic")] where o.has(opt) {
            let def = opt.hasSuffix("2") ? threeOrB : st.bFormat
            rows.append((name, "", try o.string(opt).map(EsttabCommand.format) ?? def, opt))
        }
        if let sc = o.string("scalars") {
            let sfmts = try LinearModelOptions.words(o.string("sfmt") ?? "").map(EsttabCommand.format)
            for (k, item) in quotedList(sc).enumerated() {
                let parts = item.split(separator: " ", maxSplits: 1).map(String.init)
                guard let name = parts.first, !rows.contains(where: { $0.name == name }), name != "N" || o.has("noobs") else { continue }
                let f = sfmts.isEmpty ? st.bFormat : sfmts[min(k, sfmts.count - 1)]
                rows.append((name, parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : name, f, nil))
            }
        }
        if !o.has("noobs") {
            let n = (name: "N", label: "", fmt: "%18.0g", key: Optional("N"))
            if o.has("obslast") { rows.append(n) } else { rows.insert(n, at: 0) }
        }
        st.stats = rows.map(\.name); st.statFormats = rows.map(\.fmt); st.statKeys = rows.map(\.key)
        st.statLabels = rows.map { $0.key.map { EsttabRender.statLabel($0, .fixed, long: o.has("label")) } ?? $0.label }
    }

    /// Header, labels, notes, lines/gaps, document format and output options.
    private static func parseLayout(_ o: Options, _ st: inout EsttabSettings) throws {
        st.useLabels = o.has("label")
        for opt in ["varlabels", "coeflabels"] {
            guard let cl = o.string(opt) else { continue }
            let w = quotedList(cl)
            guard w.count % 2 == 0 else { throw StataError(198, "\(opt)(): pairs of name and label expected") }
            for k in stride(from: 0, to: w.count, by: 2) { st.coefLabels[w[k]] = w[k + 1] }
        }
        if let i = o.string("interaction") { st.interaction = CommandCall.unquote(i.trimmingCharacters(in: .whitespaces)) }
        if o.has("nodepvars") { st.titleSource = .names }
        if o.has("depvars") { st.titleSource = .depvar }
        if o.has("mtitles") { st.titleSource = .estimateTitles }
        if let m = o.string("mtitles"), !quotedList(m).isEmpty { st.mtitles = quotedList(m) }
        if o.has("nomtitles") { st.titleSource = .none }
        if o.has("nonumbers") { st.numbers = false }
        if o.has("numbers") { st.numbers = true }
        if o.has("nogaps") { st.gaps = false }
        if o.has("gaps") { st.gaps = true }
        if o.has("nolines") { st.lines = false }
        if o.has("lines") { st.lines = true }
        // esttab: no gaps when t statistics are suppressed (one row per coefficient).
        if st.aux == "none" && !o.has("gaps") { st.gaps = false }
        if o.has("nonotes") { st.notes = false }
        if o.has("notes") { st.notes = true }
        if let a = o.string("addnotes") { st.addNotes = quotedList(a, splitBlanks: a.contains("\"")) }
        st.compress = o.has("compress")
        st.title = o.string("title").map(CommandCall.unquote)
        if let v = try o.number("varwidth") { st.varWidth = max(0, Int(v)) }
        if let v = try o.number("modelwidth") { st.modelWidth = max(0, Int(v)) }
        if let ind = o.string("indicate") { try parseIndicate(ind, &st) }
        st.feRows = !o.has("nofe")
        let modes: [(String, EsttabMode)] = [("smcl", .smcl), ("fixed", .fixed), ("tab", .tab), ("csv", .csv), ("scsv", .scsv),
                                             ("rtf", .rtf), ("html", .html), ("tex", .tex), ("booktabs", .booktabs),
                                             ("md", .md), ("mmd", .md), ("markdown", .md)]
        let chosen = modes.filter { o.has($0.0) }
        guard chosen.count <= 1 else {
            throw StataError(198, "only one allowed of smcl, fixed, tab, csv, scsv, rtf, html, tex, booktabs, or md")
        }
        st.mode = chosen.first?.1
        st.fragment = o.has("fragment")
        if o.has("float") { st.float = true }
        if o.has("nofloat") { st.float = false }
        st.page = o.has("page"); st.pagePackages = o.string("page").flatMap { $0.isEmpty ? nil : $0 }
        if st.page && st.fragment { throw StataError(198, "options fragment and page not both allowed") }
        st.alignment = o.string("alignment").map(CommandCall.unquote)
        st.width = o.string("width").map(CommandCall.unquote)
        st.replace = o.has("replace"); st.append = o.has("append"); st.type = o.has("type")
    }

    /// indicate("name = coefs" …[, labels(yes no)]): one unquoted group may contain blanks in its name.
    private static func parseIndicate(_ text: String, _ st: inout EsttabSettings) throws {
        var body = text
        if let comma = text.lastIndex(of: ","), !text[comma...].contains("=") {
            body = String(text[..<comma])
            for s in try CommandCall.parseOptions(String(text[text.index(after: comma)...])) {
                guard s.name.count >= 1 && "labels".hasPrefix(s.name) else { throw StataError(198, "indicate(): option \(s.name) not allowed") }
                let yn = quotedList(s.argument ?? "")
                guard yn.count == 2 else { throw StataError(198, "indicate(): labels(yes no) expected") }
                st.indicateYes = yn[0]; st.indicateNo = yn[1]
            }
        }
        let groups = body.contains("\"") ? quotedList(body) : [body]
        for item in groups {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let coefs = LinearModelOptions.words(parts.last ?? "")
            guard !coefs.isEmpty, parts.count <= 2 else { throw StataError(198, "indicate(): \"name = coefficients\" expected") }
            // Without a name, estout labels the row with the first coefficient pattern.
            st.indicate.append((parts.count == 2 && !parts[0].isEmpty ? parts[0] : coefs[0], coefs))
        }
    }

    private static func notBoth(_ o: Options, _ pairs: [(String, String)]) throws {
        for (a, b) in pairs where o.has(a) && o.has(b) { throw StataError(198, "options \(a) and \(b) not both allowed") }
    }

    /// `"a b" "c"` → ["a b", "c"]; unquoted words split at blanks unless `splitBlanks` is false.
    static func quotedList(_ text: String, splitBlanks: Bool = true) -> [String] {
        if !splitBlanks { let t = text.trimmingCharacters(in: .whitespaces); return t.isEmpty ? [] : [t] }
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
