// Test support for the regression tests: locating the shared reference bundle, a tiny CSV
// reader (the project's real reader lives elsewhere and is tested on its own), building model
// columns from the reference cases' command lines, and tolerance checks as the reference README
// defines them: pass if |got - ref| <= rel * |ref| + abs_floor.

import Foundation
import XCTest
import DidFrame
import DidStats

/// A dataset read from a reference CSV: numeric columns (empty = missing, text columns encoded in
/// order of first appearance).
struct RefData {
    var names: [String]
    var columns: [String: [Double]]
    var rows: Int

    /// The column `name` (fails the test if absent).
    func col(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
        guard let c = columns[name] else {
            XCTFail("no column \(name)", file: file, line: line)
            return [Double](repeating: Missing.dot, count: rows)
        }
        return c
    }
}

enum RegressionRef {
    /// /work/shared/reference, found from this file: repo root is three levels up, then ../shared.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/reference").standardized
    }

    /// Reads `data/<name>.csv`; throws (and so fails the calling test) when the bundle is missing.
    static func csv(_ name: String) throws -> RefData {
        let url = root.appendingPathComponent("data/\(name).csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var cols = [[Double]](repeating: [], count: header.count)
        var textCodes = [[String: Double]](repeating: [:], count: header.count)
        for l in lines {
            let fields = l.split(separator: ",", omittingEmptySubsequences: false)
            for (j, f) in fields.enumerated() where j < header.count {
                if f.isEmpty { cols[j].append(Missing.dot) }
                else if let v = Double(f) { cols[j].append(v) }
                else {
                    let s = String(f)
                    if let c = textCodes[j][s] { cols[j].append(c) } else {
                        let c = Double(textCodes[j].count + 1); textCodes[j][s] = c; cols[j].append(c)
                    }
                }
            }
        }
        var dict = [String: [Double]]()
        for (j, h) in header.enumerated() { dict[h] = cols[j] }
        return RefData(names: header, columns: dict, rows: lines.count)
    }

    /// The `cases` of `values/<family>.json`.
    static func cases(_ family: String) throws -> [[String: Any]] {
        let url = root.appendingPathComponent("values/\(family).json")
        let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        guard let cases = obj?["cases"] as? [[String: Any]] else {
            throw StataError(610, "\(family).json has no cases")
        }
        return cases
    }

    /// Evaluates the `gen` lines used by the reference cases (one closure per exact line).
    static func applyGen(_ line: String, _ d: inout RefData) throws {
        let m = Missing.dot
        func b(_ c: Bool) -> Double { c ? 1 : 0 }
        func indicator(_ name: String, _ f: (Double) -> Bool) {
            let rel = d.col("rel")
            d.columns[name] = rel.map { b(f($0)) }   // missing rel compares as +infinity, as in Stata
        }
        let n = d.rows
        switch line {
        case "gen treat_post = (first_treat > 0 & year >= first_treat)":
            let ft = d.col("first_treat"), y = d.col("year")
            d.columns["treat_post"] = (0..<n).map { b(ft[$0] > 0 && y[$0] >= ft[$0]) }
        case "gen post = (year >= 2006)":
            d.columns["post"] = d.col("year").map { b($0 >= 2006) }
        case "gen fake_post = (first_treat > 0 & year >= first_treat - 2)":
            let ft = d.col("first_treat"), y = d.col("year")
            d.columns["fake_post"] = (0..<n).map { b(ft[$0] > 0 && y[$0] >= ft[$0] - 2) }
        case "gen rel = year - first_treat if first_treat > 0":
            let ft = d.col("first_treat"), y = d.col("year")
            d.columns["rel"] = (0..<n).map { ft[$0] > 0 ? y[$0] - ft[$0] : m }
        case "gen rel = year - g if g > 0":
            let g = d.col("g"), y = d.col("year")
            d.columns["rel"] = (0..<n).map { g[$0] > 0 ? y[$0] - g[$0] : m }
        case "gen lead6p = (rel <= -6)": indicator("lead6p") { $0 <= -6 }
        case "gen lag6p = (rel >= 6 & rel < .)": indicator("lag6p") { $0 >= 6 && $0 < m }
        default:
            // gen leadK = (rel == -K) / gen lagK = (rel == K)
            let parts = line.split(separator: " ")
            guard parts.count == 6, parts[0] == "gen", parts[2] == "=", parts[3] == "(rel", parts[4] == "==",
                  let k = Double(parts[5].dropLast()) else {
                throw StataError(199, "test harness cannot evaluate: \(line)")
            }
            indicator(String(parts[1])) { $0 == k }
        }
    }

    /// Expands one varlist token into named columns, Stata-style (`x`, `i.x`, `1.a#1.b`, `i.a##i.b`, `i.a#i.b`).
    static func expand(_ token: String, _ d: RefData) throws -> [(name: String, values: [Double])] {
        func levels(_ v: String) -> [Double] {
            Array(Set(d.col(v).filter { !Missing.isMissing($0) })).sorted()
        }
        func ind(_ v: String, _ l: Double) -> [Double] {
            d.col(v).map { Missing.isMissing($0) ? Missing.dot : ($0 == l ? 1 : 0) }
        }
        func fmt(_ l: Double) -> String { l == l.rounded() ? String(Int(l)) : String(l) }
        if token.hasPrefix("i.") && !token.contains("#") {
            let v = String(token.dropFirst(2))
            return levels(v).dropFirst().map { ("\(fmt($0)).\(v)", ind(v, $0)) }
        }
        if token.contains("##") {
            let parts = token.components(separatedBy: "##").map { String($0.dropFirst(2)) }
            let (a, c) = (parts[0], parts[1])
            var out = try expand("i.\(a)", d) + expand("i.\(c)", d)
            for la in levels(a).dropFirst() { for lc in levels(c).dropFirst() {
                let x = ind(a, la), y = ind(c, lc)
                out.append(("\(fmt(la)).\(a)#\(fmt(lc)).\(c)", zip(x, y).map { $0 * $1 }))
            } }
            return out
        }
        if token.contains("#") {
            let parts = token.split(separator: "#").map(String.init)
            if parts.allSatisfy({ $0.hasPrefix("i.") }) {
                // i.a#i.b: every cell but the base cell (first levels of both).
                let a = String(parts[0].dropFirst(2)), c = String(parts[1].dropFirst(2))
                var out = [(name: String, values: [Double])]()
                for (ia, la) in levels(a).enumerated() { for (ic, lc) in levels(c).enumerated() where ia + ic > 0 {
                    out.append(("\(fmt(la)).\(a)#\(fmt(lc)).\(c)", zip(ind(a, la), ind(c, lc)).map { $0 * $1 }))
                } }
                return out
            }
            // 1.a#1.b
            var values = [Double](repeating: 1, count: d.rows)
            for p in parts {
                let dot = p.firstIndex(of: ".")!
                let l = Double(p[..<dot])!, v = String(p[p.index(after: dot)...])
                values = zip(values, ind(v, l)).map { $0 * $1 }
            }
            return [(token, values)]
        }
        return [(token, d.col(token))]
    }

    /// Builds a RegressionSpec from a `regress`/`reghdfe` line of a reference case.
    static func spec(_ line: String, _ d: RefData, touse: [Bool]? = nil) throws -> RegressionSpec {
        var text = line
        var options = ""
        if let comma = text.firstIndex(of: ",") {
            options = String(text[text.index(after: comma)...]); text = String(text[..<comma])
        }
        var weightText: String? = nil
        if let lb = text.firstIndex(of: "["), let rb = text.firstIndex(of: "]") {
            weightText = String(text[text.index(after: lb)..<rb]); text.removeSubrange(lb...rb)
        }
        if let ifr = text.range(of: " if ") { text = String(text[..<ifr.lowerBound]) }
        let words = text.split(separator: " ").map(String.init)
        let cmd = words[0]
        var regs = [(name: String, values: [Double])]()
        for t in words.dropFirst(2) { regs += try expand(t, d) }
        var s = RegressionSpec(depvarName: words[1], y: d.col(words[1]), regressors: regs)
        s.touse = touse
        s.convention = cmd == "regress" ? .regress : .reghdfe
        if let wt = weightText {
            let kv = wt.split(separator: "=").map(String.init)
            s.weights = d.col(kv[1])
            s.weightKind = ["aw": .aweight, "fw": .fweight, "pw": .pweight, "iw": .iweight][kv[0]]!
        }
        func optionArgs(_ name: String) -> [String]? {
            guard let r = options.range(of: name + "(") else { return nil }
            let rest = options[r.upperBound...]
            let close = rest.firstIndex(of: ")")!
            return rest[..<close].split(separator: " ").map(String.init)
        }
        if let abs = optionArgs("absorb") {
            s.absorb = abs.map { term in
                AbsorbTerm(name: term, keys: term.split(separator: "#").map { d.col(String($0)) })
            }
        }
        if let v = optionArgs("vce") {
            switch v[0] {
            case "robust": s.vce = .robust
            case "cluster": s.vce = .cluster(v.dropFirst().map { ClusterTerm(name: $0, keys: $0.split(separator: "#").map { d.col(String($0)) }) })
            default: throw StataError(198, "vce(\(v[0])) not handled by the harness")
            }
        }
        return s
    }

    /// |got - ref| <= rel * |ref| + floor, with a readable failure.
    static func close(_ got: Double?, _ ref: Double, rel: Double, floor: Double, _ what: String,
                      file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard let g = got else { XCTFail("\(what): got nil, expected \(ref)", file: file, line: line); return .infinity }
        let dev = abs(g - ref)
        XCTAssert(dev <= rel * abs(ref) + floor, "\(what): got \(g), expected \(ref) (|diff| \(dev))", file: file, line: line)
        return ref == 0 ? dev : dev / abs(ref)
    }
}
