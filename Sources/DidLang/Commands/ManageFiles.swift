// confirm, erase/rm, mkdir, dir/ls: file-system and existence checks with Stata's return codes
// (601 file not found, 602 file exists, 7 wrong kind of thing, 111 variable not found).

import DidFrame
import Foundation

/// confirm, erase, mkdir, dir.
enum ManageFiles {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("confirm", minAbbreviation: 4, parsesSyntax: false) { call, s in try confirm(call.arguments, s) })
        for name in ["erase", "rm"] {
            r.register(ClosureCommand(name, parsesSyntax: false) { call, s in
                let w = Tokenizer.words(call.arguments)
                guard w.count == 1 else { throw StataError(198, "invalid file specification") }
                let path = s.resolvePath(w[0])
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
                    throw StataError.fileNotFound(w[0])
                }
                do { try FileManager.default.removeItem(atPath: path) } catch {
                    throw StataError(693, "could not erase file \(w[0])")
                }
            })
        }
        r.register(ClosureCommand("mkdir", parsesSyntax: false) { call, s in
            let text = call.arguments.split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
            let w = Tokenizer.words(text)
            guard w.count == 1 else { throw StataError(198, "invalid syntax") }
            do { try FileManager.default.createDirectory(atPath: s.resolvePath(w[0]), withIntermediateDirectories: false) } catch {
                throw StataError(693, "could not create directory \(w[0])")
            }
        })
        for name in ["dir", "ls"] {
            r.register(ClosureCommand(name, parsesSyntax: false) { call, s in try dir(call.arguments, s) })
        }
    }

    /// confirm [new] file | [numeric|string|new] variable | [integer] number | names | existence
    static func confirm(_ text: String, _ s: Session) throws {
        var w = Tokenizer.words(text)
        guard !w.isEmpty else { throw StataError(198, "invalid syntax") }
        var qualifier: String? = nil
        if ["new", "numeric", "num", "string", "str", "integer", "int"].contains(w[0]) { qualifier = w.removeFirst() }
        guard let kind = w.first else { throw StataError(198, "invalid syntax") }
        w.removeFirst()
        let isVariable = kind.count >= 1 && "variable".hasPrefix(kind)
        switch (qualifier, kind) {
        case (nil, "file"), ("new", "file"):
            guard w.count == 1 else { throw StataError(198, "invalid syntax") }
            let exists = FileManager.default.fileExists(atPath: s.resolvePath(w[0]))
            if qualifier == nil && !exists { throw StataError.fileNotFound(w[0]) }
            if qualifier == "new" && exists { throw StataError.fileExists(w[0]) }
        case (_, _) where isVariable:
            guard !w.isEmpty else { throw StataError(100, "varlist required") }
            if qualifier == "new" {
                for n in w { try s.checkNewName(n) }
                return
            }
            for v in try s.varlist(w.joined(separator: " ")) {
                let c = s.frame.column(v)!
                if (qualifier == "numeric" || qualifier == "num") && c.isString {
                    throw StataError(7, "'\(v)' found where numeric variable expected")
                }
                if (qualifier == "string" || qualifier == "str") && !c.isString {
                    throw StataError(7, "'\(v)' found where string variable expected")
                }
            }
        case (nil, "number"), (nil, "n"), (nil, "num"), (nil, "numb"), (nil, "numbe"):
            let t = w.joined(separator: " ")
            if Double(t) == nil && !(t.hasPrefix(".") && t.count <= 2 && (t == "." || Missing.extended(letter: t.last!) != nil)) {
                throw StataError(7, "'\(t)' found where number expected")
            }
        case ("integer", _), ("int", _):
            guard kind.hasPrefix("n") else { throw StataError(198, "invalid syntax") }
            let t = w.joined(separator: " ")
            guard let v = Double(t), v == v.rounded() else { throw StataError(7, "'\(t)' found where integer expected") }
        case (nil, "names"), (nil, "name"):
            for n in w where !StataName.isValid(n) { throw StataError(7, "\(n) invalid name") }
        case (nil, "existence"), (nil, "e"):
            if w.joined().isEmpty { throw StataError(6, "'' found where something expected") }
        default:
            throw StataError(198, "confirm \(text): invalid syntax")
        }
    }

    /// dir [filespec]: size, date and name of each entry, directories first marked `<dir>`.
    static func dir(_ text: String, _ s: Session) throws {
        let spec = Tokenizer.words(text.split(separator: ",").first.map(String.init) ?? "").first ?? ""
        var folder = s.workingDirectory, pattern = "*"
        if !spec.isEmpty {
            let p = s.resolvePath(spec)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue { folder = p } else {
                folder = (p as NSString).deletingLastPathComponent; pattern = (p as NSString).lastPathComponent
            }
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw StataError.fileNotFound(spec.isEmpty ? folder : spec)
        }
        let df = DateFormatter()
        df.locale = Locale(identifier: "en_US_POSIX"); df.dateFormat = "M/dd/yy HH:mm"
        for n in names.sorted() where !n.hasPrefix(".") && Session.wildcardMatch(pattern, n) {
            let attrs = (try? FileManager.default.attributesOfItem(atPath: (folder as NSString).appendingPathComponent(n))) ?? [:]
            let isDir = (attrs[.type] as? FileAttributeType) == .typeDirectory
            let size = (attrs[.size] as? Int) ?? 0
            let date = (attrs[.modificationDate] as? Date).map { df.string(from: $0) } ?? ""
            let sizeText = isDir ? "<dir>" : String(format: "%.1fk", Double(size) / 1024)
            let pad = String(repeating: " ", count: max(0, 8 - sizeText.count))
            s.line(pad + sizeText + "  " + date + "  " + n + (isDir ? "/" : ""))
        }
    }
}
