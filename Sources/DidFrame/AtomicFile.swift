import Foundation

// Replace-by-rename for `save` and `export`: data go to a fresh temporary file in the target's own
// directory (so `rename` stays on one file system and is atomic), and only a complete file is
// renamed over the target. Readers never see a half-written dataset, and a failed write leaves
// the previous file as it was.

/// A temporary file that becomes `path` on `commit()`.
struct AtomicFile {
    let path: String
    let tmpPath: String
    let fd: Int32

    /// Checks the overwrite rule (r(602) without `replace`) and opens the temporary file.
    static func begin(path: String, replace: Bool) throws -> AtomicFile {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw StataError(603, "file \(path) could not be opened") }
            if !replace { throw StataError.fileExists(path) }
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var template = Array((dir + "/." + url.lastPathComponent + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw StataError(603, "file \(path) could not be opened") }
        let tmp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // mkstemp creates 0600; give the file the usual permissions a new file would get.
        let mask = umask(0); umask(mask)
        fchmod(fd, 0o666 & ~mask)
        return AtomicFile(path: path, tmpPath: tmp, fd: fd)
    }

    /// Flushes, closes and renames the temporary file over the target.
    func commit() throws {
        let ok = fsync(fd) == 0 || errno == EINVAL
        if close(fd) != 0 || !ok {
            unlink(tmpPath)
            throw StataError(693, "I/O error writing \(path)")
        }
        if rename(tmpPath, path) != 0 {
            unlink(tmpPath)
            throw StataError(603, "file \(path) could not be opened")
        }
    }

    /// Removes the temporary file after a failure.
    func abandon() {
        close(fd)
        unlink(tmpPath)
    }
}
