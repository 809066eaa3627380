import Foundation
import XCTest
@testable import DidFrame

/// rename, append with type promotion, recast and storeValue.
final class EditTests: XCTestCase {
    func testRenameAndNames() throws {
        let f = Frame(columns: [Column(name: "a", values: [1]), Column(name: "b", values: [2])])
        f.sortedBy = ["a"]
        try f.rename("a", to: "z")
        XCTAssertEqual(f.variableNames, ["z", "b"]); XCTAssertEqual(f.sortedBy, ["z"])
        XCTAssertThrowsError(try f.rename("nope", to: "q")) { XCTAssertEqual(($0 as? StataError)?.code, 111) }
        XCTAssertThrowsError(try f.rename("z", to: "b")) { XCTAssertEqual(($0 as? StataError)?.code, 110) }
        XCTAssertThrowsError(try f.rename("z", to: "1x")) { XCTAssertEqual(($0 as? StataError)?.code, 198) }
        XCTAssertFalse(StataName.isValid("_n")); XCTAssertFalse(StataName.isValid("str5")); XCTAssertTrue(StataName.isValid("_x1"))
        XCTAssertFalse(StataName.isValid(String(repeating: "a", count: 33)))
    }

    func testAppendPromotes() throws {
        let m = Frame(columns: [Column(name: "i", type: .byte, values: [1, 2]), Column(name: "l", type: .long, values: [70000, 1]),
                                Column(name: "s", strings: ["ab", "c"]), Column(name: "only", values: [9, 9])])
        m.valueLabels["yn"] = ValueLabelSet(name: "yn", mapping: [1: "yes"])
        let u = Frame(columns: [Column(name: "i", type: .int, values: [300]), Column(name: "l", type: .float, values: [0.5]),
                                Column(name: "s", strings: ["longer"]), Column(name: "new", strings: ["n"])])
        u.valueLabels["yn"] = ValueLabelSet(name: "yn", mapping: [1: "other"])
        u.valueLabels["k"] = ValueLabelSet(name: "k", mapping: [2: "two"])
        try m.append(u)
        XCTAssertEqual(m.count, 3)
        XCTAssertEqual(m.variableNames, ["i", "l", "s", "only", "new"])
        XCTAssertEqual(m.columns.map(\.type), [.int, .double, .str(6), .double, .str(1)])
        XCTAssertEqual(m.column("l")?.nums, [70000, 1, 0.5])
        XCTAssertEqual(m.column("only")?.nums[2], Missing.dot)
        XCTAssertEqual(m.column("new")?.strs, ["", "", "n"])
        XCTAssertEqual(m.valueLabels["yn"]?.mapping[1], "yes"); XCTAssertEqual(m.valueLabels["k"]?.mapping[2], "two")
        XCTAssertThrowsError(try m.append(Frame(columns: [Column(name: "s", values: [1])]))) { XCTAssertEqual(($0 as? StataError)?.code, 106) }
        XCTAssertEqual(StorageType.promoted(.byte, .float), .float)
        XCTAssertEqual(StorageType.promoted(.str(3), .strL), .strL)
        let e = Frame(); try e.append(u); XCTAssertEqual(e.count, 1); XCTAssertEqual(e.width, 4)
    }

    func testRecast() throws {
        var c = Column(name: "x", type: .double, values: [1, 2.5, Missing.extended(3)])
        XCTAssertThrowsError(try c.recast(to: .int)) { XCTAssertEqual(($0 as? StataError)?.code, 109) }
        try c.recast(to: .float); XCTAssertEqual(c.type, .float)
        try c.recast(to: .byte, force: true)
        XCTAssertEqual(c.nums, [1, 2, Missing.extended(3)])
        var big = Column(name: "b", type: .double, values: [200, 0.1])
        try big.recast(to: .byte, force: true); XCTAssertEqual(big.nums, [Missing.dot, 0])
        var s = Column(name: "s", strings: ["abc", "de"])
        XCTAssertThrowsError(try s.recast(to: .double)) { XCTAssertEqual(($0 as? StataError)?.code, 109) }
        XCTAssertThrowsError(try s.recast(to: .str(2)))
        try s.recast(to: .strL); XCTAssertEqual(s.type, .strL)
        try s.recast(to: .str(2), force: true); XCTAssertEqual(s.strs, ["ab", "de"])
    }

    func testStoreValue() {
        var c = Column(name: "x", type: .byte, values: [0, 0])
        c.storeValue(100, at: 0); XCTAssertEqual(c.type, .byte)
        c.storeValue(101, at: 0); XCTAssertEqual(c.type, .int)
        c.storeValue(2.5, at: 1); XCTAssertEqual(c.type, .float)
        c.storeValue(0.1, at: 1); XCTAssertEqual(c.nums[1], Double(Float(0.1)))
        var l = Column(name: "l", type: .long, values: [0])
        l.storeValue(0.5, at: 0); XCTAssertEqual(l.type, .double); XCTAssertEqual(l.nums[0], 0.5)
        var n = Column(name: "n", type: .byte, values: [0])
        XCTAssertEqual(n.storeValue(7.9, at: 0, promote: false), 7)
        XCTAssertEqual(n.storeValue(1000, at: 0, promote: false), Missing.dot)
        XCTAssertEqual(n.storeValue(Missing.extended(2), at: 0), Missing.extended(2)); XCTAssertEqual(n.type, .byte)
        XCTAssertEqual(n.storeValue(.nan, at: 0), Missing.dot)
        var i = Column(name: "i", type: .int, values: [0])
        i.storeValue(3e9, at: 0); XCTAssertEqual(i.type, .double)
    }
}
