// The dataset variables psmatch2 4.0.12 creates, in its creation order, with its storage types,
// variable labels and value labels, so the language layer can add them without knowing psmatch2:
//   _pscore double, _treated byte (label _treated), _support byte (label _support), _weight double,
//   _<outcome> double, then for nearest neighbour: _id (`compress`ed: byte/int/long by _N),
//   _n1…_nk (same type as _id), _nn float (Stata's default `gen` type), _pdif double.

import DidFrame

/// One variable created by psmatch2.
public struct MatchVariable: Sendable {
    /// Variable name (`_pscore`, `_n1`, `_re78`, …).
    public var name: String
    /// Stata storage type psmatch2 gives it.
    public var type: StorageType
    /// psmatch2's variable label.
    public var label: String
    /// Name of the value label attached, if any (`_treated`, `_support`).
    public var valueLabel: String?
    /// One value per dataset row.
    public var values: [Double]
}

extension MatchResult {
    /// Value labels psmatch2 defines (`label define _treated 0 "Untreated" 1 "Treated"`, …).
    public static let valueLabels: [String: [Double: String]] = [
        "_treated": [0: "Untreated", 1: "Treated"],
        "_support": [0: "Off support", 1: "On support"],
    ]

    /// The variables to create, in psmatch2's order.
    public var variables: [MatchVariable] {
        var out = [
            MatchVariable(name: "_pscore", type: .double, label: "psmatch2: Propensity Score", valueLabel: nil, values: pscore),
            MatchVariable(name: "_treated", type: .byte, label: "psmatch2: Treatment assignment", valueLabel: "_treated", values: treated),
            MatchVariable(name: "_support", type: .byte, label: "psmatch2: Common support", valueLabel: "_support", values: support),
            MatchVariable(name: "_weight", type: .double, label: "psmatch2: weight of matched controls", valueLabel: nil, values: weight),
        ]
        for o in matchedOutcomes {
            out.append(MatchVariable(name: "_" + o.name, type: .double,
                                     label: "psmatch2: value of \(o.name) of match(es)", valueLabel: nil, values: o.values))
        }
        if let id, let neighbors, let nn, let pdif {
            // `compress _id`: the smallest integer type holding 1…_N.
            let idType: StorageType = id.count <= 100 ? .byte : (id.count <= 32_740 ? .int : .long)
            out.append(MatchVariable(name: "_id", type: idType, label: "psmatch2: Identifier (ID)", valueLabel: nil, values: id))
            for (k, n) in neighbors.enumerated() {
                out.append(MatchVariable(name: "_n\(k + 1)", type: idType, label: "psmatch2: ID of nearest neighbor nr. \(k + 1)",
                                         valueLabel: nil, values: n))
            }
            out.append(MatchVariable(name: "_nn", type: .float, label: "psmatch2: # matched neighbors", valueLabel: nil, values: nn))
            out.append(MatchVariable(name: "_pdif", type: .double, label: "psmatch2: abs(pscore - pscore[nearest neighbor])",
                                     valueLabel: nil, values: pdif))
        }
        return out
    }
}

extension MatchResult {
    /// psmatch2's `r()` scalars in the order it sets them (`att`, `att_<y>`, `seatt`, `seatt_<y>`,
    /// then with `ate` the ATU/ATE ones); with several outcomes the unsuffixed ones end as the last
    /// outcome's, as in psmatch2. `seatt` is Stata's float-w² variant (what psmatch2 prints).
    public var returnScalars: [(name: String, value: Double)] {
        var out: [(String, Double)] = []
        func set(_ name: String, _ v: Double) {
            if let i = out.firstIndex(where: { $0.0 == name }) { out[i].1 = v } else { out.append((name, v)) }
        }
        for e in effects {
            set("att", e.att.difference); set("att_\(e.name)", e.att.difference)
            set("seatt", e.attSEFloatW2); set("seatt_\(e.name)", e.attSEFloatW2)
            if let atu = e.atu, let ate = e.ate {
                set("atu", atu.difference); set("atu_\(e.name)", atu.difference)
                set("ate", ate.difference); set("ate_\(e.name)", ate.difference)
                set("seatu", atu.se); set("seatu_\(e.name)", atu.se)
                set("seate", ate.se); set("seate_\(e.name)", ate.se)
            }
        }
        return out
    }
}
