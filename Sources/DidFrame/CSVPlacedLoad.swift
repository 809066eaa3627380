import Foundation

// The numeric pass of `import delimited` for large files, writing every value straight into the
// column array it ends up in, so no per-chunk buffer is ever copied into a final one.
//
// The data region is cut into many chunks of about `chunkBytes`, each ending just after a newline.
// Workers take chunks in file order. A worker first counts its chunk's rows (a word-at-a-time
// newline count, or an exact scan when the chunk holds blank lines), then waits until every
// earlier chunk has published its row offset, publishes its own, and parses its rows into the
// column arrays at that offset. Counting is a small fraction of parsing, so the wait is short,
// and many small chunks keep two threads evenly busy on a machine shared with other work.
//
// The column arrays are allocated once at an estimated capacity (from row lengths sampled at the
// start, middle and end of the data); pages never written are never touched, so the estimate's
// slack costs address space, not memory. File pages are handed back to the kernel as soon as
// their chunk is parsed, so the mapped file does not stay resident next to the parsed data.
//
// The path gives up (returns nil, and the caller uses the general two-half reader) whenever its
// assumptions fail: a `"` anywhere in a chunk (a quoted field may hold newlines, so a chunk cut
// would not be a row start), a row wider than the names row, or more rows than estimated.

/// The direct-placement numeric pass over the rows of a large file.
enum CSVPlacedLoad {
    /// Target bytes per chunk (tests lower it to force many chunks).
    nonisolated(unsafe) static var chunkBytes = 4 << 20

    /// What the pass produced: per-column statistics, the column arrays (exactly `rows` long),
    /// and the row runs it parsed (for the string pass).
    struct Output {
        var stats: [CSVColumnStats]
        var values: [[Double]]
        var rows: Int
        var runs: [Range<Int>]
        var runRows: [Int]
    }

    /// Hands out chunks in order and serialises the publishing of row offsets.
    final class Schedule: @unchecked Sendable {
        private let cond = NSCondition()
        private var next = 0
        private var ready = 0
        /// offsets[k] = first row of chunk k; valid for k ≤ ready.
        let offsets: UnsafeMutablePointer<Int>
        let count: Int
        let capacity: Int
        private(set) var failed = false

        init(chunks: Int, capacity: Int) {
            count = chunks
            self.capacity = capacity
            offsets = .allocate(capacity: chunks + 1)
            offsets[0] = 0
        }
        deinit { offsets.deallocate() }

        /// The next chunk to work on, nil when none is left or the pass failed.
        func take() -> Int? {
            cond.lock(); defer { cond.unlock() }
            if failed || next >= count { return nil }
            next += 1
            return next - 1
        }

        /// Waits for chunk k's turn and publishes its row count; returns its first row, or nil
        /// when the pass has failed. Always advances `ready`, so later chunks never wait forever.
        func publish(_ k: Int, rows: Int?) -> Int? {
            cond.lock(); defer { cond.unlock() }
            while ready != k { cond.wait() }
            let start = offsets[k]
            if let rows, start + rows <= capacity { offsets[k + 1] = start + rows } else { failed = true; offsets[k + 1] = start }
            ready = k + 1
            cond.broadcast()
            return failed ? nil : start
        }

        /// Marks the pass as failed (a chunk did not parse as counted).
        func fail() { cond.lock(); failed = true; cond.unlock() }
    }

    /// Runs the pass over `[pos, scanner.end)` for `ncols` columns; nil when the general reader
    /// must be used instead.
    static func run(_ scanner: CSVScanner, from pos: Int, ncols: Int, options: CSVOptions, mapped: Bool) -> Output? {
        let end = scanner.end
        guard ncols > 0, ncols <= 4096, end > pos else { return nil }
        let bounds = chunkStarts(scanner, from: pos)
        let nchunks = bounds.count - 1
        guard let capacity = estimateRows(scanner, bounds: bounds) else { return nil }

        // Column arrays with room for `capacity` rows plus one: an extra row that a wrong count
        // would let through lands in that slot, inside the allocation, before it is detected.
        var values: [[Double]] = (0..<ncols).map { _ in
            [Double](unsafeUninitializedCapacity: capacity + 1) { _, n in n = capacity + 1 }
        }
        let bases = UnsafeMutablePointer<UnsafeMutablePointer<Double>>.allocate(capacity: ncols)
        defer { bases.deallocate() }
        // No transparent huge pages here: on this kind of VM a fresh 2 MB page often costs far
        // more kernel time than 512 small ones (measured: 1.0–1.9 s against 0.6–0.7 s of system
        // time for 10M rows).
        for j in 0..<ncols { bases[j] = values[j].withUnsafeMutableBufferPointer { $0.baseAddress! } }

        let schedule = Schedule(chunks: nchunks, capacity: capacity)
        // Float columns are rounded chunk by chunk while the values are still in cache; a column
        // is rounded in a chunk once that chunk shows it is not all integers (so it will be float
        // unless a value somewhere exceeds float's range: then the general reader takes over).
        let roundFloats = !options.asDouble
        let rounded = UnsafeMutablePointer<Bool>.allocate(capacity: nchunks * ncols)
        rounded.initialize(repeating: false, count: nchunks * ncols)
        defer { rounded.deallocate() }
        let chunkStats = UnsafeMutablePointer<[CSVColumnStats]>.allocate(capacity: nchunks)
        chunkStats.initialize(repeating: [], count: nchunks)
        defer { chunkStats.deinitialize(count: nchunks); chunkStats.deallocate() }
        let workers = max(1, min(options.threads, nchunks))
        var chunkScanner = scanner
        chunkScanner.releaseBehind = false   // whole chunks are released below
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let k = schedule.take() {
                let start = bounds[k], stop = bounds[k + 1]
                if mapped { populate(scanner.base, start, stop) }
                let counted = countRows(chunkScanner, start, stop)
                guard let first = schedule.publish(k, rows: counted), let rows = counted else { continue }
                for j in 0..<ncols { populateOutput(bases[j] + first, rows) }
                var sink = CSVNumericSink(placedAt: bases, offset: first, rows: rows, ncols: ncols, options: options)
                let reached = chunkScanner.scan(from: start, limit: stop, into: &sink)
                if sink.rows != rows || reached != stop || sink.overflow || sink.tooWide { schedule.fail() }
                chunkStats[k] = (0..<ncols).map { sink.cols[$0] }
                if roundFloats {
                    for j in 0..<ncols {
                        let c = sink.cols[j]
                        if !c.isString && c.anyValue && !c.allInt && c.fitsFloat {
                            roundToFloat(bases[j] + first, rows)
                            rounded[k * ncols + j] = true
                        }
                    }
                }
                sink.release()
                if mapped { releasePages(scanner.base, start, stop) }
            }
        }
        if schedule.failed { return nil }

        let rows = schedule.offsets[nchunks]
        var stats = chunkStats[0]
        for k in 1..<nchunks { for j in 0..<ncols { stats[j].merge(chunkStats[k][j]) } }
        if roundFloats {
            for j in 0..<ncols where !stats[j].isString {
                let float = stats[j].storageType(asDouble: false) == .float
                for k in 0..<nchunks where rounded[k * ncols + j] != float {
                    // A rounded chunk of a double column cannot be undone here.
                    if !float { return nil }
                    // Chunks of a float column that held only integers were not rounded yet.
                    let first = schedule.offsets[k]
                    roundToFloat(bases[j] + first, schedule.offsets[k + 1] - first)
                }
            }
        }
        for j in 0..<ncols {
            // Shrinking a uniquely held array keeps its storage in place.
            values[j].removeLast(capacity + 1 - rows)
            stats[j].vals = bases[j]
        }
        return Output(stats: stats, values: values, rows: rows, runs: (0..<nchunks).map { bounds[$0]..<bounds[$0 + 1] },
                      runRows: (0..<nchunks).map { schedule.offsets[$0 + 1] - schedule.offsets[$0] })
    }

    /// Chunk boundaries: `pos`, then the first row start at or after each multiple of
    /// `chunkBytes`, then the end of the data.
    static func chunkStarts(_ s: CSVScanner, from pos: Int) -> [Int] {
        var starts = [pos]
        var at = pos
        while s.end - at > chunkBytes + chunkBytes / 4 {
            let guess = at + chunkBytes
            guard let nl = memchr(s.base + guess, 0x0A, s.end - guess) else { break }
            let next = s.base.distance(to: UnsafePointer(nl.assumingMemoryBound(to: UInt8.self))) + 1
            if next >= s.end { break }
            starts.append(next)
            at = next
        }
        starts.append(s.end)
        return starts
    }

    /// An upper estimate of the number of rows: the shortest mean row length of three 64 KB
    /// samples (start, middle, end), with 15% slack. Nil when a sample holds a quote.
    static func estimateRows(_ s: CSVScanner, bounds: [Int]) -> Int? {
        let total = s.end - bounds[0]
        var shortest = Double.infinity
        for k in Set([0, (bounds.count - 1) / 2, bounds.count - 2]) {
            let start = bounds[k], stop = min(s.end, start + 65_536)
            if memchr(s.base + start, 0x22, stop - start) != nil { return nil }
            var sink = CountSink(remaining: Int.max)
            let reached = CSVScanner(base: s.base, end: stop, delim: s.delim).scan(from: start, limit: stop, into: &sink)
            let rows = Int.max - sink.remaining
            if rows > 0 { shortest = min(shortest, Double(reached - start) / Double(rows)) }
        }
        let estimate = shortest.isFinite ? Double(total) / shortest : Double(total) / 2
        return Int(min(estimate * 1.15, Double(total) / 2 + 2)) + 1024
    }

    /// Rows the scanner will find in `[start, stop)`, which ends just after a newline (or at the
    /// end of the data); nil when the chunk holds a quote. Rows are found with `memchr` (libc's
    /// vectorised search, several times faster than a byte or word loop over ~100-byte rows); a
    /// chunk with a blank line (a newline followed by `\n` or `\r`) is counted by the scanner.
    static func countRows(_ s: CSVScanner, _ start: Int, _ stop: Int) -> Int? {
        let base = s.base
        if start == stop { return 0 }
        if memchr(base + start, 0x22, stop - start) != nil { return nil }
        // A chunk starts a row, as if just after a newline.
        var blank = base[start] == 0x0A || base[start] == 0x0D || base[stop - 1] == 0x0D
        var rows = 0, p = start
        while p < stop && !blank {
            rows += 1
            guard let hit = memchr(base + p, 0x0A, stop - p) else { break }   // last row, no newline
            p = base.distance(to: UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))) + 1
            if p < stop && (base[p] == 0x0A || base[p] == 0x0D) { blank = true }
        }
        if !blank { return rows }
        var sink = CountSink(remaining: Int.max)
        _ = s.scan(from: start, limit: stop, into: &sink)
        return Int.max - sink.remaining
    }

    /// Rounds `n` values to single precision in place (Stata's float), leaving missings alone.
    static func roundToFloat(_ v: UnsafeMutablePointer<Double>, _ n: Int) {
        for i in 0..<n {
            let x = v[i]
            if !Missing.isMissing(x) { v[i] = Double(Float(x)) }
        }
    }

    /// Faults in the output pages of a chunk's rows in one call per column rather than one
    /// page fault per 4 KB as the parser reaches them.
    static func populateOutput(_ v: UnsafeMutablePointer<Double>, _ n: Int) {
        let from = Int(bitPattern: v) & ~4095
        let to = Int(bitPattern: v + n)
        if to > from { _ = madvise(UnsafeMutableRawPointer(bitPattern: from), to - from, 23 /* MADV_POPULATE_WRITE */) }
    }

    /// Maps a chunk's file pages in one call instead of one fault per few pages.
    static func populate(_ base: UnsafePointer<UInt8>, _ start: Int, _ stop: Int) {
        let from = (Int(bitPattern: base) + start) & ~4095
        let to = Int(bitPattern: base) + stop
        _ = madvise(UnsafeMutableRawPointer(bitPattern: from), to - from, 22 /* MADV_POPULATE_READ */)
    }

    /// Drops the pages that lie wholly inside a parsed chunk (re-read from the page cache if
    /// touched again).
    static func releasePages(_ base: UnsafePointer<UInt8>, _ start: Int, _ stop: Int) {
        let from = (Int(bitPattern: base) + start + 4095) & ~4095
        let to = (Int(bitPattern: base) + stop) & ~4095
        if to > from { madvise(UnsafeMutableRawPointer(bitPattern: from), to - from, MADV_DONTNEED) }
    }
}
