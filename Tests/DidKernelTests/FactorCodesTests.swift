// Tests of dense group coding, nesting and mobility-group counts, and of the CG demeaner against
// a direct least-squares residual on explicit dummies.

import XCTest
@testable import DidKernel

final class FactorCodesTests: XCTestCase {
    func testCodesAscendInKeyOrder() {
        let f = FactorCodes(keys: [[2004, 2003, 2004, 2007, 2003]])
        XCTAssertEqual(f.levels, 3)
        XCTAssertEqual(f.codes, [1, 0, 1, 2, 0])
        XCTAssertEqual(f.counts(), [2, 2, 1])
        // Non-integer keys take the dictionary path and sort the same way; -0 and +0 are one level.
        let g = FactorCodes(keys: [[0.5, -1.25, 0.5, -0.0, 0.0, 1e12]])
        XCTAssertEqual(g.levels, 4)
        XCTAssertEqual(g.codes, [2, 0, 2, 1, 1, 3])
    }

    func testInteractionIsLexicographic() {
        let f = FactorCodes(keys: [[1, 1, 2, 2, 1], [5, 3, 3, 3, 5]])
        XCTAssertEqual(f.levels, 3)
        XCTAssertEqual(f.codes, [1, 0, 2, 2, 1])
    }

    func testSubsetRenumbers() {
        let f = FactorCodes(keys: [[10, 20, 30, 20]]).subset([true, false, true, false])
        XCTAssertEqual(f.levels, 2)
        XCTAssertEqual(f.codes, [0, 1])
    }

    func testNestingAndComponents() {
        let id = FactorCodes(keys: [[1, 1, 2, 2, 3, 3]])
        let state = FactorCodes(keys: [[7, 7, 7, 7, 8, 8]])
        XCTAssertTrue(id.isNested(within: state))
        XCTAssertFalse(state.isNested(within: id))
        // ids {1,2} share firm 5; id 3 only firm 6: two mobility groups.
        let firm = FactorCodes(keys: [[5, 5, 5, 5, 6, 6]])
        XCTAssertEqual(FactorCodes.connectedComponents(id, firm), 2)
        let year = FactorCodes(keys: [[1, 2, 1, 2, 1, 2]])
        XCTAssertEqual(FactorCodes.connectedComponents(id, year), 1)
    }

    func testDemeanerMatchesDummyLeastSquares() throws {
        // Unbalanced two-way layout with weights; compare with the residual of an explicit dummy
        // regression solved by QR.
        var s: UInt64 = 3
        func rnd() -> Double { s = s &* 6364136223846793005 &+ 1442695040888963407; return Double(s >> 11) / Double(1 << 53) }
        let n = 300
        let a = (0..<n).map { _ in Double(Int(rnd() * 20)) }, b = (0..<n).map { _ in Double(Int(rnd() * 7)) }
        let v = (0..<n).map { a[$0] * 0.3 - b[$0] + rnd() }
        let w = (0..<n).map { _ in 0.5 + rnd() }
        let fa = FactorCodes(keys: [a]), fb = FactorCodes(keys: [b])
        let dm = Demeaner(factors: [fa, fb], weights: w)
        let (res, report) = dm.demean(v)
        XCTAssertTrue(report.converged)
        XCTAssertLessThanOrEqual(report.relativeResidual, 1e-14)
        // Dummies: all levels of a, levels 1... of b (one is redundant), scaled by sqrt(w).
        var cols = [[Double]]()
        for l in 0..<fa.levels { cols.append((0..<n).map { fa.codes[$0] == Int32(l) ? w[$0].squareRoot() : 0 }) }
        for l in 1..<fb.levels { cols.append((0..<n).map { fb.codes[$0] == Int32(l) ? w[$0].squareRoot() : 0 }) }
        let D = Matrix(columns: cols)
        let coef = try Dense.leastSquaresQR(D, (0..<n).map { v[$0] * w[$0].squareRoot() })
        let fit = D.multiply(coef)
        for i in 0..<n {
            XCTAssertEqual(res[i], v[i] - fit[i] / w[i].squareRoot(), accuracy: 1e-12)
        }
        // The group means of the residual vanish in both factors.
        for m in dm.groupMeans(res, factor: 0) + dm.groupMeans(res, factor: 1) { XCTAssertEqual(m, 0, accuracy: 1e-13) }
    }

    func testDemeanerSplitsColumnsAcrossThreads() {
        let n = 1000
        let a = FactorCodes(keys: [(0..<n).map { Double($0 % 37) }]), b = FactorCodes(keys: [(0..<n).map { Double($0 % 11) }])
        let dm = Demeaner(factors: [a, b], weights: nil)
        var X = Matrix(columns: (0..<5).map { k in (0..<n).map { sin(Double($0 * (k + 1))) } })
        var Y = X
        let r2 = dm.demean(&X, threads: 2)
        let r1 = dm.demean(&Y, threads: 1)
        XCTAssertEqual(r2.count, 5)
        XCTAssertEqual(X, Y)   // same arithmetic per column whatever the split
        XCTAssertTrue(r1.allSatisfy(\.converged))
    }
}

/// An ill-conditioned design (workers moving along a chain of firms, plus years): CG needs many
/// iterations with a non-monotone residual and must still reach the exact least-squares residual.
final class DemeanerHardDesignTests: XCTestCase {
    func testChainOfFirmsConvergesToExactResidual() throws {
        var s: UInt64 = 17
        func rnd() -> Double { s = s &* 6364136223846793005 &+ 1442695040888963407; return Double(s >> 11) / Double(1 << 53) }
        let workers = 600, perWorker = 4, firms = 150
        var w = [Double](), f = [Double](), t = [Double]()
        for k in 0..<workers {
            // Each worker stays near firm k/4: firms form a long chain linked by few movers.
            let home = k * firms / workers
            for j in 0..<perWorker {
                w.append(Double(k)); t.append(Double(j))
                f.append(Double(min(firms - 1, home + (rnd() < 0.15 ? 1 : 0))))
            }
        }
        let n = w.count
        let v = (0..<n).map { _ in rnd() }
        let fw = FactorCodes(keys: [w]), ff = FactorCodes(keys: [f]), ft = FactorCodes(keys: [t])
        let dm = Demeaner(factors: [fw, ff, ft], weights: nil)
        let (res, rep) = dm.demean(v, tolerance: 1e-14, maxIterations: 100_000)
        XCTAssertTrue(rep.converged, "relative residual \(rep.relativeResidual) after \(rep.iterations)")
        var cols = [[Double]]()
        for l in 0..<fw.levels { cols.append(fw.codes.map { $0 == Int32(l) ? 1 : 0 }) }
        for l in 1..<ff.levels { cols.append(ff.codes.map { $0 == Int32(l) ? 1 : 0 }) }
        for l in 1..<ft.levels { cols.append(ft.codes.map { $0 == Int32(l) ? 1 : 0 }) }
        let D = Matrix(columns: cols)
        let rank = Dense.invertSymmetricWithRank(Dense.crossProduct(D), tolerance: 1e-10)
        let K = Matrix(columns: rank.kept.map { cols[$0] })
        let coef = try Dense.leastSquaresQR(K, v)
        let fit = K.multiply(coef)
        var maxDev = 0.0
        for i in 0..<n { maxDev = max(maxDev, abs(res[i] - (v[i] - fit[i]))) }
        XCTAssertLessThanOrEqual(maxDev, 1e-10, "max deviation from the QR residual (iterations \(rep.iterations))")
        print("[hard design] iterations \(rep.iterations), max deviation \(maxDev)")
    }
}
