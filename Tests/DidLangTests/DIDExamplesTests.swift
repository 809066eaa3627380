// The example studies run end to end (examples/bri_study.did, examples/mpdta_staggered.did), in a
// scratch directory laid out like the repository (examples refer to out/ and ../shared/reference),
// write their tables and figures, and recover what they should: the simulated BRI study's known
// effect (0.15 log points) and a clear in-space placebo rejection; mpdta's reference event study.

import DidFrame
import DidLang
import Foundation
import XCTest

final class DIDExamplesTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `examples/<name>` with the working directory in a scratch copy of the layout.
    func runExample(_ name: String) throws -> (Session, URL) {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("didtools-ex-\(UUID().uuidString)")
        let work = base.appendingPathComponent("repo")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        let shared = Self.repo.appendingPathComponent("../shared").standardized
        XCTAssertTrue(fm.fileExists(atPath: shared.appendingPathComponent("reference/data/mpdta.dta").path), "reference bundle missing")
        try fm.createSymbolicLink(at: base.appendingPathComponent("shared"), withDestinationURL: shared)
        addTeardownBlock { try? fm.removeItem(at: base) }
        let s = Session()
        s.output = { _, _ in }
        s.workingDirectory = work.path
        let text = try String(contentsOf: Self.repo.appendingPathComponent("examples/\(name)"), encoding: .utf8)
        do { try s.run(source: text, file: name) } catch let e as StataError {
            XCTFail("\(name): r(\(e.code)) \(e.message) at line \(e.location?.line ?? 0)")
        }
        return (s, work.appendingPathComponent("out"))
    }

    func testBRIStudyRunsAndRecoversTheEffect() throws {
        let start = Date()
        let (s, out) = try runExample("bri_study.did")
        XCTAssertLessThan(Date().timeIntervalSince(start), 60, "under a minute")
        // Every table as .md and .tex, every figure as .png and .pdf (the list of outputs).
        let tables = ["balance", "baseline", "psm_did", "event_study", "mechanism", "moderation"]
        let figures = ["event_study", "placebo", "placebo_time"]
        for f in tables.flatMap({ ["\($0).md", "\($0).tex"] }) + figures.flatMap({ ["\($0).png", "\($0).pdf"] }) + ["placebo_draws.dta"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "out/\(f) missing")
        }
        let b = try XCTUnwrap(Double(s.local("b_base") ?? ""))
        XCTAssertEqual(b, 0.15, accuracy: 0.03, "baseline estimate near the true 0.15")
        let tex = try String(contentsOf: out.appendingPathComponent("baseline.tex"), encoding: .utf8)
        XCTAssertTrue(tex.contains("(6)") && !tex.contains("(7)"), "six columns")
        // The last placebo call: 500 in-space replicates, the real effect far in the tail.
        XCTAssertEqual(s.rResults.scalars["reps"], 500)
        XCTAssertLessThan(s.rResults.scalars["p_two"] ?? 1, 0.05)
        XCTAssertEqual(s.rResults.matrices["pbotime"]?.rows, 2)
    }

    func testMpdtaStaggeredRuns() throws {
        let (s, out) = try runExample("mpdta_staggered.did")
        for f in ["mpdta_twfe.md", "mpdta_event_study.png", "mpdta_placebo.png", "mpdta_placebo.dta"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), "out/\(f) missing")
        }
        XCTAssertEqual(s.rResults.scalars["reps"], 500)
        // In-time shift 2 is the reference fake-timing placebo.
        let m = try XCTUnwrap(s.rResults.matrices["pbotime"])
        XCTAssertEqual(m[1, 1], -0.0030573680740014573, accuracy: 1e-10 * 0.0030573680740014573)
    }
}
