// egen: each function against a direct computation in the test (group loops written out here),
// storage types, missing-value messages, by prefix vs by() option, and errors.

import XCTest
@testable import DidLang
import DidFrame

final class EgenTests: XCTestCase {
    func run(_ src: String) throws -> (String, Session) { try runScript(src) }

    func col(_ s: Session, _ name: String) -> [Double] { s.frame.column(name)!.nums }

    static var nswPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference/data/nsw_mixtape.dta").path
    }

    func useNSW() -> String {
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.nswPath), "reference data missing")
        return "use \"\(Self.nswPath)\", clear\n"
    }

    /// Float rounding, as a default-type egen variable stores its values.
    func f(_ x: Double) -> Double { Missing.isMissing(x) ? x : Double(Float(x)) }

    /// Groups of observation indices by the values of `key` (test-side, dictionary based).
    func groups(_ key: [Double]) -> [Double: [Int]] {
        var g: [Double: [Int]] = [:]
        for (i, k) in key.enumerated() { g[k, default: []].append(i) }
        return g
    }

    func testGroupStatisticsAgainstDirectLoops() throws {
        let (_, s) = try run(useNSW() + """
        egen m = mean(re78), by(treat educ)
        egen t = total(re78), by(treat)
        egen c = count(re74), by(educ)
        egen lo = min(age), by(educ)
        egen hi = max(age), by(educ)
        egen sd = sd(re78), by(treat)
        egen med = median(age), by(treat)
        egen p90 = pctile(re78), p(90) by(treat)
        """)
        let re78 = col(s, "re78"), age = col(s, "age"), treat = col(s, "treat"), educ = col(s, "educ")
        for (_, rows) in groups(zip(treat, educ).map { $0 * 100 + $1 }) {
            let m = rows.reduce(0) { $0 + re78[$1] } / Double(rows.count)
            for r in rows { XCTAssertEqual(col(s, "m")[r], f(m)) }
        }
        for (_, rows) in groups(treat) {
            let v = rows.map { re78[$0] }
            let mean = v.reduce(0, +) / Double(v.count)
            let sd = (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)).squareRoot()
            let sorted = v.sorted(), P = Double(v.count) * 0.9
            let p90 = P == P.rounded(.down) ? (sorted[Int(P) - 1] + sorted[Int(P)]) / 2 : sorted[Int(P)]
            let a = rows.map { age[$0] }.sorted(), Q = Double(a.count) * 0.5
            let med = Q == Q.rounded(.down) ? (a[Int(Q) - 1] + a[Int(Q)]) / 2 : a[Int(Q)]
            for r in rows {
                XCTAssertEqual(col(s, "t")[r], f(v.reduce(0, +)))
                XCTAssertEqual(col(s, "sd")[r], f(sd))
                XCTAssertEqual(col(s, "p90")[r], f(p90))
                XCTAssertEqual(col(s, "med")[r], f(med))
            }
        }
        for (_, rows) in groups(educ) {
            for r in rows {
                XCTAssertEqual(col(s, "c")[r], Double(rows.count))
                XCTAssertEqual(col(s, "lo")[r], rows.map { age[$0] }.min()!)
                XCTAssertEqual(col(s, "hi")[r], rows.map { age[$0] }.max()!)
            }
        }
        XCTAssertEqual(s.frame.column("m")!.type, .float)
    }

    func testByPrefixEqualsByOption() throws {
        let (_, s) = try run(useNSW() + """
        egen a = mean(re78), by(treat)
        bysort treat: egen b = mean(re78)
        by treat: egen r1 = rank(age)
        egen r2 = rank(age), by(treat)
        """)
        XCTAssertEqual(col(s, "a"), col(s, "b"))
        XCTAssertEqual(col(s, "r1"), col(s, "r2"))
    }

    func testMissingValuesIfAndMessages() throws {
        let (o, s) = try run("""
        quietly set obs 6
        gen g = _n > 3
        gen x = cond(_n == 2, ., _n)
        egen m = mean(x) if _n != 6, by(g)
        egen t = total(x), by(g) missing
        egen n = count(x) if g == 0
        """)
        // The first message is gen's (x has one missing value).
        XCTAssertEqual(o, "(1 missing value generated)\n(1 missing value generated)\n(3 missing values generated)\n")
        XCTAssertEqual(col(s, "m").map(Missing.isMissing), [false, false, false, false, false, true])
        XCTAssertEqual(Array(col(s, "m")[0..<5]), [2, 2, 2, 4.5, 4.5])   // (1+3)/2, (4+5)/2
        XCTAssertEqual(col(s, "t"), [4, 4, 4, 15, 15, 15])
        XCTAssertEqual(Array(col(s, "n")[0..<3]), [2, 2, 2])
        let (_, s2) = try run("quietly set obs 2\ngen x = .\negen t = total(x)\negen t2 = total(x), missing")
        XCTAssertEqual(col(s2, "t"), [0, 0])
        XCTAssertTrue(col(s2, "t2").allSatisfy(Missing.isMissing))
    }

    func testRankVariants() throws {
        let (_, s) = try run("""
        quietly set obs 6
        gen x = cond(_n == 1, 3, cond(_n == 2, 1, cond(_n == 3, 3, cond(_n == 4, 2, cond(_n == 5, ., 3)))))
        egen r = rank(x)
        egen rf = rank(x), field
        egen rt = rank(x), track
        egen ru = rank(x), unique
        """)
        // x = 3 1 3 2 . 3: the three 3s hold positions 3-5.
        XCTAssertEqual(col(s, "r").prefix(4) + [col(s, "r")[5]], [4, 1, 4, 2, 4])
        XCTAssertEqual(col(s, "rf").prefix(4) + [col(s, "rf")[5]], [1, 5, 1, 4, 1])
        XCTAssertEqual(col(s, "rt").prefix(4) + [col(s, "rt")[5]], [3, 1, 3, 2, 3])
        XCTAssertEqual(col(s, "ru").prefix(4) + [col(s, "ru")[5]], [3, 1, 4, 2, 5])
        for v in ["r", "rf", "rt", "ru"] { XCTAssertTrue(Missing.isMissing(col(s, v)[4])) }
        XCTAssertThrowsError(try run("quietly set obs 2\ngen x = _n\negen r = rank(x), field track")) {
            XCTAssertEqual(($0 as? StataError)?.code, 198)
        }
    }

    func testGroupTagAndLabels() throws {
        let (_, s) = try run(useNSW() + """
        replace educ = . in 1
        egen g = group(treat educ)
        egen gm = group(educ), missing
        egen tg = tag(treat)
        egen gl = group(treat), label
        """)
        let treat = col(s, "treat"), educ = col(s, "educ"), g = col(s, "g")
        let keys = Set(zip(treat, educ).filter { !Missing.isMissing($0.1) }.map { $0.0 * 100 + $0.1 }).sorted()
        for i in 0..<treat.count {
            if Missing.isMissing(educ[i]) { XCTAssertTrue(Missing.isMissing(g[i])); continue }
            XCTAssertEqual(g[i], Double(keys.firstIndex(of: treat[i] * 100 + educ[i])! + 1))
        }
        let distinctEduc = Set(educ.filter { !Missing.isMissing($0) }).count
        XCTAssertEqual(col(s, "gm")[0], Double(distinctEduc + 1), "missing sorts last")
        let tg = col(s, "tg")
        XCTAssertEqual(tg.reduce(0, +), 2)
        XCTAssertEqual(tg[treat.firstIndex(of: 0)!], 1)
        XCTAssertEqual(tg[treat.firstIndex(of: 1)!], 1)
        XCTAssertEqual(s.frame.column("tg")!.type, .byte)
        XCTAssertEqual(s.frame.column("gl")!.valueLabel, "gl")
        XCTAssertEqual(s.frame.valueLabels["gl"]?.mapping, [1: "0", 2: "1"])
        let (_, s2) = try run("quietly set obs 3\ngen str1 k = cond(_n == 2, \"b\", \"a\")\negen id = group(k), label(kl)")
        XCTAssertEqual(s2.frame.column("id")!.nums, [1, 2, 1])
        XCTAssertEqual(s2.frame.column("id")!.valueLabel, "kl")
        XCTAssertEqual(s2.frame.valueLabels["kl"]?.mapping, [1: "a", 2: "b"])
    }

    func testRowFunctions() throws {
        let (o, s) = try run("""
        quietly set obs 3
        gen a = cond(_n == 1, 1, .)
        gen b = cond(_n == 3, ., 2 * _n)
        gen c = 10
        egen mean = rowmean(a b c)
        egen tot = rowtotal(a b c)
        egen mx = rowmax(a b)
        egen mn = rowmin(a b)
        egen nm = rownonmiss(a b)
        egen ms = rowmiss(a b)
        egen t2 = rowtotal(a b), missing
        """)
        XCTAssertEqual(col(s, "mean"), [13.0 / 3, 7, 10].map(f))
        XCTAssertEqual(col(s, "tot"), [13, 14, 10])
        XCTAssertEqual(Array(col(s, "mx")[0..<2]), [2, 4]); XCTAssertTrue(Missing.isMissing(col(s, "mx")[2]))
        XCTAssertEqual(Array(col(s, "mn")[0..<2]), [1, 4])
        XCTAssertEqual(col(s, "nm"), [2, 1, 0]); XCTAssertEqual(col(s, "ms"), [0, 1, 2])
        XCTAssertTrue(Missing.isMissing(col(s, "t2")[2]))
        XCTAssertTrue(o.hasSuffix("(1 missing value generated)\n"))
        XCTAssertThrowsError(try run("quietly set obs 2\ngen g = _n\ngen a = 1\nbysort g: egen m = rowmean(a)")) {
            XCTAssertEqual(($0 as? StataError)?.code, 190)
        }
    }

    func testStdSeqConcatCutMode() throws {
        let (_, s) = try run("""
        quietly set obs 6
        gen g = _n > 3
        gen x = _n * _n
        gen str2 s = cond(_n < 3, "a", "b")
        egen z = std(x)
        egen sq = seq(), by(g)
        egen sq2 = seq(), from(5) to(6) block(2)
        egen cc = concat(g s x), punct("/")
        egen ct = cut(x), at(0 5 20 30)
        egen ci = cut(x), at(0 5 20 30) icodes
        egen md = mode(s)
        egen mn = mode(g), minmode
        """)
        let x = col(s, "x"), m = x.reduce(0, +) / 6
        let sd = (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 5).squareRoot()
        XCTAssertEqual(col(s, "z"), x.map { f(($0 - m) / sd) })
        XCTAssertEqual(col(s, "sq"), [1, 2, 3, 1, 2, 3])
        XCTAssertEqual(col(s, "sq2"), [5, 5, 6, 6, 5, 5])
        XCTAssertEqual(s.frame.column("cc")!.strs, ["0/a/1", "0/a/4", "0/b/9", "1/b/16", "1/b/25", "1/b/36"])
        XCTAssertEqual(Array(col(s, "ct")[0..<5]), [0, 0, 5, 5, 20]); XCTAssertTrue(Missing.isMissing(col(s, "ct")[5]))
        XCTAssertEqual(Array(col(s, "ci")[0..<5]), [0, 0, 1, 1, 2])
        XCTAssertEqual(s.frame.column("md")!.strs, Array(repeating: "b", count: 6))
        XCTAssertEqual(col(s, "mn"), Array(repeating: 0, count: 6), "two modes (0 and 1): minmode picks 0")
        let (_, s2) = try run("quietly set obs 4\ngen g = _n > 2\negen md = mode(g)")
        XCTAssertTrue(col(s2, "md").allSatisfy(Missing.isMissing), "tied modes give missing")
    }

    func testTypesAndErrors() throws {
        let (_, s) = try run("quietly set obs 3\ngen x = _n\negen double m = mean(x / 3)\negen long c = count(x)")
        XCTAssertEqual(s.frame.column("m")!.type, .double)
        XCTAssertEqual(col(s, "m")[0], 2.0 / 3)
        XCTAssertEqual(s.frame.column("c")!.type, .long)
        let cases: [(String, Int)] = [
            ("egen m = nosuch(x)", 133), ("egen x = mean(x)", 110), ("egen str5 m = mean(x)", 109),
            ("egen m = mean(x), bogus", 198), ("egen m = mean(nosuch)", 111), ("egen m = mean()", 198),
            ("egen m = pctile(x), p(100)", 198), ("egen m mean(x)", 198),
            ("egen m = seq(), block(0.5)", 198), ("egen m = seq(), from(1e300)", 198),
            ("egen m = cut(x), at(0(1e-9)1)", 121), ("egen m = rowmean(x), bogus", 198),
        ]
        for (line, code) in cases {
            XCTAssertThrowsError(try run("quietly set obs 3\ngen x = _n\n" + line), line) { XCTAssertEqual(($0 as? StataError)?.code, code, line) }
        }
    }

    /// egen mean by a 1,000-level group over 200,000 observations: one sort and one pass.
    func testGroupedMeanSpeed() throws {
        let s = Session()
        s.output = { _, _ in }
        let n = 200_000
        s.frame.add(Column(name: "g", type: .double, values: (0..<n).map { Double(($0 * 7919) % 1000) }))
        s.frame.add(Column(name: "y", type: .double, values: (0..<n).map { Double($0 % 97) }))
        let t0 = Date()
        try s.run(source: "egen m = mean(y), by(g)")
        let dt = Date().timeIntervalSince(t0)
        print("egen mean by(g), N=\(n), 1000 groups: \(String(format: "%.3f", dt)) s")
        let g = col(s, "g"), y = col(s, "y"), m = col(s, "m")
        var sums = [Double](repeating: 0, count: 1000), counts = [Double](repeating: 0, count: 1000)
        for i in 0..<n { sums[Int(g[i])] += y[i]; counts[Int(g[i])] += 1 }
        for i in stride(from: 0, to: n, by: 997) { XCTAssertEqual(m[i], f(sums[Int(g[i])] / counts[Int(g[i])])) }
        XCTAssertLessThan(dt, 10, "debug build; 0.5 s measured on the 2-core build machine")
    }
    /// A session holding random keys with ties, missing numbers (`.`, `.a`), empty strings,
    /// and a value with missing entries, in random order.
    func randomSession(_ n: Int, seed: UInt64) -> Session {
        var state = seed
        func next() -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
        }
        let s = Session()
        s.output = { _, _ in }
        let miss = [Missing.dot, Missing.extended(1)]
        s.frame.add(Column(name: "g", values: (0..<n).map { _ in next() % 9 == 0 ? miss[next() % 2] : Double(next() % 6) }))
        s.frame.add(Column(name: "k", strings: (0..<n).map { _ in ["", "a", "b", "B", "ab"][next() % 5] }))
        s.frame.add(Column(name: "z", values: (0..<n).map { _ in Double(next() % 1000) / 7 + 0.25 }))
        s.frame.add(Column(name: "y", values: (0..<n).map { _ in next() % 5 == 0 ? Missing.dot : Double(next() % 1000) / 8 }))
        return s
    }

    /// Groups by the key tuple (test side: a dictionary of the values' bit patterns and text).
    func tupleGroups(_ s: Session, _ keys: [String], rows: [Int]) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for r in rows {
            let t = keys.map { k -> String in
                let c = s.frame.column(k)!
                return c.isString ? "s:" + c.strs[r] : "n:\(c.nums[r].bitPattern)"
            }.joined(separator: "|")
            out[t, default: []].append(r)
        }
        return out
    }

    /// The table-coded by() groups and the by-prefix runs (sorted data, flat groups) against a
    /// direct loop, with string keys, missing keys as their own groups, and if-subsets.
    func testGroupedPathsAgainstDirectLoopOnRandomData() throws {
        for (seed, keys) in [(1, ["g"]), (2, ["k"]), (3, ["g", "k"]), (4, ["k", "g"]), (5, ["z"])] as [(UInt64, [String])] {
            let s = randomSession(1500, seed: seed)
            let by = keys.joined(separator: " ")
            try s.run(source: """
            egen double m1 = mean(y), by(\(by))
            egen c1 = count(y), by(\(by))
            egen double t1 = total(y) if g != 3, by(\(by))
            egen tg = tag(\(by)), missing
            egen grp = group(\(by)), missing
            bysort \(by): egen double m2 = mean(y)
            by \(by): egen double t2 = total(y) if g != 3
            by \(by): egen double m3 = mean(y + 1)
            """)
            // The by prefix sorted the data: every check runs on the sorted rows.
            let n = s.frame.count
            let y = col(s, "y"), g = col(s, "g")
            let all = tupleGroups(s, keys, rows: Array(0..<n))
            let sub = tupleGroups(s, keys, rows: (0..<n).filter { g[$0] != 3 })
            XCTAssertEqual(Set(col(s, "grp")).count, all.count, "\(keys): one group() code per key tuple")
            for (_, rows) in all {
                let v = rows.map { y[$0] }.filter { !Missing.isMissing($0) }
                let mean = v.isEmpty ? Missing.dot : v.reduce(0, +) / Double(v.count)
                XCTAssertEqual(rows.filter { col(s, "tg")[$0] == 1 }, [rows.min()!], "\(keys) tag")
                XCTAssertEqual(Set(rows.map { col(s, "grp")[$0] }).count, 1, "\(keys) group")
                for r in rows {
                    XCTAssertEqual(col(s, "m1")[r], mean, "\(keys) by()")
                    XCTAssertEqual(col(s, "m2")[r], mean, "\(keys) by prefix")
                    XCTAssertEqual(col(s, "m3")[r], Missing.isMissing(mean) ? mean : v.map { $0 + 1 }.reduce(0, +) / Double(v.count),
                                   "\(keys) expression")
                    XCTAssertEqual(col(s, "c1")[r], Double(v.count))
                }
            }
            for (_, rows) in sub {
                let total = rows.map { y[$0] }.filter { !Missing.isMissing($0) }.reduce(0, +)
                for r in rows { XCTAssertEqual(col(s, "t1")[r], total); XCTAssertEqual(col(s, "t2")[r], total) }
            }
            for r in 0..<n where g[r] == 3 {
                XCTAssertTrue(Missing.isMissing(col(s, "t1")[r]) && Missing.isMissing(col(s, "t2")[r]))
            }
            // group() numbers the tuples in sort order: codes never decrease along sorted data.
            let grp = col(s, "grp")
            XCTAssertTrue(zip(grp, grp.dropFirst()).allSatisfy { $0 <= $1 }, "\(keys) group order")
        }
    }
}
