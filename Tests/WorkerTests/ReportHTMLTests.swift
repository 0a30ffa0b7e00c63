import Foundation
import Testing

@testable import worker

/// The HTML report is one file that fetches nothing, escapes what it is
/// given, and shows every figure of the document in its tables and charts.
struct ReportHTMLTests {
    let document = ReportDocument(
        kind: "campaign", title: "新菜<上市>", subtitle: "running & \"fast\"",
        sections: [
            ReportSection(
                id: "variants", heading: "By variant", columns: [ReportColumn("variant", "variant"), ReportColumn("sent", "sent"),
                    ReportColumn("rate", "delivery rate"), ReportColumn("lift", "lift")],
                rows: [[.text("A<script>"), .count(290), .percent(0.9655), .points(0.012)], [.text("B"), .count(298), .none, .points(-0.004)]],
                charts: [
                    ReportChart(kind: .funnel, title: "Sent → delivered", labels: ["sent", "delivered"],
                        series: [.init(name: "A", values: [290, 280]), .init(name: "B", values: [298, 285])], unit: "messages"),
                    ReportChart(kind: .bars, title: "Per day", labels: ["11-26", "11-27"],
                        series: [.init(name: "sms", values: [1_188, 7])], unit: "messages"),
                    ReportChart(kind: .lines, title: "By hour", labels: (0..<24).map { String($0) },
                        series: [.init(name: "sent", values: (0..<24).map { $0 == 14 ? 1_240 : 0 })], unit: "messages"),
                ],
                notes: ["A failed: gateway rejected 12"]),
        ])

    @Test func theFileIsSelfContainedEscapedAndCarriesEveryFigure() {
        let html = ReportHTML.render(document, generated: "2026-11-27 14:51 GMT+8")
        // Nothing fetched: no script, no external reference (the SVG namespace is a name, not a fetch).
        #expect(!html.contains("<script"))
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("@import") && !html.contains("url("))
        // What it was given is escaped.
        #expect(html.contains("新菜&lt;上市&gt;") && html.contains("running &amp; &quot;fast&quot;") && html.contains("A&lt;script&gt;"))
        // The table's figures as the terminal prints them, the charts' values as text.
        for figure in ["290", "298", "96.5%", "+1.2 pt", "-0.4 pt", "A failed: gateway rejected 12"] {
            #expect(html.contains(figure), "\(figure)")
        }
        #expect(html.components(separatedBy: "<svg").count == 4)
        #expect(html.contains(">280 (96.6%)<") && html.contains(">1188<") && html.contains(">1240<"))
    }

    /// The API's JSON keeps numbers as numbers, keyed by column.
    @Test func theJSONKeysRowsByColumnWithNumbers() throws {
        let data = try JSONEncoder().encode(document)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let sections = try #require(object["sections"] as? [[String: Any]])
        let rows = try #require(sections.first?["rows"] as? [[String: Any]])
        #expect(rows.first?["sent"] as? Int == 290 && rows.first?["variant"] as? String == "A<script>")
        #expect(rows.first?["rate"] as? Double == 0.9655 && rows.last?["rate"] is NSNull)
    }

    @Test(arguments: [(0.0, 1.0), (7, 10), (10, 10), (11, 20), (1_240, 2_000), (0.3, 0.5)])
    func axesEndAtARoundNumber(value: Double, ceiling: Double) {
        #expect(abs(ReportSVG.niceCeiling(value) - ceiling) < 1e-9)
    }
}
