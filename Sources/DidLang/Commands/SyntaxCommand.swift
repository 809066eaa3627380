// `syntax` and `marksample`: how a user program parses its arguments like a built-in.
//
//   syntax [varlist|newvarlist|namelist|anything [(specs)]] [if] [in] [using/] [weights] [=exp]
//          [, Options(string) Flag noFLAG Level(real 95) Num(integer 1) V(varlist) *]
// Elements in [ ] are optional. Capital letters mark the minimal abbreviation of an option.
// Results land in locals: varlist (or namelist/anything), if, in, using, weight, exp, and one
// local per option (lower-case name), `options` for `*`.

import DidFrame
import Foundation

enum SyntaxCommand {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("syntax", parsesSyntax: false) { call, s in try run(call.arguments, s) })
        r.register(ClosureCommand("marksample", parsesSyntax: false) { call, s in try marksample(call.arguments, s) })
        r.register(ClosureCommand("markout", parsesSyntax: false) { call, s in
            let w = Tokenizer.words(call.arguments.split(separator: ",").first.map(String.init) ?? "")
            guard let mark = w.first else { throw StataError(198, "invalid syntax") }
            let j = try s.resolveVariable(mark)
            for v in w.dropFirst() {
                let c = s.frame.columns[try s.resolveVariable(v)]
                for i in 0..<s.frame.count where c.isString ? c.strs[i].isEmpty : Missing.isMissing(c.nums[i]) {
                    s.frame.columns[j].nums[i] = 0
                }
            }
        })
    }

    struct OptionDecl { var name: String; var min: Int; var kind: String; var defaultValue: String; var negatable: Bool }

    static func run(_ spec: String, _ s: Session) throws {
        let given = s.local("0") ?? ""
        // Split the spec into main part and options part at the first top-level comma.
        let specBytes = Array(spec.utf8)
        var comma: Int? = nil
        var depth = 0
        for (i, c) in specBytes.enumerated() {
            if c == 40 { depth += 1 } else if c == 41 { depth -= 1 } else if c == 44 && depth == 0 { comma = i; break }
        }
        var mainSpec = comma.map { String(decoding: specBytes[..<$0], as: UTF8.self) } ?? spec
        mainSpec = mainSpec.trimmingCharacters(in: .whitespaces)
        if mainSpec.hasSuffix("[") { mainSpec.removeLast() }
        var optSpec = comma.map { String(decoding: specBytes[($0 + 1)...], as: UTF8.self) } ?? ""
        optSpec = optSpec.trimmingCharacters(in: .whitespaces)
        if optSpec.hasSuffix("]") { optSpec.removeLast() }
        let elements = tokenizeSpec(mainSpec)
        let hasEquals = elements.contains { $0.text.hasPrefix("=") }
        let call = try CommandCall.parse(name: "syntax", arguments: given, location: nil, equalsAllowed: hasEquals)

        // Main elements.
        var sawList = false
        for el in elements {
            let word = el.text.split(separator: "(").first.map(String.init) ?? el.text
            let specArgs = el.text.contains("(") ? String(el.text.drop { $0 != "(" }.dropFirst().dropLast()) : ""
            switch word {
            case "varlist", "newvarlist", "namelist", "name", "anything", "varname", "newvarname":
                sawList = true
                let head = call.head
                if head.isEmpty {
                    if !el.optional { throw StataError(100, word.contains("var") ? "varlist required" : "\(word) required") }
                    s.setLocal(word == "newvarname" ? "varlist" : (word == "name" ? "namelist" : word == "varname" ? "varlist" : word), "")
                    continue
                }
                switch word {
                case "varlist", "varname":
                    let names = try s.varlist(head)
                    if word == "varname" && names.count != 1 { throw StataError(103, "too many variables specified") }
                    if specArgs.contains("numeric") {
                        for n in names where s.frame.column(n)!.isString { throw StataError(109, "string variables not allowed in varlist;\n\(n) is a string variable") }
                    }
                    if let m = specArgs.range(of: "max=") {
                        let v = Int(specArgs[m.upperBound...].prefix { $0.isNumber }) ?? Int.max
                        if names.count > v { throw StataError(103, "too many variables specified") }
                    }
                    if let m = specArgs.range(of: "min=") {
                        let v = Int(specArgs[m.upperBound...].prefix { $0.isNumber }) ?? 0
                        if names.count < v { throw StataError(102, "too few variables specified") }
                    }
                    s.setLocal("varlist", names.joined(separator: " "))
                case "newvarlist", "newvarname":
                    let names = head.split(separator: " ").map(String.init)
                    for n in names { try s.checkNewName(n) }
                    s.setLocal("varlist", names.joined(separator: " "))
                default:
                    s.setLocal(word == "name" ? "namelist" : word, head)
                }
            case "if":
                s.setLocal("if", call.ifExp.map { "if " + $0 } ?? "")
                if call.ifExp == nil && !el.optional { throw StataError(100, "if required") }
            case "in":
                s.setLocal("in", call.inRange.map { "in " + $0 } ?? "")
                if call.inRange == nil && !el.optional { throw StataError(100, "in range required") }
            case "using", "using/":
                s.setLocal("using", call.using ?? "")
                if call.using == nil && !el.optional { throw StataError(100, "using required") }
            case "fweight", "aweight", "pweight", "iweight":
                if let w = call.weight { s.setLocal("weight", w.kind); s.setLocal("exp", "= " + w.exp) } else { s.setLocal("weight", ""); s.setLocal("exp", "") }
            default:
                if word.hasPrefix("=") {
                    s.setLocal("exp", call.equalsExp ?? "")
                    if call.equalsExp == nil && !el.optional { throw StataError(100, "= exp required") }
                } else {
                    throw StataError(198, "invalid syntax specification: \(el.text)")
                }
            }
        }
        if !sawList && !call.head.isEmpty { throw StataError(198, "invalid syntax") }
        if call.ifExp != nil && !elements.contains(where: { $0.text == "if" }) { throw StataError(101, "if not allowed") }
        if call.inRange != nil && !elements.contains(where: { $0.text == "in" }) { throw StataError(101, "in range not allowed") }
        if call.weight != nil && !elements.contains(where: { $0.text.hasSuffix("weight") }) { throw StataError(101, "weights not allowed") }

        // Options.
        let decls = try parseOptionDecls(optSpec)
        var rest: [String] = []
        for d in decls {
            s.setLocal(d.name, d.kind == "flag" ? "" : d.defaultValue)
        }
        for o in call.options {
            let lower = o.name
            var matched = false
            for d in decls where d.kind != "*" {
                let full = d.negatable ? "no" + d.name : d.name
                let minLen = d.negatable ? d.min + 2 : d.min
                if lower.count >= minLen && lower.count <= full.count && full.hasPrefix(lower) {
                    matched = true
                    switch d.kind {
                    case "flag":
                        guard o.argument == nil else { throw StataError(198, "option \(full) does not take arguments") }
                        s.setLocal(d.name, full)
                    case "real", "integer":
                        guard let a = o.argument, let v = Double(a.trimmingCharacters(in: .whitespaces)) else { throw StataError(198, "option \(d.name)() invalid") }
                        if d.kind == "integer" && v != v.rounded() { throw StataError(126, "option \(d.name)() must be an integer") }
                        s.setLocal(d.name, Session.macroText(v))
                    case "varlist", "varname":
                        s.setLocal(d.name, try s.varlist(o.argument ?? "").joined(separator: " "))
                    default:
                        s.setLocal(d.name, o.argument ?? "")
                    }
                    break
                }
            }
            if !matched {
                if decls.contains(where: { $0.kind == "*" }) { rest.append(o.argument.map { "\(o.name)(\($0))" } ?? o.name) }
                else { throw StataError(198, "option \(o.name) not allowed") }
            }
        }
        if decls.contains(where: { $0.kind == "*" }) { s.setLocal("options", rest.joined(separator: " ")) }
    }

    struct SpecElement { var text: String; var optional: Bool }

    /// Splits `[varlist(numeric)] [if] [in] =exp` into elements.
    static func tokenizeSpec(_ spec: String) -> [SpecElement] {
        var out: [SpecElement] = []
        var cur = "", depth = 0, optional = false
        func flush() { let t = cur.trimmingCharacters(in: .whitespaces); if !t.isEmpty { out.append(SpecElement(text: t, optional: optional)) }; cur = "" }
        for ch in spec {
            if ch == "[" && depth == 0 { flush(); optional = true; continue }
            if ch == "]" && depth == 0 { flush(); optional = false; continue }
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == " " && depth == 0 { flush(); continue }
            cur.append(ch)
        }
        flush()
        return out
    }

    /// `Detail noCONStant Level(real 95) Name(string) *`
    static func parseOptionDecls(_ text: String) throws -> [OptionDecl] {
        var out: [OptionDecl] = []
        for raw in tokenizeSpec(text.replacingOccurrences(of: "[", with: " ").replacingOccurrences(of: "]", with: " ")).map(\.text) {
            if raw == "*" { out.append(OptionDecl(name: "options", min: 0, kind: "*", defaultValue: "", negatable: false)); continue }
            var name = raw, kind = "flag", def = ""
            if let open = raw.firstIndex(of: "(") {
                name = String(raw[..<open])
                let inside = raw[raw.index(after: open)...].dropLast().split(separator: " ").map(String.init)
                kind = inside.first ?? "string"
                def = inside.dropFirst().joined(separator: " ")
            }
            var negatable = false
            if name.hasPrefix("no") && name.count > 2 && name.dropFirst(2).first.map({ $0.isUppercase }) == true {
                negatable = true; name = String(name.dropFirst(2))
            }
            let caps = name.prefix { $0.isUppercase || $0.isNumber }.count
            let lower = name.lowercased()
            out.append(OptionDecl(name: lower, min: max(caps, caps == 0 ? lower.count : caps), kind: kind == "flag" ? "flag" : kind,
                                  defaultValue: def, negatable: negatable))
        }
        return out
    }

    /// marksample lname [, novarlist strok]: a 0/1 temporary variable for if/in and no missing.
    static func marksample(_ text: String, _ s: Session) throws {
        let parts = text.split(separator: ",", maxSplits: 1).map(String.init)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw StataError(198, "invalid syntax") }
        let novarlist = parts.count > 1 && parts[1].contains("novarlist")
        var call = CommandCall(name: "marksample", arguments: "", head: "", equalsExp: nil, ifExp: nil, inRange: nil, weight: nil,
                               using: nil, options: [], optionsText: "", location: nil)
        if let i = s.local("if"), i.hasPrefix("if ") { call.ifExp = String(i.dropFirst(3)) }
        if let i = s.local("in"), i.hasPrefix("in ") { call.inRange = String(i.dropFirst(3)) }
        let vars = novarlist ? [] : Tokenizer.words(s.local("varlist") ?? "")
        let mask = try s.markSample(call, variables: vars)
        let tv = s.tempName()
        s.frame.add(Column(name: tv, type: .byte, values: mask.map { $0 ? 1 : 0 }))
        s.noteTempVariable(tv)
        s.setLocal(name, tv)
    }
}
