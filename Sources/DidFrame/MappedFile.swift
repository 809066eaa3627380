import Foundation

// A whole file mapped read-only into memory: the CSV reader scans it in place, so the file is
// read once by the kernel and never copied into Swift arrays.

/// A read-only memory map of a file.
final class MappedFile {
    let base: UnsafePointer<UInt8>?
    let size: Int

    /// Maps `path`; r(601) when it does not exist, r(603) when it cannot be read.
    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { throw StataError.fileNotFound(path) }
            throw StataError(603, "file \(path) could not be opened")
        }
        defer { Foundation.close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw StataError(603, "file \(path) could not be opened")
        }
        size = Int(st.st_size)
        if size == 0 { base = nil; return }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw StataError(603, "file \(path) could not be opened")
        }
        madvise(p, size, MADV_SEQUENTIAL)
        base = UnsafePointer(p.assumingMemoryBound(to: UInt8.self))
    }

    /// Unmaps the file.
    func close() {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }
}
