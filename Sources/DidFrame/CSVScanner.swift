import Foundation

// The delimited-text tokenizer and the sinks that consume its fields.
//
// One scanner walks raw bytes and hands each field to a sink as a pointer and length, never as a
// String, so numeric columns go from bytes straight to doubles. Rules:
//   * a field that starts with `"` is quoted: it runs to the next lone `"`, may hold delimiters and
//     newlines, and `""` inside stands for one quote; text between the closing quote and the next
//     delimiter is ignored; an unterminated quote runs to the end of the file;
//   * rows end at `\n`; a `\r` right before it is dropped (CRLF files);
//   * empty lines are skipped (they are not rows);
//   * a row with fewer fields than the dataset has columns is padded with missing values, and one
//     with more fields adds columns (named v#), which earlier rows get as missing.
// The scanner is deterministic given its start offset, so a file can be split at any line start
// and the halves parsed in parallel; the caller verifies the split was a true row boundary.

/// Receives the fields of each row, in order.
protocol CSVFieldSink {
    /// Field `col` of the current row: bytes `[p, p+len)`, quotes removed, `escaped` when it
    /// still contains doubled quotes.
    mutating func field(_ col: Int, _ p: UnsafePointer<UInt8>, _ len: Int, quoted: Bool, escaped: Bool)
    /// End of a row of `fields` fields; returning false stops the scan.
    mutating func endRow(_ fields: Int) -> Bool
    /// An unquoted field starting at offset `start`; returns the offset of its end (a
    /// requirement, not just an extension method, so that sinks' overrides are dispatched).
    mutating func unquotedField(_ col: Int, _ s: CSVScanner, _ start: Int) -> Int
}

extension CSVFieldSink {
    /// An unquoted field starting at `start`: finds its end (the delimiter, newline or end of
    /// data), drops a CR before a newline, and passes the bytes to `field`. Returns the end.
    /// Sinks that can parse while they scan override this.
    @inline(__always)
    mutating func unquotedField(_ col: Int, _ s: CSVScanner, _ start: Int) -> Int {
        var q = start
        while q < s.end { let c = s.base[q]; if c == s.delim || c == 0x0A { break }; q += 1 }
        var fe = q
        if fe > start && s.base[fe - 1] == 0x0D { fe -= 1 }
        field(col, s.base + start, fe - start, quoted: false, escaped: false)
        return q
    }
}

/// Splits bytes into rows and fields.
struct CSVScanner {
    let base: UnsafePointer<UInt8>
    /// One past the last byte of the file.
    let end: Int
    let delim: UInt8
    /// True when `base` is a private read-only file mapping: pages already scanned are then
    /// handed back to the kernel as the scan proceeds (MADV_DONTNEED re-reads them from the page
    /// cache if touched again), so the file does not stay resident next to the parsed data.
    var releaseBehind = false

    /// Scans every row that starts before `limit`, beginning at `pos` (a row start); returns the
    /// offset just after the last row scanned.
    @inline(__always)
    func scan<S: CSVFieldSink>(from pos: Int, limit: Int, into sink: inout S) -> Int {
        var p = pos
        let lim = min(limit, end)
        var released = pos & ~4095
        while p < lim {
            if releaseBehind && p - released >= 1 << 20 {
                let upTo = p & ~4095
                madvise(UnsafeMutableRawPointer(mutating: base + released), upTo - released, MADV_DONTNEED)
                released = upTo
            }
            let c0 = base[p]
            if c0 == 0x0A { p += 1; continue }
            if c0 == 0x0D && (p + 1 == end || base[p + 1] == 0x0A) { p += 2; continue }
            var col = 0
            while true {
                var q = p
                if q < end && base[q] == 0x22 {
                    let cs = q + 1
                    var ce = end, r = cs, escaped = false
                    while r < end {
                        guard let hit = memchr(base + r, 0x22, end - r) else { r = end; break }
                        let k = base.distance(to: UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)))
                        if k + 1 < end && base[k + 1] == 0x22 { escaped = true; r = k + 2; continue }
                        ce = k; r = k + 1; break
                    }
                    q = r
                    while q < end && base[q] != delim && base[q] != 0x0A { q += 1 }
                    sink.field(col, base + cs, ce - cs, quoted: true, escaped: escaped)
                } else {
                    q = sink.unquotedField(col, self, p)
                }
                col += 1
                if q < end && base[q] == delim { p = q + 1; continue }
                p = q + 1
                break
            }
            if !sink.endRow(col) { return min(p, end) }
        }
        return min(p, end)
    }

    /// Offset just after `n` rows starting at `pos` (blank lines do not count).
    func skipRows(_ n: Int, from pos: Int) -> Int {
        guard n > 0 else { return pos }
        var sink = CountSink(remaining: n)
        return scan(from: pos, limit: end, into: &sink)
    }

    /// The fields of the row at `pos` as text, and the offset after it.
    func row(at pos: Int, latin1: Bool) -> ([String], Int) {
        var sink = RowTextSink(latin1: latin1)
        let next = scan(from: pos, limit: end, into: &sink)
        return (sink.fields, next)
    }

    /// Guesses the delimiter from the first line: the most frequent of comma, tab and semicolon
    /// outside quotes (comma when none occurs).
    func detectDelimiter(from pos: Int) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x09: 0, 0x3B: 0]
        var inQuote = false, p = pos
        let stop = min(end, pos + (1 << 20))
        while p < stop {
            let c = base[p]
            if c == 0x22 { inQuote.toggle() } else if !inQuote {
                if c == 0x0A { break }
                if counts[c] != nil { counts[c]! += 1 }
            }
            p += 1
        }
        var best: UInt8 = 0x2C
        for c: UInt8 in [0x09, 0x3B] where counts[c]! > counts[best]! { best = c }
        return best
    }
}

/// Decodes field bytes to a String, undoing doubled quotes.
@inline(__always)
func csvText(_ p: UnsafePointer<UInt8>, _ len: Int, escaped: Bool, latin1: Bool) -> String {
    let buf = UnsafeBufferPointer(start: p, count: len)
    if !escaped && !latin1 { return String(decoding: buf, as: UTF8.self) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(len)
    var i = 0
    while i < len {
        bytes.append(p[i])
        i += (escaped && p[i] == 0x22 && i + 1 < len && p[i + 1] == 0x22) ? 2 : 1
    }
    if latin1 { return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })) }
    return String(decoding: bytes, as: UTF8.self)
}

/// Counts rows, stopping after `remaining`.
struct CountSink: CSVFieldSink {
    var remaining: Int
    mutating func field(_ col: Int, _ p: UnsafePointer<UInt8>, _ len: Int, quoted: Bool, escaped: Bool) {}
    mutating func endRow(_ fields: Int) -> Bool { remaining -= 1; return remaining > 0 }
}

/// Collects one row as text (the names row).
struct RowTextSink: CSVFieldSink {
    let latin1: Bool
    var fields: [String] = []
    mutating func field(_ col: Int, _ p: UnsafePointer<UInt8>, _ len: Int, quoted: Bool, escaped: Bool) {
        fields.append(csvText(p, len, escaped: escaped, latin1: latin1))
    }
    mutating func endRow(_ fields: Int) -> Bool { false }
}

/// Collects the text of selected columns (second pass, string columns only).
struct StringColumnsSink: CSVFieldSink {
    /// Output slot of each file column, -1 when not collected.
    let slot: [Int]
    /// (column, slot) pairs, by column, for padding short rows.
    let wanted: [(Int, Int)]
    let latin1: Bool
    var out: [[String]]
    var rows = 0
    var maxRows: Int

    init(slot: [Int], latin1: Bool, reserve: Int, maxRows: Int) {
        self.slot = slot
        self.wanted = slot.enumerated().filter { $0.element >= 0 }.map { ($0.offset, $0.element) }
        self.latin1 = latin1
        self.out = Array(repeating: [], count: wanted.count)
        for k in out.indices { out[k].reserveCapacity(reserve) }
        self.maxRows = maxRows
    }

    mutating func field(_ col: Int, _ p: UnsafePointer<UInt8>, _ len: Int, quoted: Bool, escaped: Bool) {
        guard col < slot.count else { return }
        let k = slot[col]
        if k >= 0 { out[k].append(csvText(p, len, escaped: escaped, latin1: latin1)) }
    }

    mutating func endRow(_ fields: Int) -> Bool {
        for (col, k) in wanted where col >= fields { out[k].append("") }
        rows += 1
        return rows < maxRows
    }
}
