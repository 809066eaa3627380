// Tests of Matrix and Dense against hand-computable cases and against independent recomputation
// (inverse times matrix = identity, eigen reconstruction, naive loops for cross products).

import XCTest
@testable import DidKernel

final class DenseTests: XCTestCase {
    /// A deterministic pseudo-random stream (LCG) so that tests need no RNG state.
    private func stream(_ n: Int, seed: UInt64) -> [Double] {
        var s = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Double(s >> 11) / Double(1 << 53) - 0.5
        }
    }

    func testMatrixBasics() {
        let a = Matrix(rowMajor: [[1, 2, 3], [4, 5, 6]])
        XCTAssertEqual(a.rows, 2); XCTAssertEqual(a.cols, 3)
        XCTAssertEqual(a[1, 2], 6)
        XCTAssertEqual(a.data, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(a.transposed, Matrix(rowMajor: [[1, 4], [2, 5], [3, 6]]))
        let p = a * a.transposed
        XCTAssertEqual(p, Matrix(rowMajor: [[14, 32], [32, 77]]))
        XCTAssertEqual(a * [1, 1, 1], [6, 15])
        XCTAssertEqual(Matrix.identity(2) * p, p)
    }

    func testCrossProductsMatchNaiveLoops() {
        let n = 10_000, k = 4
        let x = Matrix(rows: n, cols: k, data: stream(n * k, seed: 1))
        let y = stream(n, seed: 2)
        let w = stream(n, seed: 3).map { $0 + 0.75 }
        let xtx = Dense.crossProduct(x, weights: w)
        let xty = Dense.crossProduct(x, y, weights: w)
        let xtxU = Dense.crossProduct(x)
        for a in 0..<k {
            var sy = 0.0
            for i in 0..<n { sy += x[i, a] * w[i] * y[i] }
            XCTAssertEqual(xty[a], sy, accuracy: 1e-11 * Double(n))
            for b in 0..<k {
                var s = 0.0, su = 0.0
                for i in 0..<n { s += x[i, a] * w[i] * x[i, b]; su += x[i, a] * x[i, b] }
                XCTAssertEqual(xtx[a, b], s, accuracy: 1e-11 * Double(n))
                XCTAssertEqual(xtxU[a, b], su, accuracy: 1e-11 * Double(n))
                XCTAssertEqual(xtx[a, b], xtx[b, a])
            }
        }
    }

    func testCholeskyInverseAndSolve() throws {
        let a = Matrix(rowMajor: [[4, 2, 0.6], [2, 5, 1], [0.6, 1, 3]])
        let inv = try Dense.choleskyInverse(a)
        let id = a * inv
        for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(id[i, j], i == j ? 1 : 0, accuracy: 1e-14) } }
        let x = try Dense.solveSymmetric(a, [1, 2, 3])
        let back = a * x
        for i in 0..<3 { XCTAssertEqual(back[i], Double(i + 1), accuracy: 1e-14) }
        let l = try Dense.cholesky(a)
        XCTAssertEqual((l * l.transposed)[2, 1], 1, accuracy: 1e-14)
        XCTAssertEqual(l[0, 2], 0)
    }

    func testNotPositiveDefiniteThrows() {
        let a = Matrix(rowMajor: [[1, 2], [2, 1]])
        XCTAssertThrowsError(try Dense.choleskyInverse(a)) { e in
            XCTAssertEqual(e as? DenseError, .notPositiveDefinite(order: 2))
        }
        XCTAssertThrowsError(try Dense.solveSymmetric(a, [1, 1]))
        XCTAssertThrowsError(try Dense.choleskyInverse(Matrix(rowMajor: [[0, 0], [0, 1]])))
        XCTAssertThrowsError(try Dense.choleskyInverse(Matrix(rows: 2, cols: 3)))
    }

    func testInvertSymmetricWithRankDropsLaterCollinearColumn() {
        // Columns x1, x2, x3 = x1 + x2, x4: x3 is the one dropped in this order.
        let n = 200
        let x1 = stream(n, seed: 11), x2 = stream(n, seed: 12), x4 = stream(n, seed: 13)
        let x3 = (0..<n).map { x1[$0] + x2[$0] }
        let x = Matrix(columns: [x1, x2, x3, x4])
        let r = Dense.invertSymmetricWithRank(Dense.crossProduct(x))
        XCTAssertEqual(r.omitted, [false, false, true, false])
        XCTAssertEqual(r.rank, 3)
        for j in 0..<4 { XCTAssertEqual(r.inverse[2, j], 0); XCTAssertEqual(r.inverse[j, 2], 0) }
        // Order x3 x1 x2 x4 drops x2.
        let r2 = Dense.invertSymmetricWithRank(Dense.crossProduct(x), order: [2, 0, 1, 3])
        XCTAssertEqual(r2.omitted, [false, true, false, false])
        // The kept block is a true inverse.
        let kept = r.kept
        let sub = Dense.crossProduct(x).submatrix(rows: kept, cols: kept)
        let prod = sub * r.inverse.submatrix(rows: kept, cols: kept)
        for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(prod[i, j], i == j ? 1 : 0, accuracy: 1e-12) } }
    }

    func testInvertSymmetricWithRankZeroColumn() {
        let a = Matrix(rowMajor: [[2, 0, 1], [0, 0, 0], [1, 0, 2]])
        let r = Dense.invertSymmetricWithRank(a)
        XCTAssertEqual(r.omitted, [false, true, false])
        XCTAssertEqual(r.inverse[0, 0], 2.0 / 3.0, accuracy: 1e-15)
    }

    func testSymmetricEigen() throws {
        let a = Matrix(rowMajor: [[2, 1], [1, 2]])
        let (vals, vecs) = try Dense.symmetricEigen(a)
        XCTAssertEqual(vals[0], 1, accuracy: 1e-14)
        XCTAssertEqual(vals[1], 3, accuracy: 1e-14)
        let rec = vecs * Matrix.diagonal(vals) * vecs.transposed
        for i in 0..<2 { for j in 0..<2 { XCTAssertEqual(rec[i, j], a[i, j], accuracy: 1e-14) } }
    }

    func testLeastSquaresQR() throws {
        let n = 50
        let x1 = stream(n, seed: 21)
        let x = Matrix(columns: [[Double](repeating: 1, count: n), x1])
        let y = x1.map { 3 - 2 * $0 }
        let b = try Dense.leastSquaresQR(x, y)
        XCTAssertEqual(b[0], 3, accuracy: 1e-13)
        XCTAssertEqual(b[1], -2, accuracy: 1e-13)
    }
}
