// postfile postname newvarlist using filename [, replace every(#)]
// post postname (exp) (exp) …
// postclose postname
// postutil clear | dir
//
// The placebo-loop idiom: results of each replication are posted as one observation of a new
// dataset, which `postclose` writes as a .dta file. Rows are kept in memory and the file is
// written through DTAWriter (atomic: a temporary file renamed over the target), so a loop
// that fails half-way never leaves a truncated dataset. `postfile` writes the empty dataset at
// once, as Stata creates the file when it opens it: that checks the path and `replace` before
// the loop spends any time. `every(#)` rewrites the file after every # posts.

import DidFrame
import Foundation

/// The postfile family.
enum PostFile {
    /// One open postfile.
    struct Handle {
        /// Target path (with `.dta` added when the name had no extension).
        var path: String
        /// The declared variables; their values grow by one observation per `post`.
        var columns: [Column]
        /// Rewrite the file after this many posts (0: only at `postclose`).
        var every: Int
        /// Posts since the file was last written.
        var pending = 0
    }

    static let specs = [OptionSpec("replace"), OptionSpec("every", .required)]

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("postfile", options: specs) { call, s in try open(call, s) })
        r.register(ClosureCommand("post", parsesSyntax: false) { call, s in try post(call.arguments, s) })
        r.register(ClosureCommand("postclose", parsesSyntax: false) { call, s in try close(call.arguments, s) })
        r.register(ClosureCommand("postutil", parsesSyntax: false) { call, s in try util(call.arguments, s) })
    }

    // MARK: postfile

    /// postfile postname newvarlist using filename [, replace every(#)]
    static func open(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: specs)
        var words = Tokenizer.words(call.head)
        guard !words.isEmpty else { throw StataError(198, "invalid syntax") }
        let name = words.removeFirst()
        guard Session.isValidName(name) else { throw StataError(198, "\(name) invalid name") }
        if s.portState.posts[name] != nil { throw StataError(110, "\(name) already defined") }
        guard !words.isEmpty else { throw StataError(100, "varlist required") }
        guard let file = call.using, !file.isEmpty else { throw StataError(100, "using required") }
        let every = try OutText.integer(try o.number("every"), "every", default: 0)
        guard every >= 0 else { throw StataError(198, "option every() invalid") }
        let columns = try declaredColumns(words.joined(separator: " "))
        let path = FileCommands.dtaPath(file, s)
        let handle = Handle(path: path, columns: columns, every: every)
        // Writing the empty dataset now gives r(602) / r(603) before any replication runs.
        try write(handle, replace: o.has("replace"))
        s.portState.posts[name] = handle
    }

    /// Parses a newvarlist with optional storage types: `b se`, `double b se`, `str20 name`,
    /// `double(b se)`. A type applies to the name that follows it (or to the parenthesised list).
    static func declaredColumns(_ text: String) throws -> [Column] {
        var columns: [Column] = []
        // Put spaces around parentheses so `double(b se)` splits into words.
        let spaced = text.replacingOccurrences(of: "(", with: " ( ").replacingOccurrences(of: ")", with: " ) ")
        var words = spaced.split(separator: " ").map(String.init)[...]
        func add(_ name: String, _ type: StorageType) throws {
            guard Session.isValidName(name), !Session.reserved.contains(name) else { throw StataError(198, "\(name) invalid name") }
            if columns.contains(where: { $0.name == name }) { throw StataError(110, "\(name) already defined") }
            columns.append(type.isString ? Column(name: name, strings: [], type: type) : Column(name: name, type: type, values: []))
        }
        while let w = words.popFirst() {
            guard let type = StorageType(name: w) else { try add(w, .float); continue }
            if words.first == "(" {
                words.removeFirst()
                var any = false
                while let n = words.popFirst(), n != ")" { try add(n, type); any = true }
                guard any else { throw StataError(198, "invalid syntax") }
            } else {
                guard let n = words.popFirst() else { throw StataError(198, "invalid syntax: name expected after \(w)") }
                try add(n, type)
            }
        }
        return columns
    }

    // MARK: post

    /// post postname (exp) (exp) …
    static func post(_ arguments: String, _ s: Session) throws {
        var rest = Substring(arguments.trimmingCharacters(in: .whitespaces))
        let name = String(rest.prefix { $0 != " " && $0 != "\t" && $0 != "(" })
        rest = rest.dropFirst(name.count)
        guard !name.isEmpty else { throw StataError(198, "invalid syntax") }
        guard var h = s.portState.posts[name] else { throw StataError(111, "post \(name) not found") }
        let exps = try expressions(String(rest))
        guard exps.count == h.columns.count else {
            throw StataError(198, "post \(name): \(h.columns.count) expressions expected and \(exps.count) found")
        }
        // Evaluate all first, so a failing expression posts nothing.
        let values = try exps.map { try Evaluator.evaluateScalar($0, in: s) }
        for (j, v) in values.enumerated() {
            let t = h.columns[j].type
            switch v {
            case .number(let x):
                guard t.isNumeric else { throw StataError.typeMismatch() }
                h.columns[j].nums.append(GenerateCommands.store(x, t))
            case .string(let str):
                guard t.isString else { throw StataError.typeMismatch() }
                h.columns[j].strs.append(truncated(str, to: t))
            }
        }
        h.pending += 1
        if h.every > 0 && h.pending >= h.every {
            try write(h, replace: true)
            h.pending = 0
        }
        s.portState.posts[name] = h
    }

    /// Splits `(exp) (exp) …` into expression texts; a bare word is one expression (the old
    /// syntax Stata still accepts for simple names and numbers).
    static func expressions(_ text: String) throws -> [String] {
        var out: [String] = []
        let b = Array(text.utf8)
        var i = 0
        while i < b.count {
            if b[i] == 32 || b[i] == 9 { i += 1; continue }
            if b[i] == 40 {
                var depth = 0, j = i, inQuote = false
                while j < b.count {
                    if b[j] == 34 { inQuote.toggle() }
                    if !inQuote { if b[j] == 40 { depth += 1 } else if b[j] == 41 { depth -= 1; if depth == 0 { break } } }
                    j += 1
                }
                guard j < b.count else { throw StataError(198, "unmatched parenthesis in post") }
                let inner = String(decoding: b[(i + 1)..<j], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                guard !inner.isEmpty else { throw StataError(198, "invalid syntax: empty expression in post") }
                out.append(inner)
                i = j + 1
            } else {
                let start = i
                while i < b.count && b[i] != 32 && b[i] != 9 && b[i] != 40 { i += 1 }
                out.append(String(decoding: b[start..<i], as: UTF8.self))
            }
        }
        return out
    }

    /// A string cut to what a `str#` holds (whole UTF-8 characters only).
    static func truncated(_ s: String, to t: StorageType) -> String {
        guard case .str(let n) = t, s.utf8.count > n else { return s }
        var out = ""
        for ch in s where out.utf8.count + String(ch).utf8.count <= n { out.append(ch) }
        return out
    }

    // MARK: postclose, postutil

    /// postclose postname
    static func close(_ arguments: String, _ s: Session) throws {
        let words = Tokenizer.words(arguments)
        guard words.count == 1 else { throw StataError(198, "invalid syntax") }
        guard let h = s.portState.posts[words[0]] else { throw StataError(111, "post \(words[0]) not found") }
        s.portState.posts[words[0]] = nil
        try write(h, replace: true)
    }

    /// postutil clear | postutil dir
    static func util(_ arguments: String, _ s: Session) throws {
        switch Tokenizer.words(arguments).first ?? "" {
        case "clear":
            // Stata closes every postfile; the posted rows are kept in the files.
            let open = s.portState.posts
            s.portState.posts = [:]
            for (_, h) in open.sorted(by: { $0.key < $1.key }) { try write(h, replace: true) }
        case "dir":
            if s.portState.posts.isEmpty { s.line("  (no postfiles open)"); return }
            for (name, h) in s.portState.posts.sorted(by: { $0.key < $1.key }) {
                s.line("  \(name) (\(h.columns.count) variables, \(h.columns.first?.count ?? 0) observations) on \(h.path)")
            }
        default:
            throw StataError(198, "postutil: clear or dir expected")
        }
    }

    /// Writes the handle's rows as a dataset (atomically, through DTAWriter).
    static func write(_ h: Handle, replace: Bool) throws {
        let frame = Frame(columns: h.columns)
        try DTAWriter.write(frame, to: h.path, replace: replace)
    }
}
