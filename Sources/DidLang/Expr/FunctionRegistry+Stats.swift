// Statistical functions: normal, t, F and χ² probabilities, densities and quantiles, gamma
// functions and combinatorics. Results that are not finite become missing.
import DidStats
import DidFrame
import Foundation

extension FunctionRegistry {
    static let stats: [String: Builtin] = [
        "normal": unary { Distributions.normal($0) },
        "normprob": unary { Distributions.normal($0) },
        "normalden": Builtin(arity: 1...3) { a, run in
            for v in a { try v.requireNumeric() }
            return mapRowsNum(run.n, a) { k in
                let x = a[0].num(k)
                // normalden(x), normalden(x, s) and normalden(x, m, s).
                let m = a.count == 3 ? a[1].num(k) : 0
                let s = a.count == 1 ? 1 : a[a.count - 1].num(k)
                guard !isMiss(x), !isMiss(m), !isMiss(s), s > 0 else { return Missing.dot }
                return norm(Distributions.normalDen((x - m) / s) / s)
            }
        },
        "invnormal": unary { Distributions.invNormal($0) },
        "invnorm": unary { Distributions.invNormal($0) },
        "ttail": num2 { Distributions.ttail($0, $1) },
        "t": num2 { 1 - Distributions.ttail($0, $1) },
        "tden": num2 { Distributions.tden($0, $1) },
        "invttail": num2 { Distributions.invttail($0, $1) },
        "invt": num2 { df, p in -Distributions.invttail(df, p) },
        "Ftail": num3 { Distributions.Ftail($0, $1, $2) },
        "F": num3 { 1 - Distributions.Ftail($0, $1, $2) },
        "Fden": num3 { Distributions.Fden($0, $1, $2) },
        "invFtail": num3 { Distributions.invFtail($0, $1, $2) },
        "invF": num3 { d1, d2, p in Distributions.invFtail(d1, d2, 1 - p) },
        "chi2tail": num2 { Distributions.chi2tail($0, $1) },
        "chi2": num2 { df, x in x <= 0 ? 0 : Distributions.gammaP(df / 2, x / 2) },
        "chi2den": num2 { Distributions.chi2den($0, $1) },
        "invchi2tail": num2 { Distributions.invchi2tail($0, $1) },
        "invchi2": num2 { df, p in Distributions.invchi2tail(df, 1 - p) },
        "ibeta": num3 { a, b, x in
            x < 0 || x > 1 ? .nan : Distributions.incompleteBeta(a, b, x: x, y: 1 - x)
        },
        "ibetatail": num3 { a, b, x in
            x < 0 || x > 1 ? .nan : Distributions.incompleteBetaUpper(a, b, x: x, y: 1 - x)
        },
        "gammap": num2 { Distributions.gammaP($0, $1) },
        "gammaptail": num2 { Distributions.gammaQ($0, $1) },
        "lngamma": unary { x in x > 0 || x != x.rounded() ? lgamma(x) : .nan },
        "lnfactorial": unary { x in x >= 0 && x == x.rounded() ? lgamma(x + 1) : .nan },
        "factorial": unary { x in x >= 0 && x == x.rounded() ? Foundation.exp(lgamma(x + 1)).rounded() : .nan },
        "comb": num2 { Distributions.comb($0, $1) },
        "binomial": num3 { n, k, p in
            // P(X ≤ k) for X ~ Binomial(n, p) = I_{1-p}(n-k, k+1).
            guard n == n.rounded(), n >= 0, p >= 0, p <= 1 else { return .nan }
            let kk = Foundation.floor(k)
            if kk < 0 { return 0 }
            if kk >= n { return 1 }
            return Distributions.incompleteBeta(n - kk, kk + 1, x: 1 - p, y: p)
        },
    ]

    /// Two numeric arguments with missing propagation; NaN/∞ results become `.`.
    static func num2(_ f: @escaping (Double, Double) -> Double) -> Builtin {
        Builtin(arity: 2...2) { a, run in try map2(a[0], a[1], n: run.n, f) }
    }

    /// Three numeric arguments with missing propagation.
    static func num3(_ f: @escaping (Double, Double, Double) -> Double) -> Builtin {
        Builtin(arity: 3...3) { a, run in try map3(a, run, f) }
    }
}
