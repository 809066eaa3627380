import Foundation

// `export delimited` back end.
//
// Numbers are written in the shortest text that reads back to the same value (Swift's
// `description`, which is shortest round-trip), integers without a decimal point, `float`
// columns as the shortest text of their single-precision value, missing values as empty fields.
// Strings are quoted only when they must be (delimiter, quote, CR/LF, or surrounding blanks),
// with quotes doubled. With `useDisplayFormat`, numbers go through their display format
// (`%9.2f`, `%10.0g`, `%td`); with `valueLabels`, labelled values are written as their labels
// (Stata's default for `export delimited`; `nolabel` turns it off). Output goes to a temporary
// file renamed over the target, as for `.dta`.

/// Writes a `Frame` as delimited text.
public enum CSVWriter {
    /// Writes `frame` to `path` (`export delimited`); r(602) if it exists and `replace` is false.
    public static func write(_ frame: Frame, to path: String, delimiter: UInt8 = 44, header: Bool = true,
                             replace: Bool, useDisplayFormat: Bool = false, valueLabels: Bool = false) throws {
        let file = try AtomicFile.begin(path: path, replace: replace)
        var out = ByteSink(fd: file.fd)
        do {
            if header {
                for (j, c) in frame.columns.enumerated() {
                    if j > 0 { out.byte(delimiter) }
                    out.text(c.name, delimiter)
                }
                out.byte(0x0A)
            }
            let labels: [[Int: String]?] = frame.columns.map { c in
                guard valueLabels, let n = c.valueLabel else { return nil }
                return frame.valueLabels[n]?.mapping
            }
            let isString = frame.columns.map(\.isString)
            let isFloat = frame.columns.map { $0.type == .float }
            for i in 0..<frame.count {
                for (j, c) in frame.columns.enumerated() {
                    if j > 0 { out.byte(delimiter) }
                    if isString[j] { out.text(c.strs[i], delimiter); continue }
                    let x = c.nums[i]
                    if Missing.isMissing(x) { continue }
                    if let m = labels[j], x == x.rounded(), abs(x) < 1e15, let l = m[Int(x)] { out.text(l, delimiter); continue }
                    if useDisplayFormat { out.text(DisplayFormat.format(x, c.format), delimiter) }
                    else { out.number(x, float: isFloat[j]) }
                }
                out.byte(0x0A)
                try out.flushIfFull()
            }
            try out.flush()
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }
}

/// Buffered writes to a file descriptor.
struct ByteSink {
    let fd: Int32
    var buf: [UInt8] = []

    init(fd: Int32) { self.fd = fd; buf.reserveCapacity(1 << 20) }

    mutating func byte(_ b: UInt8) { buf.append(b) }
    mutating func ascii(_ s: String) { buf.append(contentsOf: s.utf8) }

    /// A text field, quoted when the delimiter, quotes, line breaks or edge blanks require it.
    mutating func text(_ s: String, _ delim: UInt8) {
        let u = s.utf8
        let needs = u.contains { $0 == delim || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || u.first == 0x20 || u.last == 0x20
        if !needs { buf.append(contentsOf: u); return }
        buf.append(0x22)
        for b in u { buf.append(b); if b == 0x22 { buf.append(0x22) } }
        buf.append(0x22)
    }

    /// A number in shortest round-trip form: whole numbers as integers, others as Swift's
    /// shortest `description` (of the Float value for float columns) without an exponent's "+".
    mutating func number(_ x: Double, float: Bool) {
        if x == 0 { if x.sign == .minus { buf.append(0x2D) }; buf.append(0x30); return }
        if abs(x) < 1e15, x == x.rounded() { integer(Int64(x)); return }
        let s = float ? Float(x).description : x.description
        for b in s.utf8 where b != 0x2B { buf.append(b) }
    }

    /// Decimal digits of an integer, without building a String.
    mutating func integer(_ v: Int64) {
        var u = v.magnitude
        if v < 0 { buf.append(0x2D) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[n] = UInt8(truncatingIfNeeded: u % 10) &+ 0x30; u /= 10; n += 1 } while u != 0
            while n > 0 { n -= 1; buf.append(d[n]) }
        }
    }

    mutating func flushIfFull() throws { if buf.count >= 1 << 20 { try flush() } }

    mutating func flush() throws {
        try buf.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; throw StataError(693, "I/O error writing file") }
                done += n
            }
        }
        buf.removeAll(keepingCapacity: true)
    }
}
