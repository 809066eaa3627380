// Rendering to files: each series kind to SVG (checked structurally: paths, glyphs against the
// scene's texts, colours), PNG (size and ink read back through cairo), PDF (magic bytes, one
// page, page size), plus the errors a user can provoke and the atomic write.
import Foundation
import XCTest
@testable import DidGraph

final class RenderTests: XCTestCase {
    let five: [Double] = [1, 2, 3, 4, 5]

    /// A plot with one series of the given kind and a recognisable title, legend hidden.
    func plot(_ series: [Series], title: String = "Kind test") -> Plot {
        var p = Plot(title: title, xTitle: "x axis", yTitle: "y axis", series: series)
        p.legend.show = false
        return p
    }

    func kinds() -> [(String, Series, Int)] {
        // (name, series, number of extra <path> elements cairo should emit for it)
        var bars = Series.bar(x: five, height: [3, 1, 4, 1, 5], width: [0.8])
        bars.color = Color.palette(2)
        return [
            ("line", .line(x: five, y: [2, 4, 3, 5, 1], color: Color.palette(0)), 1),
            ("scatter", .scatter(x: five, y: [2, 4, 3, 5, 1], color: Color.palette(1), marker: .diamond), 5),
            ("connected", .connected(x: five, y: [2, 4, 3, 5, 1], color: Color.palette(3)), 6),
            ("rcap", .rcap(x: five, lo: [1, 2, 1, 2, 1], hi: [3, 4, 5, 4, 3], color: Color.palette(4)), 5),
            ("rcapH", .rcap(x: five, lo: [1, 2, 1, 2, 1], hi: [3, 4, 5, 4, 3], horizontal: true, color: Color.palette(5)), 5),
            ("rarea", .rarea(x: five, lo: [1, 2, 1, 2, 1], hi: [3, 4, 5, 4, 3], color: Color.palette(6)), 1),
            ("bar", bars, 5),   // fill + outline: one element each bar, or two (see below)
        ]
    }

    /// `rgb(r%,g%,b%)` as cairo's SVG surface writes a colour.
    func svgColor(_ c: Color) -> String {
        func p(_ v: Double) -> String {
            let s = String(format: "%.6f", v * 100)
            var t = s
            while t.hasSuffix("0") { t.removeLast() }
            if t.hasSuffix(".") { t.removeLast() }
            return t + "%"
        }
        return "rgb(\(p(c.red)),\(p(c.green)),\(p(c.blue)))"
    }

    func testSVGEachSeriesKind() throws {
        let dir = Support.tempDir("svg", for: self)
        // The axis-only baseline uses the same data range so that ticks and labels are identical.
        var baseline = plot([.scatter(x: five, y: [1, 5, 1, 5, 1], marker: .invisible)])
        baseline.yAxis.range = (0, 6); baseline.yAxis.exact = true
        try GraphRenderer.render(baseline, to: dir + "/base.svg")
        let basePaths = Support.count("<path", in: try svgBody(dir + "/base.svg"))
        for (name, series, extra) in kinds() {
            var p = plot([.scatter(x: five, y: [1, 5, 1, 5, 1], marker: .invisible), series], title: "Kind test \(name)")
            p.yAxis.range = (0, 6); p.yAxis.exact = true
            let file = dir + "/\(name).svg"
            try GraphRenderer.render(p, to: file)
            let svg = Support.text(file)
            XCTAssertTrue(svg.hasPrefix("<?xml"), name)
            XCTAssertTrue(Support.isWellFormedXML(file), "\(name): SVG is not well-formed XML")
            XCTAssertTrue(svg.contains("width=\"800px\" height=\"600px\""), name)
            let added = Support.count("<path", in: try svgBody(file)) - basePaths
            if name == "bar" {
                // Cairo merges a bar's fill and outline into one element when it can, else writes two.
                XCTAssertTrue(added == extra || added == 2 * extra, "bar: \(added) path elements")
            } else {
                XCTAssertEqual(added, extra, "\(name): path elements")
            }
            XCTAssertTrue(svg.contains(svgColor(series.color!)), "\(name): series colour \(svgColor(series.color!)) missing")
            try assertGlyphsMatch(svg: svg, scene: GraphRenderer.layout(p), name)
        }
    }

    /// The SVG after its glyph definitions, where the drawing is.
    func svgBody(_ path: String) throws -> String {
        let svg = Support.text(path)
        guard let r = svg.range(of: "</defs>") else { XCTFail("no </defs> in \(path)"); return svg }
        return String(svg[r.upperBound...])
    }

    /// Cairo writes text as glyph references, not strings. The references in drawing order must
    /// spell the scene's texts: one per character (spaces included), and a one-to-one map between
    /// (font size, angle, character) and glyph id — so the title and every tick label are there.
    func assertGlyphsMatch(svg: String, scene: Scene, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let regex = try NSRegularExpression(pattern: "<use xlink:href=\"#(glyph[0-9]+-[0-9]+)\"")
        let ns = svg as NSString
        let glyphs = regex.matches(in: svg, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
        let chars = scene.texts.flatMap { t in t.string.map { "\(t.size)|\(t.angle)|\($0)" } }
        XCTAssertEqual(glyphs.count, chars.count, "\(name): glyph count", file: file, line: line)
        var forward = [String: String](), backward = [String: String]()
        for (c, g) in zip(chars, glyphs) {
            if let known = forward[c], known != g { XCTFail("\(name): \(c) drawn as \(known) and \(g)", file: file, line: line); return }
            if let known = backward[g], known != c { XCTFail("\(name): \(g) stands for \(known) and \(c)", file: file, line: line); return }
            forward[c] = g; backward[g] = c
        }
        XCTAssertTrue(scene.strings(.title).first?.hasPrefix("Kind test") ?? false, file: file, line: line)
    }

    func testPNGSizeInkAndColours() throws {
        let dir = Support.tempDir("png", for: self)
        for (name, series, _) in kinds() {
            let file = dir + "/\(name).png"
            try GraphRenderer.render(plot([series]), to: file)
            let stats = try XCTUnwrap(Support.pngStats(file), name)
            XCTAssertEqual(stats.width, 800); XCTAssertEqual(stats.height, 600)
            XCTAssertGreaterThan(stats.inked, 3000, "\(name): too little drawn")
            XCTAssertLessThan(stats.inked, 800 * 600 / 2, "\(name): too much drawn")
            // Lines and markers are drawn in the series colour; fills are it blended over white.
            let c = series.color!
            let expected = series.isFilled
                ? Color(red: 1 - series.fillOpacity * (1 - c.red), green: 1 - series.fillOpacity * (1 - c.green),
                        blue: 1 - series.fillOpacity * (1 - c.blue)) : c
            XCTAssertTrue(Support.pngHasColor(file, expected, tol: 3), "\(name): colour \(expected.hex) not found")
        }
        // The corner is background white.
        let file = dir + "/line.png"
        let blank = try XCTUnwrap(Support.pngStats(file))
        XCTAssertTrue(blank.colors.contains(0xFFFFFF))
    }

    func testPNGSizeOverrides() throws {
        let dir = Support.tempDir("pngsize", for: self)
        let p = plot([.line(x: five, y: five)])
        try GraphRenderer.render(p, to: dir + "/a.png", width: 1200)
        var s = try XCTUnwrap(Support.pngStats(dir + "/a.png"))
        XCTAssertEqual([s.width, s.height], [1200, 900])     // aspect kept
        try GraphRenderer.render(p, to: dir + "/b.png", width: 400, height: 400)
        s = try XCTUnwrap(Support.pngStats(dir + "/b.png"))
        XCTAssertEqual([s.width, s.height], [400, 400])
        try GraphRenderer.render(p, to: dir + "/c.PNG", height: 300)
        s = try XCTUnwrap(Support.pngStats(dir + "/c.PNG"))
        XCTAssertEqual([s.width, s.height], [400, 300])
    }

    func testPDFMagicPagesAndSize() throws {
        let dir = Support.tempDir("pdf", for: self)
        try GraphRenderer.render(plot([.connected(x: five, y: five, label: "a")]), to: dir + "/g.pdf")
        let bytes = Support.bytes(dir + "/g.pdf")
        XCTAssertEqual(Array(bytes.prefix(5)), Array("%PDF-".utf8))
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("%%EOF\n") || text.hasSuffix("%%EOF"), "no %%EOF trailer")
        let pages = Support.count("/Type /Page", in: text) - Support.count("/Type /Pages", in: text)
        XCTAssertEqual(pages, 1)
        XCTAssertTrue(text.contains("/MediaBox [ 0 0 576 432 ]"), "page should be 8x6 in (576x432 pt)")
        // Format from the explicit argument beats the extension.
        try GraphRenderer.render(plot([.line(x: five, y: five)]), to: dir + "/forced.out", format: .pdf)
        XCTAssertEqual(Array(Support.bytes(dir + "/forced.out").prefix(5)), Array("%PDF-".utf8))
    }

    func testErrors() throws {
        let dir = Support.tempDir("errors", for: self)
        let p = plot([.line(x: five, y: five)])
        XCTAssertThrowsError(try GraphRenderer.render(p, to: dir + "/g.gif")) { e in
            XCTAssertEqual((e as? GraphError)?.kind, .unknownFormat)
            XCTAssertEqual((e as? GraphError)?.stataCode, 198)
        }
        XCTAssertThrowsError(try GraphRenderer.render(p, to: dir + "/noext")) { e in
            XCTAssertEqual((e as? GraphError)?.stataCode, 198)
        }
        XCTAssertThrowsError(try GraphRenderer.render(p, to: dir + "/missing/folder/g.png")) { e in
            XCTAssertEqual((e as? GraphError)?.kind, .cannotWrite)
            XCTAssertEqual((e as? GraphError)?.stataCode, 603)
        }
        XCTAssertThrowsError(try GraphRenderer.render(p, to: dir)) { e in   // a directory, no extension
            XCTAssertEqual((e as? GraphError)?.stataCode, 198)
        }
        try FileManager.default.createDirectory(atPath: dir + "/d.png", withIntermediateDirectories: true)
        XCTAssertThrowsError(try GraphRenderer.render(p, to: dir + "/d.png")) { e in
            XCTAssertEqual((e as? GraphError)?.stataCode, 603)
        }
        try GraphRenderer.render(p, to: dir + "/once.png")
        XCTAssertThrowsError(try GraphRenderer.render(p, to: dir + "/once.png", replace: false)) { e in
            XCTAssertEqual((e as? GraphError)?.stataCode, 602)
        }
        let bad = plot([.line(x: five, y: [1, 2])])
        XCTAssertThrowsError(try GraphRenderer.render(bad, to: dir + "/bad.png")) { e in
            XCTAssertEqual((e as? GraphError)?.kind, .invalidInput)
        }
        XCTAssertThrowsError(try GraphRenderer.render(p, to: dir + "/w.png", width: -5))
        XCTAssertThrowsError(try GraphRenderer.render(p, to: dir + "/w.png", width: .nan))
        XCTAssertThrowsError(try GraphRenderer.render(plot([.bar(x: five, height: five, width: [1, 2])]), to: dir + "/b.png"))
        // Nothing half-written is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        XCTAssertEqual(left, [])
    }

    func testAtomicReplace() throws {
        let dir = Support.tempDir("atomic", for: self)
        let file = dir + "/g.svg"
        try "old".write(toFile: file, atomically: false, encoding: .utf8)
        try GraphRenderer.render(plot([.line(x: five, y: five)]), to: file)
        XCTAssertTrue(Support.text(file).hasPrefix("<?xml"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["g.svg"])
        // A relative path resolves against the current directory.
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(dir)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        try GraphRenderer.render(plot([.line(x: five, y: five)]), to: "rel.png")
        XCTAssertNotNil(Support.pngStats(dir + "/rel.png"))
    }

    func testUnicodeTextAndInfiniteValues() throws {
        let dir = Support.tempDir("unicode", for: self)
        var p = plot([.line(x: five, y: [1, .infinity, 3, -.infinity, 5], label: "Beschäftigung")], title: "Kind test β ≥ 0 — Effekt")
        p.legend.show = true
        let file = dir + "/u.svg"
        try GraphRenderer.render(p, to: file)
        let scene = try GraphRenderer.layout(p)
        try assertGlyphsMatch(svg: Support.text(file), scene: scene, "unicode")
        XCTAssertEqual(scene.strings(.legend), ["Beschäftigung"])
        // Infinite values count as missing: the y axis stays finite and the line breaks.
        XCTAssertTrue(scene.strings(.yTick).allSatisfy { Double($0) != nil && Double($0)!.isFinite })
        try GraphRenderer.render(p, to: dir + "/u.png")
        XCTAssertNotNil(Support.pngStats(dir + "/u.png"))
        // A huge raster is refused up front (vector formats have no pixel buffer).
        XCTAssertThrowsError(try GraphRenderer.render(p, to: dir + "/huge.png", width: 19000, height: 19000)) { e in
            XCTAssertEqual((e as? GraphError)?.stataCode, 198)
        }
    }

    func testEmptyPlotStillRenders() throws {
        let dir = Support.tempDir("empty", for: self)
        try GraphRenderer.render(Plot(title: "Nothing yet"), to: dir + "/e.png")
        let s = try XCTUnwrap(Support.pngStats(dir + "/e.png"))
        XCTAssertGreaterThan(s.inked, 500)   // title and axes
    }
}
