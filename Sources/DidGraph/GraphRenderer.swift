// Writing graphs to files: choose the format from the extension, lay the plot out at the
// requested size, replay it on a cairo image (PNG), PDF or SVG surface, and move the finished
// file into place with rename(2) so that readers never see half a file.
import CCairo
import Foundation

/// Output file formats.
public enum GraphFormat: String, Sendable, CaseIterable {
    /// Portable Network Graphics (raster, pixels).
    case png
    /// Portable Document Format (vector; the page is 0.72 pt per pixel, 8×6 in by default).
    case pdf
    /// Scalable Vector Graphics (vector, sized in px).
    case svg

    /// The format a file name's extension names (case-insensitive), or nil.
    public static func from(path: String) -> GraphFormat? {
        GraphFormat(rawValue: (path as NSString).pathExtension.lowercased())
    }
}

/// Renders plots to files.
public enum GraphRenderer {
    /// PDF points per layout pixel: 800 px make an 8-inch page.
    public static let pdfPointsPerPixel = 0.72

    /// Writes `plot` to `path`. The format comes from `format` or else the extension (.png .pdf
    /// .svg). `width`/`height` override the plot's size in pixels; given only one, the other keeps
    /// the plot's aspect ratio. Throws `GraphError` (unknownFormat r(198), cannotWrite r(603),
    /// fileExists r(602) when `replace` is false, invalidInput r(198)).
    public static func render(_ plot: Plot, to path: String, format: GraphFormat? = nil,
                              width: Double? = nil, height: Double? = nil, replace: Bool = true) throws {
        guard let fmt = format ?? GraphFormat.from(path: path) else { throw unknownFormat(path) }
        let (w, h) = try size(plot, width: width, height: height)
        let scene = try layout(plot, width: w, height: h)
        try write(scene, to: path, format: fmt, replace: replace)
    }

    /// Writes a laid-out scene in the given format (or the one the extension names), atomically.
    static func write(_ scene: Scene, to path: String, format: GraphFormat?, replace: Bool) throws {
        guard let fmt = format ?? GraphFormat.from(path: path) else { throw unknownFormat(path) }
        let target = try destination(path, replace: replace)
        let temp = (target as NSString).deletingLastPathComponent + "/." + (target as NSString).lastPathComponent
            + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            switch fmt {
            case .png: try writePNG(scene, to: temp)
            case .pdf: try writeVector(scene, to: temp, pdf: true)
            case .svg: try writeVector(scene, to: temp, pdf: false)
            }
            guard rename(temp, target) == 0 else {
                throw GraphError(.cannotWrite, "file \(path) could not be opened (\(String(cString: strerror(errno))))")
            }
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Writes a combined graph (panels in a grid) to `path`, like `render(_:to:…)` for one plot.
    public static func render(_ combined: CombinedPlot, to path: String, format: GraphFormat? = nil,
                              width: Double? = nil, height: Double? = nil, replace: Bool = true) throws {
        let scene = try layout(combined, width: width, height: height)
        try write(scene, to: path, format: format, replace: replace)
    }

    /// The laid-out scene of a combined graph (default size: the combined graph's).
    public static func layout(_ combined: CombinedPlot, width: Double? = nil, height: Double? = nil) throws -> Scene {
        let frame = Plot(width: combined.width, height: combined.height)
        let (w, h) = try size(frame, width: width, height: height)
        return try combined.layout(measurer: CairoTextMeasurer(), width: w, height: h)
    }

    /// The laid-out scene of `plot` at the given size (default: the plot's), without writing
    /// anything: every primitive and text the renderer would draw.
    public static func layout(_ plot: Plot, width: Double? = nil, height: Double? = nil) throws -> Scene {
        let (w, h) = try size(plot, width: width, height: height)
        return try SceneBuilder(plot: plot, measurer: CairoTextMeasurer(), width: w, height: h).build()
    }

    static func unknownFormat(_ path: String) -> GraphError {
        let ext = (path as NSString).pathExtension
        return GraphError(.unknownFormat, ext.isEmpty
            ? "file \(path): no extension; use .png, .pdf or .svg"
            : "export format .\(ext) not recognized; use .png, .pdf or .svg")
    }

    /// Output size: explicit, or the plot's, one side following the other's scaling.
    static func size(_ plot: Plot, width: Double?, height: Double?) throws -> (Double, Double) {
        for v in [width, height, plot.width, plot.height].compactMap({ $0 }) where !(v.isFinite && v > 0) {
            throw GraphError(.invalidInput, "width and height must be positive numbers")
        }
        switch (width, height) {
        case let (w?, h?): return (w, h)
        case let (w?, nil): return (w, plot.height * w / plot.width)
        case let (nil, h?): return (plot.width * h / plot.height, h)
        case (nil, nil): return (plot.width, plot.height)
        }
    }

    /// The absolute target path after checking that its folder exists and is writable.
    static func destination(_ path: String, replace: Bool) throws -> String {
        guard !path.isEmpty else { throw GraphError(.invalidInput, "file name required") }
        let fm = FileManager.default
        let expanded = (path as NSString).expandingTildeInPath   // Stata accepts ~/graph.png
        let absolute = expanded.hasPrefix("/") ? expanded : fm.currentDirectoryPath + "/" + expanded
        let dir = (absolute as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue, access(dir, W_OK) == 0 else {
            throw GraphError(.cannotWrite, "file \(path) could not be opened")
        }
        if fm.fileExists(atPath: absolute, isDirectory: &isDir) {
            if isDir.boolValue { throw GraphError(.cannotWrite, "file \(path) could not be opened (it is a directory)") }
            if !replace { throw GraphError(.fileExists, "file \(path) already exists") }
        }
        return absolute
    }

    /// The largest PNG we agree to allocate (64 megapixels, 256 MB of ARGB).
    public static let maxPixels = 64_000_000.0

    static func writePNG(_ scene: Scene, to path: String) throws {
        guard scene.width.rounded() * scene.height.rounded() <= maxPixels else {
            throw GraphError(.invalidInput, "image of \(Int(scene.width))x\(Int(scene.height)) pixels is too large for PNG")
        }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(scene.width.rounded()), Int32(scene.height.rounded()))
        defer { cairo_surface_destroy(surface) }
        try draw(scene, on: surface, scale: 1)
        let status = cairo_surface_write_to_png(surface, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw GraphError(.cannotWrite, "file \(path) could not be written (\(CairoBackend.message(status)))")
        }
    }

    static func writeVector(_ scene: Scene, to path: String, pdf: Bool) throws {
        let surface: OpaquePointer?
        let scale: Double
        if pdf {
            scale = pdfPointsPerPixel
            surface = cairo_pdf_surface_create(path, scene.width * scale, scene.height * scale)
        } else {
            scale = 1
            surface = cairo_svg_surface_create(path, scene.width, scene.height)
            if let surface { cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX) }
        }
        defer { cairo_surface_destroy(surface) }
        try draw(scene, on: surface, scale: scale)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw GraphError(.cannotWrite, "file \(path) could not be written (\(CairoBackend.message(status)))")
        }
    }

    static func draw(_ scene: Scene, on surface: OpaquePointer?, scale: Double) throws {
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw GraphError(.cairo, "cannot create the drawing surface (\(CairoBackend.message(status)))")
        }
        let cr = cairo_create(surface)
        defer { cairo_destroy(cr) }
        cairo_scale(cr, scale, scale)
        CairoBackend.replay(scene, on: cr!)
        let drawStatus = cairo_status(cr)
        guard drawStatus == CAIRO_STATUS_SUCCESS else {
            throw GraphError(.cairo, "drawing failed (\(CairoBackend.message(drawStatus)))")
        }
    }
}
