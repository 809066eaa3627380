// twoway: plots overlaid in one graph. Three spellings, as do-files use them:
//   twoway (line y x, sort) (scatter y x if g) [, graph options]
//   twoway line y x || scatter y x, title("…")
//   line y x, sort            (the stand-alone shorthands)
// Each plot has its own if/in and options; options that are not plot options belong to the graph
// (Stata lets them sit on any plot). Plots become DidGraph series; the graph options shape the Plot.

import DidFrame
import DidGraph
import Foundation

/// The `twoway` command and its plot types.
enum TwowayCommand {
    /// Plot types that are also commands of their own, with their minimal abbreviations.
    static let standalone: [(String, Int)] = [("line", 4), ("scatter", 2), ("connected", 9), ("rcap", 4),
                                               ("rarea", 5), ("bar", 3)]

    /// Plot types inside twoway, with their minimal abbreviations.
    static let plotTypes: [(String, Int)] = [("line", 4), ("scatter", 2), ("connected", 3), ("rcap", 4),
                                             ("rarea", 5), ("bar", 3), ("lfit", 4), ("kdensity", 5),
                                             ("histogram", 4)]

    /// twoway := plot+ [',' graphopts] ; plot := '(' plotspec ')' | plotspec ('||' plotspec)*
    static func run(_ text: String, _ s: Session) throws {
        let (specs, globalText) = try split(text)
        guard !specs.isEmpty else { throw StataError(198, "twoway: plot type required") }
        var plot = Plot()
        var opts = GraphOptions()
        var xNames: [String] = [], yNames: [String] = [], xVars: Set<String> = []
        for spec in specs {
            let built = try plotSeries(spec, s, &opts, &plot)
            plot.series += built.series
            xNames.append(built.x); yNames += built.y; xVars.insert(built.xVar)
        }
        for o in try CommandCall.parseOptions(globalText) where !(try opts.apply(o, to: &plot)) {
            throw StataError(198, "option \(o.name) not allowed")
        }
        // Stata labels the axis in the x variable's display format; that matters for dates.
        if plot.xAxis.format == nil, xVars.count == 1, let j = s.frame.index(of: xVars.first!) {
            let f = s.frame.columns[j].format
            if f.hasPrefix("%t") || f.hasPrefix("%d") || f.hasPrefix("%-t") || f.hasPrefix("%-d") {
                plot.xAxis.format = { v in ((try? Fmt.format(v, f)) ?? "\(v)").trimmingCharacters(in: .whitespaces) }
            }
        }
        // Stata titles an axis with the variable's label when every plot uses the same variable.
        let xDefault = Set(xNames).count == 1 ? xNames[0] : nil
        let yDefault = Set(yNames).count == 1 ? yNames[0] : nil
        opts.finish(&plot, defaultX: xDefault, defaultY: yDefault)
        _ = try GraphCommands.wrap { try GraphRenderer.layout(plot, width: 200, height: 150) }   // validate now
        try GraphCommands.store(plot, opts, s)
    }

    /// Splits the arguments into plot specifications and the trailing graph options.
    static func split(_ text: String) throws -> ([String], String) {
        let b = Array(text.utf8)
        var specs: [String] = [], globalText = ""
        var i = 0, segmentStart: Int? = nil
        func closeSegment(_ end: Int) {
            if let st = segmentStart {
                let t = String(decoding: b[st..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                if t.hasPrefix(",") { globalText += " " + t.dropFirst() } else if !t.isEmpty { specs.append(t) }
            }
            segmentStart = nil
        }
        while i < b.count {
            let c = b[i]
            if segmentStart == nil {
                if c == 32 || c == 9 { i += 1; continue }
                if c == 40 {   // ( plotspec )
                    guard let close = matching(b, i) else { throw StataError(198, "twoway: unmatched parenthesis") }
                    specs.append(String(decoding: b[(i + 1)..<close], as: UTF8.self).trimmingCharacters(in: .whitespaces))
                    i = close + 1; continue
                }
                if c == 124 && i + 1 < b.count && b[i + 1] == 124 { i += 2; continue }
                if c == 44 && specs.count > 0 && isParenthesisedForm(b, i) {
                    globalText += " " + String(decoding: b[(i + 1)...], as: UTF8.self); break
                }
                segmentStart = i
            }
            if c == 34 { i = skipQuote(b, i); continue }
            if c == 40, let close = matching(b, i) { i = close + 1; continue }
            if c == 124 && i + 1 < b.count && b[i + 1] == 124 { closeSegment(i); i += 2; continue }
            i += 1
        }
        closeSegment(b.count)
        // In the `||` form the options after the last plot's comma serve plot and graph alike;
        // plotSeries hands graph options on, so nothing more is needed here.
        return (specs, globalText)
    }

    /// True when the comma at `i` follows a closed parenthesised plot (graph options start).
    static func isParenthesisedForm(_ b: [UInt8], _ i: Int) -> Bool {
        var j = i - 1
        while j >= 0 && (b[j] == 32 || b[j] == 9) { j -= 1 }
        return j >= 0 && b[j] == 41
    }

    /// Index of the parenthesis closing the one at `i` (quotes respected).
    static func matching(_ b: [UInt8], _ i: Int) -> Int? {
        var depth = 0, j = i
        while j < b.count {
            if b[j] == 34 { j = skipQuote(b, j); continue }
            if b[j] == 40 { depth += 1 } else if b[j] == 41 { depth -= 1; if depth == 0 { return j } }
            j += 1
        }
        return nil
    }

    /// Index just past the string that starts with the quote at `i`.
    static func skipQuote(_ b: [UInt8], _ i: Int) -> Int {
        var j = i + 1
        while j < b.count && b[j] != 34 { j += 1 }
        return min(j + 1, b.count)
    }

    /// plotspec := plottype varlist [if] [in] [weight] [, options] — its series and variable names.
    static func plotSeries(_ spec: String, _ s: Session, _ opts: inout GraphOptions,
                           _ plot: inout Plot) throws -> (series: [Series], x: String, y: [String], xVar: String) {
        let word = String(spec.prefix { $0 != " " && $0 != "\t" && $0 != "," })
        guard let type = plotTypes.first(where: { GraphArgs.matches(word, $0.0, min: $0.1) })?.0 else {
            throw StataError(199, "twoway: plot type \(word) unrecognized")
        }
        let call = try CommandCall.parse(name: type, arguments: String(spec.dropFirst(word.count)), location: nil,
                                         equalsAllowed: false)
        let vars = try s.varlist(call.head)
        var style = PlotStyle()
        for o in call.options where !(try style.apply(o)) {
            guard try opts.apply(o, to: &plot) else { throw StataError(198, "option \(o.name) not allowed") }
        }
        let rows = try s.sampleRows(call)
        let weights = try GraphCommands.weights(call, s, allowed: ["fw", "aw", "iw", "pw"])
        let base = plot.series.count
        let built = try PlotData.series(type, vars: vars, rows: rows, weights: weights, style: style, s)
        let styled = built.series.enumerated().map { k, series in style.styled(series, index: base + k) }
        let xVar = ["kdensity", "histogram"].contains(type) ? vars[0] : vars[vars.count - 1]
        return (styled, built.x, built.y, xVar)
    }
}
