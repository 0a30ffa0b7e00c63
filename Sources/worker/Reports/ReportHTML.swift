import Foundation

/// A report as one self-contained HTML file: styles inline, charts as
/// inline SVG, no script, no font or image fetched, so it opens offline,
/// mails as an attachment and prints (tables do not split across pages,
/// colours print).
enum ReportHTML {
    static func render(_ document: ReportDocument, generated: String) -> String {
        var body = "<header><h1>\(escape(document.title))</h1>"
        if let subtitle = document.subtitle { body += "<p class=\"sub\">\(escape(subtitle))</p>" }
        body += "<p class=\"gen\">Tidings · \(escape(generated))</p></header>\n"
        for section in document.sections {
            body += "<section id=\"\(escape(section.id))\"><h2>\(escape(section.heading))</h2>\n"
            for chart in section.charts { body += "<figure>\(ReportSVG.render(chart))<figcaption>\(escape(chart.title))</figcaption></figure>\n" }
            if !section.columns.isEmpty { body += table(section) }
            for note in section.notes { body += "<p class=\"note\">\(escape(note))</p>\n" }
            body += "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(document.title)) — Tidings</title>
            <style>\(style)</style></head>
            <body>
            \(body)</body></html>

            """
    }

    static func table(_ section: ReportSection) -> String {
        guard !section.rows.isEmpty else { return "<p class=\"empty\">—</p>\n" }
        var html = "<div class=\"wide\"><table><thead><tr>" + section.titles.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in section.rows {
            html += "<tr>" + row.enumerated().map { index, cell in
                let numeric = index > 0 && cell != .none && !(cell.text.isEmpty)
                return numeric ? "<td class=\"n\">\(escape(cell.text))</td>" : "<td>\(escape(cell.text))</td>"
            }.joined() + "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static let style = """
        body{font-family:"WenQuanYi Zen Hei","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:24px auto;max-width:1100px;
        color:#1d2733;padding:0 16px}
        h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 8px;border-bottom:2px solid #2f6fb3;padding-bottom:4px}
        .sub{margin:4px 0;color:#435}.gen{margin:2px 0;color:#789;font-size:12px}
        table{border-collapse:collapse;font-size:13px;margin:8px 0;page-break-inside:avoid}
        th,td{border:1px solid #c9d3de;padding:3px 7px;white-space:nowrap}th{background:#eef3f8;text-align:left;white-space:normal;vertical-align:bottom}
        .wide{overflow-x:auto}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        figure{margin:8px 0 12px;page-break-inside:avoid}figcaption{font-size:12px;color:#567}
        svg{max-width:100%;height:auto}.note{font-size:12px;color:#456;margin:4px 0}
        @media print{body{margin:0;max-width:none}.wide{overflow:visible}table{font-size:9px}h2{page-break-after:avoid}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
        """
}
