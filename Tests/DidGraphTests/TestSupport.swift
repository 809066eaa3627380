// Helpers shared by the DidGraph tests: the reference bundle, a seeded normal generator,
// reading files back (PNG through cairo, SVG and PDF as text) and counting things in them.
import CCairo
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import DidGraph

enum Support {
    /// /work/shared/reference, found from this file: repo root is three levels up, then ../shared.
    static var referenceDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/reference").standardizedFileURL
    }

    /// A reference file's text; fails the test (does not skip) when the bundle is missing.
    static func reference(_ relative: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let url = referenceDir.appendingPathComponent(relative)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("reference file missing: \(url.path)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return text
    }

    /// Simple CSV (no quoted commas) as header → column of doubles (empty = NaN).
    static func csvColumns(_ text: String) -> [String: [Double]] {
        var lines = text.split(separator: "\n")
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var cols = [String: [Double]]()
        for h in header { cols[h] = [] }
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            for (h, f) in zip(header, fields) { cols[h]!.append(Double(f) ?? .nan) }
        }
        return cols
    }

    /// `price` of Stata's auto.dta (74 cars, in the dataset's order; sum 456229, mean 6165.2568 as
    /// `summarize price` shows).
    static let autoPrice: [Double] = [
        4099, 4749, 3799, 4816, 7827, 5788, 4453, 5189, 10372, 4082, 11385, 14500, 15906, 3299, 5705, 4504,
        5104, 3667, 3955, 3984, 4010, 5886, 6342, 4389, 4187, 11497, 13594, 13466, 3829, 5379, 6165, 4516,
        6303, 3291, 8814, 5172, 4733, 4890, 4181, 4195, 10371, 4647, 4425, 4482, 6486, 4060, 5798, 4934,
        5222, 4723, 4424, 4172, 9690, 6295, 9735, 6229, 4589, 5079, 8129, 4296, 5799, 4499, 3995, 12990,
        3895, 3798, 5899, 3748, 5719, 7140, 5397, 4697, 6850, 11995,
    ]

    /// `mpg` of Stata's auto.dta (74 cars, listing order; sum 1576, mean 21.2973).
    static let autoMpg: [Double] = [
        22, 17, 22, 17, 23, 25, 20, 15, 18, 26, 20, 16, 19, 14, 14, 21, 29, 16, 22, 22, 24, 19, 23, 35, 24,
        21, 30, 18, 16, 17, 21, 28, 21, 25, 28, 12, 12, 14, 30, 22, 14, 15, 18, 14, 20, 21, 19, 19, 18, 19,
        24, 16, 14, 28, 34, 25, 26, 18, 18, 18, 19, 19, 19, 24, 26, 35, 18, 31, 18, 17, 23, 41, 25, 25,
    ]

    /// Deterministic standard normal draws (xorshift64* + Box-Muller), so examples never change.
    struct Normal {
        var state: UInt64
        init(seed: UInt64) { state = seed == 0 ? 0x9E3779B97F4A7C15 : seed }
        mutating func uniform() -> Double {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return Double((state &* 2685821657736338717) >> 11) / Double(1 << 53)
        }
        mutating func next() -> Double {
            let u1 = max(uniform(), 1e-300), u2 = uniform()
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
    }

    /// A fresh empty folder under /tmp for one test's files, removed when the test ends.
    static func tempDir(_ name: String, for test: XCTestCase) -> String {
        let dir = NSTemporaryDirectory() + "didgraph-tests-\(getpid())/\(name)"
        try? FileManager.default.removeItem(atPath: dir)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        test.addTeardownBlock {
            try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent)
        }
        return dir
    }

    /// Whether the file parses as XML.
    static func isWellFormedXML(_ path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return XMLParser(data: data).parse()
    }

    /// Width, height and the number of pixels that are not (nearly) white, read back by cairo.
    static func pngStats(_ path: String) -> (width: Int, height: Int, inked: Int, colors: Set<UInt32>)? {
        let surface = cairo_image_surface_create_from_png(path)
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return nil }
        cairo_surface_flush(surface)
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return nil }
        var inked = 0
        var colors = Set<UInt32>()
        for y in 0..<h {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<w {
                let px = row[x] & 0x00FF_FFFF
                let r = (px >> 16) & 0xFF, g = (px >> 8) & 0xFF, b = px & 0xFF
                if r < 240 || g < 240 || b < 240 { inked += 1 }
                colors.insert(px)
            }
        }
        return (w, h, inked, colors)
    }

    /// Whether some pixel is within `tol` of the colour (per channel, 0-255).
    static func pngHasColor(_ path: String, _ c: Color, tol: Int = 2) -> Bool {
        guard let stats = pngStats(path) else { return false }
        let target = (Int((c.red * 255).rounded()), Int((c.green * 255).rounded()), Int((c.blue * 255).rounded()))
        return stats.colors.contains { px in
            abs(Int((px >> 16) & 0xFF) - target.0) <= tol && abs(Int((px >> 8) & 0xFF) - target.1) <= tol
                && abs(Int(px & 0xFF) - target.2) <= tol
        }
    }

    /// Number of non-overlapping occurrences of `needle` in `hay`.
    static func count(_ needle: String, in hay: String) -> Int {
        hay.components(separatedBy: needle).count - 1
    }

    /// The text of a file (Latin-1 so that binary PDF streams decode).
    static func text(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Raw bytes of a file.
    static func bytes(_ path: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    }

    /// No two text items' (rotated) boxes intersect, and every text lies inside the graph.
    static func assertNoOverlap(_ scene: Scene, file: StaticString = #filePath, line: UInt = #line) {
        let m = CairoTextMeasurer()
        let boxes: [(String, [Point], Rect)] = scene.texts.map { t in
            let e = m.measure(t.string, size: t.size, bold: t.bold)
            return (t.string, TextGeometry.corners(t, width: e.width, ascent: e.ascent, descent: e.descent),
                    TextGeometry.bounds(t, width: e.width, ascent: e.ascent, descent: e.descent))
        }
        for (s, _, r) in boxes {
            XCTAssertTrue(r.x >= -0.5 && r.y >= -0.5 && r.maxX <= scene.width + 0.5 && r.maxY <= scene.height + 0.5,
                          "text \"\(s)\" at \(r) leaves the \(scene.width)x\(scene.height) graph", file: file, line: line)
        }
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                XCTAssertFalse(convexOverlap(boxes[i].1, boxes[j].1),
                               "\"\(boxes[i].0)\" overlaps \"\(boxes[j].0)\"", file: file, line: line)
            }
        }
    }

    /// Separating-axis test for two convex quadrilaterals (touching edges do not count).
    static func convexOverlap(_ a: [Point], _ b: [Point]) -> Bool {
        for poly in [a, b] {
            for k in poly.indices {
                let p = poly[k], q = poly[(k + 1) % poly.count]
                let nx = -(q.y - p.y), ny = q.x - p.x
                let pa = a.map { $0.x * nx + $0.y * ny }, pb = b.map { $0.x * nx + $0.y * ny }
                let eps = 1e-6 * (abs(nx) + abs(ny))
                if pa.max()! <= pb.min()! + eps || pb.max()! <= pa.min()! + eps { return false }
            }
        }
        return true
    }
}
