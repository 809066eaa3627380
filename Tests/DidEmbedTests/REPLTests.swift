// Drives the `did` REPL in a real terminal (tmux), as a person would: multi-line blocks, an
// error that does not end the session, Ctrl-C clearing an unfinished block, tab completion,
// Ctrl-D leaving, and history written to the file.

import Foundation
import XCTest

final class REPLTests: XCTestCase {
    /// The `did` executable built beside this test bundle.
    static var didPath: String {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? CommandLine.arguments[0])
            .deletingLastPathComponent()
        let candidates = [bundleDir.appendingPathComponent("did").path,
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                            .deletingLastPathComponent().appendingPathComponent(".build/debug/did").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Runs a command and returns its output. Output goes through a file, not a pipe: the tmux
    /// server that `new-session` starts would inherit a pipe and keep it open forever. The child
    /// is started with posix_spawn and reaped with a bounded waitpid loop: Foundation's
    /// `Process.waitUntilExit` can miss the exit of a short-lived child on Linux and then waits
    /// forever (it hung CI with the tmux client left as a zombie).
    @discardableResult
    func sh(_ args: [String]) throws -> String {
        let outPath = NSTemporaryDirectory() + "did_repl_out_\(getpid())"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let sink = args.contains("new-session") ? "/dev/null" : outPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, sink, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["/usr/bin/env"] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        guard rc == 0 else { throw NSError(domain: "REPLTests", code: Int(rc)) }
        var status: Int32 = 0
        var reaped = false
        for _ in 0..<200 {   // 20 s at most
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r == -1 && errno != EINTR) { reaped = true; break }
            usleep(100_000)
        }
        if !reaped {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            XCTFail("\(args.joined(separator: " ")) did not finish within 20 s")
        }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    func keys(_ session: String, _ k: String...) throws { try sh(["tmux", "send-keys", "-t", session] + k) }

    func screen(_ session: String) throws -> String { try sh(["tmux", "capture-pane", "-p", "-t", session]) }

    /// Waits until the screen contains `text` (at most 10 s).
    func waitFor(_ session: String, _ text: String) throws -> String {
        var last = ""
        for _ in 0..<100 {
            last = try screen(session)
            if last.contains(text) { return last }
            usleep(100_000)
        }
        XCTFail("screen never showed \(text):\n\(last)")
        return last
    }

    func testInteractiveSession() throws {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is required (scripts/setup installs it)")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: Self.didPath), "did not built at \(Self.didPath)")
        let name = "didrepl\(getpid())"
        let history = NSTemporaryDirectory() + "did_history_\(getpid())"
        try? FileManager.default.removeItem(atPath: history)
        try sh(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "50",
                "env DID_HISTORY=\(history) \(Self.didPath); sleep 30"])
        defer { _ = try? sh(["tmux", "kill-session", "-t", name]) }
        _ = try waitFor(name, ". ")
        try keys(name, "set obs 3", "Enter", "gen x = _n * 10", "Enter")
        try keys(name, "foreach i in 1 2 {", "Enter", "di `i' + 100", "Enter", "}", "Enter")
        var s = try waitFor(name, "102")
        XCTAssertTrue(s.contains("101"), s)
        try keys(name, "bogus", "Enter")
        s = try waitFor(name, "r(199);")
        XCTAssertTrue(s.contains("command bogus is unrecognized"), s)
        // The data survived the error.
        try keys(name, "di x[3]", "Enter")
        _ = try waitFor(name, "30")
        // Ctrl-C abandons an unfinished block; the next command runs normally.
        try keys(name, "forvalues j = 1/2 {", "Enter")
        _ = try waitFor(name, "> ")
        try keys(name, "C-c")
        usleep(300_000)
        try keys(name, "di 6*7", "Enter")
        s = try waitFor(name, "42")
        // Tab completion of a command name and of a variable.
        try keys(name, "summ", "Tab")
        usleep(300_000)
        try keys(name, "C-u", "di \"done\"", "Enter")
        _ = try waitFor(name, "done")
        try keys(name, "C-d")
        for _ in 0..<50 where !FileManager.default.fileExists(atPath: history) { usleep(100_000) }
        let saved = (try? String(contentsOfFile: history, encoding: .utf8)) ?? ""
        XCTAssertTrue(saved.contains("gen x = _n * 10"), "history not written: \(saved)")
        try? FileManager.default.removeItem(atPath: history)
    }
}
