// psmatch2's printed output: the effect table (one block per outcome: Unmatched, ATT and with
// `ate` ATU/ATE rows) and the support table (`tab _treated _support`), laid out as psmatch2 4.0.12
// prints them.

import DidFrame
import DidStats
import Foundation

enum PsmTable {
    static func num(_ x: Double, _ f: String = "%10.0g") -> String { EstimationTable.g(x, f) }
    static func pad(_ s: String, _ w: Int) -> String { EstimationTable.pad(s, w) }

    /// Variable Sample | Treated Controls Difference S.E. T-stat.
    static func effects(_ r: MatchResult, method: MatchMethod, _ s: Session) {
        let rule = String(repeating: "-", count: 88)
        s.line(rule)
        s.line("        Variable     Sample |    Treated     Controls   Difference         S.E.   T-stat")
        s.line("----------------------------+-----------------------------------------------------------")
        for e in r.effects {
            func row(_ name: String, _ sample: String, _ c: MatchContrast) {
                s.line(pad(EstimationTable.abbreviate(name, 16), 16) + pad(sample, 11) + " |" + pad(num(c.treated), 11)
                       + pad(num(c.controls), 13) + pad(num(c.difference), 13) + pad(num(c.se), 13) + pad(num(c.t, "%8.2f"), 9))
            }
            row(e.name, "Unmatched", e.unmatched)
            row("", "ATT", e.att)
            if let atu = e.atu { row("", "ATU", atu) }
            if let ate = e.ate {
                s.line(pad("ATE", 27) + " |" + String(repeating: " ", count: 37) + pad(num(ate.difference), 13)
                       + pad(num(ate.se), 13) + pad(num(ate.t, "%8.2f"), 9))
            }
            s.line("----------------------------+-----------------------------------------------------------")
        }
        s.line("Note: S.E. does not take into account that the propensity score is estimated.")
        if case .neighbor = method {} else {
            s.line("Note: S.E. for ATT does not take into account that the weights are estimated.")
        }
        s.line()
    }

    /// `tab _treated _support` with psmatch2's labels (only the support levels that occur).
    static func support(_ r: MatchResult, _ s: Session) {
        let t = r.supportTable
        var cols: [(String, [Int])] = []
        if t.controlsOff + t.treatedOff > 0 { cols.append(("Off suppo", [t.controlsOff, t.treatedOff])) }
        if t.controlsOn + t.treatedOn > 0 { cols.append(("On suppor", [t.controlsOn, t.treatedOn])) }
        let fmt = DataCommands.fmtInt
        let width = 11 * cols.count
        // The column variable's label is wrapped to the width of the cells, as tabulate does.
        let title = width >= 22 ? ["psmatch2: Common", "support"] : ["psmatch2:", "Common", "support"]
        let left = Array(repeating: "", count: title.count - 2) + [" psmatch2:", " Treatment"]
        for (l, t) in zip(left, title) {
            let centred = String(repeating: " ", count: max(0, (width - t.count) / 2)) + t
            s.line(pad(l, 10) + " |" + centred.padding(toLength: width, withPad: " ", startingAt: 0) + "|")
        }
        s.line("assignment |" + cols.map { pad($0.0, 10) + " " }.joined() + "|     Total")
        s.line("-----------+" + String(repeating: "-", count: width) + "+-----------")
        for (i, label) in ["Untreated", "Treated"].enumerated() {
            let cells = cols.map { $0.1[i] }
            s.line(pad(label, 10) + " |" + cells.map { pad(fmt($0), 10) + " " }.joined() + "|" + pad(fmt(cells.reduce(0, +)), 10))
        }
        s.line("-----------+" + String(repeating: "-", count: width) + "+-----------")
        let totals = cols.map { $0.1.reduce(0, +) }
        s.line(pad("Total", 10) + " |" + totals.map { pad(fmt($0), 10) + " " }.joined() + "|" + pad(fmt(totals.reduce(0, +)), 10))
    }
}
