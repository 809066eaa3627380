// The interactive session on GNU readline: history kept in ~/.did_history, tab completion of
// commands, variables, macros and file paths, multi-line blocks (`{` … `}`, `/*` … `*/`,
// `///`, `program` … `end`), Ctrl-C to interrupt a running command or clear the line, Ctrl-D
// to exit. Every error is reported and the session goes on with its data intact.

import CReadline
import Did
import Foundation

/// State readline's C callbacks need (they cannot capture Swift context).
nonisolated(unsafe) private var completionSession: Session? = nil
nonisolated(unsafe) private var completionCandidates: [String] = []
nonisolated(unsafe) private var completionIndex = 0
nonisolated(unsafe) var replAtPrompt: Int32 = 0
nonisolated(unsafe) var replInterrupted: Int32 = 0
nonisolated(unsafe) var replClearBuffer: Int32 = 0

struct REPL {
    let interpreter: Interpreter

    func run() -> Int32 {
        let session = interpreter.session
        session.interactive = true
        session.pollInterrupt = {
            if replInterrupted != 0 { replInterrupted = 0; return true }
            return false
        }
        completionSession = session
        installCompletion()
        installInterruptHandler()
        let env = ProcessInfo.processInfo.environment
        let home = env["HOME"] ?? NSHomeDirectory()
        let historyPath = env["DID_HISTORY"] ?? (home as NSString).appendingPathComponent(".did_history")
        read_history(historyPath)
        print("did 0.1.0 — Stata-compatible DID toolkit. Ctrl-D or `exit` to leave.")
        var buffer = ""
        while true {
            replAtPrompt = 1
            let prompt = buffer.isEmpty ? ". " : "> "
            guard let raw = readline(prompt) else { print(""); break }
            replAtPrompt = 0
            let line = String(cString: raw)
            free(raw)
            if replClearBuffer != 0 { replClearBuffer = 0; buffer = "" }
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { add_history(line) }
            buffer += buffer.isEmpty ? line : "\n" + line
            if Self.needsMore(buffer) { continue }
            let text = buffer
            buffer = ""
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed == "exit" || trimmed == "exit, clear" { break }
            do { try interpreter.run(text, file: "<stdin>") } catch {
                FileHandle.standardError.write(Interpreter.describe(error).data(using: .utf8)!)
            }
            replInterrupted = 0
        }
        write_history(historyPath)
        return 0
    }

    /// Open braces, an open comment, a trailing `///` or an unfinished program keep reading.
    static func needsMore(_ text: String) -> Bool {
        if SourceSplitter.needsMoreInput(text) { return true }
        guard let stmts = try? SourceSplitter.split(text, file: "<stdin>") else { return true }
        var depth = 0
        for s in stmts {
            let w = BlockParser.firstWord(s.text)
            if s.text == "}" || s.text.hasPrefix("} ") { depth -= 1 }
            if s.text.hasSuffix("{") { depth += 1 }
            if ["program", "pr", "prog", "progr", "progra"].contains(w) {
                let second = s.text.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                if !["drop", "dir", "list"].contains(second) { depth += 1 }
            }
            if s.text == "end" { depth -= 1 }
        }
        return depth > 0
    }

    private func installCompletion() {
        rl_attempted_completion_function = { text, start, _ in
            guard let text = text else { return nil }
            let prefix = String(cString: text)
            let line = rl_line_buffer.map { String(cString: $0) } ?? ""
            let before = String(line.utf8.prefix(Int(start))).map { String($0) } ?? ""
            completionCandidates = REPL.candidates(prefix: prefix, before: before)
            completionIndex = 0
            if completionCandidates.isEmpty && !before.trimmingCharacters(in: .whitespaces).isEmpty {
                return nil   // fall back to readline's file-name completion
            }
            rl_attempted_completion_over = 1
            return rl_completion_matches(text) { _, state in
                if state == 0 { completionIndex = 0 }
                guard completionIndex < completionCandidates.count else { return nil }
                let c = completionCandidates[completionIndex]
                completionIndex += 1
                return strdup(c)
            }
        }
    }

    /// What to offer for `prefix`: command names first on a line, `$` globals, `` ` `` locals,
    /// otherwise variable names.
    static func candidates(prefix: String, before: String) -> [String] {
        guard let s = completionSession else { return [] }
        let atStart = before.trimmingCharacters(in: .whitespaces).isEmpty || before.hasSuffix(":")
        if prefix.hasPrefix("$") {
            return s.globals.keys.filter { $0.hasPrefix(prefix.dropFirst()) }.sorted().map { "$" + $0 }
        }
        if prefix.hasPrefix("`") {
            return s.localNames.filter { $0.hasPrefix(prefix.dropFirst()) }.sorted().map { "`" + $0 + "'" }
        }
        if atStart { return s.registry.names.filter { $0.hasPrefix(prefix) } }
        return s.frame.columns.map(\.name).filter { $0.hasPrefix(prefix) }
    }

    private func installInterruptHandler() {
        signal(SIGINT) { _ in
            if replAtPrompt != 0 {
                // At the prompt: drop the line being typed (and any unfinished block).
                replClearBuffer = 1
                write(1, "\n", 1)
                rl_on_new_line()
                rl_set_prompt(". ")
                rl_replace_line("", 0)
                rl_redisplay()
            } else {
                replInterrupted = 1
            }
        }
    }
}
