// Small value types of the placebo engine: the variance convention of the replicates, one
// replicate's estimate, and the engine's errors.

import DidKernel
import Foundation

/// How the variance of each placebo estimate is formed (the original estimate's VCE type).
public enum PlaceboVariance: Sendable {
    /// s^2 / r'Wr, with s^2 = e'We / (small-sample denominator folded into the factor).
    case unadjusted
    /// Heteroskedasticity-robust sandwich.
    case robust
    /// One-way cluster sandwich over the given dense codes (N of them).
    case cluster(FactorCodes)
}

/// One replicate's estimate of the treatment coefficient.
public struct PlaceboEstimate: Sendable, Equatable {
    /// Coefficient of the (fake) treatment.
    public var b: Double
    /// Its standard error under the original VCE convention.
    public var se: Double
    /// Creates an estimate.
    public init(b: Double, se: Double) { self.b = b; self.se = se }
}

/// Why the engine could not be set up or a replicate could not be estimated.
public enum PlaceboError: Error, Equatable, Sendable {
    /// Inputs of different lengths or an empty sample.
    case invalidInput(String)
    /// The treatment column is collinear with the fixed effects and controls.
    case collinearTreatment
}
