// Edge cases of psmatch2 matching: every one ends in psmatch2's behaviour or a StataError, never a
// trap. Expected values are worked out by hand from psmatch2's rules in the comments.

import XCTest
import DidFrame
@testable import DidStats

final class MatchingEdgeCaseTests: XCTestCase {
    let miss = Missing.dot

    func testNoControlWithinCaliper() throws {
        // Treated at 0.5/0.6, controls at 0.1/0.2: nothing within 0.01, so every treated unit is off support.
        let res = try PropensityMatching.match(MatchSpec(treated: [1, 1, 0, 0], pscore: [0.5, 0.6, 0.1, 0.2],
                                                         outcomes: [("y", [1, 2, 3, 4])], caliper: 0.01))
        XCTAssertEqual(res.support, [0, 0, 1, 1])
        XCTAssertTrue(res.weight.allSatisfy { Missing.isMissing($0) })
        XCTAssertEqual(res.supportTable, MatchSupportTable(controlsOff: 0, controlsOn: 2, treatedOff: 2, treatedOn: 0))
        XCTAssertTrue(Missing.isMissing(res.effects[0].att.difference))
        XCTAssertTrue(Missing.isMissing(res.effects[0].att.se))
        XCTAssertEqual(res.effects[0].unmatched.difference, -2)           // regress y treat still runs
        XCTAssertTrue(res.matchedOutcomes[0].values.allSatisfy { Missing.isMissing($0) })
    }

    func testAllTreatedAndAllControls() throws {
        let allT = try PropensityMatching.match(MatchSpec(treated: [1, 1, 1], pscore: [0.2, 0.4, 0.6], outcomes: [("y", [1, 2, 3])]))
        XCTAssertEqual(allT.support, [0, 0, 0])
        XCTAssertEqual(allT.nn!, [0, 0, 0])
        XCTAssertTrue(Missing.isMissing(allT.effects[0].att.difference))
        XCTAssertTrue(Missing.isMissing(allT.effects[0].unmatched.difference))
        let allC = try PropensityMatching.match(MatchSpec(treated: [0, 0, 0], pscore: [0.2, 0.4, 0.6], outcomes: [("y", [1, 2, 3])]))
        XCTAssertEqual(allC.support, [1, 1, 1])
        XCTAssertTrue(allC.weight.allSatisfy { Missing.isMissing($0) })
        XCTAssertTrue(Missing.isMissing(allC.effects[0].att.difference))
        for method in [MatchMethod.radius(caliper: 0.1), .defaultKernel] {
            let k = try PropensityMatching.match(MatchSpec(treated: [1, 1], pscore: [0.2, 0.4], outcomes: [("y", [1, 2])], method: method))
            XCTAssertEqual(k.support, [0, 0])
        }
    }

    func testConstantScore() throws {
        // All scores equal: the first control in row order is everyone's match; with `ties`, all controls.
        let n = 20_000
        let treat = (0..<n).map { $0 % 4 == 0 ? 1.0 : 0 }, score = [Double](repeating: 0.3, count: n)
        let y = (0..<n).map { Double($0 % 7) }
        let nn = try PropensityMatching.match(MatchSpec(treated: treat, pscore: score, outcomes: [("y", y)]))
        XCTAssertEqual(nn.weight[1], Double(n / 4))                        // row 2 is the first control
        XCTAssertEqual(nn.effects[0].att.controls, y[1])
        let tied = try PropensityMatching.match(MatchSpec(treated: Array(treat.prefix(400)), pscore: Array(score.prefix(400)),
                                                          outcomes: [("y", Array(y.prefix(400)))], ties: true))
        for r in 0..<400 where treat[r] == 0 { XCTAssertEqual(tied.weight[r], 100.0 / 300, accuracy: 1e-12) }
        XCTAssertEqual(tied.nn![0], 300)
        // Without replacement the walk must not become quadratic on the plateau (20k rows, < 1 s).
        let start = Date()
        let nr = try PropensityMatching.match(MatchSpec(treated: treat, pscore: score, outcomes: [("y", y)], noReplacement: true))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        let used = (0..<n).filter { treat[$0] == 0 && !Missing.isMissing(nr.weight[$0]) }
        XCTAssertEqual(used.count, n / 4)
        XCTAssertEqual(used.first, 1)                                       // rows taken in order
    }

    func testTieGoesToLowerScoreThenLowerRow() throws {
        // Treated at 0.5; controls at 0.25 and 0.75 (exact binary fractions, equidistant): the lower
        // score wins. Two controls at 0.25: the lower row wins.
        let a = try PropensityMatching.match(MatchSpec(treated: [0, 1, 0], pscore: [0.75, 0.5, 0.25]))
        XCTAssertEqual(a.weight, [miss, 1, 1])
        let b = try PropensityMatching.match(MatchSpec(treated: [0, 1, 0, 0], pscore: [0.75, 0.5, 0.25, 0.25]))
        XCTAssertEqual(b.weight, [miss, 1, 1, miss])
        XCTAssertEqual(b.id!, [3, 4, 1, 2].map(Double.init))               // controls by score and row, then treated
        XCTAssertEqual(b.neighbors![0][1], 1)                              // _n1 = _id of row 3
        XCTAssertEqual(b.pdif![1], 0.25)
        // k = 2 widens to the left neighbour first on equal distances: row 4 (0.25) before row 1 (0.75).
        let c = try PropensityMatching.match(MatchSpec(treated: [0, 1, 0, 0], pscore: [0.75, 0.5, 0.25, 0.25], method: .neighbor(k: 2)))
        XCTAssertEqual(c.weight, [miss, 1, 0.5, 0.5])
    }

    func testVariablesInPsmatch2Order() throws {
        let res = try PropensityMatching.match(MatchSpec(treated: [0, 1, 0], pscore: [0.75, 0.5, 0.25], outcomes: [("re78", [1, 2, 3])],
                                                         method: .neighbor(k: 2)))
        XCTAssertEqual(res.variables.map { $0.name }, ["_pscore", "_treated", "_support", "_weight", "_re78", "_id", "_n1", "_n2", "_nn", "_pdif"])
        XCTAssertEqual(res.variables.map { $0.type }, [.double, .byte, .byte, .double, .double, .byte, .byte, .byte, .float, .double])
        XCTAssertEqual(res.variables[4].label, "psmatch2: value of re78 of match(es)")
        XCTAssertEqual(res.variables[4].values, [miss, 2, miss])
        let kernel = try PropensityMatching.match(MatchSpec(treated: [0, 1, 0], pscore: [0.75, 0.5, 0.25], method: .defaultKernel))
        XCTAssertEqual(kernel.variables.map { $0.name }, ["_pscore", "_treated", "_support", "_weight"])
    }

    func testSampleAndMissingValues() throws {
        let res = try PropensityMatching.match(MatchSpec(treated: [1, 0, miss, 0, 1], pscore: [0.5, 0.4, 0.3, miss, 0.45],
                                                         outcomes: [("y", [1, 2, 3, 4, miss])], touse: [true, true, true, true, true]))
        XCTAssertEqual(res.N, 2)
        XCTAssertEqual(res.treated[2], miss); XCTAssertEqual(res.support[4], miss)
        XCTAssertEqual(res.pscore[3], miss)
        XCTAssertEqual(res.effects[0].att.difference, -1)
    }

    func testCommonSupport() throws {
        // Controls span [0.2, 0.6]; the treated unit at 0.9 is off common support, the one at 0.5 on.
        let res = try PropensityMatching.match(MatchSpec(treated: [1, 1, 0, 0], pscore: [0.9, 0.5, 0.2, 0.6],
                                                         outcomes: [("y", [5, 3, 1, 2])], common: true))
        XCTAssertEqual(res.support, [0, 1, 1, 1])
        XCTAssertEqual(res.effects[0].att.difference, 1)
        XCTAssertEqual(res.nn![0], miss)                                    // off support before matching
    }

    func testATEIsTheWeightedCombination() throws {
        let d = MatchingWalkTests.tiedData(seed: 9, n0: 300, n1: 100, grid: 0.001)
        let y = d.score.enumerated().map { 1000 * $0.element + Double($0.offset % 5) }
        for method in [MatchMethod.neighbor(k: 2), .defaultKernel] {
            let res = try PropensityMatching.match(MatchSpec(treated: d.treat, pscore: d.score, outcomes: [("y", y)], method: method, ate: true))
            let e = res.effects[0]
            let n1 = Double(res.supportTable.treatedOn), n0 = Double(res.supportTable.controlsOn)
            XCTAssertEqual(e.ate!.difference, e.att.difference * n1 / (n0 + n1) + e.atu!.difference * n0 / (n0 + n1), accuracy: 1e-9)
            // ATU by hand: controls' own outcome against their matched treated outcome.
            var s = 0.0, c = 0.0
            for r in 0..<y.count where d.treat[r] == 0 && res.support[r] == 1 { s += res.matchedOutcomes[0].values[r] - y[r]; c += 1 }
            XCTAssertEqual(e.atu!.difference, s / c, accuracy: 1e-9)
            XCTAssertTrue(Missing.isMissing(e.ate!.se))
        }
    }

    func testKernelsNormaliseWeights() throws {
        let d = MatchingWalkTests.tiedData(seed: 11, n0: 500, n1: 50, grid: 1e-6)
        for kernel in MatchKernel.allCases {
            let res = try PropensityMatching.match(MatchSpec(treated: d.treat, pscore: d.score, method: .kernel(type: kernel, bandwidth: 0.1)))
            let used = (0..<d.treat.count).filter { d.treat[$0] == 0 && !Missing.isMissing(res.weight[$0]) }
            XCTAssertEqual(used.reduce(0) { $0 + res.weight[$1] }, Double(res.supportTable.treatedOn), accuracy: 1e-9, "\(kernel)")
        }
    }

    func testTrimDropsLowDensityTreated() throws {
        // Treated at 0.95 sits where there are no controls: zero density, off support with any trim.
        var treat = [Double](repeating: 0, count: 200), score = (0..<200).map { 0.1 + 0.4 * Double($0) / 200 }
        treat += [1, 1, 1, 1]; score += [0.3, 0.31, 0.32, 0.95]
        let res = try PropensityMatching.match(MatchSpec(treated: treat, pscore: score, trim: 10))
        XCTAssertEqual(res.support[203], 0)
        XCTAssertEqual(res.support[200], 1)
    }

    func testInvalidInputThrows() {
        func code(_ s: MatchSpec) -> Int? {
            do { _ = try PropensityMatching.match(s); return nil } catch let e as StataError { return e.code } catch { return -1 }
        }
        XCTAssertEqual(code(MatchSpec(treated: [1, 2, 0], pscore: [0.1, 0.2, 0.3])), 450)
        XCTAssertEqual(code(MatchSpec(treated: [1, 0], pscore: [0.1])), 198)
        XCTAssertEqual(code(MatchSpec(treated: [1, 0], pscore: [0.1, 0.2], method: .neighbor(k: 0))), 198)
        XCTAssertEqual(code(MatchSpec(treated: [1, 0], pscore: [0.1, 0.2], descending: true)), 198)
        XCTAssertEqual(code(MatchSpec(treated: [1, 0], pscore: [0.1, 0.2], method: .neighbor(k: 2), noReplacement: true)), 198)
        XCTAssertEqual(code(MatchSpec(treated: [1, 0], pscore: [0.1, 0.2], method: .kernel(type: .epan, bandwidth: -1))), 198)
        XCTAssertEqual(code(MatchSpec(treated: [1, 0], pscore: [0.1, 0.2], caliper: 0)), 198)
        XCTAssertEqual(code(MatchSpec(treated: [1, 0], pscore: [0.1, 0.2], trim: 120)), 198)
    }
}
