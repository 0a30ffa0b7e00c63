import Foundation

/// The terminal and CSV forms of a report.
enum ReportText {
    /// Each section: its heading (when the report has more than one), its table or `empty`, its notes.
    static func render(_ document: ReportDocument, empty: String = "nothing to report") -> String {
        var lines = [document.title + (document.subtitle.map { " — \($0)" } ?? "")]
        for section in document.sections {
            if document.sections.count > 1 { lines.append(""); lines.append(section.heading) }
            if !section.columns.isEmpty {
                if section.rows.isEmpty {
                    lines.append(empty)
                } else {
                    var table = TextTable(section.titles, rightAligned: Set(1..<section.columns.count))
                    for row in section.textRows { table.add(row) }
                    lines.append(table.render())
                }
            }
            lines += section.notes
        }
        return lines.joined(separator: "\n")
    }

    /// The main section as CSV (header and rows; nothing else).
    static func csv(_ document: ReportDocument) throws -> String {
        guard let main = document.main else { return "" }
        return try CSVText.render(main.titles, main.textRows)
    }
}
