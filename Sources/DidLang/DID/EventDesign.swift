// The resolved design of an event study: which relative times get an indicator, their variable
// names and axis labels (binned endpoints read <= lo / >= hi).

/// The resolved event-study design (what the indicators mean).
struct EventDesign {
    /// Relative times that get an indicator, ascending (base excluded).
    var times: [Int]
    /// Indicator variable names, parallel to `times`.
    var names: [String]
    var lo: Int, hi: Int, base: Int
    var binned: Bool

    /// Axis label of a relative time (binned endpoints read `<=-6`/`>=6`).
    func label(_ k: Int) -> String {
        if binned && k == lo { return "≤\(k)" }
        if binned && k == hi { return "≥\(k)" }
        return String(k)
    }

    /// `ev_m4`, `ev_p0`: names that sort and read as lead/lag.
    static func variableName(_ k: Int) -> String { k < 0 ? "ev_m\(-k)" : "ev_p\(k)" }
}
