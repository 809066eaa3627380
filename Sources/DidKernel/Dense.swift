// Dense linear algebra on small K x K systems and tall N x K panels, over OpenBLAS/LAPACKE.
//
// Dimension naming: N = rows of a data matrix (observations), K = its columns. Every routine takes
// and returns column-major `Matrix` values; nothing here allocates anything N x N.
//
// Numerical notes (why the routines look the way they do):
// - Cross products use dsyrk (unweighted) or a blocked dgemm over row chunks (weighted), so a weighted
//   X'WX never copies more than one chunk of X, and weights may be negative (iweights).
// - Symmetric inverses are equilibrated first (A -> D^-1/2 A D^-1/2 with D = diag A) so that
//   accuracy does not depend on the units of the columns (van der Sluis), then unscaled.
// - `invertSymmetricWithRank` reproduces Stata's `invsym` behaviour: columns are swept in the given
//   order and one whose remaining pivot is <= tolerance x its original diagonal is declared collinear
//   with the earlier kept ones and gets a zero row and column. The inverse of the kept block is then
//   recomputed by Cholesky, which is as accurate as the problem allows.

import CBLAS

/// Why a dense routine could not finish.
public enum DenseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The matrix is not (numerically) positive definite; `order` is LAPACK's failing leading minor (1-based).
    case notPositiveDefinite(order: Int)
    /// Shapes that do not fit together.
    case dimensionMismatch(String)
    /// A LAPACK routine reported an error.
    case lapackFailure(routine: String, info: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notPositiveDefinite(let k): return "matrix not positive definite (leading minor \(k))"
        case .dimensionMismatch(let s): return "dimension mismatch: \(s)"
        case .lapackFailure(let r, let i): return "\(r) failed with info \(i)"
        }
    }
}

/// The result of `Dense.invertSymmetricWithRank`: a generalised inverse with collinear columns zeroed.
public struct SymmetricInverse: Sendable {
    /// K x K generalised inverse; rows/columns of omitted columns are zero.
    public var inverse: Matrix
    /// Number of kept (linearly independent) columns.
    public var rank: Int
    /// `omitted[j]` is true when column j was found collinear with earlier kept columns (or is zero).
    public var omitted: [Bool]
    /// Indices of the kept columns, ascending.
    public var kept: [Int] { omitted.indices.filter { !omitted[$0] } }
}

/// Dense BLAS/LAPACK-backed routines used by the estimators (regression, logit/probit).
public enum Dense {
    /// OpenBLAS's own worker threads spin (sched_yield) while idle and then fight the kernel's two
    /// threads for the cores; the kernel already splits rows and columns across threads itself,
    /// so BLAS runs single-threaded. Touched by every function that calls BLAS/LAPACK (a Swift
    /// static is initialised once, thread-safely).
    static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()
    /// Rows per block in weighted cross products: large enough for dgemm efficiency, small enough to stay in cache.
    static let chunkRows = 4096

    /// X'WX (K x K, symmetric, both triangles filled). Weights are per row (length N) or nil for W = I.
    public static func crossProduct(_ X: Matrix, weights: [Double]? = nil) -> Matrix {
        _ = singleThreadedBLAS
        let n = X.rows, k = X.cols
        var c = Matrix(rows: k, cols: k)
        if k == 0 || n == 0 { return c }
        if let w = weights {
            precondition(w.count == n, "crossProduct: \(w.count) weights for \(n) rows")
            var block = [Double](repeating: 0, count: min(chunkRows, n) * k)
            X.data.withUnsafeBufferPointer { xp in
                c.data.withUnsafeMutableBufferPointer { cp in
                    var r0 = 0
                    while r0 < n {
                        let m = min(chunkRows, n - r0)
                        for j in 0..<k {
                            let src = xp.baseAddress! + j * n + r0
                            for i in 0..<m { block[i + j * m] = src[i] * w[r0 + i] }
                        }
                        block.withUnsafeBufferPointer { bp in
                            // C += X_chunk' (W X_chunk); X_chunk is a view of X with leading dimension N.
                            cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(k), Int32(m), 1.0,
                                        xp.baseAddress! + r0, Int32(n), bp.baseAddress, Int32(m),
                                        1.0, cp.baseAddress, Int32(k))
                        }
                        r0 += m
                    }
                }
            }
            // dgemm of X'(WX) is symmetric only up to rounding; make it exactly symmetric.
            for j in 0..<k { for i in (j + 1)..<k { let a = 0.5 * (c[i, j] + c[j, i]); c[i, j] = a; c[j, i] = a } }
        } else {
            X.data.withUnsafeBufferPointer { xp in
                c.data.withUnsafeMutableBufferPointer { cp in
                    cblas_dsyrk(CblasColMajor, CblasLower, CblasTrans, Int32(k), Int32(n), 1.0,
                                xp.baseAddress, Int32(n), 0.0, cp.baseAddress, Int32(k))
                }
            }
            c.symmetrizeFromLower()
        }
        return c
    }

    /// X'Wy (length K). Weights are per row or nil.
    public static func crossProduct(_ X: Matrix, _ y: [Double], weights: [Double]? = nil) -> [Double] {
        _ = singleThreadedBLAS
        precondition(y.count == X.rows, "crossProduct: y has \(y.count) rows, X has \(X.rows)")
        var out = [Double](repeating: 0, count: X.cols)
        if X.rows == 0 || X.cols == 0 { return out }
        let wy: [Double]
        if let w = weights {
            precondition(w.count == X.rows, "crossProduct: \(w.count) weights for \(X.rows) rows")
            wy = (0..<y.count).map { y[$0] * w[$0] }
        } else { wy = y }
        X.data.withUnsafeBufferPointer { xp in
            wy.withUnsafeBufferPointer { yp in
                out.withUnsafeMutableBufferPointer { op in
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(X.rows), Int32(X.cols), 1.0,
                                xp.baseAddress, Int32(X.rows), yp.baseAddress, 1, 0.0, op.baseAddress, 1)
                }
            }
        }
        return out
    }

    /// X'WY for two data matrices with the same rows (K1 x K2).
    public static func crossProduct(_ X: Matrix, _ Y: Matrix, weights: [Double]? = nil) -> Matrix {
        _ = singleThreadedBLAS
        precondition(X.rows == Y.rows, "crossProduct: X has \(X.rows) rows, Y has \(Y.rows)")
        var c = Matrix(rows: X.cols, cols: Y.cols)
        for j in 0..<Y.cols {
            let col = crossProduct(X, Y.column(j), weights: weights)
            for i in 0..<X.cols { c[i, j] = col[i] }
        }
        return c
    }

    /// Lower Cholesky factor L of a symmetric positive definite A (A = L L'); throws if A is not PD.
    public static func cholesky(_ A: Matrix) throws -> Matrix {
        _ = singleThreadedBLAS
        try checkSquare(A, "cholesky")
        var l = A
        let n = A.rows
        if n == 0 { return l }
        let info = l.data.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotrf(LAPACK_COL_MAJOR, lower, Int32(n), p.baseAddress, Int32(n))
        }
        if info > 0 { throw DenseError.notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw DenseError.lapackFailure(routine: "dpotrf", info: Int(info)) }
        for j in 0..<n { for i in 0..<j { l[i, j] = 0 } }
        return l
    }

    /// Scales a symmetric matrix to unit diagonal, m = S A S with S = diag(1/sqrt(a_ii)), so
    /// Cholesky sees a well-scaled problem; returns m and the scale factors. A non-positive or
    /// non-finite diagonal means A is not positive definite.
    static func equilibrate(_ A: Matrix) throws -> (Matrix, [Double]) {
        let n = A.rows
        var s = [Double](repeating: 1, count: n)
        for i in 0..<n {
            let d = A[i, i]
            guard d > 0, d.isFinite else { throw DenseError.notPositiveDefinite(order: i + 1) }
            s[i] = 1 / d.squareRoot()
        }
        var m = A
        for j in 0..<n { for i in 0..<n { m[i, j] *= s[i] * s[j] } }
        return (m, s)
    }

    /// Inverse of a symmetric positive definite matrix via equilibrated Cholesky (dpotrf + dpotri).
    /// Throws `DenseError.notPositiveDefinite` when A is not positive definite.
    public static func choleskyInverse(_ A: Matrix) throws -> Matrix {
        _ = singleThreadedBLAS
        try checkSquare(A, "choleskyInverse")
        let n = A.rows
        if n == 0 { return A }
        var (m, s) = try equilibrate(A)
        var info = m.data.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotrf(LAPACK_COL_MAJOR, lower, Int32(n), p.baseAddress, Int32(n))
        }
        if info > 0 { throw DenseError.notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw DenseError.lapackFailure(routine: "dpotrf", info: Int(info)) }
        info = m.data.withUnsafeMutableBufferPointer { p in
            LAPACKE_dpotri(LAPACK_COL_MAJOR, lower, Int32(n), p.baseAddress, Int32(n))
        }
        if info != 0 { throw DenseError.lapackFailure(routine: "dpotri", info: Int(info)) }
        m.symmetrizeFromLower()
        for j in 0..<n { for i in 0..<n { m[i, j] *= s[i] * s[j] } }
        return m
    }

    /// Solves A x = b for symmetric positive definite A (equilibrated Cholesky); throws if A is not PD.
    public static func solveSymmetric(_ A: Matrix, _ b: [Double]) throws -> [Double] {
        let x = try solveSymmetric(A, Matrix(rows: b.count, cols: 1, data: b))
        return x.data
    }

    /// Solves A X = B (several right-hand sides) for symmetric positive definite A; throws if A is not PD.
    public static func solveSymmetric(_ A: Matrix, _ B: Matrix) throws -> Matrix {
        _ = singleThreadedBLAS
        try checkSquare(A, "solveSymmetric")
        guard B.rows == A.rows else {
            throw DenseError.dimensionMismatch("solveSymmetric: A is \(A.rows)x\(A.cols), B has \(B.rows) rows")
        }
        let n = A.rows
        if n == 0 || B.cols == 0 { return B }
        var (m, s) = try equilibrate(A)
        var x = B
        for j in 0..<B.cols { for i in 0..<n { x[i, j] *= s[i] } }
        let info = m.data.withUnsafeMutableBufferPointer { mp in
            x.data.withUnsafeMutableBufferPointer { xp in
                LAPACKE_dposv(LAPACK_COL_MAJOR, lower, Int32(n), Int32(B.cols), mp.baseAddress, Int32(n),
                              xp.baseAddress, Int32(n))
            }
        }
        if info > 0 { throw DenseError.notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw DenseError.lapackFailure(routine: "dposv", info: Int(info)) }
        for j in 0..<B.cols { for i in 0..<n { x[i, j] *= s[i] } }
        return x
    }

    /// Generalised inverse of a symmetric positive semidefinite A that reports collinear columns, like
    /// Stata's `invsym`: columns are swept in `order` (default 0..<K); a column whose pivot is
    /// `<= tolerance * A[j, j]` (or whose diagonal is not positive) is omitted and gets a zero row and
    /// column in the result. The kept block is then inverted by equilibrated Cholesky.
    public static func invertSymmetricWithRank(_ A: Matrix, tolerance: Double = 1e-9,
                                               order: [Int]? = nil) -> SymmetricInverse {
        precondition(A.rows == A.cols, "invertSymmetricWithRank needs a square matrix")
        let n = A.rows
        let sweepOrder = order ?? Array(0..<n)
        precondition(sweepOrder.count == n && Set(sweepOrder).count == n, "order must be a permutation")
        // Work on the equilibrated matrix so that the pivot test is relative to each column's scale.
        var s = [Double](repeating: 0, count: n)
        for i in 0..<n { let d = A[i, i]; s[i] = (d > 0 && d.isFinite) ? 1 / d.squareRoot() : 0 }
        var m = A
        for j in 0..<n { for i in 0..<n { m[i, j] *= s[i] * s[j] } }
        var omitted = [Bool](repeating: false, count: n)
        var swept = [Bool](repeating: false, count: n)
        for k in sweepOrder {
            let d = m[k, k]
            if s[k] == 0 || !(d > tolerance) {
                omitted[k] = true
                continue
            }
            sweep(&m, k, pivot: d, skip: omitted)
            swept[k] = true
        }
        let kept = (0..<n).filter { !omitted[$0] }
        var inv = Matrix(rows: n, cols: n)
        // The Cholesky inverse of the kept block is more accurate than the Gauss-Jordan sweep result.
        let block = A.submatrix(rows: kept, cols: kept)
        if let bi = try? choleskyInverse(block) {
            for (jj, j) in kept.enumerated() { for (ii, i) in kept.enumerated() { inv[i, j] = bi[ii, jj] } }
        } else {
            for j in kept { for i in kept { inv[i, j] = m[i, j] * s[i] * s[j] } }
        }
        return SymmetricInverse(inverse: inv, rank: kept.count, omitted: omitted)
    }

    /// Goodnight's sweep of pivot k (after it, the swept block holds its inverse).
    private static func sweep(_ m: inout Matrix, _ k: Int, pivot d: Double, skip: [Bool]) {
        let n = m.rows
        for j in 0..<n { m[k, j] /= d }
        for i in 0..<n where i != k && !skip[i] {
            let b = m[i, k]
            if b == 0 { continue }
            for j in 0..<n where j != k { m[i, j] -= b * m[k, j] }
            m[i, k] = -b / d
        }
        m[k, k] = 1 / d
    }

    /// Eigen-decomposition of a symmetric matrix (LAPACK dsyev): eigenvalues ascending and the
    /// matching orthonormal eigenvectors as columns.
    public static func symmetricEigen(_ A: Matrix) throws -> (values: [Double], vectors: Matrix) {
        _ = singleThreadedBLAS
        try checkSquare(A, "symmetricEigen")
        let n = A.rows
        if n == 0 { return ([], A) }
        var v = A
        var w = [Double](repeating: 0, count: n)
        let info = v.data.withUnsafeMutableBufferPointer { vp in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dsyev(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), lower, Int32(n), vp.baseAddress,
                              Int32(n), wp.baseAddress)
            }
        }
        if info != 0 { throw DenseError.lapackFailure(routine: "dsyev", info: Int(info)) }
        return (w, v)
    }

    /// Least-squares solution of min ||X b - y|| by Householder QR (LAPACK dgels); X must have full
    /// column rank (use `invertSymmetricWithRank` on X'X first to find collinear columns).
    public static func leastSquaresQR(_ X: Matrix, _ y: [Double]) throws -> [Double] {
        _ = singleThreadedBLAS
        guard y.count == X.rows else { throw DenseError.dimensionMismatch("leastSquaresQR: \(X.rows) rows, y has \(y.count)") }
        guard X.rows >= X.cols else { throw DenseError.dimensionMismatch("leastSquaresQR: fewer rows than columns") }
        if X.cols == 0 { return [] }
        var a = X
        var b = y
        let info = a.data.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                LAPACKE_dgels(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int32(X.rows), Int32(X.cols), 1,
                              ap.baseAddress, Int32(X.rows), bp.baseAddress, Int32(X.rows))
            }
        }
        if info > 0 { throw DenseError.notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw DenseError.lapackFailure(routine: "dgels", info: Int(info)) }
        return Array(b[0..<X.cols])
    }

    private static let lower = Int8(UInt8(ascii: "L"))

    private static func checkSquare(_ A: Matrix, _ what: String) throws {
        guard A.rows == A.cols else { throw DenseError.dimensionMismatch("\(what): \(A.rows)x\(A.cols) is not square") }
    }
}
