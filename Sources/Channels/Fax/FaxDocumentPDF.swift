import CoreModel

/// Renders a fax document (a title and lines of text, Chinese included) as an
/// A4 PDF that reads the same anywhere: the glyphs come from an embedded
/// subset of WenQuanYi Zen Hei (Debian's fonts-wqy-zenhei), so a fax server
/// without Chinese fonts prints the characters, not boxes. Pango wraps the
/// lines; every page has a header with the title and "第 N 页 / 共 M 页".
public enum FaxDocumentPDF {
    /// The fontconfig family drawn with; rendering fails if it is not installed.
    public static let fontFamily = "WenQuanYi Zen Hei"

    /// Where things go on the page, in PDF points.
    struct Layout {
        var pageWidth = 595.0, pageHeight = 842.0  // A4
        var top = 48.0, bottom = 56.0, side = 56.0
        var titleSize = 16.0, labelSize = 10.0, bodySize = 12.0
        /// Added between body lines: 12 pt text of WenQuanYi Zen Hei about 18 pt apart, 38 lines a page.
        var lineGap = 3.0
        /// Below the header to the rule, and from the rule to the body.
        var ruleGap = 6.0, bodyGap = 12.0
    }

    public static func render(_ document: MessageContent.FaxDocument) throws(FaxRenderError) -> [UInt8] {
        try render(document, family: fontFamily, layout: Layout())
    }

    /// A character no installed font has (an emoji in a customer's note) is
    /// printed as "?" rather than lose an order fax over it; only when even
    /// that fails does the render throw `undrawableCharacters`.
    static func render(
        _ document: MessageContent.FaxDocument, family: String, layout: Layout = Layout(), substituted: Bool = false
    ) throws(FaxRenderError) -> [UInt8] {
        let canvas = try FaxCanvas(
            width: layout.pageWidth, height: layout.pageHeight, family: family, title: document.title)
        let contentWidth = layout.pageWidth - 2 * layout.side
        // Room for the widest page label a fax will have, so the title can be laid out before the pages are counted.
        let labelRoom =
            canvas.paragraph(pageLabel(888, of: 888), size: layout.labelSize, width: contentWidth).width + 12
        let title = canvas.paragraph(
            document.title, size: layout.titleSize, width: contentWidth - labelRoom, maxLines: 2)
        let body = canvas.paragraph(
            document.lines.joined(separator: "\n"), size: layout.bodySize, width: contentWidth, lineGap: layout.lineGap)
        let undrawable = undrawable(title: title, body: body)
        if !undrawable.isEmpty {
            guard !substituted else { throw error(undrawable, in: document) }
            return try render(replacing(undrawable, in: document), family: family, layout: layout, substituted: true)
        }

        let ruleY = layout.top + title.height + layout.ruleGap
        let bodyTop = ruleY + layout.bodyGap
        let pages = pages(of: body.lines, height: layout.pageHeight - layout.bottom - bodyTop)
        for (index, lines) in pages.enumerated() {
            canvas.draw(title, x: layout.side, top: layout.top)
            let label = canvas.paragraph(
                pageLabel(index + 1, of: pages.count), size: layout.labelSize, width: labelRoom)
            // The label's baseline on the title's first baseline, flush right.
            canvas.draw(
                label, x: layout.pageWidth - layout.side - label.width,
                top: layout.top + (title.lines[0].baseline - label.lines[0].baseline))
            canvas.rule(from: layout.side, to: layout.pageWidth - layout.side, y: ruleY, width: 0.75)
            let offset = body.lines[lines.lowerBound].top
            for line in lines {
                canvas.draw(
                    line: line, of: body, x: layout.side, baseline: bodyTop + body.lines[line].baseline - offset)
            }
            canvas.endPage()
        }
        return try canvas.finish()
    }

    /// "第 2 页 / 共 3 页": a bare "2 / 3" blurs into "273" at fax resolution.
    static func pageLabel(_ page: Int, of count: Int) -> String { "第 \(page) 页 / 共 \(count) 页" }

    /// Splits laid-out lines into pages of at most `height` points, each page
    /// starting with the next line at its top. A line taller than a page gets
    /// a page to itself rather than stopping the document.
    static func pages(of lines: [FaxCanvas.Paragraph.Line], height: Double) -> [Range<Int>] {
        var pages: [Range<Int>] = []
        var start = lines.startIndex
        while start < lines.endIndex {
            var end = start + 1
            while end < lines.endIndex && lines[end].bottom - lines[start].top <= height { end += 1 }
            pages.append(start..<end)
            start = end
        }
        return pages
    }

    /// Characters the title or body would print as boxes.
    private static func undrawable(title: FaxCanvas.Paragraph, body: FaxCanvas.Paragraph) -> [Unicode.Scalar] {
        var scalars = title.undrawable
        for scalar in body.undrawable where !scalars.contains(scalar) { scalars.append(scalar) }
        return scalars
    }

    static func replacing(_ scalars: [Unicode.Scalar], in document: MessageContent.FaxDocument) -> MessageContent.FaxDocument {
        func clean(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { scalars.contains($0) ? "?" : $0 }))
        }
        return MessageContent.FaxDocument(title: clean(document.title), lines: document.lines.map(clean))
    }

    private static func error(_ scalars: [Unicode.Scalar], in document: MessageContent.FaxDocument) -> FaxRenderError {
        let texts = [document.title] + document.lines
        let lines = texts.indices.filter { texts[$0].unicodeScalars.contains(where: scalars.contains) }
        return .undrawableCharacters(scalars, lines: lines)
    }
}
