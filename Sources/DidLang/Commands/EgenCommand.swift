// egen [type] newvar = fcn(arguments) [if] [in] [, by(varlist) options]
//
// Parse → compute → store. The sample (if/in) and the groups (the `by` prefix's variables
// followed by `by()`'s) are worked out once, by EgenGrouping (dense key codes, one bucketing
// pass). Each function is then a tight loop over those groups on plain arrays (EgenStats,
// EgenRowFunctions, EgenGroupFunctions); an expression argument is evaluated once, vectorised,
// over the sample. Results are stored with the requested type (float by default;
// tag is byte; strings are str#).

import DidFrame
import Foundation

/// What an egen function produced, one value per observation of the dataset.
enum EgenResult {
    case numbers([Double], defaultType: StorageType)
    case strings([String])
    /// Numbers with a value label attached (group, label): named `name`, or after the variable.
    case labeled([Double], defaultType: StorageType, labels: [Int: String], name: String?)
}

/// Everything an egen function needs: the sample, the groups, its argument and options.
struct EgenContext {
    let session: Session
    /// Text inside the function's parentheses.
    let argument: String
    let options: Options
    /// Sample observations in dataset order.
    let rows: [Int]
    /// Sample observations split into by-groups, each in sort order.
    let groups: EgenGroups
    /// True when a `by` prefix or `by()` option is in force.
    let isGrouped: Bool
    /// The new variable's name (for value labels).
    let newName: String

    /// Number of observations in the dataset.
    var n: Int { session.frame.count }

    /// The argument evaluated as a numeric expression: one value per observation (missing
    /// outside the sample).
    func numericArgument() throws -> [Double] {
        guard !argument.trimmingCharacters(in: .whitespaces).isEmpty else { throw StataError(198, "expression required") }
        let e = try ExprParser.parse(argument)
        // A plain numeric variable (the usual argument) is its column: no evaluation over a
        // row set, which under `by` would build per-row group bounds for nothing.
        if case .name(let v) = e, let j = session.frame.index(of: v), !session.frame.columns[j].isString {
            let x = session.frame.columns[j].nums
            if rows.count == n { return x }
            var out = [Double](repeating: Missing.dot, count: n)
            for r in rows { out[r] = x[r] }
            return out
        }
        let v = try Evaluator.evaluate(e, in: session, rows: session.rowSet(rows))
        guard case .numbers(let x) = v else { throw StataError.typeMismatch() }
        var out = [Double](repeating: Missing.dot, count: n)
        for (k, r) in rows.enumerated() { out[r] = x[k] }
        return out
    }

    /// The argument as a varlist.
    func variables() throws -> [String] { try session.varlist(argument) }

    /// A numeric option `name(#)`.
    func number(_ name: String) throws -> Double? { try options.number(name) }

    /// Throws r(190) for functions that cannot be combined with by.
    func requireUngrouped(_ fcn: String) throws {
        if isGrouped { throw StataError(190, "egen \(fcn)() may not be combined with by") }
    }
}

enum EgenCommand {
    typealias Function = (specs: [OptionSpec], body: (EgenContext) throws -> EgenResult)

    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("egen", by: .native, options: nil, splitsEquals: true) { call, s in
            try run(call, s)
        })
    }

    /// All functions by name, with the options each accepts (besides `by()`).
    static let functions: [String: Function] = EgenStats.functions
        .merging(EgenRowFunctions.functions) { a, _ in a }
        .merging(EgenGroupFunctions.functions) { a, _ in a }

    /// Aliases Stata accepts.
    static let aliases: [String: String] = ["sum": "total"]

    /// egen: the command body.
    static func run(_ call: CommandCall, _ s: Session) throws {
        let (type, name) = try GenerateCommands.newVariable(call.head)
        try s.checkNewName(name)
        guard let rhs = call.equalsExp?.trimmingCharacters(in: .whitespaces), !rhs.isEmpty else {
            throw StataError(198, "= expected")
        }
        let (fname, argument) = try splitFunction(rhs)
        let key = aliases[fname] ?? fname
        guard let fn = functions[key] else { throw StataError(133, "unknown egen function \(fname)()") }
        let specs = fn.specs + [OptionSpec("by", .required)]
        let options = try Options(call.options, specs: specs)
        let rows = try s.sampleRows(call)
        var keys = s.currentBy?.variables ?? []
        if let b = options.string("by") { keys += try s.varlist(b) }
        let groups: EgenGroups
        if let by = s.currentBy, options.string("by") == nil {
            // Under a `by` prefix the data are sorted and the groups known as runs: no re-grouping.
            groups = EgenGrouping.groups(rows, bounds: by.groups)
        } else {
            groups = try groupRows(rows, by: keys, s)
        }
        let ctx = EgenContext(session: s, argument: argument, options: options, rows: rows, groups: groups,
                              isGrouped: !keys.isEmpty, newName: name)
        let result = try fn.body(ctx)
        try store(result, name: name, type: type, s)
    }

    /// `fcn(args)` → ("fcn", "args").
    static func splitFunction(_ text: String) throws -> (String, String) {
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else {
            throw StataError(198, "\(text): egen function expected")
        }
        let name = String(text[..<open]).trimmingCharacters(in: .whitespaces)
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard !name.isEmpty else { throw StataError(198, "invalid syntax") }
        return (name, inner.trimmingCharacters(in: .whitespaces))
    }

    /// Splits the sample into groups of equal `keys` values (missing values form groups too),
    /// each group in dataset order, groups in sort order of the keys.
    static func groupRows(_ rows: [Int], by keys: [String], _ s: Session) throws -> EgenGroups {
        let names = try keys.map { s.frame.columns[try s.resolveVariable($0)].name }
        return try EgenGrouping.groups(rows, keys: names, frame: s.frame)
    }

    /// `v` as a variable of type `t` stores it (GenerateCommands.store), and the number of
    /// missing values: one pass in place, the type decided once rather than per value.
    static func stored(_ v: [Double], as t: StorageType) -> ([Double], Int) {
        var v = v
        var missing = 0
        v.withUnsafeMutableBufferPointer { p in
            switch t {
            case .double:
                for x in p where !(x < Missing.dot) { missing += 1 }
            case .float:
                for i in 0..<p.count {
                    if p[i] < Missing.dot { p[i] = Double(Float(p[i])) } else { missing += 1 }
                }
            default:
                for i in 0..<p.count {
                    p[i] = GenerateCommands.store(p[i], t)
                    if !(p[i] < Missing.dot) { missing += 1 }
                }
            }
        }
        return (v, missing)
    }

    /// Adds the new variable with its storage type and reports missing values generated.
    static func store(_ result: EgenResult, name: String, type: StorageType?, _ s: Session) throws {
        switch result {
        case .labeled(let v, let defaultType, let labels, let labelName):
            try store(.numbers(v, defaultType: defaultType), name: name, type: type, s)
            let set = labelName ?? name
            s.frame.valueLabels[set] = ValueLabelSet(name: set, mapping: labels)
            s.frame.columns[s.frame.columns.count - 1].valueLabel = set
        case .numbers(let v, let defaultType):
            if let t = type, t.isString { throw StataError.typeMismatch() }
            // Stata's default type is float unless `set type double` is in force.
            let t = type ?? (defaultType == .float && s.settings["type"] == "double" ? .double : defaultType)
            let (values, missing) = stored(v, as: t)
            // The values already hold what type t stores, so the column takes them as they are.
            var c = Column(name: name, type: .double, values: values)
            c.type = t
            c.format = t.defaultFormat
            s.frame.add(c)
            if missing > 0 { s.line("(\(DataCommands.fmtInt(missing)) missing value\(missing == 1 ? "" : "s") generated)") }
        case .strings(let v):
            if let t = type, t.isNumeric { throw StataError.typeMismatch() }
            var c = Column(name: name, strings: v)
            if let t = type, case .str(let w) = t, case .str(let have) = c.type, w > have { c.type = t; c.format = t.defaultFormat }
            s.frame.add(c)
        }
    }
}
