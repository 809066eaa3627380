// The interactive session on GNU readline: history in ~/.did_history, multi-line blocks, and
// every error reported without ending the session.

import CReadline
import Did
import Foundation

struct REPL {
    let interpreter: Interpreter

    func run() -> Int32 {
        interpreter.session.interactive = true
        let historyPath = (NSHomeDirectory() as NSString).appendingPathComponent(".did_history")
        read_history(historyPath)
        print("did 0.1.0 — type commands; Ctrl-D to exit")
        var buffer = ""
        while true {
            let prompt = buffer.isEmpty ? ". " : "> "
            guard let raw = readline(prompt) else { print(""); break }
            let line = String(cString: raw)
            free(raw)
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { add_history(line) }
            buffer += buffer.isEmpty ? line : "\n" + line
            if needsMore(buffer) { continue }
            let text = buffer
            buffer = ""
            if text.trimmingCharacters(in: .whitespaces) == "exit" { break }
            do { try interpreter.run(text, file: "<stdin>") } catch {
                FileHandle.standardError.write(Interpreter.describe(error).data(using: .utf8)!)
            }
        }
        write_history(historyPath)
        return 0
    }

    /// Open braces, an open comment or a trailing `///` keep the block going.
    func needsMore(_ text: String) -> Bool {
        if SourceSplitter.needsMoreInput(text) { return true }
        guard let stmts = try? SourceSplitter.split(text, file: "<stdin>") else { return true }
        var depth = 0
        for s in stmts {
            if s.text.hasSuffix("{") { depth += 1 }
            if s.text == "}" || s.text.hasPrefix("} ") { depth -= 1; if s.text.hasSuffix("{") { } }
            if BlockParser.firstWord(s.text) == "program" && !s.text.contains("drop") { depth += 1 }
            if s.text == "end" { depth -= 1 }
        }
        return depth > 0
    }
}
