// The slow, always-valid way to get one placebo estimate: put the fake treatment in a temporary
// variable and re-run the original command line on it, quietly, exactly as a user would by hand.
// The in-time placebo always goes this way (its sample changes with the shift); random placebos
// use it only when the FWL engine cannot represent the original estimate (e.g. multiway
// clustering), since one re-estimation per draw costs a full fit.

import DidFrame
import Foundation

/// Temporary treatment and sample variables for re-running the original command.
final class PlaceboRefit {
    /// One re-estimate of the fake treatment.
    struct Fit {
        var b: Double, se: Double, df: Double?, N: Int
    }

    let setup: PlaceboSetup
    let session: Session
    let fake: String, touse: String

    /// Adds the sample marker: the sample rows with `keep` true (all of them when nil).
    init(_ p: PlaceboSetup, keep: [Bool]?, _ s: Session) {
        setup = p; session = s
        fake = s.tempName(); touse = s.tempName()
        var mask = [Double](repeating: 0, count: s.frame.count)
        for (k, r) in p.sampleRows.enumerated() where keep?[k] ?? true { mask[r] = 1 }
        s.frame.add(Column(name: touse, type: .byte, values: mask))
    }

    /// Drops the temporary variables (call once, after the last fit).
    func close() {
        for name in [fake, touse] { if let j = session.frame.index(of: name) { session.frame.remove(at: j) } }
    }

    /// Re-runs the command with `treatment` (one value per sample row). nil when the fake
    /// treatment is omitted (collinear) or leaves no observations; `N` is then still reported.
    func fit(_ treatment: [Double]) throws -> (fit: Fit?, N: Int) {
        let s = session, n = s.frame.count
        var col = [Double](repeating: Missing.dot, count: n)
        for (i, r) in setup.sampleRows.enumerated() { col[r] = treatment[i] }
        if let j = s.frame.index(of: fake) { s.frame.remove(at: j) }
        s.frame.add(Column(name: fake, type: .byte, values: col))
        s.eResults = setup.original
        do {
            try s.executeExpanded("quietly " + setup.commandLine(fake: fake, touse: touse), location: nil)
        } catch let e as StataError where e.code == 2000 || e.code == 2001 {
            return (nil, 0)
        }
        let e = s.eResults
        let N = Int(e.scalars["N"] ?? 0)
        guard let b = e.matrices["b"], let V = e.matrices["V"], let j = b.colNames.firstIndex(of: fake), V[j, j] > 0 else {
            return (nil, N)
        }
        let df = e.scalars["df_r"].flatMap { Missing.isMissing($0) ? nil : $0 }
        return (Fit(b: b[0, j], se: V[j, j].squareRoot(), df: df, N: N), N)
    }
}
