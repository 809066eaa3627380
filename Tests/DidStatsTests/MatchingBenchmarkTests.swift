// Timing of the propensity-score pipeline (logit with 10 regressors + 1-NN psmatch2 with one
// outcome) on synthetic data. Always runs at 100k rows; 1M rows only when DID_PSM_BENCH_1M is set
// (run it with `swift test -c release --filter MatchingBenchmarkTests`). Prints wall-clock seconds
// and process CPU seconds (all threads): on a shared, loaded machine the CPU time is the stabler one.

import XCTest
import DidFrame
@testable import DidStats

final class MatchingBenchmarkTests: XCTestCase {
    static func synthetic(_ n: Int, k: Int = 10) -> (treat: [Double], xs: [[Double]], y: [Double]) {
        var s: UInt64 = 12345
        func u() -> Double { s = s &* 6364136223846793005 &+ 1442695040888963407; return (Double(s >> 11) + 0.5) / Double(1 << 53) }
        func gauss() -> Double { (-2 * log(u())).squareRoot() * cos(2 * Double.pi * u()) }
        var xs = [[Double]](repeating: [], count: k)
        var treat: [Double] = [], y: [Double] = []
        for _ in 0..<n {
            var idx = -2.2
            for j in 0..<k { let v = j % 3 == 0 ? (u() < 0.4 ? 1.0 : 0) : gauss(); xs[j].append(v); idx += 0.25 * v * (j % 2 == 0 ? 1 : -1) }
            let t = u() < 1 / (1 + exp(-idx)) ? 1.0 : 0
            treat.append(t); y.append(1000 + 500 * t + 300 * xs[1].last! + 100 * gauss())
        }
        return (treat, xs, y)
    }

    /// CPU seconds used by the process so far (all threads).
    static func cpu() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    func run(_ n: Int) throws -> (logit: Double, match: Double) {
        let d = Self.synthetic(n)
        let c0 = Self.cpu()
        let t0 = Date()
        let fit = try BinaryModel.fit(BinarySpec(depvar: "t", y: d.treat, regressors: d.xs.enumerated().map { ("x\($0.offset)", $0.element) }))
        let ps = fit.predictPr()
        let t1 = Date(), c1 = Self.cpu()
        let m = try PropensityMatching.match(MatchSpec(treated: d.treat, pscore: ps, outcomes: [("y", d.y)], scoreSupplied: true))
        let t2 = Date(), c2 = Self.cpu()
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(m.supportTable.treatedOn, Int(d.treat.reduce(0, +)))
        XCTAssertEqual(m.effects[0].att.difference, 500, accuracy: 50)
        print(String(format: "psm bench N=%d: logit+predict %.3f s (cpu %.3f), 1-NN match %.3f s (cpu %.3f), total %.3f s (cpu %.3f), %d iterations",
                     n, t1.timeIntervalSince(t0), c1 - c0, t2.timeIntervalSince(t1), c2 - c1, t2.timeIntervalSince(t0), c2 - c0,
                     fit.iterations))
        return (t1.timeIntervalSince(t0), t2.timeIntervalSince(t1))
    }

    func testPipeline100k() throws { _ = try run(100_000) }

    func testPipeline1M() throws {
        guard ProcessInfo.processInfo.environment["DID_PSM_BENCH_1M"] != nil else { return }
        _ = try run(1_000_000)
    }
}
