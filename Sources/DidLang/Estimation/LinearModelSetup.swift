// From a parsed command line to a `RegressionSpec`: the varlist (factor variables, lags), the
// estimation sample (if/in, missing values in every variable used, positive weights), weights,
// absorb() terms and the VCE. Everything is checked here, before the engine runs (fixest's rule:
// the kernel only sees dense codes and doubles).

import DidFrame
import DidStats
import Foundation

/// What the linear estimation commands have in common once their syntax is parsed.
struct LinearModelSetup {
    var depvar: String
    var design: [DesignColumn]
    var spec: RegressionSpec
    var absvars: [String]
    var clustvars: [String]
    var weight: (kind: String, exp: String)?
    var level: Double

    /// The engine's regressors are the free design columns, in order.
    var freeColumns: [Int] { design.indices.filter { design[$0].status == .free } }
}

/// Option parsing shared by regress, areg, xtreg and reghdfe.
enum LinearModelOptions {
    /// vce(unadjusted|ols|robust|cluster a [b]) or robust/cluster() → (kind, cluster names).
    static func vce(_ o: Options) throws -> (kind: String, clusters: [String]) {
        var kind = "unadjusted", clusters: [String] = []
        if o.has("robust") { kind = "robust" }
        if let c = o.string("cluster") { kind = "cluster"; clusters = words(c) }
        if let v = o.string("vce") {
            let w = words(v)
            guard let first = w.first?.lowercased() else { throw StataError(198, "vce() invalid") }
            if "unadjusted".hasPrefix(first) && first.count >= 2 || first == "ols" { kind = "unadjusted" }
            else if "robust".hasPrefix(first) && first.count >= 1 || first == "hc1" { kind = "robust" }
            else if "cluster".hasPrefix(first) && first.count >= 2 {
                kind = "cluster"; clusters = Array(w.dropFirst())
                if clusters.isEmpty { throw StataError(198, "vce(cluster) requires a cluster variable") }
            } else { throw StataError(198, "vce(\(v)) not allowed") }
        }
        return (kind, clusters)
    }

    static func words(_ s: String) -> [String] { s.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }

    /// level(#) or `set level`.
    static func level(_ o: Options, _ s: Session) throws -> Double {
        let l = try o.number("level") ?? Double(s.settings["level"] ?? "95") ?? 95
        guard l >= 10, l <= 99.99 else { throw StataError(198, "level() must be between 10 and 99.99 inclusive") }
        return l
    }
}

extension LinearModelSetup {
    /// Parses `depvar indepvars`, marks the sample and builds the spec. `absorb` are absorb()
    /// terms as written; `hasConstant` is false under `noconstant`.
    static func build(_ call: CommandCall, _ s: Session, convention: DofConvention, absorb: [String],
                      vceKind: String, clusters: [String], hasConstant: Bool, level: Double) throws -> LinearModelSetup {
        let tokens = try FactorVarlist.tokens(call.head)
        guard let first = tokens.first else { throw StataError(100, "varlist required") }
        if first.contains(".") || first.contains("#") { throw StataError(198, "depvar may not be a factor variable") }
        let depvar = try FactorVarlist.variable(first, s)
        let terms = try FactorVarlist.parse(tokens.dropFirst().joined(separator: " "), s)

        // Absorb and cluster terms first: their variables take part in the sample.
        let absTerms = try absorb.map { try AbsorbParser.parse($0, s) }
        let clusterNames = try clusters.map { try $0.split(separator: "#").map { try s.varlist(String($0)).first! }.joined(separator: "#") }

        var mask = try s.markSample(call, variables: [depvar])
        let continuous = try FactorVarlist.continuousColumns(terms, s)
        func markout(_ x: [Double]) { for i in 0..<mask.count where mask[i] && Missing.isMissing(x[i]) { mask[i] = false } }
        for t in terms {
            for c in t.components {
                if case .factor(let v, _, _) = c { markout(s.frame.column(v)!.nums) } else { markout(continuous[c.key]!) }
            }
        }
        for a in absTerms { for k in a.keys { markout(k) }; for sl in a.slopes { markout(sl.values) } }
        let clusterKeys = try clusterNames.map { try $0.split(separator: "#").map { try encodedColumn(String($0), s) } }
        for ks in clusterKeys { for k in ks { markout(k) } }
        var weights: [Double]? = nil
        var kind = WeightKind.aweight
        if let w = call.weight {
            (weights, kind) = try weightColumn(w, s)
            for i in 0..<mask.count where mask[i] && !Missing.isMissing(weights![i]) && weights![i] < 0 {
                throw StataError(402, "negative weights encountered")
            }
            for i in 0..<mask.count where mask[i] && (Missing.isMissing(weights![i]) || weights![i] == 0) { mask[i] = false }
            if kind == .fweight, let ws = weights {
                for i in 0..<mask.count where mask[i] && ws[i] != ws[i].rounded() {
                    throw StataError(401, "may not use noninteger frequency weights")
                }
            }
        }
        guard mask.contains(true) else { throw StataError.noObservations() }

        let design = try FactorVarlist.expand(terms, touse: mask, continuous: continuous,
                                              hasConstant: hasConstant || !absTerms.isEmpty, s)
        let y = s.frame.column(depvar)!.nums
        var spec = RegressionSpec(depvarName: depvar, y: y,
                                  regressors: design.filter { $0.status == .free }.map { ($0.name, $0.values) })
        spec.constant = hasConstant
        spec.touse = mask
        spec.weights = weights
        spec.weightKind = kind
        spec.absorb = absTerms
        spec.convention = convention
        switch vceKind {
        case "robust": spec.vce = .robust
        case "cluster": spec.vce = .cluster(zip(clusterNames, clusterKeys).map { ClusterTerm(name: $0.0, keys: $0.1) })
        default: spec.vce = .unadjusted
        }
        return LinearModelSetup(depvar: depvar, design: design, spec: spec, absvars: absTerms.map(\.name),
                                clustvars: clusterNames, weight: call.weight, level: level)
    }

    /// `[aw=exp]` etc.: the evaluated weights and their kind.
    static func weightColumn(_ w: (kind: String, exp: String), _ s: Session) throws -> ([Double], WeightKind) {
        let kinds: [String: WeightKind] = ["aw": .aweight, "aweight": .aweight, "fw": .fweight, "fweight": .fweight,
                                           "pw": .pweight, "pweight": .pweight, "iw": .iweight, "iweight": .iweight]
        guard let kind = kinds[w.kind.lowercased()] else { throw StataError(101, "weights not allowed: \(w.kind)") }
        let e = try ExprParser.parse(w.exp)
        guard case .numbers(let v) = try Evaluator.evaluate(e, in: s, rows: RowSet(rows: Array(0..<s.frame.count), count: s.frame.count)) else {
            throw StataError.typeMismatch()
        }
        return (v, kind)
    }

    /// A variable as numbers; strings are encoded by their sorted distinct values ("" → missing).
    static func encodedColumn(_ name: String, _ s: Session) throws -> [Double] {
        let c = s.frame.columns[try s.resolveVariable(name)]
        guard c.isString else { return c.nums }
        let codes = Dictionary(uniqueKeysWithValues: Set(c.strs).filter { !$0.isEmpty }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.enumerated().map { ($1, Double($0 + 1)) })
        return c.strs.map { codes[$0] ?? Missing.dot }
    }
}

/// absvar := [newvar '='] part (('#' | '##') part)*
/// part := ['i.'] var | 'c.' var | 'c.(' var+ ')' | '(' ('c.' var)+ ')'
/// (reghdfe via ftools' ms_parse_absvars: `a#c.x` slopes only, `a##c.x` intercepts and slopes,
/// `a##c.(x z)` or `a##(c.x c.z)` several slopes; parts in any order, at least one factor; a
/// slope variable may not repeat.)
enum AbsorbParser {
    /// Parses one absvar (grammar above) into an engine term named as reghdfe labels it.
    static func parse(_ text: String, _ s: Session) throws -> AbsorbTerm {
        var body = text, saveAs: String? = nil
        if let eq = text.firstIndex(of: "=") {
            saveAs = String(text[..<eq]); body = String(text[text.index(after: eq)...])
        }
        let doubleHash = body.contains("##")
        var keys: [[Double]] = [], slopes: [(name: String, values: [Double])] = []
        var factorNames: [String] = []
        for p in try parts(body.replacingOccurrences(of: "##", with: "#"), text) {
            if p.lowercased().hasPrefix("c.") {
                let v = try FactorVarlist.variable(String(p.dropFirst(2)), s)
                if slopes.contains(where: { $0.name == v }) {
                    throw StataError(198, "absorb(\(text)): duplicated c. variable \(v)")
                }
                slopes.append((v, s.frame.column(v)!.nums))
            } else {
                let raw = p.lowercased().hasPrefix("i.") ? String(p.dropFirst(2)) : p
                guard let v = try s.varlist(raw).first else { throw StataError(111, "variable \(raw) not found") }
                if factorNames.contains(v) { continue }
                keys.append(try LinearModelSetup.encodedColumn(v, s)); factorNames.append(v)
            }
        }
        guard !keys.isEmpty else { throw StataError(198, "absorb(\(text)): a term needs a categorical variable") }
        // newvar holds the intercepts (only a term with intercepts makes it), slope estimates go to
        // newvarSlope1, … (ms_parse_absvars checks exactly these names).
        if let base = saveAs {
            if slopes.isEmpty || doubleHash { try s.checkNewName(base) }
            for k in slopes.indices { try s.checkNewName("\(base)Slope\(k + 1)") }
        }
        // reghdfe's canonical label: a, a#c.x, a##c.x, a##c.(x z).
        var name = factorNames.joined(separator: "#")
        if !slopes.isEmpty {
            let list = slopes.map(\.name)
            name += (doubleHash ? "##" : "#") + (list.count == 1 ? "c.\(list[0])" : "c.(\(list.joined(separator: " ")))")
        }
        return AbsorbTerm(name: name, keys: keys, slopes: slopes,
                          includeIntercept: slopes.isEmpty || doubleHash, saveAs: saveAs)
    }

    /// The '#'-separated parts of a term, with `c.(x z)` and `(c.x c.z)` expanded to `c.x c.z`.
    static func parts(_ body: String, _ text: String) throws -> [String] {
        var out = [String](), depth = 0, current = ""
        func flush() throws {
            let p = current.trimmingCharacters(in: .whitespaces)
            current = ""
            // Empty parts (`a##`, `#c.x`) and empty variable names (`c.`, `c.()`) are invalid.
            if p.isEmpty || p.lowercased() == "c." || p.lowercased() == "i." { throw StataError(198, "absorb(\(text)): invalid term") }
            if p.hasSuffix(")"), let open = p.firstIndex(of: "(") {
                let prefix = p[..<open].lowercased()
                let inner = LinearModelOptions.words(String(p[p.index(after: open)..<p.index(before: p.endIndex)]))
                if inner.isEmpty { throw StataError(198, "absorb(\(text)): invalid term") }
                if prefix == "c." { out += inner.map { "c." + $0 } }
                else if prefix.isEmpty, inner.allSatisfy({ $0.lowercased().hasPrefix("c.") }) { out += inner }
                else { throw StataError(198, "absorb(\(text)): invalid term") }
            } else if p.contains("(") || p.contains(")") || p.contains(" ") {
                throw StataError(198, "absorb(\(text)): invalid term")
            } else { out.append(p) }
        }
        for ch in body {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if depth < 0 { throw StataError(198, "absorb(\(text)): unbalanced parentheses") }
            if ch == "#" && depth == 0 { try flush() } else { current.append(ch) }
        }
        if depth != 0 { throw StataError(198, "absorb(\(text)): unbalanced parentheses") }
        try flush()
        return out
    }

    /// Splits absorb() text at blanks outside parentheses (`a##c.(x z)` is one term).
    static func terms(_ text: String) -> [String] {
        var out = [String](), depth = 0, current = ""
        for ch in text {
            if ch == "(" { depth += 1 } else if ch == ")" { depth = max(depth - 1, 0) }
            if (ch == " " || ch == "\t") && depth == 0 {
                if !current.isEmpty { out.append(current); current = "" }
            } else { current.append(ch) }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
