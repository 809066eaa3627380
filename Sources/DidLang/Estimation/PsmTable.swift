// psmatch2's printed output: the effect table (one block per outcome: Unmatched, ATT and with
// `ate` ATU/ATE rows) and the support table (`tab _treated _support`), laid out as psmatch2 4.0.12
// prints them.

import DidFrame
import DidStats
import Foundation

enum PsmTable {
    static func num(_ x: Double, _ f: String = "%11.0g") -> String { EstimationTable.g(x, f) }
    static func pad(_ s: String, _ w: Int) -> String { EstimationTable.pad(s, w) }

    /// Variable Sample | Treated Controls Difference S.E. T-stat, then `tab _treated _support`.
    /// As psmatch2's _mktab: nothing at all without outcome(); one note, only when the ATT has a
    /// standard error; numbers in %11.0g and the t statistic in %7.2f.
    static func effects(_ r: MatchResult, method: MatchMethod, _ s: Session) {
        guard !r.effects.isEmpty else { return }
        s.line(String(repeating: "-", count: 88))
        s.line("        Variable     Sample |    Treated     Controls   Difference         S.E.   T-stat")
        s.line("----------------------------+-----------------------------------------------------------")
        for e in r.effects {
            func row(_ name: String, _ sample: String, _ c: MatchContrast) {
                s.line(pad(EstimationTable.abbreviate(name, 16), 16) + pad(sample, 11) + " |" + pad(num(c.treated), 11)
                       + pad(num(c.controls), 13) + pad(num(c.difference), 13) + pad(num(c.se), 13) + pad(num(c.t, "%7.2f"), 9))
            }
            row(e.name, "Unmatched", e.unmatched)
            row("", "ATT", e.att)
            if let atu = e.atu { row("", "ATU", atu) }
            if let ate = e.ate {
                // `_col(56)`: the difference column.
                s.line(pad("ATE", 27) + " |" + String(repeating: " ", count: 24) + pad(num(ate.difference), 13)
                       + pad(num(ate.se), 13) + pad(num(ate.t, "%7.2f"), 9))
            }
            s.line("----------------------------+-----------------------------------------------------------")
        }
        if let last = r.effects.last, !Missing.isMissing(last.att.se) {
            s.line("Note: S.E. does not take into account that the propensity score is estimated.")
        }
        support(r, s)
    }

    /// `tab _treated _support` through tabulate's own two-way layout, with psmatch2's labels;
    /// only the support levels that occur are columns, as tabulate shows them.
    static func support(_ r: MatchResult, _ s: Session) {
        let t = r.supportTable
        var colText: [String] = [], columns: [[Double]] = []
        if t.controlsOff + t.treatedOff > 0 { colText.append("Off support"); columns.append([Double(t.controlsOff), Double(t.treatedOff)]) }
        if t.controlsOn + t.treatedOn > 0 { colText.append("On support"); columns.append([Double(t.controlsOn), Double(t.treatedOn)]) }
        let freq = (0..<2).map { i in columns.map { $0[i] } }
        TwoWayTable(rowTitle: "psmatch2: Treatment assignment", colTitle: "psmatch2: Common support",
                    rowText: ["Untreated", "Treated"], colText: colText, freq: freq)
            .display(stats: [.freq], key: false, s)
    }
}
