// log using file [, text smcl replace append name()] / log close [name|_all] / log off / log on /
// log query. A log copies what the session shows (Session.emit hands text to every open log),
// so quietly'd output stays out of it as in Stata. SMCL logs are plain text inside `{smcl}`
// with braces escaped, which Stata's viewer and `translate` read.

import DidFrame
import Foundation

/// An open log file.
public final class LogFile {
    /// Log name (`<unnamed>` unless name() was given).
    public let name: String
    /// Full path of the file.
    public let path: String
    /// "text" or "smcl".
    public let type: String
    /// False between `log off` and `log on`.
    public var active = true
    private let handle: FileHandle

    init(name: String, path: String, type: String, append: Bool) throws {
        self.name = name; self.path = path; self.type = type
        let fm = FileManager.default
        if !append || !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: nil) else { throw StataError(603, "file \(path) could not be opened") }
        }
        guard let h = FileHandle(forWritingAtPath: path) else { throw StataError(603, "file \(path) could not be opened") }
        handle = h
        _ = try? handle.seekToEnd()
        if type == "smcl" && (!append || (try? handle.offset()) == 0) { try? handle.write(contentsOf: Data("{smcl}\n{txt}".utf8)) }
    }

    /// Writes shown text to the file.
    public func write(_ text: String) {
        guard active else { return }
        var t = text
        if type == "smcl" {
            // One pass, so the braces of the escapes themselves are not escaped again.
            t = ""
            for ch in text { t += ch == "{" ? "{c -(}" : ch == "}" ? "{c )-}" : String(ch) }
        }
        // The throwing API: a full disk must not trap the interpreter.
        try? handle.write(contentsOf: Data(t.utf8))
    }

    /// Flushes and closes the file.
    func close() { try? handle.synchronize(); try? handle.close() }
}

/// The log command.
enum ManageLog {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("log", options: [OptionSpec("text"), OptionSpec("smcl"), OptionSpec("replace"), OptionSpec("append"),
                                                   OptionSpec("name", .required), OptionSpec("nomsg")]) { call, s in try run(call, s) })
    }

    static func stamp() -> String {
        let df = DateFormatter()
        df.locale = Locale(identifier: "en_US_POSIX"); df.dateFormat = "d MMM yyyy, HH:mm:ss"
        return df.string(from: Date())
    }

    static func banner(_ l: LogFile, _ verb: String, _ s: Session) {
        s.line("      name:  \(l.name)")
        s.line("       log:  \(l.path)")
        s.line("  log type:  \(l.type)")
        s.line(" \(verb) on:  \(stamp())")
    }

    static func run(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: [OptionSpec("text"), OptionSpec("smcl"), OptionSpec("replace"), OptionSpec("append"),
                                                  OptionSpec("name", .required), OptionSpec("nomsg")])
        let w = Tokenizer.words(call.head)
        if let file = call.using {
            guard w.isEmpty else { throw StataError(198, "invalid syntax") }
            guard !file.trimmingCharacters(in: .whitespaces).isEmpty else { throw StataError(198, "invalid file specification") }
            let name = o.string("name") ?? "<unnamed>"
            if s.logs[name] != nil { throw StataError(604, "log file already open") }
            var path = s.resolvePath(file)
            let ext = (path as NSString).pathExtension
            if ext.isEmpty { path += o.has("text") ? ".log" : ".smcl" }
            let type = o.has("text") || (!o.has("smcl") && (path as NSString).pathExtension != "smcl") ? "text" : "smcl"
            if FileManager.default.fileExists(atPath: path) && !o.has("replace") && !o.has("append") {
                throw StataError.fileExists(path)
            }
            let log = try LogFile(name: name, path: path, type: type, append: o.has("append"))
            s.logs[name] = log
            s.line(String(repeating: "-", count: 79))
            banner(log, "opened", s)
            return
        }
        guard let sub = w.first else { throw StataError(198, "invalid syntax") }
        let target = w.count > 1 ? w[1] : nil
        switch sub {
        case "close", "c", "cl", "clo", "clos":
            let names = target == "_all" ? Array(s.logs.keys) : [target ?? (s.logs.count == 1 ? s.logs.keys.first! : "<unnamed>")]
            if target != "_all" && s.logs[names[0]] == nil { throw StataError(606, "no log file open") }
            for n in names.sorted() {
                let l = s.logs[n]!
                banner(l, "closed", s)
                s.line(String(repeating: "-", count: 79))
                s.logs[n] = nil
                l.close()
            }
        case "off", "on":
            guard let l = s.logs[target ?? "<unnamed>"] ?? (s.logs.count == 1 ? s.logs.values.first : nil) else {
                throw StataError(606, "no log file open")
            }
            l.active = sub == "on"
        case "query", "q", "qu", "que", "quer":
            if s.logs.isEmpty { s.line("no log file open"); return }
            for l in s.logs.values.sorted(by: { $0.name < $1.name }) {
                s.line("      name:  \(l.name)")
                s.line("       log:  \(l.path)")
                s.line("  log type:  \(l.type)")
                s.line("    status:  \(l.active ? "on" : "off")")
            }
        default: throw StataError(198, "invalid syntax")
        }
    }
}
