// The `graph` command's subcommands: export (PNG/PDF/SVG through DidGraph), combine, drop, dir,
// display, close, save (not supported), and `graph twoway …` as a synonym of twoway. Graphs live
// in the session (`graphs`, `currentGraphName`); there is no screen, so display and close only
// check names.

import DidFrame
import DidGraph
import Foundation

/// `graph` subcommands.
enum GraphManageCommands {
    /// graph subcommand …
    static func run(_ text: String, _ s: Session) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        let word = String(t.prefix { $0 != " " && $0 != "\t" && $0 != "," })
        let rest = String(t.dropFirst(word.count))
        func call() throws -> CommandCall {
            try CommandCall.parse(name: "graph " + word, arguments: rest, location: nil, equalsAllowed: false)
        }
        switch word.lowercased() {
        case _ where GraphArgs.matches(word, "export", min: 3): try export(call(), s)
        case _ where GraphArgs.matches(word, "combine", min: 4): try combine(call(), s)
        case "drop": try drop(call(), s)
        case "dir": try dir(call(), s)
        case _ where GraphArgs.matches(word, "display", min: 1): try display(call(), s)
        case "close": break
        case "save", "use", "describe", "print", "set", "query", "rename", "copy", "replay":
            throw StataError(198, "graph \(word) not supported: .gph files are not used; use graph export")
        case _ where GraphArgs.matches(word, "twoway", min: 2): try TwowayCommand.run(rest, s)
        case "":
            throw StataError(198, "graph: subcommand required")
        default:
            if TwowayCommand.plotTypes.contains(where: { GraphArgs.matches(word, $0.0, min: $0.1) }) {
                try TwowayCommand.run(t, s)
            } else {
                throw StataError(199, "graph \(word) not supported")
            }
        }
    }

    /// The graph `name` (or the current one), checked to exist.
    static func resolve(_ name: String?, _ s: Session) throws -> String {
        guard let n = name ?? s.currentGraphName else { throw StataError(198, "no graph in memory") }
        guard s.graphs[n] != nil else { throw StataError(111, "graph \(n) not found") }
        return n
    }

    /// graph export filename [, replace width(#) height(#) name() as()]
    static func export(_ call: CommandCall, _ s: Session) throws {
        let file = CommandCall.unquote(call.head)
        guard !file.isEmpty else { throw StataError(198, "graph export: file name required") }
        let o = try Options(call.options, specs: [OptionSpec("replace"), OptionSpec("width", .required),
                                                  OptionSpec("height", .required), OptionSpec("name", .required),
                                                  OptionSpec("as", .required)])
        let name = try resolve(o.string("name").map { CommandCall.unquote($0) }, s)
        var format: GraphFormat?
        if let as_ = o.string("as") {
            guard let f = GraphFormat(rawValue: as_.lowercased().trimmingCharacters(in: .whitespaces)) else {
                throw StataError(198, "as(\(as_)): format not supported (png, pdf, svg)")
            }
            format = f
        }
        let fmt = format ?? GraphFormat.from(path: file)
        guard let fmt else {
            let ext = (file as NSString).pathExtension
            throw StataError(198, ext.isEmpty ? "graph export: file name needs an extension (.png, .pdf, .svg)"
                                              : "graph export: .\(ext) files are not supported (png, pdf, svg)")
        }
        let width = try o.number("width"), height = try o.number("height")
        let path = s.resolvePath(file)
        try GraphCommands.wrap {
            if let combined = CombinedGraphs.get(name, s) {
                try GraphRenderer.render(combined, to: path, format: fmt, width: width, height: height, replace: o.has("replace"))
            } else {
                try GraphRenderer.render(s.graphs[name]!, to: path, format: fmt, width: width, height: height,
                                         replace: o.has("replace"))
            }
        }
        s.line("file \(path) saved as \(fmt.rawValue.uppercased()) format")
    }

    /// graph combine name … [, cols(#) rows(#) title() note() xcommon ycommon name()]
    static func combine(_ call: CommandCall, _ s: Session) throws {
        let names = call.head.split(separator: " ").map { CommandCall.unquote(String($0)) }
        guard !names.isEmpty else { throw StataError(198, "graph combine: graph names required") }
        var plots: [Plot] = []
        for n in names {
            guard let p = s.graphs[n] else { throw StataError(111, "graph \(n) not found") }
            guard CombinedGraphs.get(n, s) == nil else { throw StataError(198, "graph \(n) is itself combined") }
            plots.append(p)
        }
        var combined = CombinedPlot(plots)
        var opts = GraphOptions(), scratch = Plot()
        var rows: Int?
        for o in call.options {
            let n = o.name.lowercased(), a = o.argument ?? ""
            switch n {
            case _ where GraphArgs.matches(n, "cols", min: 3) || GraphArgs.matches(n, "columns", min: 3):
                combined.columns = try GraphArgs.count(a, "cols")
            case "rows": rows = try GraphArgs.count(a, "rows")
            case _ where GraphArgs.matches(n, "xcommon", min: 2): combined.commonX = true
            case _ where GraphArgs.matches(n, "ycommon", min: 2): combined.commonY = true
            case "holes", "iscale", "imargin", "altshrink", "colfirst", "nocopies":
                continue
            default:
                guard try opts.apply(o, to: &scratch) else { throw StataError(198, "option \(o.name) not allowed") }
            }
        }
        if let r = rows, combined.columns == nil { combined.columns = (plots.count + r - 1) / r }
        combined.title = scratch.title; combined.note = scratch.note
        if scratch.width != 800 || scratch.height != 600 { combined.width = scratch.width; combined.height = scratch.height }
        _ = try GraphCommands.wrap { try GraphRenderer.layout(combined, width: 200, height: 150) }
        // The session holds plots only; the first panel stands in for the combined graph there.
        var stand = plots[0]
        stand.title = combined.title
        try GraphCommands.store(stand, opts, s)
        CombinedGraphs.set(opts.name, combined, s)
    }

    /// graph drop name … | _all
    static func drop(_ call: CommandCall, _ s: Session) throws {
        let names = call.head.split(separator: " ").map(String.init)
        guard !names.isEmpty else { throw StataError(198, "graph drop: graph names or _all required") }
        if names == ["_all"] {
            s.graphs.removeAll(); CombinedGraphs.removeAll(s); s.currentGraphName = nil
            return
        }
        for n in names where s.graphs[n] == nil { throw StataError(111, "graph \(n) not found") }
        for n in names {
            s.graphs[n] = nil; CombinedGraphs.set(n, nil, s)
            if s.currentGraphName == n { s.currentGraphName = nil }
        }
    }

    /// graph dir: the names of the graphs in memory (r(list)).
    static func dir(_ call: CommandCall, _ s: Session) throws {
        let names = s.graphs.keys.sorted()
        if !names.isEmpty { s.line("  " + names.joined(separator: "  ")) }
        var r = StoredResults()
        r.set("list", names.joined(separator: " "))
        s.rResults = r
    }

    /// graph display [name]: makes it current (no screen to draw on).
    static func display(_ call: CommandCall, _ s: Session) throws {
        let n = call.head.trimmingCharacters(in: .whitespaces)
        s.currentGraphName = try resolve(n.isEmpty ? nil : n, s)
    }
}
