// Golden files: the laid-out scene of each example plot, as text (every text item with its
// role, anchor, size and angle; counts of each primitive kind), compared line by line with
// Tests/DidGraphTests/.golden/<name>.scene.txt (a hidden folder, so SwiftPM does not warn about
// unhandled files). Layout changes show up as a readable diff.
// Regenerate after an intended change with DIDGRAPH_UPDATE_GOLDEN=1.
import Foundation
import XCTest
@testable import DidGraph

final class GoldenSceneTests: XCTestCase {
    static var goldenDir: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(".golden").path
    }

    /// A stable text form of a scene: positions rounded to 0.1 px.
    static func summary(_ scene: Scene) -> String {
        func r(_ v: Double) -> String { String(format: "%.1f", v) }
        var lines = ["size \(r(scene.width))x\(r(scene.height))",
                     "plot \(r(scene.plotRegion.x)) \(r(scene.plotRegion.y)) \(r(scene.plotRegion.width)) \(r(scene.plotRegion.height))"]
        var paths = 0, circles = 0, clips = 0
        for item in scene.items {
            switch item {
            case .path: paths += 1
            case .circle: circles += 1
            case .clip: clips += 1
            case .text(let t):
                lines.append("text \(t.role.rawValue) \"\(t.string)\" at \(r(t.at.x)) \(r(t.at.y)) size \(r(t.size)) angle \(r(t.angle))")
            case .unclip: break
            }
        }
        lines.append("paths \(paths) circles \(circles) clips \(clips)")
        return lines.joined(separator: "\n") + "\n"
    }

    func check(_ name: String, _ plot: Plot, file: StaticString = #filePath, line: UInt = #line) throws {
        let got = Self.summary(try GraphRenderer.layout(plot))
        let path = Self.goldenDir + "/\(name).scene.txt"
        if ProcessInfo.processInfo.environment["DIDGRAPH_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: Self.goldenDir, withIntermediateDirectories: true)
            try got.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        guard let want = try? String(contentsOfFile: path, encoding: .utf8) else {
            XCTFail("golden file missing: \(path) (run with DIDGRAPH_UPDATE_GOLDEN=1)", file: file, line: line)
            return
        }
        let g = got.split(separator: "\n", omittingEmptySubsequences: false)
        let w = want.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, (a, b)) in zip(g, w).enumerated() where a != b {
            XCTFail("\(name) line \(i + 1):\n  got  \(a)\n  want \(b)", file: file, line: line)
            return
        }
        XCTAssertEqual(g.count, w.count, "\(name): line count", file: file, line: line)
    }

    func testEventStudy() throws { try check("event_study", ExamplePlots.eventStudy()) }
    func testPlacebo() throws { try check("placebo", ExamplePlots.placebo()) }
    func testOverlap() throws { try check("pscore_overlap", ExamplePlots.overlap()) }
    func testTrends() throws { try check("trends", ExamplePlots.trends()) }
}
