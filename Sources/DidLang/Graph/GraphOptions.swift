// The options every graph command shares (Stata's twoway_options): titles, axis titles, reference
// lines, legend, axis labels and scales, the graph's name and size. `apply` consumes one option
// and reports whether it was one of these, so each command can try its own options first.

import DidFrame
import DidGraph
import Foundation

/// Graph-level options collected while a command parses, applied to its `Plot` at the end.
struct GraphOptions {
    /// `name(x [, replace])`.
    var name = "Graph"
    var replaceName = false
    /// Legend texts by 1-based series number from `legend(label(# "t"))` and `order(# "t")`.
    var legendLabels: [Int: String] = [:]
    /// Explicit title texts; an empty string means the user removed the title (`ytitle("")`).
    var xTitle: String?, yTitle: String?

    /// Applies one option to `plot`; false when it is not a graph-level option.
    mutating func apply(_ o: ParsedOption, to plot: inout Plot) throws -> Bool {
        let n = o.name.lowercased(), a = o.argument
        func need() throws -> String {
            guard let a else { throw StataError(198, "option \(n)() requires an argument") }
            return a
        }
        switch n {
        case _ where GraphArgs.matches(n, "title", min: 5): plot.title = try GraphArgs.text(need())
        case _ where GraphArgs.matches(n, "subtitle", min: 3): plot.subtitle = try GraphArgs.text(need())
        case _ where GraphArgs.matches(n, "note") || GraphArgs.matches(n, "caption", min: 3):
            let t = try GraphArgs.text(need())
            plot.note = [plot.note, t].compactMap { $0 }.joined(separator: "  ")
        case _ where GraphArgs.matches(n, "xtitle", min: 2): xTitle = try GraphArgs.text(need()) ?? ""
        case _ where GraphArgs.matches(n, "ytitle", min: 2): yTitle = try GraphArgs.text(need()) ?? ""
        case "xline": plot.xLines += try Self.refLines(need(), "xline")
        case "yline": plot.yLines += try Self.refLines(need(), "yline")
        case _ where GraphArgs.matches(n, "legend", min: 3): try legend(need(), &plot)
        case _ where GraphArgs.matches(n, "xlabel", min: 4): try Self.axisLabels(need(), &plot.xAxis, "xlabel")
        case _ where GraphArgs.matches(n, "ylabel", min: 4): try Self.axisLabels(need(), &plot.yAxis, "ylabel")
        case _ where GraphArgs.matches(n, "xscale", min: 4): try Self.scale(need(), &plot.xAxis)
        case _ where GraphArgs.matches(n, "yscale", min: 4): try Self.scale(need(), &plot.yAxis)
        case "name":
            let (main, subs) = try GraphArgs.splitComma(try need())
            guard Session.isValidName(main) else { throw StataError(198, "name(): \(main) invalid name") }
            name = main
            replaceName = subs.contains { $0.name == "replace" }
        case "xsize": plot.width = 800 * (try GraphArgs.number(need(), n)) / 5.5
        case "ysize": plot.height = 600 * (try GraphArgs.number(need(), n)) / 4
        case "scheme", "graphregion", "plotregion", "aspectratio", "nodraw", "draw", "xmtick", "ymtick",
             "xmlabel", "ymlabel", "xtick", "ytick", "fxsize", "fysize", "scale":
            break   // appearance only; the s2color look is fixed
        case "saving":
            throw StataError(198, "option saving() not supported: .gph files are not written; use graph export")
        default:
            return false
        }
        return true
    }

    /// xline(numlist [, lpattern() lcolor() lwidth()]).
    static func refLines(_ text: String, _ option: String) throws -> [RefLine] {
        let (main, subs) = try GraphArgs.splitComma(text)
        let values = try GraphArgs.numlist(main)
        guard !values.isEmpty else { throw StataError(198, "option \(option)() requires a numlist") }
        var proto = RefLine(0)
        for o in subs {
            let n = o.name.lowercased(), a = o.argument ?? ""
            if GraphArgs.matches(n, "lpattern", min: 3) { proto.pattern = try GraphArgs.pattern(a) }
            else if GraphArgs.matches(n, "lcolor", min: 3) { proto.color = try GraphArgs.color(a) }
            else if GraphArgs.matches(n, "lwidth", min: 3) { proto.width = try GraphArgs.width(a) }
            else if n == "lstyle" || n == "noextend" || n == "extend" { continue }
            else { throw StataError(198, "option \(n) not allowed in \(option)()") }
        }
        return values.map { v in var l = proto; l.value = v; return l }
    }

    /// legend(off | on | order(# ["text"] …) | label(# "text") | position(#) ring(#) rows(#) cols(#)).
    mutating func legend(_ text: String, _ plot: inout Plot) throws {
        let inner = try CommandCall.parseOptions(text)
        var position: Int?, inside = false
        for o in inner {
            let n = o.name.lowercased(), a = o.argument ?? ""
            switch n {
            case "off": plot.legend.show = false
            case "on": plot.legend.show = true
            case _ where GraphArgs.matches(n, "order"):
                let (order, labels) = try Self.orderList(a)
                plot.legend.order = order.map { $0 - 1 }
                for (k, t) in labels { legendLabels[k] = t }
            case _ where GraphArgs.matches(n, "label", min: 3):
                let parts = a.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2, let k = Int(parts[0]), k >= 1 else { throw StataError(198, "legend(label()) invalid") }
                legendLabels[k] = GraphArgs.strings(parts[1]).joined(separator: " ")
            case _ where GraphArgs.matches(n, "position", min: 3):
                position = try GraphArgs.count(a, "legend(position")
            case "ring": inside = (try GraphArgs.number(a, "legend(ring")) == 0
            case _ where GraphArgs.matches(n, "rows", min: 3):
                let rows = try GraphArgs.count(a, "legend(rows")
                let entries = plot.legend.order?.count ?? plot.series.filter { !($0.label ?? "").isEmpty }.count
                plot.legend.columns = max(1, (max(entries, legendLabels.count) + rows - 1) / rows)
            case _ where GraphArgs.matches(n, "cols", min: 3) || GraphArgs.matches(n, "columns", min: 3):
                plot.legend.columns = try GraphArgs.count(a, "legend(cols")
            case "region", "size", "symxsize", "symysize", "keygap", "colgap", "rowgap", "stack", "span", "bmargin",
                 "title", "subtitle", "holes", "bplacement", "nobox", "pos":
                if n == "pos" { position = try GraphArgs.count(a, "legend(pos") }
            default: throw StataError(198, "legend(): option \(n) not allowed")
            }
        }
        if let p = position { plot.legend.position = LegendPosition.clock(p, inside: inside) }
        if plot.legend.show == nil && (plot.legend.order != nil || !legendLabels.isEmpty) { plot.legend.show = true }
    }

    /// order(1 "a" 2 "b" 3): series numbers, each optionally followed by its text.
    static func orderList(_ text: String) throws -> ([Int], [Int: String]) {
        var order: [Int] = [], labels: [Int: String] = [:]
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if rest.isEmpty { break }
            if rest.hasPrefix("\"") {
                let body = rest.dropFirst()
                guard let end = body.firstIndex(of: "\"") else { throw StataError(198, "legend(order()): unmatched quote") }
                guard let last = order.last else { throw StataError(198, "legend(order()): text before a number") }
                labels[last] = [labels[last], String(body[..<end])].compactMap { $0 }.joined(separator: " ")
                rest = body[body.index(after: end)...]
            } else {
                let word = rest.prefix { $0 != " " && $0 != "\t" && $0 != "\"" }
                rest = rest[word.endIndex...]
                if word == "-" { continue }   // a gap in Stata's legend; no key here
                guard let k = Int(word), k >= 1 else { throw StataError(198, "legend(order()): \(word) invalid") }
                order.append(k)
            }
        }
        return (order, labels)
    }

    /// xlabel(#n | none | numlist ["text"] … [, angle() format() grid nogrid labsize()]).
    static func axisLabels(_ text: String, _ axis: inout Axis, _ option: String) throws {
        let (main, subs) = try GraphArgs.splitComma(text)
        let m = main.trimmingCharacters(in: .whitespaces)
        if m == "none" {
            axis.ticks = []
        } else if m.hasPrefix("#") {
            axis.tickCount = try GraphArgs.count(String(m.dropFirst()), option)
        } else if !m.isEmpty {
            var values: [Double] = [], labels: [(Double, String)] = []
            var rest = Substring(m), pending = ""
            func flush() throws {
                guard !pending.isEmpty else { return }
                values += try GraphArgs.numlist(pending); pending = ""
            }
            while true {
                rest = rest.drop { $0 == " " }
                if rest.isEmpty { break }
                if rest.hasPrefix("\"") {
                    try flush()
                    let body = rest.dropFirst()
                    guard let end = body.firstIndex(of: "\""), let v = values.last else {
                        throw StataError(198, "option \(option)(): invalid label list")
                    }
                    labels.removeAll { $0.0 == v }
                    labels.append((v, String(body[..<end])))
                    rest = body[body.index(after: end)...]
                } else {
                    let word = rest.prefix { $0 != " " && $0 != "\"" }
                    pending += " " + word
                    rest = rest[word.endIndex...]
                }
            }
            try flush()
            if labels.isEmpty {
                axis.ticks = values
            } else {
                let labelled = Dictionary(labels, uniquingKeysWith: { _, b in b })
                let fmt = axis.format
                axis.tickLabels = values.map { v in (v, labelled[v] ?? (fmt?(v) ?? NiceScale.labels([v])[0])) }
            }
        }
        for o in subs {
            let n = o.name.lowercased(), a = o.argument ?? ""
            switch n {
            case _ where GraphArgs.matches(n, "angle", min: 1):
                switch a.lowercased() {
                case "vertical", "v", "90": axis.angle = 90
                case "horizontal", "h", "0": axis.angle = 0
                default: axis.angle = try GraphArgs.number(a, "angle")
                }
            case _ where GraphArgs.matches(n, "format"):
                let f = CommandCall.unquote(a)
                _ = try Fmt.format(1.5, f)   // reject a bad format now, not while drawing
                axis.format = { v in ((try? Fmt.format(v, f)) ?? "\(v)").trimmingCharacters(in: .whitespaces) }
                if let tl = axis.tickLabels, let fn = axis.format { axis.tickLabels = tl.map { ($0.0, $0.1.isEmpty ? fn($0.0) : $0.1) } }
            case "grid": axis.grid = true
            case "nogrid": axis.grid = false
            case "labsize", "labcolor", "labgap", "tlcolor", "tlength", "glcolor", "glpattern", "glwidth",
                 "nolabels", "noticks", "valuelabel", "tposition", "labstyle", "add", "custom", "gmin", "gmax":
                continue
            default: throw StataError(198, "option \(n) not allowed in \(option)()")
            }
        }
    }

    /// xscale(range(a b) | off | on | noline | log | reverse).
    static func scale(_ text: String, _ axis: inout Axis) throws {
        for o in try CommandCall.parseOptions(text) {
            let n = o.name.lowercased()
            switch n {
            case _ where GraphArgs.matches(n, "range", min: 1):
                let v = try GraphArgs.numlist(o.argument ?? "")
                guard let lo = v.min(), let hi = v.max() else { throw StataError(198, "range() requires numbers") }
                let have = axis.range
                axis.range = (min(lo, have?.min ?? lo), max(hi, have?.max ?? hi))
            case "off": axis.show = false
            case "on": axis.show = true
            case "noline", "line", "log", "reverse", "noreverse", "nolog", "titlegap", "outergap", "lstyle", "lcolor",
                 "lwidth", "lpattern", "alt", "noextend", "extend", "fill":
                continue   // drawn without these refinements
            default: throw StataError(198, "option \(n) not allowed in scale()")
            }
        }
    }

    /// Writes the collected titles and legend texts into the plot; axis titles the user gave win
    /// over the defaults the command computed.
    func finish(_ plot: inout Plot, defaultX: String?, defaultY: String?) {
        let x = xTitle ?? defaultX, y = yTitle ?? defaultY
        plot.xTitle = (x?.isEmpty ?? true) ? nil : x
        plot.yTitle = (y?.isEmpty ?? true) ? nil : y
        for (k, t) in legendLabels where k >= 1 && k <= plot.series.count { plot.series[k - 1].label = t }
    }
}
