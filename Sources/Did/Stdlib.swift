// Loads the commands written in the language itself (`stdlib/*.did`), like Stata's ado files.
// The folder is found next to the executable's package (DID_STDLIB overrides).

import DidLang
import Foundation

enum Stdlib {
    static func load(into session: Session) {
        guard let dir = directory() else { return }
        session.loadLibrary(directory: dir)
    }

    static func directory() -> String? {
        if let d = ProcessInfo.processInfo.environment["DID_STDLIB"] { return d }
        var candidates: [String] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<5 { candidates.append(dir.appendingPathComponent("stdlib").path); dir = dir.deletingLastPathComponent() }
        // Source checkout (tests, `swift run`).
        let src = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(src.appendingPathComponent("stdlib").path)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
