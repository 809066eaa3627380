// What `psmatch2` is asked to do, after the language layer has parsed the command and computed the
// propensity score. Everything here is per input row (`_N` = number of rows of the dataset); the
// matcher never sees variable syntax.

import DidFrame

/// Kernel shapes offered by psmatch2's `kerneltype()`.
public enum MatchKernel: String, Sendable, CaseIterable {
    /// Epanechnikov `1 - u^2` on |u| <= 1 (psmatch2's default kernel).
    case epan
    /// Gaussian density `normalden(u)`, all controls get weight.
    case normal
    /// Biweight `(1 - u^2)^2` on |u| <= 1.
    case biweight
    /// Uniform `1` on |u| <= 1 (radius matching is this kernel with bandwidth = caliper).
    case uniform
    /// Tricube `(1 - |u|^3)^3` on |u| <= 1.
    case tricube
}

/// The matching estimator: nearest neighbours, radius (caliper) or kernel.
public enum MatchMethod: Sendable, Equatable {
    /// k nearest neighbours on the score (`neighbor(k)`, default k = 1).
    case neighbor(k: Int)
    /// Radius matching: every control with |dp| <= caliper, equal weights (`radius caliper(r)`);
    /// nil caliper means psmatch2's missing caliper, i.e. every control.
    case radius(caliper: Double?)
    /// Kernel matching with the given kernel and bandwidth (`kernel kerneltype() bwidth()`).
    case kernel(type: MatchKernel, bandwidth: Double)

    /// psmatch2's `kernel` with its defaults (Epanechnikov, bandwidth 0.06).
    public static let defaultKernel = MatchMethod.kernel(type: .epan, bandwidth: 0.06)
}

/// Which algorithm `noreplacement` uses.
public enum NoReplacementRule: Sendable {
    /// psmatch2 4.0.12's greedy walk (its results, including its quirks).
    case psmatch2
    /// True nearest available control (MatchIt >= 4.5.4 `method = "nearest"`, `replace = FALSE`):
    /// each treated unit, in sort order, takes the closest untaken control, left on ties.
    case nearestAvailable
}

/// Input of `PropensityMatching.match`: one value per dataset row in every array.
public struct MatchSpec: Sendable {
    /// Treatment indicator (0/1; missing rows are left out).
    public var treated: [Double]
    /// Propensity score (from `BinaryModel`: probit by default, logit with `logit`).
    public var pscore: [Double]
    /// Outcome variables (`outcome()`), each with its values.
    public var outcomes: [(name: String, values: [Double])]
    /// Estimation sample from `if`/`in` (nil = all rows); rows with a missing treatment, score or
    /// outcome are dropped as psmatch2's `markout` does.
    public var touse: [Bool]?
    /// Matching method.
    public var method: MatchMethod
    /// `caliper()`: nearest-neighbour matches count only when |dp| < caliper (nil = none).
    public var caliper: Double?
    /// `common`: treated (and with `ate` controls) outside the other group's score range are off support.
    public var common: Bool
    /// `trim()`: percentage; values below 100 drop the treated at the lowest control density.
    public var trim: Double
    /// `noreplacement`: 1-to-1 matching without replacement (psmatch2's greedy walk).
    public var noReplacement: Bool
    /// `ties`: also match every control at the same distance as the nearest one.
    public var ties: Bool
    /// `descending`: with `noreplacement`, walk the treated from the highest score down.
    public var descending: Bool
    /// Algorithm for `noreplacement` (psmatch2's walk by default).
    public var noReplacementRule: NoReplacementRule
    /// `ate`: also match controls to treated and report ATU and ATE.
    public var ate: Bool
    /// True when the score came from `pscore(varname)`: psmatch2 then keeps `_pscore` on every row
    /// (it only restricts it to the sample when it estimated the score itself).
    public var scoreSupplied: Bool

    /// A specification with psmatch2's defaults (1-NN with replacement, no caliper).
    public init(treated: [Double], pscore: [Double], outcomes: [(name: String, values: [Double])] = [],
                touse: [Bool]? = nil, method: MatchMethod = .neighbor(k: 1), caliper: Double? = nil,
                common: Bool = false, trim: Double = 100, noReplacement: Bool = false, ties: Bool = false,
                descending: Bool = false, ate: Bool = false, scoreSupplied: Bool = false,
                noReplacementRule: NoReplacementRule = .psmatch2) {
        self.noReplacementRule = noReplacementRule
        self.treated = treated; self.pscore = pscore; self.outcomes = outcomes; self.touse = touse
        self.method = method; self.caliper = caliper; self.common = common; self.trim = trim
        self.noReplacement = noReplacement; self.ties = ties; self.descending = descending
        self.ate = ate; self.scoreSupplied = scoreSupplied
    }

    /// Checks options the way psmatch2 does before it touches the data (r(198) for bad combinations).
    func validate() throws {
        let n = treated.count
        guard pscore.count == n else { throw StataError(198, "pscore has \(pscore.count) values, expected \(n)") }
        if let t = touse, t.count != n { throw StataError(198, "touse has \(t.count) values, expected \(n)") }
        for o in outcomes where o.values.count != n {
            throw StataError(198, "outcome \(o.name) has \(o.values.count) values, expected \(n)")
        }
        switch method {
        case .neighbor(let k):
            guard k >= 1 else { throw StataError(198, "neighbor() must be a positive integer") }
            if noReplacement && k > 1 {
                throw StataError(198, "Matching without replacement is only implemented with 1-to-1 propensity score matching")
            }
        case .radius(let c):
            if let c, !(c > 0) { throw StataError(198, "caliper() must be positive") }
            if noReplacement {
                throw StataError(198, "Matching without replacement is only implemented with 1-to-1 propensity score matching")
            }
        case .kernel(_, let bw):
            guard bw > 0, bw < Missing.dot else { throw StataError(198, "bwidth() must be positive") }
            if noReplacement {
                throw StataError(198, "Matching without replacement is only implemented with 1-to-1 propensity score matching")
            }
        }
        if let c = caliper, !(c > 0) { throw StataError(198, "caliper() must be positive") }
        if descending && !noReplacement {
            throw StataError(198, "Option descending makes only sense when matching without replacement")
        }
        if noReplacement && ties && noReplacementRule == .nearestAvailable {
            throw StataError(198, "ties is not available with the nearest-available rule")
        }
        if !(trim >= 0 && trim <= 100) { throw StataError(198, "Trim level out of range") }
    }
}
