// psgraph (psmatch2's overlap graph): frequencies of the propensity score in common bins for
// the untreated, the treated on common support and the treated off support. Treated bars go
// up and untreated bars down from zero (back to back), so the overlap reads at a glance; the
// y axis labels show counts without sign. Defaults are psmatch2's _pscore, _treated, _support.

import DidFrame
import DidGraph
import Foundation

/// The `psgraph` command.
enum PsgraphCommand {
    /// psgraph [if] [in] [, treated(var) pscore(var) support(var) bin(#) graph options]
    static func run(_ call: CommandCall, _ s: Session) throws {
        var plot = Plot(), opts = GraphOptions()
        var treatedName = "_treated", scoreName = "_pscore", supportName: String? = nil, bins = 20
        for o in call.options {
            let n = o.name.lowercased(), a = (o.argument ?? "").trimmingCharacters(in: .whitespaces)
            switch n {
            case _ where GraphArgs.matches(n, "treated", min: 1): treatedName = a
            case _ where GraphArgs.matches(n, "pscore", min: 1): scoreName = a
            case _ where GraphArgs.matches(n, "support", min: 1): supportName = a
            case "bin": bins = try GraphArgs.count(a, "bin")
            default:
                guard try opts.apply(o, to: &plot) else { throw StataError(198, "option \(o.name) not allowed") }
            }
        }
        guard call.head.trimmingCharacters(in: .whitespaces).isEmpty else { throw StataError(198, "psgraph takes no varlist") }
        let rows = try s.sampleRows(call)
        let treated = try GraphCommands.numbers(treatedName, rows: rows, s)
        let score = try GraphCommands.numbers(scoreName, rows: rows, s)
        // Without a support variable (none named, none from psmatch2) every unit is on support.
        let support: [Double]
        if let sn = supportName ?? (s.frame.index(of: "_support") != nil ? "_support" : nil) {
            support = try GraphCommands.numbers(sn, rows: rows, s)
        } else {
            support = rows.map { _ in 1 }
        }
        let usable = rows.indices.filter { !score[$0].isNaN && !treated[$0].isNaN }
        guard let lo = usable.map({ score[$0] }).min(), let hi = usable.map({ score[$0] }).max() else {
            throw StataError.noObservations()
        }
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        let groups: [(String, (Int) -> Bool, Double)] = [
            ("Untreated", { treated[$0] == 0 }, -1),
            ("Treated: On support", { treated[$0] != 0 && support[$0] == 1 }, 1),
            ("Treated: Off support", { treated[$0] != 0 && support[$0] != 1 }, 1),
        ]
        for (k, g) in groups.enumerated() {
            let values = usable.filter(g.1).map { score[$0] }
            guard !values.isEmpty else { continue }
            var b = try GraphCommands.wrap {
                try Histogram.bins(values, width: width, start: lo, scale: .frequency)
            }
            b = b.map { var x = $0; x.height *= g.2; return x }
            plot.series.append(.histogram(b, label: g.0, color: Color.palette(k)))
        }
        plot.legend.show = true
        plot.yAxis.format = { v in NiceScale.format(abs(v), decimals: abs(v) == abs(v).rounded() ? 0 : 2, trimZeros: true) }
        plot.yLines = [RefLine(0, color: .axis, pattern: .solid, width: 1)] + plot.yLines
        opts.finish(&plot, defaultX: "Propensity Score", defaultY: nil)
        try GraphCommands.store(plot, opts, s)
    }
}
