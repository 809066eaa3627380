// didplacebo's assignment rules in the placebo engine (DidStats/Placebo/PlaceboAssignment):
// the in-time sample (treated rows always dropped; rows at/after the latest adoption dropped
// unless nodrop), the unit shuffle (cohort sizes kept), the three mixed versions (number of fake
// units, dates inside the scope, one common date / own dates / cohorts of the real sizes with
// distinct dates), the default scopes, and reproducibility for a seed. Every draw's treatment
// column is read back through a fresh PlaceboPanel, an independent way to get its dates.

import DidKernel
@testable import DidStats
import Foundation
import XCTest

final class PlaceboRulesTests: XCTestCase {
    /// 45 units x 10 years (2003-2012), 15 treated in cohorts from PlaceboEngineTests' panel.
    func make() throws -> (PlaceboEngineTests.Panel, FactorCodes, PlaceboPanel) {
        let p = PlaceboEngineTests.panel(seed: 11, effect: 0)
        let unit = FactorCodes(keys: [p.unit])
        return (p, unit, try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: p.d))
    }

    /// Dates of a treatment column (one per unit, +inf never), read independently.
    func dates(_ d: [Double], _ p: PlaceboEngineTests.Panel, _ unit: FactorCodes) throws -> [Double] {
        try PlaceboPanel(unit: unit.codes, units: unit.levels, time: p.time, treatment: d).blockDate
    }

    func cohortSizes(_ dates: [Double]) -> [Int] {
        Dictionary(grouping: dates.filter(\.isFinite), by: { $0 }).values.map(\.count).sorted()
    }

    func testInTimeSampleRule() throws {
        let (p, _, panel) = try make()
        let last = try XCTUnwrap(panel.latestAdoption)
        XCTAssertEqual(last, panel.blockDate.filter(\.isFinite).max())
        let drop = panel.inTimeKeep(treatment: p.d, keepPost: false)
        let keep = panel.inTimeKeep(treatment: p.d, keepPost: true)
        for i in 0..<p.n {
            XCTAssertEqual(keep[i], p.d[i] == 0, "nodrop: only the treated rows go")
            XCTAssertEqual(drop[i], p.d[i] == 0 && p.time[i] < last, "default: treated rows and every row from \(last) on go")
        }
        XCTAssertTrue(drop.contains(true) && drop.contains(false))
        XCTAssertGreaterThan(keep.filter { $0 }.count, drop.filter { $0 }.count, "never-treated post rows are dropped too")
    }

    func testUnitShuffleKeepsCohorts() throws {
        let (p, unit, panel) = try make()
        let rng = StataRandom(seed: 3)
        var moved = false
        for _ in 0..<20 {
            let d = try dates(panel.permuted(rng), p, unit)
            XCTAssertEqual(cohortSizes(d), cohortSizes(panel.blockDate))
            XCTAssertEqual(d.filter(\.isFinite).count, 15)
            if d != panel.blockDate { moved = true }
        }
        XCTAssertTrue(moved)
    }

    func testDefaultScopes() throws {
        let (_, _, panel) = try make()
        XCTAssertEqual(panel.defaultScope(method: 1).lo, 2004, "second period")
        XCTAssertEqual(panel.defaultScope(method: 1).hi, 2012)
        let real = panel.blockDate.filter(\.isFinite)
        for m in [2, 3] {
            XCTAssertEqual(panel.defaultScope(method: m).lo, real.min())
            XCTAssertEqual(panel.defaultScope(method: m).hi, real.max())
        }
        let r3 = try panel.mixedRule(method: 3, units: 40)
        XCTAssertEqual(r3.units, 15, "version 3 keeps the real number of treated units")
        XCTAssertEqual(r3.cohorts, Array(Set(real)).sorted())
    }

    func testMixedVersionsFollowTheirDefinitions() throws {
        let (p, unit, panel) = try make()
        let rng = StataRandom(seed: 8)
        let r1 = try panel.mixedRule(method: 1, units: 7, scope: (2005, 2009))
        let r2 = try panel.mixedRule(method: 2, units: 12, scope: (2006, 2011))
        let r3 = try panel.mixedRule(method: 3)
        var commonDates = Set<Double>(), ownDates = Set<Double>()
        for _ in 0..<30 {
            let d1 = try dates(panel.mixed(r1, rng), p, unit)
            XCTAssertEqual(d1.filter(\.isFinite).count, 7, "ranunitnum units")
            XCTAssertEqual(Set(d1.filter(\.isFinite)).count, 1, "one common date")
            for x in d1 where x.isFinite { XCTAssertTrue((2005...2009).contains(x)); commonDates.insert(x) }
            let raw2 = panel.mixedDates(r2, rng)
            XCTAssertEqual(try dates(panel.treatment(blockDates: raw2), p, unit), raw2)
            XCTAssertEqual(raw2.filter(\.isFinite).count, 12)
            for x in raw2 where x.isFinite { XCTAssertTrue((2006...2011).contains(x)); ownDates.insert(x) }
            let d3 = try dates(panel.mixed(r3, rng), p, unit)
            XCTAssertEqual(cohortSizes(d3), cohortSizes(panel.blockDate), "cohort sizes kept")
            XCTAssertEqual(Set(d3.filter(\.isFinite)).count, r3.cohorts.count, "G distinct dates")
            for x in d3 where x.isFinite { XCTAssertTrue(r3.candidates.contains(x)) }
        }
        XCTAssertGreaterThan(commonDates.count, 1, "the common date varies across draws")
        XCTAssertGreaterThan(ownDates.count, 3)
        // Version 3 maps cohorts to distinct dates: every cohort's units share the date it drew.
        let raw3 = panel.mixedDates(r3, rng)
        XCTAssertEqual(cohortSizes(raw3), cohortSizes(panel.blockDate))
    }

    func testSeedReproducesDraws() throws {
        let (_, _, panel) = try make()
        let rule = try panel.mixedRule(method: 2)
        let a = StataRandom(seed: 99), b = StataRandom(seed: 99)
        for _ in 0..<5 {
            XCTAssertEqual(panel.mixedDates(rule, a), panel.mixedDates(rule, b))
            XCTAssertEqual(panel.permuted(a), panel.permuted(b))
        }
    }

    func testBadRulesThrow() throws {
        let (_, _, panel) = try make()
        XCTAssertThrowsError(try panel.mixedRule(method: 4))
        XCTAssertThrowsError(try panel.mixedRule(method: 1, units: 46), "more units than the panel has")
        XCTAssertThrowsError(try panel.mixedRule(method: 1, units: 0))
        XCTAssertThrowsError(try panel.mixedRule(method: 2, scope: (1990, 1995)), "no period in the scope")
        XCTAssertThrowsError(try panel.mixedRule(method: 3, scope: (2010, 2010)), "fewer periods than real cohorts")
        XCTAssertGreaterThan(Set(panel.blockDate.filter(\.isFinite)).count, 1)
    }
}
