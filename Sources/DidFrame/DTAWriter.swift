import CReadStat
import Foundation

// Writing Stata `.dta` files through ReadStat's writer (formats 104–119; 118 is Stata 14–18's
// `save`, 117 is Stata 13, 114/115 are what `saveold` produces for Stata 10–12).
//
// The file is written to a temporary file in the target directory and renamed over the target
// only once ReadStat has finished, so a failure part-way leaves an existing file untouched.
// A column whose values do not fit its declared integer type (which only a bug elsewhere could
// cause) is written as `double` rather than silently corrupted. Formats before 117 have no strL
// and at most str244: longer strings are truncated there, as Stata's `saveold` does. Formats
// before 118 hold text in Windows-1252 (that is how Stata 13 and older, and ReadStat, read
// them), so text is transcoded for them; characters outside that code page become `?`.

/// Writes Stata `.dta` datasets.
public enum DTAWriter {
    /// Saves `frame` to `path` in format `version` (`save`, `saveold`); refuses to overwrite an
    /// existing file unless `replace` (r(602)).
    public static func write(_ frame: Frame, to path: String, version: Int = 118, replace: Bool) throws {
        guard (104...119).contains(version), version != 109, version != 116 else {
            throw StataError(198, "version \(version) not supported by save")
        }
        let tmp = try AtomicFile.begin(path: path, replace: replace)
        let sink = DTASink(fd: tmp.fd)
        let ctx = Unmanaged.passRetained(sink)
        defer { ctx.release() }
        do {
            try encode(frame, version: version, ctx: ctx.toOpaque(), sink: sink)
            try tmp.commit()
        } catch {
            tmp.abandon()
            if let e = error as? StataError { throw e }
            throw StataError(693, "could not write file \(path)")
        }
    }

    /// Declares the dataset to ReadStat and streams every observation.
    private static func encode(_ frame: Frame, version: Int, ctx: UnsafeMutableRawPointer, sink: DTASink) throws {
        guard let w = readstat_writer_init() else { throw StataError(909, "op. sys. refuses to provide memory") }
        defer { readstat_writer_free(w) }
        readstat_set_data_writer(w, dtaDataWriter)
        readstat_writer_set_error_handler(w, dtaWriteError)
        readstat_writer_set_file_format_version(w, UInt8(version))
        readstat_writer_set_file_timestamp(w, time(nil))
        let legacy = version < 118
        if !frame.label.isEmpty { _ = withText(frame.label, legacy, max: 80) { readstat_writer_set_file_label(w, $0) } }

        var sets: [String: UnsafeMutablePointer<readstat_label_set_t>] = [:]
        for name in frame.valueLabels.keys.sorted() {
            guard let set = readstat_add_label_set(w, READSTAT_TYPE_INT32, name) else { continue }
            for (k, v) in frame.valueLabels[name]!.mapping.sorted(by: { $0.key < $1.key })
            where k >= Int(Int32.min) && k <= Int(Int32.max) {
                withText(v, legacy, max: 32000) { readstat_label_int32_value(set, Int32(k), $0) }
            }
            sets[name] = set
        }

        let plans = frame.columns.map { ColumnPlan($0, version: version) }
        var vars: [UnsafeMutablePointer<readstat_variable_t>] = []
        for (col, plan) in zip(frame.columns, plans) {
            guard let v = readstat_add_variable(w, col.name, plan.rsType, plan.width) else {
                throw StataError(198, "cannot save variable \(col.name)")
            }
            if !col.label.isEmpty { withText(col.label, legacy, max: 80) { readstat_variable_set_label(v, $0) } }
            readstat_variable_set_format(v, plan.type == col.type ? col.format : plan.type.defaultFormat)
            if let ln = col.valueLabel, let set = sets[ln], plan.type.isNumeric {
                readstat_variable_set_label_set(v, set)
            }
            vars.append(v)
        }
        try check(readstat_begin_writing_dta(w, ctx, frame.count), sink)
        for (j, plan) in plans.enumerated() where plan.type == .strL {
            // strL cells are shared references that must exist before the first row.
            for s in frame.columns[j].strs { _ = readstat_add_string_ref(w, s) }   // 117+: UTF-8 as is
        }
        var refBase: [Int] = []
        var next = 0
        for plan in plans { refBase.append(next); if plan.type == .strL { next += frame.count } }
        // Per-column arrays and types hoisted out of the cell loop (reading `frame.columns[j]`
        // per cell would copy the Column struct, with its retains, 9 million times for 1M x 9).
        let nums = frame.columns.map(\.nums)
        let strs = frame.columns.map(\.strs)
        let types = plans.map(\.type)
        let widths = plans.map { p -> Int in if case .str(let n) = p.type { return n }; return 0 }
        for i in 0..<frame.count {
            try check(readstat_begin_row(w), sink)
            for j in 0..<plans.count {
                let v = vars[j]
                let rc: readstat_error_t
                if widths[j] > 0 {
                    rc = withText(strs[j][i], legacy, max: widths[j]) { readstat_insert_string_value(w, v, $0) }
                } else if types[j] == .strL {
                    rc = readstat_insert_string_ref(w, v, readstat_get_string_ref(w, Int32(refBase[j] + i)))
                } else {
                    rc = insertNumber(w, v, nums[j][i], types[j])
                }
                try check(rc, sink)
            }
            try check(readstat_end_row(w), sink)
        }
        try check(readstat_end_writing(w), sink)
        if !sink.flush() { throw StataError(693, "I/O error writing .dta file") }
    }

    private static func insertNumber(_ w: UnsafeMutablePointer<readstat_writer_t>,
                                     _ v: UnsafeMutablePointer<readstat_variable_t>,
                                     _ x: Double, _ type: StorageType) -> readstat_error_t {
        if Missing.isMissing(x) {
            if let t = Missing.text(x), t.count == 2, let c = t.utf8.last {
                return readstat_insert_tagged_missing_value(w, v, CChar(bitPattern: c))
            }
            return readstat_insert_missing_value(w, v)
        }
        switch type {
        case .byte: return readstat_insert_int8_value(w, v, Int8(x))
        case .int: return readstat_insert_int16_value(w, v, Int16(x))
        case .long: return readstat_insert_int32_value(w, v, Int32(x))
        case .float: return readstat_insert_float_value(w, v, Float(x))
        default: return readstat_insert_double_value(w, v, x)
        }
    }

    /// Calls `body` with `s` as a NUL-terminated C string of at most `max` bytes: UTF-8 cut at a
    /// character boundary, or Windows-1252 for `legacy` formats.
    @discardableResult
    static func withText<R>(_ s: String, _ legacy: Bool, max: Int, _ body: (UnsafePointer<CChar>) -> R) -> R {
        var bytes = encoded(s, legacy)
        if bytes.count > max {
            var end = max
            if !legacy { while end > 0, (bytes[end] & 0xC0) == 0x80 { end -= 1 } }
            bytes.removeSubrange(end...)
        }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }

    /// The bytes a string occupies in the file.
    static func encoded(_ s: String, _ legacy: Bool) -> [UInt8] {
        guard legacy, !s.utf8.allSatisfy({ $0 < 0x80 }) else { return Array(s.utf8) }
        return Array(s.data(using: .windowsCP1252, allowLossyConversion: true) ?? Data(s.utf8))
    }

    private static func check(_ rc: readstat_error_t, _ sink: DTASink) throws {
        guard rc == READSTAT_OK else {
            if sink.ioFailed { throw StataError(693, "I/O error writing .dta file") }
            throw StataError(198, "cannot save dataset: " + String(cString: readstat_error_message(rc)))
        }
    }
}

/// How one column is stored in the file: type, ReadStat type and string width.
private struct ColumnPlan {
    var type: StorageType
    var rsType: readstat_type_t
    var width: Int

    init(_ col: Column, version: Int) {
        let maxStr = version >= 117 ? 2045 : 244
        switch col.type {
        case .str, .strL:
            let widest = col.strs.reduce(1) { max($0, DTAWriter.encoded($1, version < 118).count) }
            var declared = 1
            if case .str(let n) = col.type { declared = n }
            let need = max(declared, widest)
            if col.type == .strL || need > maxStr {
                type = version >= 117 ? .strL : .str(maxStr)
            } else {
                type = .str(need)
            }
        default:
            type = col.type
            if let r = type.integerRange,
               !col.nums.allSatisfy({ Missing.isMissing($0) || (r.contains($0) && $0 == $0.rounded()) }) {
                type = .double
            }
        }
        switch type {
        case .byte: rsType = READSTAT_TYPE_INT8; width = 1
        case .int: rsType = READSTAT_TYPE_INT16; width = 2
        case .long: rsType = READSTAT_TYPE_INT32; width = 4
        case .float: rsType = READSTAT_TYPE_FLOAT; width = 4
        case .double: rsType = READSTAT_TYPE_DOUBLE; width = 8
        case .str(let n): rsType = READSTAT_TYPE_STRING; width = n
        case .strL: rsType = READSTAT_TYPE_STRING_REF; width = 8
        }
    }
}

/// Destination of ReadStat's output bytes, buffered: ReadStat hands over one observation at a
/// time, and a system call per observation would dominate the time of a long file.
final class DTASink {
    let fd: Int32
    var ioFailed = false
    private var buf: [UInt8] = []
    init(fd: Int32) { self.fd = fd; buf.reserveCapacity(1 << 20) }

    /// Queues bytes, writing out whenever a megabyte has gathered.
    func take(_ data: UnsafeRawPointer, _ len: Int) -> Bool {
        buf.append(contentsOf: UnsafeRawBufferPointer(start: data, count: len))
        return buf.count < 1 << 20 || flush()
    }

    /// Writes out everything queued; false (and `ioFailed`) on an I/O error.
    func flush() -> Bool {
        let ok = buf.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return false }
                done += n
            }
            return true
        }
        buf.removeAll(keepingCapacity: true)
        if !ok { ioFailed = true }
        return ok
    }
}

private let dtaDataWriter: readstat_data_writer = { data, len, ctx in
    let sink = Unmanaged<DTASink>.fromOpaque(ctx!).takeUnretainedValue()
    guard len > 0, let data else { return 0 }
    return sink.take(data, len) ? len : -1
}

private let dtaWriteError: readstat_error_handler = { _, _ in }
