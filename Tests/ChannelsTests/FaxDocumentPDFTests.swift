@testable import Channels
import CoreModel
import Foundation
import Testing

/// The fax PDF read back the ways a fax server would: its text by pdftotext,
/// its fonts by pdffonts, and its pages drawn by pdftoppm on a side with no
/// fonts at all, then read by OCR.
@Suite(.enabled(if: FaxReader.hasPoppler, "needs poppler-utils (make test installs it)"))
struct FaxDocumentPDFTests {
    static let order = MessageContent.FaxDocument(
        title: "鸿福楼 订单确认传真",
        lines: [
            "订单号：SO0000012345    下单时间：2026-11-23 18:05",
            "鸿福楼南京东路旗舰店 · 外送至：上海市黄浦区福州路1号1201室",
            "101 红烧肉 x2  ¥136.00",
            "205 小笼包 x1  ¥28.00",
            "合计：¥164.00（已付）",
        ])

    /// A page as the order-confirmation fax template fills it.
    static let confirmation = MessageContent.FaxDocument(
        title: "鸿福楼订单确认",
        lines: [
            "订单号：SO0000012345",
            "门店：鸿福楼南京东路旗舰店",
            "会员：王小明（金卡会员）",
            "下单时间：2026年11月23日 18:05",
            "送达地址：上海市黄浦区福州路1号1201室",
            "",
            "红烧肉 2份 136.00元",
            "小笼包 1笼 28.00元",
            "清炒时蔬 1份 32.00元",
            "酸辣汤 1份 26.00元",
            "金额：222.00元（已付）",
            "",
            "如有疑问请致电门店：021-63210002。",
        ])

    @Test func chineseTextComesBackExactly() throws {
        let pdf = try FaxDocumentPDF.render(Self.order)
        let text = try FaxReader.with { try $0.text(pdf) }
        // pdftotext rebuilds spacing from glyph positions, so runs of spaces
        // come back as one; every character must come back as written.
        func collapsed(_ text: String) -> String {
            text.replacingOccurrences(of: " +", with: " ", options: .regularExpression)
        }
        #expect(collapsed(text).contains("鸿福楼 订单确认传真"))
        // The label's spaces are narrower than pdftotext counts as a gap.
        #expect(Self.squeezed(text).contains(Self.squeezed(FaxDocumentPDF.pageLabel(1, of: 1))))
        for line in Self.order.lines {
            #expect(collapsed(text).contains(collapsed(line)), "missing: \(line)\n---\n\(text)")
        }
        #expect(String(decoding: pdf.prefix(8), as: UTF8.self) == "%PDF-1.4")
    }

    @Test func everyFontIsAnEmbeddedSubset() throws {
        let fonts = try FaxReader.with { try $0.fonts(FaxDocumentPDF.render(Self.order)) }
        #expect(!fonts.isEmpty)
        for font in fonts {
            #expect(font.embedded && font.subset, "\(font)")
            #expect(font.name.range(of: "^[A-Z]{6}\\+WenQuanYiZenHei", options: .regularExpression) != nil, "\(font)")
        }
    }

    @Test(.enabled(if: FaxReader.hasOCR, "needs tesseract-ocr-chi-sim (make test installs it)"))
    func readsOnAHostWithoutFonts() throws {
        let pdf = try FaxDocumentPDF.render(Self.confirmation)
        let read = try FaxReader.with { try $0.ocr(pdf, fonts: .none) }
        let match = CharacterMatch(expected: Self.expectedPageText(Self.confirmation), read: read)
        print("fax OCR, no fonts on the reading side: \(match)\n\(read)")
        #expect(match.recall >= 0.95, "\(match)\n---\n\(read)")
        #expect(match.accuracy >= 0.95, "\(match)\n---\n\(read)")
    }

    /// The same check fails a PDF that only names its font: without fonts on
    /// the reading side its characters are not drawn (with this host's fonts
    /// they are, which shows it is the font that is missing, not the text).
    @Test(.enabled(if: FaxReader.hasOCR, "needs tesseract-ocr-chi-sim (make test installs it)"))
    func theOCRCheckFailsAFontThatIsNotEmbedded() throws {
        let pdf = UnembeddedFontPDF.render(title: Self.confirmation.title, lines: Self.confirmation.lines)
        let expected = ([Self.confirmation.title] + Self.confirmation.lines).joined(separator: "\n")
        let (bare, withFonts) = try FaxReader.with { reader in
            (try reader.ocr(pdf, fonts: .none), try reader.ocr(pdf, fonts: .system))
        }
        let bareMatch = CharacterMatch(expected: expected, read: bare)
        let systemMatch = CharacterMatch(expected: expected, read: withFonts)
        print("unembedded font, OCR without fonts: \(bareMatch); with this host's fonts: \(systemMatch)")
        #expect(bareMatch.recall < 0.95, "\(bareMatch)\n---\n\(bare)")
        #expect(systemMatch.recall > bareMatch.recall + 0.5, "\(systemMatch)\n---\n\(withFonts)")
    }

    @Test func longDocumentsFlowOntoMorePages() throws {
        // A4 with the header: 38 lines of 12 pt on an 18 pt pitch a page.
        let lines = (1...120).map { "第\($0)行：冬至家宴预订明细" }
        let pdf = try FaxDocumentPDF.render(.init(title: "明细", lines: lines))
        try FaxReader.with { reader in
            #expect(try reader.pageCount(pdf) == 4)
            let second = try reader.text(pdf, page: 2)
            #expect(second.contains("明细") && Self.squeezed(second).contains("第2页/共4页"), "\(second)")
            #expect(second.contains("第39行：") && second.contains("第76行：") && !second.contains("第77行："), "\(second)")
            // Every line once: none lost or repeated at a page break.
            let all = try reader.text(pdf)
            for number in 1...120 {
                #expect(all.components(separatedBy: "第\(number)行：").count == 2, "line \(number)")
            }
            #expect(
                try reader.pageCount(FaxDocumentPDF.render(.init(title: "明细", lines: Array(lines.prefix(38))))) == 1)
            #expect(
                try reader.pageCount(FaxDocumentPDF.render(.init(title: "明细", lines: Array(lines.prefix(39))))) == 2)
        }
    }

    @Test func longLinesWrapInsideTheMargins() throws {
        let lines = [
            String(repeating: "冬至家宴十人套餐两桌，含红烧肉、小笼包与时令蔬菜；", count: 6),
            "Note: please call 021-63210002 before arriving, the north gate closes at 22:00 and the lift needs a card.",
            "https://hongfulou.example/orders/SO0000012345/" + String(repeating: "a1b2c3d4", count: 12),
        ]
        let pdf = try FaxDocumentPDF.render(.init(title: "鸿福楼 宴会确认", lines: lines))
        let (boxes, text) = try FaxReader.with { reader in (try reader.text(pdf, boxes: true), try reader.text(pdf)) }
        let layout = FaxDocumentPDF.Layout()
        let edges = boxes.matches(of: /xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)"/).map {
            (Double($0.1)!, Double($0.2)!)
        }
        #expect(edges.count > 10)
        for (xMin, xMax) in edges {
            #expect(xMin >= layout.side - 0.5 && xMax <= layout.pageWidth - layout.side + 0.5, "\(xMin)…\(xMax)")
        }
        // All of it is there, spread over more lines than it was written on.
        let written = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        // The header, 150 ideographs at 40 a line, and at least two lines for each of the others.
        #expect(written.count >= 1 + 4 + 2 + 2, "\(text)")
        let header = Self.squeezed("鸿福楼 宴会确认" + FaxDocumentPDF.pageLabel(1, of: 1))
        #expect(Self.squeezed(text) == header + Self.squeezed(lines.joined()), "\(text)")
    }

    @Test func pagesTakeWholeLines() {
        let lines = (0..<7).map {
            FaxCanvas.Paragraph.Line(x: 0, top: Double($0) * 18, height: 16, baseline: Double($0) * 18 + 12)
        }
        #expect(FaxDocumentPDF.pages(of: lines, height: 52) == [0..<3, 3..<6, 6..<7])
        #expect(FaxDocumentPDF.pages(of: lines, height: 51.9) == [0..<2, 2..<4, 4..<6, 6..<7])
        // A line taller than a page still gets one, and the next starts a page of its own.
        #expect(FaxDocumentPDF.pages(of: lines, height: 10) == (0..<7).map { $0..<($0 + 1) })
    }

    @Test func aMissingFontFailsTheRenderInsteadOfDrawingBoxes() {
        let error = #expect(throws: FaxRenderError.self) {
            try FaxDocumentPDF.render(Self.order, family: "No Such Family Sans")
        }
        guard case .fontUnavailable(let family, let resolved) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(family == "No Such Family Sans" && resolved != family)
        #expect(error?.code == "fax_font_unavailable")
    }

    /// An order fax is not lost over an emoji in a customer's note: a
    /// character no installed font has prints as "?", the rest as written.
    @Test func charactersNoFontHasPrintAsQuestionMarks() throws {
        let document = MessageContent.FaxDocument(title: "鸿福楼", lines: ["订单 SO9", "备注：\u{17000}不要辣", "送达 18:30"])
        let pdf = try FaxDocumentPDF.render(document)
        let expected = try FaxDocumentPDF.render(
            MessageContent.FaxDocument(title: "鸿福楼", lines: ["订单 SO9", "备注：?不要辣", "送达 18:30"]))
        #expect(pdf == expected)
        #expect(
            FaxRenderError.undrawableCharacters(["\u{17000}"], lines: [2]).description
                == "fax_undrawable_characters: no installed font can draw U+17000 (line 2)")
    }

    @Test func theSameDocumentGivesTheSameBytesOnConcurrentTasks() async throws {
        let reference = try FaxDocumentPDF.render(Self.order)
        let renders = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<16 { group.addTask { try FaxDocumentPDF.render(Self.order) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(renders.count == 16)
        #expect(renders.allSatisfy { $0 == reference })
    }

    @Test func aOnePageFaxRendersWellUnder100Milliseconds() throws {
        _ = try FaxDocumentPDF.render(Self.order)
        let clock = ContinuousClock()
        var times: [Duration] = []
        for _ in 0..<20 {
            let start = clock.now
            _ = try FaxDocumentPDF.render(Self.order)
            times.append(clock.now - start)
        }
        let median = times.sorted()[times.count / 2]
        print("fax render, 1 page: median \(median) of 20 (fastest \(times.min()!), slowest \(times.max()!))")
        #expect(median < .milliseconds(100))
    }

    static func squeezed(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    /// What page 1 of a one-page document says: header, then the lines.
    static func expectedPageText(_ document: MessageContent.FaxDocument) -> String {
        ([document.title, FaxDocumentPDF.pageLabel(1, of: 1)] + document.lines).joined(separator: "\n")
    }
}
