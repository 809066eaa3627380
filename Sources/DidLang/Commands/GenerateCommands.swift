// generate and replace: evaluate an expression over the sample (vectorised; sequentially when
// the expression reads the target variable at another observation, as `replace x = x[_n-1]`
// needs), then store with the target's storage type.

import DidFrame
import Foundation

enum GenerateCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("generate", minAbbreviation: 1, by: .native, options: [OptionSpec("before", min: 2, .required), OptionSpec("after", min: 1, .required)], splitsEquals: true) { call, s in
            try generate(call, s)
        })
        r.register(ClosureCommand("replace", minAbbreviation: 7, by: .native, options: [OptionSpec("nopromote")], splitsEquals: true) { call, s in
            try replace(call, s)
        })
    }

    /// generate [type] newvar[:lbl] = exp [if] [in]
    static func generate(_ call: CommandCall, _ s: Session) throws {
        guard let expText = call.equalsExp, !expText.isEmpty else { throw StataError(198, "= expected") }
        let (type, newName) = try newVariable(call.head)
        var name = newName
        var labelName: String? = nil
        if let colon = name.firstIndex(of: ":") { labelName = String(name[name.index(after: colon)...]); name = String(name[..<colon]) }
        try s.checkNewName(name)
        let rows = try s.sampleRows(call)
        let e = try ExprParser.parse(expText)
        let values = try Evaluator.evaluate(e, in: s, rows: s.rowSet(rows))
        let n = s.frame.count
        var column: Column
        switch values {
        case .numbers(let v):
            if let t = type, t.isString { throw StataError.typeMismatch() }
            let t = type ?? (s.settings["type"] == "double" ? .double : .float)
            var out = [Double](repeating: Missing.dot, count: n)
            for (k, r) in rows.enumerated() { out[r] = store(v[k], t) }
            column = Column(name: name, type: t, values: out)
        case .strings(let v):
            if let t = type, t.isNumeric { throw StataError.typeMismatch() }
            var out = [String](repeating: "", count: n)
            for (k, r) in rows.enumerated() { out[r] = v[k] }
            column = Column(name: name, strings: out)
            if let t = type, case .str(let w) = t, case .str(let have) = column.type, w > have { column.type = t; column.format = t.defaultFormat }
        }
        column.valueLabel = labelName
        s.frame.add(column)
        if let opt = try? Options(call.options, specs: [OptionSpec("before", min: 2, .required), OptionSpec("after", min: 1, .required)]) {
            if let b = opt.string("before") { try move(name, before: b, s) }
            if let a = opt.string("after") { try move(name, after: a, s) }
        }
        let missing = column.isString ? 0 : column.nums.lazy.filter(Missing.isMissing).count
        if missing > 0 { s.line("(\(missing) missing value\(missing == 1 ? "" : "s") generated)") }
    }

    /// `[type] name` at the head of generate/egen/predict: the optional storage type and the name.
    static func newVariable(_ head: String) throws -> (StorageType?, String) {
        var words = head.split(separator: " ").map(String.init)
        guard !words.isEmpty, words.count <= 2 else { throw StataError(198, "invalid syntax") }
        var type: StorageType? = nil
        if words.count == 2 {
            guard let t = StorageType(name: words[0]) else { throw StataError(198, "\(words[0]) invalid type") }
            type = t; words.removeFirst()
        }
        return (type, words[0])
    }

    /// Rounds to what `t` holds: float precision, integer truncation, out-of-range → missing.
    static func store(_ x: Double, _ t: StorageType) -> Double {
        if Missing.isMissing(x) { return x }
        if let range = t.integerRange {
            let v = x.rounded(.towardZero)
            return range.contains(v) ? v : Missing.dot
        }
        return t.store(x)
    }

    static func move(_ name: String, before: String? = nil, after: String? = nil, _ s: Session) throws {
        guard let from = s.frame.index(of: name) else { return }
        let col = s.frame.columns.remove(at: from)
        let target = try s.resolveVariable(before ?? after!)
        s.frame.columns.insert(col, at: before != nil ? target : target + 1)
    }

    /// replace oldvar = exp [if] [in]
    static func replace(_ call: CommandCall, _ s: Session) throws {
        guard let expText = call.equalsExp, !expText.isEmpty else { throw StataError(198, "= expected") }
        let name = call.head.trimmingCharacters(in: .whitespaces)
        guard !name.contains(" ") else { throw StataError(198, "invalid syntax") }
        let j = try s.resolveVariable(name)
        let rows = try s.sampleRows(call)
        let e = try ExprParser.parse(expText)
        let target = s.frame.columns[j].name
        var changes = 0
        if e.referencesSubscripted(variable: target) {
            changes = try replaceSequential(e, column: j, rows: rows, s)
        } else {
            let v = try Evaluator.evaluate(e, in: s, rows: s.rowSet(rows))
            changes = try assign(v, column: j, rows: rows, s)
        }
        s.frame.changed = true
        s.frame.sortedBy.removeAll { $0 == target }
        s.line("(\(changes) real change\(changes == 1 ? "" : "s") made)")
    }

    /// Writes values into a column, promoting its type as Stata's replace does.
    static func assign(_ v: ColumnValues, column j: Int, rows: [Int], _ s: Session) throws -> Int {
        var changes = 0
        switch v {
        case .numbers(let x):
            guard !s.frame.columns[j].isString else { throw StataError.typeMismatch() }
            promote(column: j, toHold: x, s)
            let t = s.frame.columns[j].type
            s.frame.columns[j].nums.withUnsafeMutableBufferPointer { p in
                for (k, r) in rows.enumerated() {
                    let nv = store(x[k], t)
                    if p[r].bitPattern != nv.bitPattern { changes += 1; p[r] = nv }
                }
            }
        case .strings(let x):
            guard s.frame.columns[j].isString else { throw StataError.typeMismatch() }
            for (k, r) in rows.enumerated() {
                if s.frame.columns[j].strs[r] != x[k] {
                    changes += 1
                    s.frame.columns[j].widen(toHold: x[k])
                    s.frame.columns[j].strs[r] = x[k]
                }
            }
        }
        return changes
    }

    /// Integer columns become float/double (or a wider integer) when new values need it.
    static func promote(column j: Int, toHold x: [Double], _ s: Session) {
        let c = s.frame.columns[j]
        guard let range = c.type.integerRange else { return }
        var needFloat = false, lo = range.lowerBound, hi = range.upperBound
        for v in x where !Missing.isMissing(v) {
            if v != v.rounded() { needFloat = true; break }
            lo = min(lo, v); hi = max(hi, v)
        }
        var newType = c.type
        if needFloat { newType = c.type == .long ? .double : .float }
        else if lo < range.lowerBound || hi > range.upperBound {
            newType = StorageType.smallestHolding([lo, hi])
            if newType == .float || newType == .byte { newType = .long }
        }
        if newType != c.type {
            s.line("variable \(c.name) was \(c.type) now \(newType)")
            s.frame.columns[j].type = newType
            s.frame.columns[j].format = newType.defaultFormat
        }
    }

    /// Row-by-row evaluation, re-reading the column after each assignment (the evaluator keeps
    /// running sums and regex captures across rows).
    static func replaceSequential(_ e: Expr, column j: Int, rows: [Int], _ s: Session) throws -> Int {
        var changes = 0
        try Evaluator.evaluateSequential(e, in: s, rows: s.rowSet(rows)) { obs, v in
            switch v {
            case .number(let x): changes += try assign(.numbers([x]), column: j, rows: [obs], s)
            case .string(let t): changes += try assign(.strings([t]), column: j, rows: [obs], s)
            }
        }
        return changes
    }
}
