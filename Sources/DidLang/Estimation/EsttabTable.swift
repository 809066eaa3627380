// The content of an esttab/estout table, independent of the output format: one column per stored
// model, coefficient rows (b with its stars, then t, z, SE or p in parentheses), indicator rows
// (`indicate()` groups and FE Yes/No rows from e(absvars)), statistics rows and the pieces of the
// notes. The renderers (EsttabRender*.swift) only lay these out, so every format shows the same
// numbers. Numbers use estout's formats, including its adaptive `a#` format (SignificantDigits in
// estout.ado): integers without decimals, |x| < 1 with # significant decimals, larger values with
// at least # + 1 digits and one decimal.

import DidStats
import DidFrame
import Foundation

/// A table ready to render: header, body rows (cells per model) and notes.
struct EsttabTable {
    struct Row {
        var label: String
        var cells: [String]
        /// The star symbol each cell ends with ("" for none), so formats can mark it up.
        var marks: [String] = []
        var isAux = false
        /// esttab's own statistic (N, r2, ar2, pr2, aic, bic) whose label each format marks up.
        var statKey: String? = nil
    }
    var titles: [String]
    var showTitles = true
    var showNumbers = true
    /// A tabulated matrix (esttab matrix()): rows are not coefficient blocks, so no gaps.
    var isMatrix = false
    /// `plain`'s column-label row (b/t).
    var columnLabel: String? = nil
    var coefRows: [Row] = []
    var indicatorRows: [Row] = []
    var statRows: [Row] = []
    /// What the parentheses hold ("t", "z", "se", "p", "ci"), nil without note.
    var auxNote: String? = nil
    /// The confidence level of a "ci" note, as printed (95, 90.5).
    var levelText = "95"
    /// "Exponentiated coefficients" leads the notes (`eform`).
    var exponentiated = false
    var auxAbs = false
    /// " in parentheses", " in brackets" or " in second row".
    var auxWhere = " in parentheses"
    var addNotes: [String] = []
    /// (symbol, threshold as typed) of the star legend, empty without one.
    var starLegend: [(String, String)] = []

    /// Builds the table from (name, e()) pairs.
    static func build(_ models: [(name: String, e: StoredResults)], _ o: EsttabSettings, _ s: Session) throws -> EsttabTable {
        var table = EsttabTable(titles: models.enumerated().map { k, m in title(k, m, o, s) })
        table.showTitles = o.titleSource != .none || o.mtitles != nil
        table.showNumbers = o.numbers
        if o.plain { table.columnLabel = o.aux == "none" ? "b" : "b/" + o.aux }
        var names = try coefficientNames(models, o)
        // indicate(): coefficients matching a group become one Yes/No row (present if any is).
        var indicated = Set<String>()
        for grp in o.indicate {
            let members = names.filter { n in grp.patterns.contains { Session.wildcardMatch($0, n) } }
            indicated.formUnion(members)
            table.indicatorRows.append(Row(label: grp.label, cells: models.map { m in
                let have = (m.e.matrices["b"]?.colNames ?? []).contains { members.contains(coefficientKey($0, o)) && !isHidden($0) }
                return have ? o.indicateYes : o.indicateNo
            }))
        }
        names.removeAll { n in indicated.contains(n) }
        if let keep = o.keep { names = names.filter { n in keep.contains { Session.wildcardMatch($0, n) } } }
        names.removeAll { n in o.drop.contains { Session.wildcardMatch($0, n) } }
        if !o.order.isEmpty {
            var first: [String] = []
            for p in o.order { for n in names where Session.wildcardMatch(p, n) && !first.contains(n) { first.append(n) } }
            names = first + names.filter { !first.contains($0) }
        }
        for n in names { table.coefRows += coefficientRows(n, models, o, s) }
        if o.feRows { table.indicatorRows += feRows(models, o) }
        for (k, st) in o.stats.enumerated() {
            let lab = k < o.statLabels.count ? o.statLabels[k] : st
            let key = k < o.statKeys.count ? o.statKeys[k] : nil
            table.statRows.append(Row(label: lab, cells: models.map { m in
                // A macro (`estadd local FE "Yes"`) prints as its text.
                guard let v = statValue(st, m.e), !Missing.isMissing(v) else { return m.e.macros[st] ?? "" }
                if k < o.statFormats.count { return fmt(v, o.statFormats[k]) }
                return ["N", "N_clust", "df_m", "df_r", "df_a", "rank", "num_singletons"].contains(st) ? String(Int(v)) : fmt(v, o.statFormat)
            }, statKey: key))
        }
        if o.notes {
            table.exponentiated = o.eform
            table.levelText = trimNumber(o.level)
            if o.aux != "none" {
                table.auxNote = o.aux; table.auxAbs = o.absT
                table.auxWhere = o.auxOpen.isEmpty ? " in second row" : o.auxOpen == "[" ? " in brackets" : " in parentheses"
            }
            if o.stars { table.starLegend = zip(o.starLevels.map(\.0), o.starLevelTexts).map { ($0, $1) } }
        }
        table.addNotes = o.addNotes
        return table
    }

    /// A model's header title: mtitles() text, else depvar (its label with `label`), set name or title.
    static func title(_ k: Int, _ m: (name: String, e: StoredResults), _ o: EsttabSettings, _ s: Session) -> String {
        if let given = o.mtitles { return given.indices.contains(k) ? given[k] : "" }
        switch o.titleSource {
        case .none: return ""
        case .names: return m.name
        case .estimateTitles: return m.e.macros["_estimates_title"].flatMap { $0.isEmpty ? nil : $0 } ?? m.name
        case .depvar:
            guard let dv = m.e.macros["depvar"]?.split(separator: " ").first.map(String.init) else { return m.name }
            if o.useLabels, let c = s.frame.column(dv), !c.label.isEmpty { return c.label }
            return dv
        }
    }

    /// Coefficient names in order of first appearance with _cons last (estout merges the models
    /// with `mat_capp …, cons`), markers stripped (2003b.year → 2003.year); base levels and
    /// omitted cells only when the settings show them (esttab does unless nobaselevels/noomitted).
    static func coefficientNames(_ models: [(name: String, e: StoredResults)], _ o: EsttabSettings) throws -> [String] {
        var names: [String] = []
        for m in models {
            guard let b = m.e.matrices["b"] else { throw StataError(301, "estimation result \(m.name) has no e(b)") }
            for n in b.colNames where shown(n, o) {
                let key = coefficientKey(n, o)
                if !names.contains(key) { names.append(key) }
            }
        }
        if let c = names.firstIndex(of: "_cons") { names.append(names.remove(at: c)) }
        return names
    }

    /// The b row (with stars) and, unless `not`, the row of t/z/se/p in parentheses below it.
    static func coefficientRows(_ n: String, _ models: [(name: String, e: StoredResults)], _ o: EsttabSettings,
                                _ s: Session) -> [Row] {
        var cells: [String] = [], marks: [String] = [], aux: [String] = []
        for m in models {
            guard let (b, se, p) = try? estimate(n, m.e, showing: o) else { cells.append(""); marks.append(""); aux.append(""); continue }
            let mark = o.stars ? star(p, o.starLevels) : ""
            // eform shows exp(b) and transforms SE (delta method) and CI with it; t and p stay.
            let shownB = o.eform ? Foundation.exp(b) : b
            cells.append(fmt(shownB, o.bFormat) + mark); marks.append(mark)
            let value: Double
            switch o.aux {
            case "t", "z":
                let t = se > 0 ? b / se : Missing.dot
                aux.append(o.auxOpen + fmt(o.absT && !Missing.isMissing(t) ? abs(t) : t, o.tFormat ?? "%9.2f") + o.auxClose); continue
            case "p": value = p
            case "none": aux.append(""); continue
            case "ci":
                let (lo, hi) = interval(b, se, m.e, level: o.level)
                let ends = [lo, hi].map { o.eform && !Missing.isMissing($0) ? Foundation.exp($0) : $0 }.map { fmt($0, o.auxFormat) }
                aux.append(o.auxOpen + ends.joined(separator: o.auxOpen.isEmpty ? " " : ",") + o.auxClose); continue
            default: value = se > 0 ? (o.eform ? shownB * se : se) : Missing.dot  // estout: no SE where e(V) is 0
            }
            aux.append(o.auxOpen + fmt(value, o.auxFormat) + o.auxClose)
        }
        var rows = [Row(label: label(n, o, s), cells: cells, marks: marks)]
        if o.aux != "none" { rows.append(Row(label: "", cells: aux, marks: models.map { _ in "" }, isAux: true)) }
        return rows
    }

    /// The `level`% confidence interval of b: t quantiles with e(df_r), normal ones without.
    static func interval(_ b: Double, _ se: Double, _ e: StoredResults, level: Double) -> (Double, Double) {
        guard se > 0 else { return (Missing.dot, Missing.dot) }
        let alpha = (100 - level) / 200
        let q: Double
        if let dfr = e.scalars["df_r"], !Missing.isMissing(dfr) { q = Distributions.invttail(dfr, alpha) } else { q = Distributions.invNormal(1 - alpha) }
        return (b - q * se, b + q * se)
    }

    /// A footer statistic: the e() scalar, or what estout derives when it is absent — aic and bic
    /// as in `estimates table` (-2 ll + 2k, -2 ll + ln(N) k, k the rank of e(V)), rank, and p, the
    /// model's p-value from e(p), else the F test, else the chi2 test.
    static func statValue(_ name: String, _ e: StoredResults) -> Double? {
        if let v = e.scalars[name] { return v }
        func rank() -> Double? {
            if let r = e.scalars["rank"] { return r }
            guard let V = e.matrices["V"] else { return nil }
            return Double((0..<V.rows).filter { V[$0, $0] != 0 }.count)
        }
        switch name {
        case "rank": return rank()
        case "aic", "bic":
            guard let ll = e.scalars["ll"], let k = rank(), let n = e.scalars["N"] else { return nil }
            return -2 * ll + (name == "aic" ? 2 : Foundation.log(n)) * k
        case "p":
            if let dfm = e.scalars["df_m"], let dfr = e.scalars["df_r"], let f = e.scalars["F"], !Missing.isMissing(f) {
                return Distributions.Ftail(dfm, dfr, f)
            }
            if let dfm = e.scalars["df_m"], let c = e.scalars["chi2"], !Missing.isMissing(c) { return Distributions.gammaQ(dfm / 2, c / 2) }
            return nil
        default: return nil
        }
    }

    /// One Yes/No row per absorbed variable named in any model's e(absvars).
    static func feRows(_ models: [(name: String, e: StoredResults)], _ o: EsttabSettings) -> [Row] {
        var absvars: [String] = []
        for m in models { for a in (m.e.macros["absvars"] ?? "").split(separator: " ").map(String.init) where !absvars.contains(a) { absvars.append(a) } }
        return absvars.map { a in
            Row(label: "\(a) FE", cells: models.map { m in
                (m.e.macros["absvars"] ?? "").split(separator: " ").contains(Substring(a)) ? o.indicateYes : o.indicateNo
            })
        }
    }

    /// The row a column of e(b) belongs to: its name without b/o markers, after `rename()`.
    static func coefficientKey(_ column: String, _ o: EsttabSettings?) -> String {
        let n = Session.stripBase(column)
        return o?.rename[n] ?? n
    }

    /// Base cells and cells held at zero by construction (`0b.x`, `0b.a#1o.b`, `o.x`, `co.x`).
    static func isHidden(_ name: String) -> Bool {
        let m = markers(name)
        return m.base || m.omitted
    }

    /// Whether a column is a base level (`2003b.year`; `bn` is not) or omitted (`o.x`, `1o.x`, `co.x`).
    static func markers(_ name: String) -> (base: Bool, omitted: Bool) {
        var base = false, omitted = name.hasPrefix("o.")
        for part in name.split(separator: "#") {
            guard let dot = part.firstIndex(of: ".") else { continue }
            let head = part[..<dot]
            if head == "co" { omitted = true }
            guard head.first?.isNumber == true else { continue }
            let flags = head.drop { $0.isNumber }
            if flags.contains("o") { omitted = true }
            if flags.contains("b") && !flags.hasSuffix("bn") { base = true }
        }
        return (base, omitted)
    }

    /// Whether esttab lists the column: estimated ones always, base levels and omitted ones
    /// unless `nobaselevels`/`noomitted`.
    static func shown(_ name: String, _ o: EsttabSettings) -> Bool {
        let m = markers(name)
        return (!m.base || o.baseLevels) && (!m.omitted || o.omitted)
    }

    /// (b, se, p) of coefficient `name` in `e` (p from t with e(df_r), normal without it); an
    /// estimated column first, else a base/omitted one that `showing` lists (b 0, se 0, p missing).
    static func estimate(_ name: String, _ e: StoredResults, showing o: EsttabSettings? = nil) throws -> (Double, Double, Double) {
        guard let b = e.matrices["b"], let V = e.matrices["V"],
              let j = b.colNames.firstIndex(where: { coefficientKey($0, o) == name && !isHidden($0) })
                ?? b.colNames.firstIndex(where: { c in coefficientKey(c, o) == name && o.map { shown(c, $0) } == true }) else {
            throw StataError(111, "\(name) not found")
        }
        let coef = b[0, j], se = V[j, j] > 0 ? V[j, j].squareRoot() : 0
        guard se > 0 else { return (coef, se, Missing.dot) }
        let t = abs(coef / se)
        let p: Double
        if let dfr = e.scalars["df_r"], !Missing.isMissing(dfr) { p = 2 * Distributions.ttail(dfr, t) } else { p = 2 * Distributions.normal(-t) }
        return (coef, se, p)
    }

    /// The symbol of the strictest level the p-value is below (estout: a star when p < level).
    static func star(_ p: Double, _ levels: [(String, Double)]) -> String {
        guard !Missing.isMissing(p), p >= 0, p <= 1 else { return "" }
        var out = ""
        for (sym, th) in levels where p < th { out = sym }
        return out
    }

    /// Row label: coeflabels(), then with `label` "Constant" and variable labels, else the name;
    /// the parts of an interaction joined by `interaction()` (estout's " # ").
    static func label(_ name: String, _ o: EsttabSettings, _ s: Session) -> String {
        if let l = o.coefLabels[name] { return l }
        let parts = name.split(separator: "#", omittingEmptySubsequences: false).map { part -> String in
            let p = String(part)
            guard o.useLabels else { return p }
            if p == "_cons" { return "Constant" }
            // c.x and plain x carry the variable's label; factor levels (1.x) keep their name.
            let v = p.hasPrefix("c.") ? String(p.dropFirst(2)) : p
            if let c = s.frame.column(v), !c.label.isEmpty { return c.label }
            return p
        }
        return parts.joined(separator: o.interaction ?? " # ")
    }

    /// `x` in Stata format `f`, or in estout's adaptive format when `f` is `a#`.
    static func fmt(_ x: Double, _ f: String) -> String {
        guard !Missing.isMissing(x), x.isFinite else { return "." }
        let format = f.hasPrefix("a") ? adaptiveFormat(x, digits: Int(f.dropFirst()) ?? 3) : f
        return ((try? Fmt.format(x, format)) ?? "\(x)").trimmingCharacters(in: .whitespaces)
    }

    /// estout's `a#` rule: the Stata format it picks for `x` (int() truncates, as Stata's does).
    static func adaptiveFormat(_ x: Double, digits d: Int) -> String {
        if x == x.rounded(.towardZero) { return "%12.0f" }
        if abs(x) < 1 {
            let right = -Int((log10(abs(x - x.rounded(.towardZero)))).rounded(.towardZero))
            let dec = max(1, d + right)
            return dec <= 9 ? "%12.\(dec)f" : "%12.\(min(9, d - 1))e"
        }
        let left = Int((log10(abs(x)) + 1).rounded(.towardZero))
        return left <= 9 ? "%12.\(max(1, d - left + 1))f" : "%12.0e"
    }

    static func trimNumber(_ x: Double) -> String {
        var t = String(format: "%.4f", x)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}
