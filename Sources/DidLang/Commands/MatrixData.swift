// Moving numbers between matrices and variables, the two halves of the placebo-loop idiom
// (`matrix b = J(500,1,.)` … `matrix b[`i',1] = _b[did]` … `svmat b`):
//
//   svmat [float|double] A [, names(col | eqcol | matcol | stub)]
//       one new variable per column of A, row i in observation i; the dataset grows when A has
//       more rows than _N. Names: A1 A2 … by default, the column names with names(col), the
//       stub's numbered names otherwise. Type float unless double is asked (as Stata).
//   mkmat varlist [if] [in] [, matrix(name) nomissing rownames(var) obs]
//       the reverse: one column per variable, one row per selected observation; without
//       matrix() one column vector per variable, named after it.

import DidFrame
import Foundation

enum MatrixData {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("svmat", parsesSyntax: false) { call, s in try svmat(call.arguments, s) })
        r.register(ClosureCommand("mkmat", options: mkmatSpecs) { call, s in try mkmat(call, s) })
    }

    // MARK: svmat

    static func svmat(_ text: String, _ s: Session) throws {
        var body = text, opts = ""
        if let comma = body.firstIndex(of: ",") { opts = String(body[body.index(after: comma)...]); body = String(body[..<comma]) }
        var words = LinearModelOptions.words(body)
        var type = StorageType.float
        if let first = words.first, first == "float" || first == "double" {
            type = first == "double" ? .double : .float
            words.removeFirst()
        }
        guard words.count == 1, let name = words.first else { throw StataError(198, "svmat: one matrix name expected") }
        let m = try s.matrix(named: name)
        var namesOpt: String? = nil
        for o in try CommandCall.parseOptions(opts) {
            if o.name.count >= 1 && "names".hasPrefix(o.name), let a = o.argument { namesOpt = a.trimmingCharacters(in: .whitespaces) }
            else { throw StataError(198, "option \(o.name) not allowed") }
        }
        let names: [String]
        switch namesOpt {
        case nil: names = (1...max(m.cols, 1)).map { "\(name)\($0)" }
        case "col": names = m.colNames.map { Self.variableName($0) }
        case "eqcol", "matcol":
            // Without equations the equation part is `_`; Stata joins the parts with an underscore.
            names = m.colNames.map { Self.variableName((namesOpt == "matcol" ? name : "_") + "_" + $0) }
        case let stub?:
            guard Session.isValidName(stub) else { throw StataError(198, "\(stub) invalid name") }
            names = (1...max(m.cols, 1)).map { "\(stub)\($0)" }
        }
        for v in names.prefix(m.cols) {
            guard Session.isValidName(v) else { throw StataError(198, "\(v) invalid name") }
            if s.frame.column(v) != nil { throw StataError(110, "\(v) already defined") }
        }
        if m.rows > s.frame.count {
            // svmat.ado's notice, its `more` prompt (which never waits in a script) and set obs's line.
            let before = s.frame.count
            s.line("number of observations will be reset to \(m.rows)")
            s.line("Press any key to continue, or Break to abort")
            s.frame.setCount(m.rows)
            s.line("Number of observations (_N) was \(DataCommands.fmtInt(before)), now \(DataCommands.fmtInt(m.rows)).")
        }
        let n = s.frame.count
        for j in 0..<m.cols {
            var values = [Double](repeating: Missing.dot, count: n)
            for i in 0..<m.rows {
                let x = m[i, j]
                values[i] = type == .float && !Missing.isMissing(x) ? Double(Float(x)) : x
            }
            s.frame.add(Column(name: names[j], type: type, values: values))
        }
    }

    /// A matrix row/column name as a variable name: characters a name cannot hold become `_`.
    static func variableName(_ raw: String) -> String {
        var t = String(raw.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if let f = t.first, f.isNumber { t = "_" + t }
        return String(t.prefix(32))
    }

    // MARK: mkmat

    static let mkmatSpecs = [OptionSpec("matrix", min: 3, .required), OptionSpec("nomissing", min: 5),
                             OptionSpec("rownames", min: 4, .required), OptionSpec("obs"),
                             OptionSpec("roweq", .required), OptionSpec("rowprefix", .required)]

    static func mkmat(_ call: CommandCall, _ s: Session) throws {
        let o = try Options(call.options, specs: mkmatSpecs)
        guard !call.head.isEmpty else { throw StataError(100, "varlist required") }
        let vars = try s.varlist(call.head)
        for v in vars where s.frame.column(v)!.isString { throw StataError(109, "\(v) is a string variable; type mismatch") }
        // Stata keeps rows with missing values unless nomissing (then listwise deletion).
        let mask = try s.markSample(call, variables: o.has("nomissing") ? vars : [])
        let rows = (0..<mask.count).filter { mask[$0] }
        if !o.has("nomissing") && rows.contains(where: { r in vars.contains { Missing.isMissing(s.frame.column($0)!.nums[r]) } }) {
            s.line("(missing values in the matrix)")
        }
        guard !rows.isEmpty else { throw StataError.noObservations() }
        let cols = vars.map { s.frame.column($0)!.nums }
        var rowNames = rows.map { "r\($0 + 1)" }
        if let rn = o.string("rownames") {
            let v = try s.varlist(rn)
            guard v.count == 1, let c = s.frame.column(v[0]) else { throw StataError(198, "rownames() takes one variable") }
            rowNames = rows.map { c.isString ? c.strs[$0] : (try? DisplayFormat.format(c.nums[$0], "%12.0g").trimmingCharacters(in: .whitespaces)) ?? "" }
            rowNames = rowNames.map { $0.isEmpty ? "_" : $0.replacingOccurrences(of: " ", with: "_") }
        } else if o.has("obs") {
            rowNames = rows.map { "\($0 + 1)" }
        }
        if let p = o.string("rowprefix") { rowNames = rowNames.map { p + $0 } }
        if let target = o.string("matrix") {
            guard Session.isValidName(target) else { throw StataError(198, "\(target) invalid name") }
            var data = [Double](); data.reserveCapacity(rows.count * vars.count)
            for c in cols { for r in rows { data.append(c[r]) } }
            s.matrices[target] = NamedMatrix(rows: rows.count, cols: vars.count, data: data, rowNames: rowNames, colNames: vars)
        } else {
            for (j, v) in vars.enumerated() {
                s.matrices[v] = NamedMatrix(rows: rows.count, cols: 1, data: rows.map { cols[j][$0] }, rowNames: rowNames, colNames: [v])
            }
        }
    }
}
