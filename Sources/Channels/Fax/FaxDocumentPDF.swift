import CoreModel
import Foundation

/// Renders a fax document (a title and lines of text, Chinese included) as a
/// small PDF without embedding a font: a Type0 font STSong-Light with the
/// UniGB-UTF16-H CMap, which every PDF reader and fax server maps to its own
/// Song/SimSun face. Text is written as UTF-16BE hex strings; ASCII (CIDs
/// 1–95) gets half-width advances so digits are not spaced like ideographs.
public enum FaxDocumentPDF {
    static let pageWidth = 595, pageHeight = 842  // A4 in points
    static let margin = 56
    static let fontSize = 12, titleSize = 18, leading = 18
    static let charactersPerLine = 38

    public static func render(_ document: MessageContent.FaxDocument) -> [UInt8] {
        let wrapped = document.lines.flatMap { wrap($0) }
        let firstPageLines = (pageHeight - 2 * margin - titleSize * 2) / leading
        let otherPageLines = (pageHeight - 2 * margin) / leading
        var pages: [[String]] = [Array(wrapped.prefix(firstPageLines))]
        var rest = wrapped.dropFirst(firstPageLines)
        while !rest.isEmpty {
            pages.append(Array(rest.prefix(otherPageLines)))
            rest = rest.dropFirst(otherPageLines)
        }

        // Objects: 1 catalog, 2 pages, 3 font, 4 CID font, then a page and its content per page.
        var objects: [String] = []
        let pageIds = pages.indices.map { 5 + 2 * $0 }
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        objects.append("<< /Type /Pages /Kids [\(pageIds.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>")
        objects.append("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [4 0 R] >>")
        objects.append("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> /DW 1000 /W [1 95 500] >>")
        for (index, lines) in pages.enumerated() {
            var content = "BT\n"
            var y = pageHeight - margin
            if index == 0 {
                content += "/F1 \(titleSize) Tf \(margin) \(y - titleSize) Td \(hex(document.title)) Tj ET\nBT\n"
                y -= titleSize * 2 + 6
            }
            content += "/F1 \(fontSize) Tf \(leading) TL \(margin) \(y - fontSize) Td\n"
            for line in lines { content += "\(hex(line)) Tj T*\n" }
            content += "ET\n"
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(pageWidth) \(pageHeight)] /Resources << /Font << /F1 3 0 R >> >> /Contents \(pageIds[index] + 1) 0 R >>")
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream")
        }

        var output = "%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n"
        var bytes = Array(output.utf8)
        output = ""
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(bytes.count)
            bytes += Array("\(index + 1) 0 obj\n\(object)\nendobj\n".utf8)
        }
        let xref = bytes.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        bytes += Array(table.utf8)
        return bytes
    }

    /// `<…>`: the text as UTF-16BE hex, the code space of UniGB-UTF16-H.
    static func hex(_ text: String) -> String {
        let units = text.utf16.map { unit in
            let digits = String(unit, radix: 16, uppercase: true)
            return String(repeating: "0", count: 4 - digits.count) + digits
        }
        return "<" + units.joined() + ">"
    }

    /// Breaks long lines, counting an ideograph as two ASCII widths.
    static func wrap(_ line: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var width = 0
        for character in line {
            let w = character.unicodeScalars.allSatisfy(\.isASCII) ? 1 : 2
            if width + w > charactersPerLine * 2 {
                lines.append(current)
                current = ""
                width = 0
            }
            current.append(character)
            width += w
        }
        lines.append(current)
        return lines
    }
}
