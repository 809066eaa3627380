import CReadStat
import Foundation

// Reading Stata `.dta` files (formats 102–119) through ReadStat's push parser.
//
// ReadStat calls back once per variable, once per cell and once per value-label entry; the
// callbacks are C function pointers, so all state travels through an opaque context pointer to a
// `DTAReadState`. Cells arrive in observation order, so each column is a plain append.
// Missing values: ReadStat reports `.` as system missing and `.a`…`.z` as tagged missing with
// the letter as tag, for every storage type; both map onto our `Missing` encoding.

/// Reads Stata `.dta` datasets.
public enum DTAReader {
    /// Loads a `.dta` file; `variables` restricts (and orders nothing: file order is kept) the
    /// variables loaded, as `use varlist using`; `rows` (0-based) loads only those
    /// observations, as `use … in f/l using`.
    public static func read(path: String, variables: [String]? = nil, rows: Range<Int>? = nil) throws -> Frame {
        try read(path: path, variables: variables, rows: rows, parse: readstat_parse_dta)
    }

    /// The ReadStat parse entry point for one file format (`readstat_parse_dta`, `_sav`, …).
    typealias ParseFunction = (UnsafeMutablePointer<readstat_parser_t>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> readstat_error_t

    /// Reads any format ReadStat parses through the same handlers (used by ForeignReader too).
    static func read(path: String, variables: [String]?, rows: Range<Int>?, parse: ParseFunction) throws -> Frame {
        let file = try MappedFile(path: path)
        defer { file.close() }
        guard let base = file.base else { throw StataError(610, "file \(path) not Stata format") }
        let state = DTAReadState(wanted: variables, fileSize: file.size)
        let ctx = Unmanaged.passRetained(state)
        defer { ctx.release() }
        // ReadStat reads through these handlers from the memory map: one read() system call
        // per observation otherwise dominates the time for long, narrow files.
        let io = MemoryIO(base: base, size: file.size)
        let ioCtx = Unmanaged.passRetained(io)
        defer { ioCtx.release() }

        guard let parser = readstat_parser_init() else { throw StataError(909, "op. sys. refuses to provide memory") }
        defer { readstat_parser_free(parser) }
        readstat_set_metadata_handler(parser, dtaMetadataHandler)
        readstat_set_variable_handler(parser, dtaVariableHandler)
        readstat_set_value_handler(parser, dtaValueHandler)
        readstat_set_value_label_handler(parser, dtaValueLabelHandler)
        readstat_set_error_handler(parser, { _, _ in })
        readstat_set_open_handler(parser, { _, _ in 0 })
        readstat_set_close_handler(parser, { _ in 0 })
        readstat_set_seek_handler(parser, memorySeek)
        readstat_set_read_handler(parser, memoryRead)
        readstat_set_update_handler(parser, { _, _, _, _ in READSTAT_OK })
        readstat_set_io_ctx(parser, ioCtx.toOpaque())
        if let rows {
            guard rows.lowerBound >= 0 else { throw StataError(198, "observation numbers out of range") }
            // ReadStat reads "limit 0" as "no limit"; an offset past the end gives no rows.
            readstat_set_row_offset(parser, rows.isEmpty ? Int.max : rows.lowerBound)
            if !rows.isEmpty { readstat_set_row_limit(parser, rows.count) }
        }

        let rc = parse(parser, path, ctx.toOpaque())
        if let e = state.failure { throw e }
        if rc != READSTAT_OK {
            if rc == READSTAT_ERROR_OPEN { throw StataError(603, "file \(path) could not be opened") }
            throw StataError(610, "file \(path) not Stata format")
        }
        if let wanted = variables {
            for name in wanted where !state.columns.contains(where: { $0.name == name }) {
                throw StataError.varNotFound(name)
            }
        }
        return try state.makeFrame(path: path)
    }
}

/// Mutable state shared with the C callbacks during one parse.
final class DTAReadState {
    let wanted: Set<String>?
    let fileSize: Int
    var rowCount = 0
    var fileLabel = ""
    var modified: time_t = 0
    var columns: [Column] = []
    /// Value-label set name of each loaded column ("" = none).
    var labelNames: [String] = []
    var labelSets: [String: ValueLabelSet] = [:]
    var failure: StataError?
    /// Bytes per observation in the file (all variables, loaded or not).
    var rowBytes = 0
    /// Cell storage, set up at the first cell; unchecked because only ReadStat's single thread
    /// touches it and the per-cell exclusivity check would cost more than the store.
    @exclusivity(unchecked) var cells: DTACells?

    init(wanted: [String]?, fileSize: Int) {
        self.wanted = wanted.map(Set.init)
        self.fileSize = fileSize
    }

    /// Allocates per-column storage for at most as many rows as the file can physically hold,
    /// so a corrupt row count cannot exhaust memory.
    func makeCells() -> DTACells {
        let cap = min(rowCount, fileSize / max(rowBytes, 1) + 1)
        let c = DTACells(columns: columns, capacity: cap)
        cells = c
        return c
    }

    /// Checks that every column got exactly `rowCount` cells, then assembles the frame.
    func makeFrame(path: String) throws -> Frame {
        if let cells { cells.moveInto(&columns) }
        for c in columns where c.count != rowCount {
            throw StataError(610, "file \(path) not Stata format")
        }
        let frame = Frame(columns: columns)
        frame.label = fileLabel
        if modified > 0 { frame.timestamp = Date(timeIntervalSince1970: TimeInterval(modified)) }
        for (j, name) in labelNames.enumerated() where !name.isEmpty {
            frame.columns[j].valueLabel = name
        }
        frame.valueLabels = labelSets
        frame.changed = false
        return frame
    }

    /// Storage type of a ReadStat variable.
    static func storageType(_ v: UnsafeMutablePointer<readstat_variable_t>) -> StorageType {
        switch readstat_variable_get_type(v) {
        case READSTAT_TYPE_INT8: return .byte
        case READSTAT_TYPE_INT16: return .int
        case READSTAT_TYPE_INT32: return .long
        case READSTAT_TYPE_FLOAT: return .float
        case READSTAT_TYPE_DOUBLE: return .double
        case READSTAT_TYPE_STRING_REF: return .strL
        default:
            // ReadStat reports str# as width + 1 (room for a NUL) and strL as a string of width 0.
            let w = Int(readstat_variable_get_storage_width(v))
            if w == 0 || w - 1 > 2045 { return .strL }
            return .str(max(1, w - 1))
        }
    }

    /// The numeric value of a cell in our missing-value encoding.
    static func number(_ value: readstat_value_t) -> Double {
        if readstat_value_is_tagged_missing(value) != 0 {
            let t = Int(UInt8(bitPattern: readstat_value_tag(value)))
            return (97...122).contains(t) ? Missing.extended(t - 96) : Missing.dot
        }
        if readstat_value_is_system_missing(value) != 0 { return Missing.dot }
        let x: Double
        switch readstat_value_type(value) {
        case READSTAT_TYPE_INT8: x = Double(readstat_int8_value(value))
        case READSTAT_TYPE_INT16: x = Double(readstat_int16_value(value))
        case READSTAT_TYPE_INT32: x = Double(readstat_int32_value(value))
        case READSTAT_TYPE_FLOAT: x = Double(readstat_float_value(value))
        case READSTAT_TYPE_DOUBLE: x = readstat_double_value(value)
        default: x = Missing.dot
        }
        return Missing.clean(x)
    }
}

/// Values of the loaded columns while ReadStat streams cells, in raw-pointer tables so a store
/// needs neither exclusivity checks nor a copy of the Column struct.
final class DTACells {
    let count: Int
    let capacity: Int
    let isString: UnsafeMutablePointer<Bool>
    let nums: UnsafeMutablePointer<[Double]>
    let strs: UnsafeMutablePointer<[String]>

    init(columns: [Column], capacity: Int) {
        count = columns.count
        self.capacity = capacity
        isString = .allocate(capacity: max(count, 1))
        nums = .allocate(capacity: max(count, 1))
        strs = .allocate(capacity: max(count, 1))
        for (j, c) in columns.enumerated() {
            isString[j] = c.isString
            (nums + j).initialize(to: [])
            (strs + j).initialize(to: [])
            if c.isString { strs[j].reserveCapacity(capacity) } else { nums[j].reserveCapacity(capacity) }
        }
    }

    /// Hands the values to the columns (no copy) and empties the tables.
    func moveInto(_ columns: inout [Column]) {
        for j in 0..<count {
            if isString[j] { swap(&columns[j].strs, &strs[j]) } else { swap(&columns[j].nums, &nums[j]) }
        }
    }

    deinit {
        nums.deinitialize(count: count); nums.deallocate()
        strs.deinitialize(count: count); strs.deallocate()
        isString.deallocate()
    }
}

/// A read position in a memory-mapped file, for ReadStat's I/O callbacks.
final class MemoryIO {
    let base: UnsafePointer<UInt8>
    let size: Int
    var pos = 0
    init(base: UnsafePointer<UInt8>, size: Int) { self.base = base; self.size = size }
}

private let memorySeek: readstat_seek_handler = { offset, whence, ctx in
    let io = Unmanaged<MemoryIO>.fromOpaque(ctx!).takeUnretainedValue()
    let origin: Int
    switch whence {
    case READSTAT_SEEK_SET: origin = 0
    case READSTAT_SEEK_CUR: origin = io.pos
    case READSTAT_SEEK_END: origin = io.size
    default: return -1
    }
    let (target, overflow) = origin.addingReportingOverflow(Int(offset))
    if overflow || target < 0 || target > io.size { return -1 }
    io.pos = target
    return readstat_off_t(target)
}

private let memoryRead: readstat_read_handler = { buf, n, ctx in
    let io = Unmanaged<MemoryIO>.fromOpaque(ctx!).takeUnretainedValue()
    let count = min(Int(n), io.size - io.pos)
    if count > 0, let buf { memcpy(buf, io.base + io.pos, count); io.pos += count }
    return max(0, count)
}

/// C string to Swift, tolerating NULL and invalid UTF-8.
private func text(_ p: UnsafePointer<CChar>?) -> String {
    guard let p else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: p, count: strlen(p)), as: UTF8.self)
}

private func state(_ ctx: UnsafeMutableRawPointer?) -> DTAReadState {
    Unmanaged<DTAReadState>.fromOpaque(ctx!).takeUnretainedValue()
}

private let dtaMetadataHandler: readstat_metadata_handler = { meta, ctx in
    let s = state(ctx)
    s.rowCount = max(0, Int(readstat_get_row_count(meta)))
    s.fileLabel = text(readstat_get_file_label(meta))
    s.modified = readstat_get_modified_time(meta)
    return Int32(READSTAT_HANDLER_OK)
}

private let dtaVariableHandler: readstat_variable_handler = { _, variable, valLabels, ctx in
    let s = state(ctx)
    guard let variable else { return Int32(READSTAT_HANDLER_ABORT) }
    let name = text(readstat_variable_get_name(variable))
    // ReadStat reports str# widths one larger (room for a NUL) and strL as 0: count what the
    // file really holds per row, at least one byte, so the capacity bound is never too small.
    let w = Int(readstat_variable_get_storage_width(variable))
    s.rowBytes += readstat_variable_get_type(variable) == READSTAT_TYPE_STRING ? max(1, w - 1) : max(1, w)
    if let w = s.wanted, !w.contains(name) { return Int32(READSTAT_HANDLER_SKIP_VARIABLE) }
    let type = DTAReadState.storageType(variable)
    var col = type.isString ? Column(name: name, strings: [], type: type) : Column(name: name, type: type, values: [])
    let fmt = text(readstat_variable_get_format(variable))
    if !fmt.isEmpty { col.format = fmt }
    col.label = text(readstat_variable_get_label(variable))
    s.columns.append(col)
    s.labelNames.append(text(valLabels))
    return Int32(READSTAT_HANDLER_OK)
}

private let dtaValueHandler: readstat_value_handler = { _, variable, value, ctx in
    let s = state(ctx)
    guard let variable else { return Int32(READSTAT_HANDLER_ABORT) }
    let cells = s.cells ?? s.makeCells()
    let j = Int(readstat_variable_get_index_after_skipping(variable))
    guard j >= 0, j < cells.count else { return Int32(READSTAT_HANDLER_ABORT) }
    if cells.isString[j] {
        guard cells.strs[j].count < cells.capacity else { return Int32(READSTAT_HANDLER_ABORT) }
        cells.strs[j].append(text(readstat_string_value(value)))
    } else {
        guard cells.nums[j].count < cells.capacity else { return Int32(READSTAT_HANDLER_ABORT) }
        cells.nums[j].append(DTAReadState.number(value))
    }
    return Int32(READSTAT_HANDLER_OK)
}

private let dtaValueLabelHandler: readstat_value_label_handler = { setName, value, label, ctx in
    let s = state(ctx)
    let name = text(setName)
    var set = s.labelSets[name] ?? ValueLabelSet(name: name)
    // Our label sets map integers only; labels on `.a`…`.z` have no slot and are dropped.
    let x = DTAReadState.number(value)
    if !Missing.isMissing(x), x == x.rounded(), abs(x) < 2_147_483_648 {
        set.mapping[Int(x)] = text(label)
    }
    s.labelSets[name] = set
    return Int32(READSTAT_HANDLER_OK)
}
