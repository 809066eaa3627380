// Builds the statement tree from raw statements: matches `{`/`}` of loops, `if`/`else` chains,
// prefixed blocks and `program … end`. Errors name the statement that opened an unclosed block.
//
// Grammar (one statement per line):
//   block      := { statement }
//   statement  := loop | ifchain | prefixblk | program | command
//   loop       := ("foreach"|"forvalues"|"while") header "{" block "}"
//   ifchain    := "if" exp "{" block "}" { "else" "if" exp "{" block "}" } [ "else" "{" block "}" ]
//   prefixblk  := prefixword {prefixword} "{" block "}"
//   program    := "program" ["define"] name [", " options] block "end"

import DidFrame
import Foundation

/// Parses statements into nodes.
public struct BlockParser {
    private var stmts: [RawStatement]
    private var pos = 0
    private var depth = 0
    private static let maxDepth = 200

    /// Parses a whole script.
    public static func parse(_ statements: [RawStatement]) throws -> [Stmt] {
        var p = BlockParser(stmts: statements)
        let nodes = try p.block(until: nil)
        return nodes
    }

    /// Splits and parses source text.
    public static func parse(source: String, file: String) throws -> [Stmt] {
        try parse(SourceSplitter.split(source, file: file))
    }

    private init(stmts: [RawStatement]) { self.stmts = stmts }

    /// block := { statement } — ends at `}` (consumed by the caller) or `end` for programs.
    private mutating func block(until terminator: String?) throws -> [Stmt] {
        var nodes: [Stmt] = []
        while pos < stmts.count {
            let s = stmts[pos]
            let t = s.text
            if terminator == "}" && (t == "}" || t.hasPrefix("} ")) { return nodes }
            if terminator == "end" && Self.firstWord(t) == "end" && t.split(separator: " ").count == 1 {
                return nodes
            }
            if t == "}" || t.hasPrefix("} ") {
                throw StataError(198, "unexpected }", at: s.location)
            }
            nodes.append(try statement())
        }
        if let term = terminator {
            throw StataError(198, term == "end" ? "program definition not closed: end missing"
                                                 : "unexpected end of file: } missing", at: nil)
        }
        return nodes
    }

    /// statement := loop | ifchain | prefixblk | program | command
    private mutating func statement() throws -> Stmt {
        let s = stmts[pos]
        let t = s.text
        let word = Self.firstWord(t)
        let opensBlock = t.hasSuffix("{")
        switch word {
        case "foreach", "forvalues", "forval", "forv", "forvalu", "forvalue", "while":
            guard opensBlock else {
                throw StataError(198, "program error: '{' expected at end of \(word) line", at: s.location)
            }
            let header = Self.rest(t, after: word).dropLast().trimmingCharacters(in: .whitespaces)
            let body = try enclosedAndClosed(s)
            if word == "foreach" { return .foreach(header: header, body: body, at: s) }
            if word == "while" { return .whileLoop(condition: header, body: body, at: s) }
            return .forvalues(header: header, body: body, at: s)
        case "if" where opensBlock:
            return try ifChain()
        case "program", "pr", "pro", "prog", "progr", "progra":
            return try program()
        default:
            if opensBlock, Self.isPrefixBlock(t) {
                let prefix = String(t.dropLast()).trimmingCharacters(in: .whitespaces)
                return .prefixedBlock(prefix: prefix, body: try enclosedAndClosed(s), at: s)
            }
            pos += 1
            return .command(s)
        }
    }

    /// Consumes the opening line, the body and the closing `}`; returns the body.
    private mutating func enclosed(_ opener: RawStatement) throws -> [Stmt] {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            throw StataError(198, "blocks nested too deeply (more than \(Self.maxDepth) levels)", at: opener.location)
        }
        pos += 1
        let body: [Stmt]
        do { body = try block(until: "}") } catch var e as StataError {
            if e.location == nil { e.location = opener.location }
            throw e
        }
        guard pos < stmts.count else {
            throw StataError(198, "unexpected end of file: } missing", at: opener.location)
        }
        // `}` consumed; an `} else …` on the same line is handled by ifChain.
        return body
    }

    /// A block whose closing line must be a lone `}`; consumes it.
    private mutating func enclosedAndClosed(_ opener: RawStatement) throws -> [Stmt] {
        let body = try enclosed(opener)
        guard stmts[pos].text == "}" else {
            throw StataError(198, "unexpected text after }", at: stmts[pos].location)
        }
        pos += 1
        return body
    }

    /// ifchain := "if" exp "{" block "}" { "else" … }
    private mutating func ifChain() throws -> Stmt {
        let opener = stmts[pos]
        var branches: [(condition: String?, body: [Stmt])] = []
        var cond: String? = Self.rest(opener.text, after: "if").dropLast().trimmingCharacters(in: .whitespaces)
        var current = opener
        while true {
            let body = try enclosed(current)
            branches.append((cond, body))
            // The closing line is `}` or `} else …`.
            let closing = stmts[pos].text
            var elseText: String? = nil
            if closing.hasPrefix("} ") {
                elseText = String(closing.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                if Self.firstWord(elseText!) != "else" {
                    throw StataError(198, "unexpected text after }", at: stmts[pos].location)
                }
                // Re-use this statement as the else opener.
                stmts[pos].text = elseText!
            } else {
                pos += 1
                if pos < stmts.count, Self.firstWord(stmts[pos].text) == "else" {
                    elseText = stmts[pos].text
                }
            }
            guard let e = elseText else { break }
            current = stmts[pos]
            let afterElse = Self.rest(e, after: "else").trimmingCharacters(in: .whitespaces)
            if afterElse == "{" {
                cond = nil
            } else if Self.firstWord(afterElse) == "if" && afterElse.hasSuffix("{") {
                cond = Self.rest(afterElse, after: "if").dropLast().trimmingCharacters(in: .whitespaces)
            } else {
                // `else command` on one line.
                var single = current
                single.text = afterElse
                branches.append((nil, [.command(single)]))
                pos += 1
                break
            }
            if cond == nil {
                let body = try enclosed(current)
                branches.append((nil, body))
                pos += 1
                break
            }
        }
        return .ifChain(branches: branches, at: opener)
    }

    /// program := "program" ["define"] name [", " options] block "end"
    private mutating func program() throws -> Stmt {
        let s = stmts[pos]
        var rest = Self.rest(s.text, after: Self.firstWord(s.text)).trimmingCharacters(in: .whitespaces)
        let w = Self.firstWord(rest)
        if ["define", "def", "de", "defi", "defin"].contains(w) {
            rest = Self.rest(rest, after: w).trimmingCharacters(in: .whitespaces)
        } else if ["drop", "dir", "list", "l", "li", "lis"].contains(w) {
            pos += 1
            return .command(s)   // `program drop x`, `program dir` are ordinary commands
        }
        var name = rest, options = ""
        if let comma = rest.firstIndex(of: ",") {
            name = rest[..<comma].trimmingCharacters(in: .whitespaces)
            options = rest[rest.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        }
        guard !name.isEmpty, !name.contains(" ") else {
            throw StataError(198, "invalid program name", at: s.location)
        }
        pos += 1
        let body = try block(until: "end")
        guard pos < stmts.count else {
            throw StataError(198, "program \(name) not closed: end missing", at: s.location)
        }
        pos += 1
        return .program(name: name, options: options, body: body, at: s)
    }

    static func isPrefixBlock(_ t: String) -> Bool {
        let words = t.dropLast().split(separator: " ").map(String.init)
        guard !words.isEmpty else { return false }
        let prefixes: Set<String> = ["quietly", "qui", "quietl", "quiet", "quie", "qu", "noisily", "noi", "n", "no", "nois", "noisi", "noisil",
                                     "capture", "cap", "capt", "captu", "captur"]
        return words.allSatisfy { prefixes.contains($0) }
    }

    /// The first word of a statement (up to whitespace, `,` or `{`).
    public static func firstWord(_ t: String) -> String {
        String(t.prefix { !$0.isWhitespace && $0 != "," && $0 != "{" })
    }

    static func rest(_ t: String, after word: String) -> String {
        String(t.dropFirst(word.count))
    }
}
