// What a placebo test needs from the estimate in memory: the original command line split into
// its parts, the estimation sample, the panel (id, time) and the partialled design for the fast
// re-fits. Everything is read from e() (e(cmd), e(cmdline), e(depvar), e(absvars), e(clustvar),
// e(sample), e(b), e(V)) and checked before any replicate runs.

import DidFrame
import DidKernel
import DidStats
import Foundation

/// The original estimate, taken apart.
struct PlaceboSetup {
    /// regress, reghdfe, areg or xtreg.
    var cmd: String
    var depvar: String
    /// The varlist after the depvar, as written (the treatment among them).
    var regressorTokens: [String]
    var treatvar: String
    var weight: (kind: String, exp: String)?
    /// Options of the original command, as written.
    var optionsText: String
    /// e(sample) as row indices.
    var sampleRows: [Int]
    /// Real estimate of the treatment and its standard error.
    var b: Double, se: Double
    var level: Double
    var idVar: String, timeVar: String
    /// Panel of the panel rows (blocks = clusters when treatment is assigned by cluster). The
    /// panel rows are the sample rows, or for didplacebo every row with id, time and treatment.
    var panel: PlaceboPanel
    /// The treatment on the sample rows.
    var treatment: [Double]
    /// The treatment on the panel rows.
    var panelTreatment: [Double]
    /// Position of each sample row among the panel rows.
    var sampleInPanel: [Int]
    var original: StoredResults

    static let commands: Set<String> = ["regress", "reghdfe", "areg", "xtreg"]

    /// Reads and checks e(); `id`/`time` override the panel variables.
    /// `clusterBlocks: false` permutes units even when treatment is assigned by cluster;
    /// `wholeData` builds the panel from every row of the data with id, time and treatment, not
    /// only e(sample) (both as didplacebo, which reads the whole dataset).
    static func read(_ s: Session, treatvar rawTreat: String, id: String?, time: String?,
                     clusterBlocks: Bool = true, wholeData: Bool = false) throws -> PlaceboSetup {
        let e = s.eResults
        guard let cmd = e.macros["cmd"], let cmdline = e.macros["cmdline"] else { throw StataError(301, "last estimates not found") }
        guard commands.contains(cmd) else {
            throw StataError(301, "placebo works after regress, reghdfe, areg or xtreg (last estimates are from \(cmd))")
        }
        guard let sample = s.estimationSample(), let b = e.matrices["b"], let V = e.matrices["V"] else {
            throw StataError(301, "estimation sample of the last estimates not available")
        }
        let treatvar = try s.varlist(rawTreat).first ?? rawTreat
        guard let j = b.colNames.firstIndex(of: treatvar) else {
            throw StataError(111, "treatvar(\(treatvar)) is not a regressor of the last estimates")
        }
        guard V[j, j] > 0 else { throw StataError(459, "treatvar(\(treatvar)) was omitted from the last estimates") }
        let rest = String(cmdline.dropFirst(cmdline.prefix { $0 != " " }.count))
        let call = try CommandCall.parse(name: cmd, arguments: rest, location: nil)
        let tokens = try FactorVarlist.tokens(call.head)
        guard let dep = tokens.first else { throw StataError(198, "e(cmdline) has no varlist") }
        let rows = sample.indices.filter { sample[$0] }
        let treatCol = s.frame.column(treatvar)!.nums
        let d = rows.map { treatCol[$0] }
        guard d.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw StataError(450, "treatvar(\(treatvar)) must be 0/1 in the estimation sample") }

        // Panel variables: options, then xtset, then the first two absorbed variables.
        let absvars = (e.macros["absvars"] ?? "").split(separator: " ").map(String.init)
        let idVar = try id.map { try s.varlist($0)[0] } ?? s.timeSettings?.panel ?? (absvars.count >= 2 ? absvars[0] : nil)
        let timeVar = try time.map { try s.varlist($0)[0] } ?? (s.timeSettings?.panel != nil ? s.timeSettings?.time : nil) ?? (absvars.count >= 2 ? absvars[1] : nil)
        guard let iv = idVar, let tv = timeVar, s.frame.column(iv) != nil, s.frame.column(tv) != nil else {
            throw StataError(459, "placebo needs the panel: xtset the data or give id() and time()")
        }
        let idKeys = try LinearModelSetup.encodedColumn(iv, s), tKeys = s.frame.column(tv)!.nums
        for r in rows where Missing.isMissing(idKeys[r]) || Missing.isMissing(tKeys[r]) {
            throw StataError(459, "id(\(iv)) or time(\(tv)) missing in the estimation sample")
        }
        let panelRows = wholeData
            ? (0..<s.frame.count).filter { !Missing.isMissing(idKeys[$0]) && !Missing.isMissing(tKeys[$0]) && !Missing.isMissing(treatCol[$0]) }
            : rows
        let pd = panelRows.map { treatCol[$0] }
        guard pd.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw StataError(450, "treatvar(\(treatvar)) must be 0/1") }
        var position = [Int](repeating: -1, count: s.frame.count)
        for (k, r) in panelRows.enumerated() { position[r] = k }
        let sampleInPanel = rows.map { position[$0] }
        let unit = FactorCodes(keys: [idKeys], rows: panelRows)
        var blocks: [Int32]? = nil
        if clusterBlocks, let cv = e.macros["clustvar"], !cv.contains(" "), !cv.contains("#"), s.frame.column(cv) != nil {
            blocks = FactorCodes(keys: [try LinearModelSetup.encodedColumn(cv, s)], rows: panelRows).codes
        }
        let panel: PlaceboPanel
        do {
            panel = try PlaceboPanel(unit: unit.codes, units: unit.levels, time: panelRows.map { tKeys[$0] }, treatment: pd, blockCodes: blocks)
        } catch PlaceboError.invalidInput(let m) { throw StataError(459, m) }
        guard panel.treatedBlocks > 0 else { throw StataError(459, "no unit is treated in the estimation sample") }
        return PlaceboSetup(cmd: cmd, depvar: dep, regressorTokens: Array(tokens.dropFirst()), treatvar: treatvar,
                            weight: call.weight, optionsText: call.optionsText, sampleRows: rows,
                            b: b[0, j], se: V[j, j].squareRoot(), level: e.scalars["level"] ?? 95,
                            idVar: iv, timeVar: tv, panel: panel, treatment: d, panelTreatment: pd,
                            sampleInPanel: sampleInPanel, original: e)
    }

    /// A panel-row column restricted to the sample rows (what the estimators see).
    func onSample(_ v: [Double]) -> [Double] { sampleInPanel.map { v[$0] } }

    /// The in-time sample on the sample rows (see PlaceboPanel.inTimeKeep).
    func inTimeKeep(drop: Bool) -> [Bool] {
        let keep = panel.inTimeKeep(treatment: panelTreatment, keepPost: !drop)
        return sampleInPanel.map { keep[$0] }
    }

    /// The original command with the treatment replaced by `fake` and the sample by `touse`.
    func commandLine(fake: String, touse: String) -> String {
        let regs = regressorTokens.map { $0 == treatvar ? fake : $0 }.joined(separator: " ")
        var line = "\(cmd) \(depvar) \(regs) if \(touse)"
        if let w = weight { line += " [\(w.kind)=\(w.exp)]" }
        if !optionsText.isEmpty { line += ", \(optionsText)" }
        return line
    }

    /// The fast re-fit engine on e(sample): y and the other regressors partialled out once, the
    /// variance factor calibrated on the real treatment (and the real coefficient checked).
    func partialledDesign(_ s: Session) throws -> PartialledDesign {
        let e = original
        let others = regressorTokens.filter { $0 != treatvar }.joined(separator: " ")
        var text = "\(depvar) \(others) if e(sample)"
        if let w = weight { text += " [\(w.kind)=\(w.exp)]" }
        let call = try CommandCall.parse(name: cmd, arguments: text, location: nil)
        let absorb = (e.macros["absvars"] ?? "").split(separator: " ").map(String.init)
        let vceType = e.macros["vce"] ?? "ols"
        let clusters = (e.macros["clustvar"] ?? "").split(separator: " ").map(String.init)
        guard clusters.count <= 1 else { throw StataError(198, "placebo: multiway clustering is not supported") }
        let hasCons = e.matrices["b"]?.colNames.contains("_cons") ?? true
        let setup = try LinearModelSetup.build(call, s, convention: .reghdfe, absorb: absorb,
                                               vceKind: vceType == "cluster" ? "cluster" : vceType == "robust" ? "robust" : "unadjusted",
                                               clusters: clusters, hasConstant: hasCons, level: level)
        let rows = sampleRows
        let spec = setup.spec
        let y = rows.map { spec.y[$0] }
        let controls = spec.regressors.map { col in rows.map { col.values[$0] } }
        let fes = spec.absorb.map { FactorCodes(keys: $0.keys, rows: rows) }
        let anySlopes = spec.absorb.contains { !$0.slopes.isEmpty }
        let weights = spec.weights.map { w in rows.map { w[$0] } }
        var variance = PlaceboVariance.unadjusted
        switch spec.vce {
        case .robust: variance = .robust
        case .cluster(let terms): variance = .cluster(FactorCodes(keys: terms[0].keys, rows: rows))
        default: break
        }
        do {
            let design = try PartialledDesign(
                y: y, controls: controls, fixedEffects: fes,
                slopes: anySlopes ? spec.absorb.map { t in t.slopes.map { sl in rows.map { sl.values[$0] } } } : nil,
                intercepts: anySlopes ? spec.absorb.map(\.includeIntercept) : nil,
                constant: hasCons, weights: weights, frequencyWeights: spec.weightKind == .fweight, variance: variance)
            let bEngine = try design.calibrate(treatment: treatment, variance: se * se)
            guard abs(bEngine - b) <= 1e-7 * max(abs(b), 1e-8) + 1e-12 else {
                throw StataError(459, "the data have changed since estimation (re-fit gives \(bEngine), e(b) has \(b)); re-run the estimation")
            }
            return design
        } catch let err as PlaceboError {
            throw StataError(459, "placebo: \(err)")
        }
    }
}
