// A small dense matrix of doubles, stored column-major so that it can be handed to BLAS/LAPACK
// without copying or transposing. Sizes here are "K x K" (K = number of regressors, a few hundred at
// most) or "N x K" panels of regressors; element (i, j) lives at data[i + j * rows].
//
// Dimension naming used across DidKernel: N = observations, K = columns/regressors, G = groups
// (levels of a fixed effect or cluster variable).

import CBLAS

/// A dense column-major matrix of `Double` (element (i, j) at `data[i + j * rows]`).
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public var rows: Int
    /// Number of columns.
    public var cols: Int
    /// The elements, column by column (length rows * cols).
    public var data: [Double]

    /// A rows x cols matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows; self.cols = cols
        self.data = [Double](repeating: value, count: rows * cols)
    }

    /// A matrix over existing column-major storage (`data.count` must be rows * cols).
    public init(rows: Int, cols: Int, data: [Double]) {
        precondition(data.count == rows * cols, "Matrix data has \(data.count) elements, expected \(rows * cols)")
        self.rows = rows; self.cols = cols; self.data = data
    }

    /// A matrix whose columns are the given arrays (all of the same length).
    public init(columns: [[Double]]) {
        let n = columns.first?.count ?? 0
        var d = [Double]()
        d.reserveCapacity(n * columns.count)
        for c in columns {
            precondition(c.count == n, "Matrix columns must have equal length")
            d.append(contentsOf: c)
        }
        self.init(rows: n, cols: columns.count, data: d)
    }

    /// A matrix from row arrays (convenient for literals in tests): `Matrix(rowMajor: [[1, 2], [3, 4]])`.
    public init(rowMajor rowsArray: [[Double]]) {
        let r = rowsArray.count, c = rowsArray.first?.count ?? 0
        self.init(rows: r, cols: c)
        for i in 0..<r {
            precondition(rowsArray[i].count == c, "Matrix rows must have equal length")
            for j in 0..<c { data[i + j * r] = rowsArray[i][j] }
        }
    }

    /// The n x n identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.data[i + i * n] = 1 }
        return m
    }

    /// A square matrix with `d` on its diagonal.
    public static func diagonal(_ d: [Double]) -> Matrix {
        var m = Matrix(rows: d.count, cols: d.count)
        for i in 0..<d.count { m.data[i + i * d.count] = d[i] }
        return m
    }

    /// Element (i, j), 0-based.
    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { data[i + j * rows] }
        set { data[i + j * rows] = newValue }
    }

    /// Column j as an array.
    public func column(_ j: Int) -> [Double] { Array(data[(j * rows)..<((j + 1) * rows)]) }

    /// Row i as an array.
    public func row(_ i: Int) -> [Double] { (0..<cols).map { data[i + $0 * rows] } }

    /// The diagonal elements (min(rows, cols) of them).
    public var diagonalElements: [Double] { (0..<min(rows, cols)).map { data[$0 + $0 * rows] } }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for j in 0..<cols { for i in 0..<rows { t.data[j + i * cols] = data[i + j * rows] } }
        return t
    }

    /// The transpose (method form of `transposed`).
    public func transpose() -> Matrix { transposed }

    /// The sub-matrix made of the given rows and columns, in the given order.
    public func submatrix(rows rIdx: [Int], cols cIdx: [Int]) -> Matrix {
        var s = Matrix(rows: rIdx.count, cols: cIdx.count)
        for (jj, j) in cIdx.enumerated() { for (ii, i) in rIdx.enumerated() { s.data[ii + jj * rIdx.count] = self[i, j] } }
        return s
    }

    /// Matrix product self * other (BLAS dgemm).
    public func multiply(_ other: Matrix) -> Matrix {
        _ = Dense.singleThreadedBLAS
        precondition(cols == other.rows, "Matrix product of \(rows)x\(cols) and \(other.rows)x\(other.cols)")
        var c = Matrix(rows: rows, cols: other.cols)
        if rows == 0 || other.cols == 0 { return c }
        if cols == 0 { return c }
        data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                c.data.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans,
                                Int32(rows), Int32(other.cols), Int32(cols), 1.0,
                                a.baseAddress, Int32(max(rows, 1)), b.baseAddress, Int32(max(other.rows, 1)),
                                0.0, cp.baseAddress, Int32(max(rows, 1)))
                }
            }
        }
        return c
    }

    /// Matrix-vector product self * v (BLAS dgemv).
    public func multiply(_ v: [Double]) -> [Double] {
        _ = Dense.singleThreadedBLAS
        precondition(cols == v.count, "Matrix-vector product of \(rows)x\(cols) and \(v.count)")
        var out = [Double](repeating: 0, count: rows)
        if rows == 0 || cols == 0 { return out }
        data.withUnsafeBufferPointer { a in
            v.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { y in
                    cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(cols), 1.0,
                                a.baseAddress, Int32(max(rows, 1)), x.baseAddress, 1, 0.0, y.baseAddress, 1)
                }
            }
        }
        return out
    }

    /// Matrix product.
    public static func * (a: Matrix, b: Matrix) -> Matrix { a.multiply(b) }

    /// Matrix-vector product.
    public static func * (a: Matrix, v: [Double]) -> [Double] { a.multiply(v) }

    /// Elementwise sum.
    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "Matrix sum of different shapes")
        var c = a
        for i in 0..<c.data.count { c.data[i] += b.data[i] }
        return c
    }

    /// Elementwise difference.
    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "Matrix difference of different shapes")
        var c = a
        for i in 0..<c.data.count { c.data[i] -= b.data[i] }
        return c
    }

    /// Every element times a scalar.
    public static func * (s: Double, a: Matrix) -> Matrix {
        Matrix(rows: a.rows, cols: a.cols, data: a.data.map { $0 * s })
    }

    /// Copies the lower triangle onto the upper one (LAPACK's symmetric routines fill only one).
    public mutating func symmetrizeFromLower() {
        precondition(rows == cols, "symmetrize needs a square matrix")
        for j in 0..<cols { for i in (j + 1)..<max(rows, j + 1) { data[j + i * rows] = data[i + j * rows] } }
    }

    /// Copies the upper triangle onto the lower one.
    public mutating func symmetrizeFromUpper() {
        precondition(rows == cols, "symmetrize needs a square matrix")
        for j in 0..<cols { for i in (j + 1)..<max(rows, j + 1) { data[i + j * rows] = data[j + i * rows] } }
    }

    /// Rows printed one per line (for debugging and test messages).
    public var description: String {
        (0..<rows).map { i in (0..<cols).map { String(self[i, $0]) }.joined(separator: " ") }.joined(separator: "\n")
    }
}
