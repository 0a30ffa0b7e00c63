import CPangoCairo

/// One PDF being drawn: a cairo PDF surface writing into memory, which embeds
/// a subset of each font it draws with, and a Pango context for laying out
/// text. Owns every cairo and Pango object of the render and frees them.
///
/// Each canvas has a font map of its own: Pango font maps are not
/// thread-safe, and faxes are rendered on concurrent gateway tasks.
/// Lengths are PDF points.
final class FaxCanvas {
    /// fontconfig loads its configuration once, before any font map asks for
    /// it from several threads (a `static let` initialiser runs exactly once).
    private static let fontconfigLoaded = FcInit() != 0

    private let sink = Sink()
    private let surface: OpaquePointer
    private let cairo: OpaquePointer
    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private let context: OpaquePointer
    private let family: String

    /// Checks that `family` resolves to an installed face that draws Chinese;
    /// otherwise every character would fall back to whatever the host has.
    init(width: Double, height: Double, family: String, title: String) throws(FaxRenderError) {
        let fontconfigLoaded = Self.fontconfigLoaded  // before the first font map
        let write: cairo_write_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().bytes
                .append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }
        // The canvas keeps the sink alive until the surface is destroyed in deinit.
        surface = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        cairo = cairo_create(surface)
        fontMap = pango_cairo_font_map_new()
        context = pango_font_map_create_context(fontMap)
        self.family = family

        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_4)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Tidings")
        // No creation date: the same document gives the same bytes, so a retried fax is the same file.
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "")
        pango_cairo_update_context(cairo, context)
        pango_context_set_language(context, pango_language_from_string("zh-cn"))
        // Unhinted, unrounded positions: the PDF is scaled to whatever the fax machine prints.
        pango_context_set_round_glyph_positions(context, 0)

        try checkStatus()
        guard fontconfigLoaded else {
            throw .fontUnavailable(family: family, resolved: "")
        }
        let resolved = resolvedFamily()
        guard resolved.drawsChinese, resolved.family.lowercased() == family.lowercased() else {
            throw .fontUnavailable(family: family, resolved: resolved.family)
        }
    }

    deinit {
        cairo_destroy(cairo)
        cairo_surface_destroy(surface)
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }

    /// Lays out `text` in the canvas's family, wrapped at `width` between words
    /// (or between characters, where a line has no spaces, as Chinese has not).
    /// - Parameter maxLines: beyond this many lines the text is cut with "…".
    func paragraph(
        _ text: String, size: Double, width: Double, lineGap: Double = 0, maxLines: Int? = nil
    ) -> Paragraph {
        let layout: OpaquePointer = pango_layout_new(context)
        let description = pango_font_description_new()
        pango_font_description_set_family(description, family)
        pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        pango_layout_set_width(layout, Self.pango(width))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_spacing(layout, Self.pango(lineGap))
        if let maxLines {
            pango_layout_set_height(layout, -Int32(maxLines))
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
        }
        // No hyphen where Pango breaks inside a word: in an address or a URL it would read as part of it.
        let attributes = pango_attr_list_new()
        pango_attr_list_insert(attributes, pango_attr_insert_hyphens_new(0))
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)
        pango_layout_set_text(layout, text, -1)
        return Paragraph(layout: layout)
    }

    /// Draws a whole paragraph with its top-left corner at (x, top).
    func draw(_ paragraph: Paragraph, x: Double, top: Double) {
        cairo_move_to(cairo, x, top)
        pango_cairo_show_layout(cairo, paragraph.layout)
    }

    /// Draws one line of a paragraph with its baseline starting at (x, baseline).
    func draw(line index: Int, of paragraph: Paragraph, x: Double, baseline: Double) {
        cairo_move_to(cairo, x + paragraph.lines[index].x, baseline)
        pango_cairo_show_layout_line(cairo, pango_layout_get_line_readonly(paragraph.layout, Int32(index)))
    }

    func rule(from x0: Double, to x1: Double, y: Double, width: Double) {
        cairo_set_line_width(cairo, width)
        cairo_move_to(cairo, x0, y)
        cairo_line_to(cairo, x1, y)
        cairo_stroke(cairo)
    }

    func endPage() { cairo_show_page(cairo) }

    /// Ends the document; the PDF's bytes.
    func finish() throws(FaxRenderError) -> [UInt8] {
        cairo_surface_finish(surface)
        try checkStatus()
        return sink.bytes
    }

    private func checkStatus() throws(FaxRenderError) {
        for status in [cairo_status(cairo), cairo_surface_status(surface)] where status != CAIRO_STATUS_SUCCESS {
            throw .pdf(status: String(cString: cairo_status_to_string(status)))
        }
    }

    /// The family fontconfig gives for the canvas's (empty: no font at all), and whether that face has 中.
    private func resolvedFamily() -> (family: String, drawsChinese: Bool) {
        let description = pango_font_description_new()
        defer { pango_font_description_free(description) }
        pango_font_description_set_family(description, family)
        pango_font_description_set_absolute_size(description, 12 * Double(PANGO_SCALE))
        guard let font = pango_font_map_load_font(fontMap, context, description) else { return ("", false) }
        defer { g_object_unref(UnsafeMutableRawPointer(font)) }
        let loaded = pango_font_describe(font)
        defer { pango_font_description_free(loaded) }
        let name = pango_font_description_get_family(loaded).map { String(cString: $0) } ?? ""
        return (name, pango_font_has_char(font, 0x4E2D) != 0)
    }

    static func pango(_ points: Double) -> Int32 { Int32((points * Double(PANGO_SCALE)).rounded()) }
    static func points(_ units: Int32) -> Double { Double(units) / Double(PANGO_SCALE) }

    /// Where cairo writes the PDF.
    private final class Sink {
        var bytes: [UInt8] = []
    }

    /// Text laid out by Pango. Owns its layout.
    final class Paragraph {
        /// A laid-out line, relative to the paragraph's top-left corner.
        struct Line: Equatable {
            /// Offset of the line's start (alignment, indentation).
            var x: Double
            var top: Double
            var height: Double
            var baseline: Double
            var bottom: Double { top + height }
        }

        fileprivate let layout: OpaquePointer
        let lines: [Line]
        /// Width and height of the ink-independent (logical) extent.
        let width: Double, height: Double

        fileprivate init(layout: OpaquePointer) {
            self.layout = layout
            var lines: [Line] = []
            let iterator = pango_layout_get_iter(layout)
            defer { pango_layout_iter_free(iterator) }
            repeat {
                var logical = PangoRectangle()
                pango_layout_iter_get_line_extents(iterator, nil, &logical)
                lines.append(
                    Line(
                        x: FaxCanvas.points(logical.x), top: FaxCanvas.points(logical.y),
                        height: FaxCanvas.points(logical.height),
                        baseline: FaxCanvas.points(pango_layout_iter_get_baseline(iterator))))
            } while pango_layout_iter_next_line(iterator) != 0
            self.lines = lines
            var width: Int32 = 0, height: Int32 = 0
            pango_layout_get_size(layout, &width, &height)
            self.width = FaxCanvas.points(width)
            self.height = FaxCanvas.points(height)
        }

        deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

        /// Characters no font on this host has: Pango draws them as boxes
        /// holding the code point (its "unknown glyph" carries the character).
        var undrawable: [Unicode.Scalar] {
            guard pango_layout_get_unknown_glyphs_count(layout) > 0 else { return [] }
            var found: [Unicode.Scalar] = []
            let iterator = pango_layout_get_iter(layout)
            defer { pango_layout_iter_free(iterator) }
            repeat {
                guard let run = pango_layout_iter_get_run_readonly(iterator), let glyphs = run.pointee.glyphs else {
                    continue
                }
                for index in 0..<Int(glyphs.pointee.num_glyphs) {
                    let glyph = glyphs.pointee.glyphs[index].glyph
                    guard glyph & tidings_glyph_unknown_flag != 0,
                        let scalar = Unicode.Scalar(glyph & ~tidings_glyph_unknown_flag), !found.contains(scalar)
                    else { continue }
                    found.append(scalar)
                }
            } while pango_layout_iter_next_run(iterator) != 0
            return found
        }
    }
}
