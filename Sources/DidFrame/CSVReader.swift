import Foundation

// `import delimited` back end.
//
// The file is mapped read-only (no copy, no array of rows). Files of a megabyte or more without
// quotes are read by CSVPlacedLoad, which parses many chunks in parallel straight into the final
// column arrays. Everything else (quotes, rowrange(), rows wider than the names row, small
// files) takes the general path: after the names row, the data region is cut in two at a line
// start and both halves are scanned at once; the first half's scan runs
// until a row *starts* at or after the cut, so if a quoted field spans the cut the first half
// ends past it, the speculative second half is thrown away and rescanned from the true boundary.
// Pass 1 parses numbers for every column (CSVNumericSink); pass 2 re-scans only if some columns
// turned out to hold text, collecting just those columns.
//
// Storage types follow Stata: integers → the smallest of byte/int/long that holds the column
// (double beyond long), other numbers → float (`set type float`) or double (`asdouble`), any
// non-numeric text → str# (strL beyond 2045 bytes), an entirely empty column → byte. Empty fields,
// `.` and `.a`…`.z` are missing. Names come from the header, lowercased, with characters a name
// cannot hold removed (StataName.importNames); what is still invalid or a duplicate becomes v#.
// A changed name keeps the header text as the variable label. A UTF-8 BOM is skipped.

/// Reads delimited text files into a `Frame`.
public enum CSVReader {
    /// Loads `path` (`import delimited`).
    public static func read(path: String, options: CSVOptions = .init()) throws -> Frame {
        let file = try MappedFile(path: path)
        defer { file.close() }
        guard let base = file.base, file.size > 0 else { return Frame() }
        return try parse(base, file.size, options: options, mapped: true)
    }

    /// Loads delimited text held in memory (used by tests and by `import delimited` of a string).
    public static func read(bytes: [UInt8], options: CSVOptions = .init()) throws -> Frame {
        if bytes.isEmpty { return Frame() }
        return try bytes.withUnsafeBufferPointer { try parse($0.baseAddress!, $0.count, options: options) }
    }

    static func parse(_ base: UnsafePointer<UInt8>, _ size: Int, options: CSVOptions, mapped: Bool = false) throws -> Frame {
        if let r = options.rowRange, r.lowerBound < 1 { throw StataError(198, "rowrange() invalid") }
        if let v = options.varnamesRow, v < 1 { throw StataError(198, "varnames() invalid") }
        var pos = 0
        if size >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { pos = 3 }
        let probe = CSVScanner(base: base, end: size, delim: 0x2C)
        let delim = options.delimiter ?? probe.detectDelimiter(from: pos)
        var scanner = CSVScanner(base: base, end: size, delim: delim)
        scanner.releaseBehind = mapped
        let latin1 = options.encoding == .latin1

        var header: [String] = []
        if let k = options.varnamesRow {
            pos = scanner.skipRows(k - 1, from: pos)
            if pos < size { (header, pos) = scanner.row(at: pos, latin1: latin1) }
        }
        var maxRows = Int.max
        if let r = options.rowRange {
            pos = scanner.skipRows(r.lowerBound - 1, from: pos)
            maxRows = r.upperBound - r.lowerBound + 1
        }

        if header.count > CSVNumericSink.maxColumns { throw StataError(900, "no room to add more variables") }
        if maxRows == Int.max && size - pos >= placedMinBytes {
            let ncols = header.isEmpty ? scanner.row(at: pos, latin1: latin1).0.count : header.count
            if var out = CSVPlacedLoad.run(scanner, from: pos, ncols: ncols, options: options, mapped: mapped) {
                let runRows = out.runRows
                return assemble(stats: out.stats, values: &out.values, rows: out.rows, runs: out.runs, runRows: runRows, floatsRounded: true,
                                scanner: scanner, header: header, maxRows: maxRows, options: options)
            }
        }
        let chunks = scanChunks(scanner, from: pos, maxRows: maxRows, header: header.count, options: options)
        defer { for c in chunks { c.sink.release() } }
        if chunks.contains(where: { $0.sink.tooWide }) { throw StataError(900, "no room to add more variables") }
        return assemble(chunks, scanner: scanner, header: header, maxRows: maxRows, options: options)
    }

    /// Smallest data region read by CSVPlacedLoad (tests lower it).
    nonisolated(unsafe) static var placedMinBytes = 1 << 20

    /// Smallest data region worth splitting between two threads (tests lower it).
    nonisolated(unsafe) static var parallelMinBytes = 2 << 20

    /// One contiguous run of rows and its numeric-pass result.
    final class Chunk {
        let start: Int
        var stop: Int
        var sink: CSVNumericSink
        init(start: Int, stop: Int, sink: CSVNumericSink) { self.start = start; self.stop = stop; self.sink = sink }
    }

    /// Pass 1 over `[pos, end)`, in two parallel halves when the file is large.
    static func scanChunks(_ scanner: CSVScanner, from pos: Int, maxRows: Int, header: Int, options: CSVOptions) -> [Chunk] {
        let size = scanner.end
        let bytes = size - pos
        // Estimate rows from the first 64 KB so buffers rarely need to grow.
        var sampleSink = CountSink(remaining: Int.max)
        let sampleEnd = min(size, pos + 65_536)
        let sampleStop = CSVScanner(base: scanner.base, end: sampleEnd, delim: scanner.delim).scan(from: pos, limit: sampleEnd, into: &sampleSink)
        let sampleRows = Int.max - sampleSink.remaining
        let bytesPerRow = sampleRows > 0 ? max(1, (sampleStop - pos) / sampleRows) : 64
        func sink(for n: Int) -> CSVNumericSink {
            let est = min(maxRows == Int.max ? Int.max : maxRows, n / bytesPerRow + n / bytesPerRow / 20 + 16)
            return CSVNumericSink(expectedRows: est, expectedCols: header, maxRows: maxRows, options: options)
        }

        var mid = size
        if options.threads > 1 && maxRows == Int.max && bytes > parallelMinBytes {
            let guess = pos + bytes / 2
            if let nl = memchr(scanner.base + guess, 0x0A, size - guess) {
                mid = scanner.base.distance(to: UnsafePointer(nl.assumingMemoryBound(to: UInt8.self))) + 1
            }
        }
        if mid >= size {
            let c = Chunk(start: pos, stop: size, sink: sink(for: bytes))
            c.stop = scanner.scan(from: pos, limit: size, into: &c.sink)
            return [c]
        }
        let first = Chunk(start: pos, stop: mid, sink: sink(for: mid - pos))
        let second = Chunk(start: mid, stop: size, sink: sink(for: size - mid))
        let parts = [first, second]
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let c = parts[k]
            c.stop = scanner.scan(from: c.start, limit: k == 0 ? mid : size, into: &c.sink)
        }
        if first.stop != mid {
            // A quoted field crossed the cut: redo the rest from where the first half really ended.
            second.sink.release()
            let redo = Chunk(start: first.stop, stop: size, sink: sink(for: size - first.stop))
            redo.stop = scanner.scan(from: redo.start, limit: size, into: &redo.sink)
            return [first, redo]
        }
        return parts
    }

    /// Merges the chunks' statistics, moves their numeric buffers into column arrays, and
    /// builds the frame.
    static func assemble(_ chunks: [Chunk], scanner: CSVScanner, header: [String], maxRows: Int, options: CSVOptions) -> Frame {
        let ncols = max(header.count, chunks.map(\.sink.ncols).max() ?? 0)
        let nrows = chunks.reduce(0) { $0 + $1.sink.rows }
        for c in chunks where c.sink.ncols < ncols { c.sink.addColumns(through: ncols - 1) }
        var stats: [CSVColumnStats] = []
        for j in 0..<ncols {
            var s = chunks[0].sink.cols[j]
            for c in chunks.dropFirst() { s.merge(c.sink.cols[j]) }
            stats.append(s)
        }
        let gathered = UnsafeMutablePointer<[Double]>.allocate(capacity: max(ncols, 1))
        gathered.initialize(repeating: [], count: max(ncols, 1))
        defer { gathered.deinitialize(count: max(ncols, 1)); gathered.deallocate() }
        let numeric = (0..<ncols).filter { !stats[$0].isString }
        DispatchQueue.concurrentPerform(iterations: numeric.count) { k in
            gathered[numeric[k]] = gather(chunks, column: numeric[k], rows: nrows)
        }
        var values = (0..<ncols).map { j in (gathered + j).move() }
        gathered.initialize(repeating: [], count: max(ncols, 1))
        return assemble(stats: stats, values: &values, rows: nrows, runs: chunks.map { $0.start..<$0.stop },
                        runRows: chunks.map(\.sink.rows), scanner: scanner, header: header, maxRows: maxRows, options: options)
    }

    /// Concatenates one column's values from the chunk buffers, freeing them.
    static func gather(_ chunks: [Chunk], column j: Int, rows: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: rows) { buf, count in
            if let b = buf.baseAddress { CSVNumericSink.preferHugePages(b, bytes: rows * MemoryLayout<Double>.stride) }
            var at = 0
            for c in chunks {
                let n = c.sink.rows
                (buf.baseAddress! + at).initialize(from: c.sink.cols[j].vals, count: n)
                at += n
                free(c.sink.cols[j].vals)
                c.sink.cols[j].vals = malloc(8)!.assumingMemoryBound(to: Double.self)   // placeholder, freed by release()
            }
            count = at
        }
    }

    /// Pass 2 (if needed) and construction of the columns: `stats` and `values` (empty for
    /// string columns) per column, `runs` the byte ranges of the rows in order, `runRows` their
    /// row counts when known (a capacity hint for the string pass); `floatsRounded` when float
    /// columns hold single-precision values already.
    static func assemble(stats: [CSVColumnStats], values: inout [[Double]], rows nrows: Int, runs: [Range<Int>], runRows: [Int],
                         floatsRounded: Bool = false, scanner: CSVScanner, header: [String], maxRows: Int, options: CSVOptions) -> Frame {
        let ncols = stats.count
        let stringCols = (0..<ncols).filter { stats[$0].isString }
        var texts: [Int: [String]] = [:]
        if !stringCols.isEmpty {
            var slot = Array(repeating: -1, count: ncols)
            for (k, j) in stringCols.enumerated() { slot[j] = k }
            let latin1 = options.encoding == .latin1
            let results = UnsafeMutablePointer<[[String]]>.allocate(capacity: runs.count)
            results.initialize(repeating: [], count: runs.count)
            defer { results.deinitialize(count: runs.count); results.deallocate() }
            DispatchQueue.concurrentPerform(iterations: runs.count) { k in
                var s = StringColumnsSink(slot: slot, latin1: latin1, reserve: runRows[k], maxRows: maxRows)
                _ = scanner.scan(from: runs[k].lowerBound, limit: runs[k].upperBound, into: &s)
                results[k] = s.out
            }
            for (k, j) in stringCols.enumerated() {
                var all = results[0][k]
                all.reserveCapacity(nrows)
                for m in 1..<runs.count { all.append(contentsOf: results[m][k]); results[m][k] = [] }
                results[0][k] = []
                texts[j] = all
            }
        }

        let names = options.varnamesRow == nil
            ? (0..<ncols).map { "v\($0 + 1)" }
            : StataName.importNames((0..<ncols).map { $0 < header.count ? header[$0] : nil }, lowercase: options.lowercaseNames)
        // The column arrays are moved (not copied) into the columns, float ones rounded in place.
        let pending = UnsafeMutablePointer<[Double]>.allocate(capacity: max(ncols, 1))
        pending.initialize(repeating: [], count: max(ncols, 1))
        for j in 0..<ncols where texts[j] == nil { pending[j] = values[j]; values[j] = [] }
        let built = UnsafeMutablePointer<Column?>.allocate(capacity: max(ncols, 1))
        built.initialize(repeating: nil, count: max(ncols, 1))
        defer {
            built.deinitialize(count: max(ncols, 1)); built.deallocate()
            pending.deinitialize(count: max(ncols, 1)); pending.deallocate()
        }
        let numeric = (0..<ncols).filter { texts[$0] == nil }
        numericColumns(names, stats, numeric: numeric, pending: pending, built: built, rows: nrows, options: options,
                       floatsRounded: floatsRounded)
        var columns: [Column] = []
        columns.reserveCapacity(ncols)
        for j in 0..<ncols {
            var col: Column
            if let t = texts[j] {
                col = Column(name: names[j], strings: t)
            } else {
                col = built[j]!
                built[j] = nil
            }
            if j < header.count {
                let h = header[j].trimmingCharacters(in: .whitespaces)
                let expected = options.lowercaseNames ? h.lowercased() : h
                if names[j] != expected && !h.isEmpty { col.label = h }
            }
            columns.append(col)
        }
        let frame = Frame(columns: columns)
        if ncols == 0 { frame.setCount(0) }
        frame.changed = false
        return frame
    }

    /// Builds the numeric columns in parallel from `pending` (the caller must hold no other
    /// reference to those arrays, so rounding to float happens in place).
    static func numericColumns(_ names: [String], _ stats: [CSVColumnStats], numeric: [Int], pending: UnsafeMutablePointer<[Double]>,
                               built: UnsafeMutablePointer<Column?>, rows: Int, options: CSVOptions, floatsRounded: Bool) {
        DispatchQueue.concurrentPerform(iterations: numeric.count) { k in
            let j = numeric[k]
            var v = pending[j]
            pending[j] = []
            built[j] = numericColumn(names[j], stats[j], values: &v, rows: rows, asDouble: options.asDouble, rounded: floatsRounded)
        }
    }

    /// Sets one column's storage type from its statistics (rounding float columns in place
    /// unless `rounded` says the values already are).
    static func numericColumn(_ name: String, _ s: CSVColumnStats, values: inout [Double], rows: Int, asDouble: Bool, rounded: Bool = false) -> Column {
        let type = s.storageType(asDouble: asDouble)
        if type == .float && !rounded { values.withUnsafeMutableBufferPointer { CSVPlacedLoad.roundToFloat($0.baseAddress!, $0.count) } }
        var col = Column(name: name, type: .double, values: values)
        values = []
        col.type = type
        col.format = type.defaultFormat
        return col
    }
}
