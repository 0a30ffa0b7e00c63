import Channels
import CoreModel
import Foundation
import TestSupport
import Testing

/// The fax PDF read back by poppler's pdftotext (Debian's poppler-utils with
/// poppler-data for the Adobe-GB1 CMap), the way a fax server would read it.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"), "needs poppler-utils (make test installs it)"))
struct FaxDocumentPDFTests {
    @Test func chineseTextComesBackExactly() throws {
        let lines = [
            "订单号：SO0000012345    下单时间：2026-11-23 18:05",
            "鸿福楼南京东路旗舰店 · 外送至：上海市黄浦区福州路1号1201室",
            "101 红烧肉 x2  ¥136.00",
            "205 小笼包 x1  ¥28.00",
            "合计：¥164.00（已付）",
        ]
        let pdf = FaxDocumentPDF.render(.init(title: "鸿福楼 订单确认传真", lines: lines))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-fax-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("fax.pdf")
        try Data(pdf).write(to: file)
        let out = directory.appendingPathComponent("fax.txt")
        let (status, output) = try runCommand(["pdftotext", "-enc", "UTF-8", "-layout", file.path, out.path])
        #expect(status == 0, "\(output)")
        // pdftotext rebuilds spacing from glyph positions, so runs of spaces
        // come back as one; every character must come back as written.
        func collapsed(_ text: String) -> String { text.replacingOccurrences(of: " +", with: " ", options: .regularExpression) }
        let text = collapsed(try String(contentsOf: out, encoding: .utf8))
        #expect(text.contains("鸿福楼 订单确认传真"))
        for line in lines { #expect(text.contains(collapsed(line)), "missing: \(line)\n---\n\(text)") }
        #expect(String(decoding: pdf.prefix(8), as: UTF8.self) == "%PDF-1.4")
    }

    @Test func longDocumentsFlowOntoMorePages() throws {
        // A4 with 2 cm margins: 38 lines under the title, then 40 a page.
        let lines = (1...120).map { "第\($0)行：冬至家宴预订明细" }
        let pdf = String(decoding: FaxDocumentPDF.render(.init(title: "明细", lines: lines)), as: UTF8.self)
        #expect(pdf.contains("/Count 4"))
        let short = String(decoding: FaxDocumentPDF.render(.init(title: "明细", lines: Array(lines.prefix(38)))), as: UTF8.self)
        #expect(short.contains("/Count 1"))
    }
}
