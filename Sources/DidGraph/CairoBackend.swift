// The cairo side: text measurement with cairo's toy text API (sans-serif) and replay of a
// `Scene` onto any cairo context. The same code draws PNG, PDF and SVG, so the three agree.
import CCairo
import Foundation

/// Measures text with the same font and API the replay uses.
final class CairoTextMeasurer: TextMeasurer {
    private let surface: OpaquePointer
    private let cr: OpaquePointer

    init() {
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        cr = cairo_create(surface)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    func measure(_ s: String, size: Double, bold: Bool) -> (width: Double, ascent: Double, descent: Double) {
        CairoBackend.selectFont(cr, size: size, bold: bold)
        var te = cairo_text_extents_t()
        cairo_text_extents(cr, s, &te)
        var fe = cairo_font_extents_t()
        cairo_font_extents(cr, &fe)
        return (te.x_advance, fe.ascent, fe.descent)
    }
}

/// Replays scenes onto cairo contexts.
enum CairoBackend {
    static func selectFont(_ cr: OpaquePointer, size: Double, bold: Bool) {
        cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    static func setColor(_ cr: OpaquePointer, _ c: Color) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha)
    }

    static func apply(_ cr: OpaquePointer, _ stroke: Stroke) {
        setColor(cr, stroke.color)
        cairo_set_line_width(cr, stroke.width)
        let unit = max(stroke.width, 1)
        let dashes = stroke.pattern.dashes.map { $0 * unit }
        // Dots are zero-ish dashes made visible by round caps.
        cairo_set_line_cap(cr, stroke.pattern == .dot ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        dashes.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
    }

    /// Fills then strokes the current path as asked.
    static func paint(_ cr: OpaquePointer, fill: Color?, stroke: Stroke?) {
        if let f = fill {
            setColor(cr, f)
            if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let st = stroke {
            apply(cr, st)
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }

    /// Draws every item of `scene` onto `cr` (in the scene's pixel coordinates).
    static func replay(_ scene: Scene, on cr: OpaquePointer) {
        var clipDepth = 0
        for item in scene.items {
            switch item {
            case let .path(subpaths, closed, fill, stroke):
                cairo_new_path(cr)
                for sub in subpaths where !sub.isEmpty {
                    cairo_move_to(cr, sub[0].x, sub[0].y)
                    for p in sub.dropFirst() { cairo_line_to(cr, p.x, p.y) }
                    if closed { cairo_close_path(cr) }
                }
                paint(cr, fill: fill, stroke: stroke)
            case let .circle(center, radius, fill, stroke):
                cairo_new_path(cr)
                cairo_arc(cr, center.x, center.y, radius, 0, 2 * .pi)
                cairo_close_path(cr)
                paint(cr, fill: fill, stroke: stroke)
            case let .text(t):
                drawText(cr, t)
            case let .clip(r):
                cairo_save(cr)
                cairo_new_path(cr)
                cairo_rectangle(cr, r.x, r.y, r.width, r.height)
                cairo_clip(cr)
                clipDepth += 1
            case .unclip:
                if clipDepth > 0 { cairo_restore(cr); clipDepth -= 1 }
            }
        }
        while clipDepth > 0 { cairo_restore(cr); clipDepth -= 1 }
    }

    static func drawText(_ cr: OpaquePointer, _ t: Scene.Text) {
        cairo_save(cr)
        selectFont(cr, size: t.size, bold: t.bold)
        var te = cairo_text_extents_t()
        cairo_text_extents(cr, t.string, &te)
        var fe = cairo_font_extents_t()
        cairo_font_extents(cr, &fe)
        let (dx, dy) = TextGeometry.offset(t, width: te.x_advance, ascent: fe.ascent, descent: fe.descent)
        cairo_translate(cr, t.at.x, t.at.y)
        // Scene angles are counter-clockwise on screen; cairo's y axis points down.
        cairo_rotate(cr, -t.angle * .pi / 180)
        cairo_move_to(cr, dx, dy)
        setColor(cr, t.color)
        cairo_show_text(cr, t.string)
        cairo_new_path(cr)
        cairo_restore(cr)
    }

    /// The message of a cairo status, for errors.
    static func message(_ status: cairo_status_t) -> String {
        String(cString: cairo_status_to_string(status))
    }
}
