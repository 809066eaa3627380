// What `psmatch2` leaves behind: the variables it creates (one value per dataset row, Stata missing
// `.` where psmatch2 leaves them missing) and the numbers of its output table and `r()`.

/// One line of psmatch2's table: treated mean, control mean, difference, S.E., t.
public struct MatchContrast: Sendable, Equatable {
    /// Mean outcome of the treated (for ATU: of the controls' matches).
    public var treated: Double
    /// Mean outcome of the controls (for ATT: of the treated units' matches).
    public var controls: Double
    /// treated - controls (the effect).
    public var difference: Double
    /// Standard error (missing `.` where psmatch2 reports none, e.g. ATU/ATE without `ai()`).
    public var se: Double
    /// difference / se.
    public var t: Double
}

/// Effects for one outcome variable.
public struct MatchOutcomeEffects: Sendable {
    /// Outcome variable name.
    public var name: String
    /// Unmatched difference (`regress y treat` on the whole sample).
    public var unmatched: MatchContrast
    /// Average treatment effect on the treated (r(att), r(seatt)).
    public var att: MatchContrast
    /// Average effect on the untreated (`ate` only); `treated` holds mean of the matches.
    public var atu: MatchContrast?
    /// Average treatment effect (`ate` only): only `difference`, `se`, `t` are meaningful.
    public var ate: MatchContrast?
    /// Sample variance of the outcome over treated on support (psmatch2's var1).
    public var var1: Double
    /// Sample variance over matched controls (`_weight < .`), psmatch2 4.0.12's var0.
    public var var0: Double
    /// Sum over controls of `_weight^2` (the SE's `wtot`).
    public var sumWeightSquared: Double
    /// ATT standard error exactly as Stata runs psmatch2 4.0.12: its `gen w2 = _weight^2` is a
    /// float variable, so each w^2 is rounded to float (differs from `att.se` by ~1e-9 relative
    /// when weights are not integers).
    public var attSEFloatW2: Double
    /// Treated on support used for the ATT (N1).
    public var nTreatedOnSupport: Int
}

/// `tab _treated _support`: counts of treated/controls on and off support.
public struct MatchSupportTable: Sendable, Equatable {
    /// Controls off support.
    public var controlsOff: Int
    /// Controls on support.
    public var controlsOn: Int
    /// Treated off support.
    public var treatedOff: Int
    /// Treated on support.
    public var treatedOn: Int
}

/// Output of `PropensityMatching.match`: psmatch2's variables and results.
public struct MatchResult: Sendable {
    /// `_pscore`: the score (missing outside the sample unless supplied with `pscore()`).
    public var pscore: [Double]
    /// `_treated`: 0/1 in the sample, missing elsewhere.
    public var treated: [Double]
    /// `_support`: 1 on / 0 off common support, missing outside the sample.
    public var support: [Double]
    /// `_weight`: 1 for treated on support (ATT), sum of match weights for used controls, else missing.
    public var weight: [Double]
    /// `_id`: row number in psmatch2's sort order (nearest-neighbour methods only, else nil).
    public var id: [Double]?
    /// `_n1` … `_nk`: `_id` of the k-th neighbour (nearest-neighbour methods only).
    public var neighbors: [[Double]]?
    /// `_nn`: number of matches of each unit (nearest-neighbour methods only).
    public var nn: [Double]?
    /// `_pdif`: |pscore - pscore of the first neighbour| (nearest-neighbour methods only).
    public var pdif: [Double]?
    /// `_<outcome>`: mean outcome of each unit's matches, per outcome in `MatchSpec.outcomes` order.
    public var matchedOutcomes: [(name: String, values: [Double])]
    /// Effects per outcome, in `MatchSpec.outcomes` order.
    public var effects: [MatchOutcomeEffects]
    /// Support counts.
    public var supportTable: MatchSupportTable
    /// Number of observations in the matching sample.
    public var N: Int
}
