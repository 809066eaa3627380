// predict, test and lincom after the linear estimation commands. All three read e(b)/e(V) and
// the column names in them: predict rebuilds each regressor from its Stata name (`2004.year`,
// `1.treat#1.post`, `c.x#c.z`, `L.x`) on the current data, as Stata's predict does.

import DidStats
import DidFrame
import DidKernel
import Foundation

enum PostEstimationCommands {
    static func register(in r: CommandRegistry) {
        r.register(ClosureCommand("predict", options: [OptionSpec("xb"), OptionSpec("residuals", min: 1), OptionSpec("d"),
                                                       OptionSpec("xbd"), OptionSpec("stdp"), OptionSpec("u"), OptionSpec("e"), OptionSpec("ue")]) { call, s in
            try predict(call, s)
        })
        r.register(ClosureCommand("test", parsesSyntax: false) { call, s in try test(call.arguments, s) })
        r.register(ClosureCommand("testparm", parsesSyntax: false) { call, s in try testparm(call.arguments, s) })
        r.register(ClosureCommand("lincom", options: [OptionSpec("level", min: 1, .required)]) { call, s in
            try lincom(call, s)
        })
    }

    // MARK: predict

    /// predict [type] newvar [if] [in] [, xb residuals d xbd stdp]
    static func predict(_ call: CommandCall, _ s: Session) throws {
        let e = s.eResults
        guard let b = e.matrices["b"], let cmd = e.macros["cmd"] else { throw StataError(301, "last estimates not found") }
        let o = try Options(call.options, specs: [OptionSpec("xb"), OptionSpec("residuals", min: 1), OptionSpec("d"),
                                                  OptionSpec("xbd"), OptionSpec("stdp"), OptionSpec("u"), OptionSpec("e"), OptionSpec("ue")])
        let chosen = ["xb", "residuals", "d", "xbd", "stdp", "u", "e", "ue"].filter { o.has($0) }
        guard chosen.count <= 1 else { throw StataError(198, "only one statistic may be specified") }
        // xtreg's names: u = the panel effect, e = the idiosyncratic residual, ue = their sum.
        let stat = ["u": "d", "e": "residuals", "ue": "residuals_ue"][chosen.first ?? ""] ?? chosen.first ?? "xb"
        if chosen.isEmpty { s.line("(option xb assumed; fitted values)") }
        let (given, name) = try GenerateCommands.newVariable(call.head)
        if let g = given, !g.isNumeric { throw StataError(198, "\(g) invalid type") }
        let type = given ?? .float
        try s.checkNewName(name)
        let rows = try s.sampleRows(call)
        let n = s.frame.count
        let absorbs = e.macros["absvars"] != nil
        let sample = e.sample ?? [Bool](repeating: true, count: n)
        var d: [Double]? = nil
        if ["d", "xbd"].contains(stat) || (stat == "residuals" && absorbs) {
            guard absorbs else { throw StataError(198, "option \(stat) requires a model with absorbed fixed effects") }
            guard let aux = EstimationAux.matching(e, s), aux.rows == n, let dd = aux.d, sample.count == n else {
                throw StataError(198, "fixed effects of the last estimates are not available (data changed?)")
            }
            d = dd
        }
        var out = [Double](repeating: Missing.dot, count: n)
        if stat == "stdp" {
            guard let V = e.matrices["V"] else { throw StataError(301, "last estimates not found") }
            let cols = try designColumns(b, s, skipZero: false)
            for r in rows {
                var v = 0.0, bad = false
                for (a, ca) in cols where ca != nil {
                    guard !Missing.isMissing(ca![r]) else { bad = true; break }
                    for (c, cc) in cols where cc != nil { v += ca![r] * V[a, c] * cc![r] }
                }
                if !bad { out[r] = v.squareRoot() }
            }
        } else {
            let xb = try linearPrediction(b, s)
            let y: [Double]? = stat.hasPrefix("residuals") ? s.frame.column(e.macros["depvar"] ?? "")?.nums : nil
            if stat.hasPrefix("residuals") && y == nil { throw StataError(111, "variable \(e.macros["depvar"] ?? "") not found") }
            for r in rows {
                let needsD = d != nil
                if needsD && !sample[r] { continue }
                let dv = d?[r] ?? 0
                switch stat {
                case "xb": out[r] = xb[r]
                case "d": out[r] = dv
                case "xbd": out[r] = Missing.isMissing(xb[r]) ? Missing.dot : xb[r] + dv
                case "residuals_ue": out[r] = Missing.isMissing(xb[r]) || Missing.isMissing(y![r]) ? Missing.dot : y![r] - xb[r]
                default: out[r] = Missing.isMissing(xb[r]) || Missing.isMissing(y![r]) ? Missing.dot : y![r] - xb[r] - dv
                }
            }
        }
        let stored = out.map { GenerateCommands.store($0, type) }
        s.frame.add(Column(name: name, type: type, values: stored))
        let missing = stored.lazy.filter(Missing.isMissing).count
        if missing > 0 { s.line("(\(DataCommands.fmtInt(missing)) missing value\(missing == 1 ? "" : "s") generated)") }
        _ = cmd
    }

    /// xb = sum of b_j times column j rebuilt from its name (missing where any input is missing).
    static func linearPrediction(_ b: NamedMatrix, _ s: Session) throws -> [Double] {
        let n = s.frame.count
        var xb = [Double](repeating: 0, count: n)
        for (j, col) in try designColumns(b, s, skipZero: true) {
            guard let x = col else { continue }
            let bj = b[0, j]
            for i in 0..<n { xb[i] = Missing.isMissing(xb[i]) || Missing.isMissing(x[i]) ? Missing.dot : xb[i] + bj * x[i] }
        }
        return xb
    }

    /// (index, values) of each e(b) column; nil values for columns held at zero.
    static func designColumns(_ b: NamedMatrix, _ s: Session, skipZero: Bool) throws -> [(Int, [Double]?)] {
        try (0..<b.cols).map { j in
            if skipZero && b[0, j] == 0 { return (j, nil) }
            let name = b.colNames[j]
            if name.hasPrefix("o.") || name.contains("b.") || name.contains("o.") { return (j, nil) }
            return (j, try columnValues(name, s))
        }
    }

    /// Values of a column named the Stata way.
    static func columnValues(_ name: String, _ s: Session) throws -> [Double] {
        let n = s.frame.count
        if name == "_cons" { return [Double](repeating: 1, count: n) }
        var v = [Double](repeating: 1, count: n)
        for part in name.split(separator: "#").map(String.init) {
            var x: [Double]
            if let dot = part.firstIndex(of: ".") {
                let head = String(part[..<dot]), variable = String(part[part.index(after: dot)...])
                let raw = s.frame.columns[try s.resolveVariable(variable)].nums
                if let f = head.first, f.isNumber, let level = Double(head.filter(\.isNumber)) {
                    x = raw.map { Missing.isMissing($0) ? Missing.dot : ($0 == level ? 1 : 0) }
                } else if head == "c" {
                    x = raw
                } else {
                    let chains = try FactorVarlist.timeSeries(head, variable)
                    x = try TimeSeriesColumn.apply(chains[0], to: raw, s)
                }
            } else {
                x = s.frame.columns[try s.resolveVariable(part)].nums
            }
            for i in 0..<n { v[i] = Missing.isMissing(v[i]) || Missing.isMissing(x[i]) ? Missing.dot : v[i] * x[i] }
        }
        return v
    }

    // MARK: Linear combinations

    /// A linear form a'b - c parsed from text such as `x1 + 2*x2 - 3`.
    struct LinearForm {
        var weights: [Double]
        var constant: Double
        var text: String
    }

    /// lincomb := ['+'|'-'] term (('+'|'-') term)* ; term := # | [# '*'] name | name '*' #
    static func linearForm(_ text: String, _ b: NamedMatrix) throws -> LinearForm {
        var weights = [Double](repeating: 0, count: b.cols), constant = 0.0
        var terms: [(sign: Double, body: String)] = []
        var cur = "", sign = 1.0, depth = 0
        for ch in text {
            if ch == "[" || ch == "(" { depth += 1 } else if ch == "]" || ch == ")" { depth -= 1 }
            // A sign starts a new term unless it ends an exponent (`1e-3`) or sits inside brackets.
            if (ch == "+" || ch == "-") && depth == 0 && !(cur.last.map { $0 == "e" || $0 == "E" } == true && Double(cur.dropLast()) != nil) {
                if !cur.trimmingCharacters(in: .whitespaces).isEmpty { terms.append((sign, cur)) }
                else if ch == "-" { sign = -sign; continue }
                cur = ""; sign = ch == "-" ? -1 : 1
                continue
            }
            cur.append(ch)
        }
        if !cur.trimmingCharacters(in: .whitespaces).isEmpty { terms.append((sign, cur)) }
        guard !terms.isEmpty else { throw StataError(198, "expression expected") }
        for (sg, raw) in terms {
            let body = raw.replacingOccurrences(of: " ", with: "")
            let factors = body.split(separator: "*").map(String.init)
            var coef = sg, names: [String] = []
            for f in factors { if let x = Double(f) { coef *= x } else { names.append(f) } }
            guard names.count <= 1 else { throw StataError(198, "\(body): nonlinear expression") }
            if let nm = names.first { weights[try coefficientIndex(nm, b)] += coef } else { constant += coef }
        }
        return LinearForm(weights: weights, constant: constant, text: text.trimmingCharacters(in: .whitespaces))
    }

    /// Position of `name` (`x`, `_b[x]`, `2004.year`, `_cons`) in e(b).
    static func coefficientIndex(_ raw: String, _ b: NamedMatrix) throws -> Int {
        var name = raw
        if name.hasPrefix("_b[") && name.hasSuffix("]") { name = String(name.dropFirst(3).dropLast()) }
        if let j = b.colNames.firstIndex(of: name) ?? b.colNames.firstIndex(where: { Session.stripBase($0) == name }) { return j }
        // Unambiguous abbreviation of a plain variable name.
        let matches = b.colNames.indices.filter { b.colNames[$0].hasPrefix(name) && !b.colNames[$0].contains(".") }
        if matches.count == 1 { return matches[0] }
        throw StataError(111, "\(name) not found")
    }

    // MARK: test

    /// test coeflist | test exp = exp | test (exp = exp) (exp = exp) …
    static func test(_ text: String, _ s: Session) throws {
        let e = s.eResults
        guard let b = e.matrices["b"], let V = e.matrices["V"] else { throw StataError(301, "last estimates not found") }
        var body = text.trimmingCharacters(in: .whitespaces)
        if let comma = body.firstIndex(of: ",") { body = String(body[..<comma]) }
        guard !body.isEmpty else { throw StataError(198, "test requires a coefficient list or equation") }
        var equations: [String] = []
        if body.hasPrefix("(") {
            var depth = 0, cur = ""
            for ch in body {
                if ch == "(" { depth += 1; if depth == 1 { cur = ""; continue } }
                if ch == ")" { depth -= 1; if depth == 0 { equations.append(cur); continue } }
                if depth > 0 { cur.append(ch) }
            }
        } else if body.contains("=") {
            equations = [body]
        } else {
            equations = try FactorVarlist.tokens(body).map { "\($0) = 0" }
        }
        var forms: [LinearForm] = []
        for eq in equations {
            let sides = eq.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            guard sides.count <= 2 else { throw StataError(198, "\(eq): invalid equation") }
            let lhs = try linearForm(sides[0], b)
            let rhs = sides.count == 2 ? try linearForm(sides[1], b) : LinearForm(weights: lhs.weights.map { _ in 0 }, constant: 0, text: "0")
            forms.append(LinearForm(weights: zip(lhs.weights, rhs.weights).map { $0 - $1 }, constant: rhs.constant - lhs.constant,
                                    text: "\(lhs.text) = \(sides.count == 2 ? rhs.text : "0")"))
        }
        s.line()
        for (i, f) in forms.enumerated() { s.line(" (\(pad(String(i + 1), 2)))  \(f.text)") }
        // Drop constraints that involve only omitted coefficients (Stata notes them as dropped).
        let live = forms.filter { f in f.weights.indices.contains { f.weights[$0] != 0 && V[$0, $0] > 0 } }
        let q = live.count
        guard q > 0 else { throw StataError(111, "no valid constraints") }
        let k = b.cols
        var R = Matrix(rows: q, cols: k)
        var diff = [Double](repeating: 0, count: q)
        for (i, f) in live.enumerated() {
            var rb = 0.0
            for j in 0..<k { R[i, j] = f.weights[j]; rb += f.weights[j] * b[0, j] }
            diff[i] = rb - f.constant
        }
        var Vm = Matrix(rows: k, cols: k)
        for j in 0..<k { for i in 0..<k { Vm[i, j] = V[i, j] } }
        let RVR = R * Vm * R.transposed
        let inv = Dense.invertSymmetricWithRank(RVR, tolerance: 1e-12)
        let rank = inv.rank
        guard rank > 0 else { throw StataError(504, "matrix has missing values or is singular") }
        var w = 0.0
        for i in 0..<q { for j in 0..<q { w += diff[i] * inv.inverse[i, j] * diff[j] } }
        let dfr = e.scalars["df_r"]
        s.rResults = StoredResults()
        s.line()
        if let dfr = dfr, !Missing.isMissing(dfr) {
            let F = w / Double(rank)
            let p = Distributions.Ftail(Double(rank), dfr, F)
            s.line("       F(\(pad(String(rank), 3)),\(pad(DataCommands.fmtInt(Int(dfr)), 6))) =\(pad(fmt(F, "%8.2f"), 8))")
            s.line("            Prob > F =\(pad(fmt(p, "%10.4f"), 10))")
            s.rResults.set("F", F); s.rResults.set("df_r", dfr); s.rResults.set("p", p)
        } else {
            let p = Distributions.chi2tail(Double(rank), w)
            s.line("           chi2(\(pad(String(rank), 3))) =\(pad(fmt(w, "%8.2f"), 8))")
            s.line("         Prob > chi2 =\(pad(fmt(p, "%10.4f"), 10))")
            s.rResults.set("chi2", w); s.rResults.set("p", p)
        }
        s.rResults.set("df", Double(rank))
        s.rResults.set("drop", Double(forms.count - q))
    }

    /// testparm varlist: `i.x` means every estimated level of x; wildcards match coefficient names.
    static func testparm(_ text: String, _ s: Session) throws {
        guard let b = s.eResults.matrices["b"], let V = s.eResults.matrices["V"] else { throw StataError(301, "last estimates not found") }
        var body = text
        if let comma = body.firstIndex(of: ",") { body = String(body[..<comma]) }
        var names: [String] = []
        for token in try FactorVarlist.tokens(body) {
            var pattern = token
            if token.lowercased().hasPrefix("i.") { pattern = "*." + token.dropFirst(2) }
            else if token.lowercased().hasPrefix("c.") { pattern = String(token.dropFirst(2)) }
            let hits = (0..<b.cols).filter { j in
                V[j, j] > 0 && !EsttabTable.isHidden(b.colNames[j]) && b.colNames[j] != "_cons"
                    && Session.wildcardMatch(pattern, Session.stripBase(b.colNames[j]))
            }.map { Session.stripBase(b.colNames[$0]) }
            guard !hits.isEmpty else { throw StataError(111, "\(token) not found among the coefficients") }
            for h in hits where !names.contains(h) { names.append(h) }
        }
        guard !names.isEmpty else { throw StataError(100, "varlist required") }
        try test(names.joined(separator: " "), s)
    }

    // MARK: lincom

    /// lincom exp [, level(#)]
    static func lincom(_ call: CommandCall, _ s: Session) throws {
        let e = s.eResults
        guard let b = e.matrices["b"], let V = e.matrices["V"] else { throw StataError(301, "last estimates not found") }
        let o = try Options(call.options, specs: [OptionSpec("level", min: 1, .required)])
        let level = try o.number("level") ?? e.scalars["level"] ?? 95
        let f = try linearForm(call.head, b)
        var est = f.constant, v = 0.0
        for i in 0..<b.cols where f.weights[i] != 0 {
            est += f.weights[i] * b[0, i]
            for j in 0..<b.cols where f.weights[j] != 0 { v += f.weights[i] * V[i, j] * f.weights[j] }
        }
        let se = v > 0 ? v.squareRoot() : 0
        let dfr = e.scalars["df_r"] ?? Missing.dot
        let z = Missing.isMissing(dfr)
        let t = se > 0 ? est / se : Missing.dot
        let p = Missing.isMissing(t) ? Missing.dot : (z ? 2 * Distributions.normal(-abs(t)) : 2 * Distributions.ttail(dfr, abs(t)))
        let crit = z ? Distributions.invNormal(1 - (1 - level / 100) / 2) : Distributions.invttail(dfr, (1 - level / 100) / 2)
        let lb = est - crit * se, ub = est + crit * se
        s.line()
        s.line(" ( 1)  \(f.text) = 0")
        s.line()
        let rule = String(repeating: "-", count: 78)
        s.line(rule)
        s.line(pad(EstimationTable.abbreviate(e.macros["depvar"] ?? "", 12), 12) + " | Coefficient  Std. err.      \(z ? "z" : "t")    P>|\(z ? "z" : "t")|     [\(fmt(level, "%9.0g"))% conf. interval]")
        s.line("-------------+----------------------------------------------------------------")
        s.line(pad("(1)", 12) + " |  " + pad(fmt(est, "%9.0g"), 9) + "  " + pad(fmt(se, "%9.0g"), 9) + pad(fmt(t, "%8.2f"), 9)
               + pad(fmt(p, "%7.3f"), 8) + "    " + pad(fmt(lb, "%9.0g"), 9) + "   " + pad(fmt(ub, "%9.0g"), 9))
        s.line(rule)
        s.rResults = StoredResults()
        s.rResults.set("estimate", est); s.rResults.set("se", se)
        s.rResults.set(z ? "z" : "t", t); s.rResults.set("p", p)
        s.rResults.set("lb", lb); s.rResults.set("ub", ub); s.rResults.set("level", level)
        if !z { s.rResults.set("df", dfr) }
    }

    static func fmt(_ x: Double, _ f: String) -> String { EstimationTable.g(x, f) }
    static func pad(_ s: String, _ w: Int) -> String { EstimationTable.pad(s, w) }
}
