import Foundation

/// A `ReportChart` as inline SVG: bars grouped by series, lines over ordered
/// labels, or a funnel of horizontal bars with each step's share of the
/// step before. Every value is written as text too, so a printed or
/// screen-read chart loses nothing.
enum ReportSVG {
    static let palette = ["#2f6fb3", "#e08a2c", "#3a9a5b", "#b8453c", "#7a5fb0", "#6b7b8c"]
    static let width = 720.0
    static let left = 64.0, right = 16.0, top = 40.0

    static func render(_ chart: ReportChart) -> String {
        switch chart.kind {
        case .bars: bars(chart)
        case .lines: lines(chart)
        case .funnel: funnel(chart)
        }
    }

    /// The least of 1, 2, 5 × 10ⁿ at or above `value` (1 for nothing).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, (log10(value)).rounded(.down))
        for step in [1.0, 2, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.2f", value)
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    static func open(height: Double, _ chart: ReportChart) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"\(ReportHTML.escape(chart.title))\" font-size=\"11\" font-family=\"sans-serif\"><title>\(ReportHTML.escape(chart.title))</title>"
    }

    static func legend(_ chart: ReportChart) -> String {
        chart.series.enumerated().map { index, series in
            let x = left + Double(index) * 110
            return "<rect x=\"\(f(x))\" y=\"6\" width=\"10\" height=\"10\" fill=\"\(palette[index % palette.count])\"/><text x=\"\(f(x + 14))\" y=\"15\">\(ReportHTML.escape(series.name))</text>"
        }.joined()
    }

    /// The value axis: gridlines and labels at quarters of `ceiling`.
    static func axis(ceiling: Double, plotHeight: Double, unit: String) -> String {
        (0...4).map { step in
            let value = ceiling * Double(step) / 4
            let y = top + plotHeight - plotHeight * Double(step) / 4
            return "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#dde3ea\"/><text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(number(value))</text>"
        }.joined() + "<text x=\"4\" y=\"\(f(top - 10))\" fill=\"#567\">\(ReportHTML.escape(unit))</text>"
    }

    static func bars(_ chart: ReportChart) -> String {
        let plotHeight = 200.0, height = top + plotHeight + 44
        let ceiling = niceCeiling(chart.series.flatMap(\.values).max() ?? 0)
        let groupWidth = (width - left - right) / Double(max(chart.labels.count, 1))
        let barWidth = max(2, groupWidth * 0.8 / Double(max(chart.series.count, 1)))
        var svg = open(height: height, chart) + legend(chart) + axis(ceiling: ceiling, plotHeight: plotHeight, unit: chart.unit)
        let every = max(1, chart.labels.count / 16)
        for (g, label) in chart.labels.enumerated() {
            let x0 = left + Double(g) * groupWidth + groupWidth * 0.1
            for (s, series) in chart.series.enumerated() {
                let value = g < series.values.count ? series.values[g] : 0
                let h = plotHeight * value / ceiling
                let x = x0 + Double(s) * barWidth
                svg += "<rect x=\"\(f(x))\" y=\"\(f(top + plotHeight - h))\" width=\"\(f(barWidth - 1))\" height=\"\(f(h))\" fill=\"\(palette[s % palette.count])\"><title>\(ReportHTML.escape("\(label) \(series.name): \(number(value))"))</title></rect>"
                if chart.labels.count * chart.series.count <= 24 && value > 0 {
                    svg += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(top + plotHeight - h - 3))\" text-anchor=\"middle\" font-size=\"10\">\(number(value))</text>"
                }
            }
            if g % every == 0 {
                svg += "<text x=\"\(f(x0 + groupWidth * 0.4))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(ReportHTML.escape(label))</text>"
            }
        }
        return svg + "</svg>"
    }

    static func lines(_ chart: ReportChart) -> String {
        let plotHeight = 200.0, height = top + plotHeight + 44
        let ceiling = niceCeiling(chart.series.flatMap(\.values).max() ?? 0)
        let step = (width - left - right) / Double(max(chart.labels.count - 1, 1))
        var svg = open(height: height, chart) + legend(chart) + axis(ceiling: ceiling, plotHeight: plotHeight, unit: chart.unit)
        for (s, series) in chart.series.enumerated() {
            let points = series.values.enumerated().map { i, v in "\(f(left + Double(i) * step)),\(f(top + plotHeight - plotHeight * v / ceiling))" }
            svg += "<polyline fill=\"none\" stroke=\"\(palette[s % palette.count])\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
            if let peak = series.values.indices.max(by: { series.values[$0] < series.values[$1] }), series.values[peak] > 0 {
                let x = left + Double(peak) * step, y = top + plotHeight - plotHeight * series.values[peak] / ceiling
                svg += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\" fill=\"\(palette[s % palette.count])\"/><text x=\"\(f(x))\" y=\"\(f(y - 6))\" text-anchor=\"middle\">\(number(series.values[peak]))</text>"
            }
        }
        let every = max(1, chart.labels.count / 12)
        for (i, label) in chart.labels.enumerated() where i % every == 0 {
            svg += "<text x=\"\(f(left + Double(i) * step))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(ReportHTML.escape(label))</text>"
        }
        return svg + "</svg>"
    }

    /// One block per series; each step a bar as long as its share of the
    /// series' first step, labelled with its value and its share of the step before.
    static func funnel(_ chart: ReportChart) -> String {
        let rowHeight = 22.0, labelWidth = 90.0
        let blockHeight = Double(chart.labels.count) * rowHeight + 26
        let height = top + Double(chart.series.count) * blockHeight
        var svg = open(height: height, chart)
        for (s, series) in chart.series.enumerated() {
            let y0 = top + Double(s) * blockHeight
            let first = series.values.first ?? 0
            svg += "<text x=\"4\" y=\"\(f(y0 + 12))\" font-weight=\"bold\">\(ReportHTML.escape(series.name))</text>"
            for (i, label) in chart.labels.enumerated() {
                let value = i < series.values.count ? series.values[i] : 0
                let share = first > 0 ? value / first : 0
                let y = y0 + 18 + Double(i) * rowHeight
                let w = max(1, (width - labelWidth - 200) * share)
                var text = number(value)
                if i > 0, series.values[i - 1] > 0 { text += String(format: " (%.1f%%)", value / series.values[i - 1] * 100) }
                svg += "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + 14))\" text-anchor=\"end\">\(ReportHTML.escape(label))</text>"
                svg += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y + 2))\" width=\"\(f(w))\" height=\"\(f(rowHeight - 6))\" fill=\"\(palette[s % palette.count])\" opacity=\"\(f(1 - Double(i) * 0.15))\"/>"
                svg += "<text x=\"\(f(labelWidth + w + 6))\" y=\"\(f(y + 14))\">\(text)</text>"
            }
        }
        return svg + "</svg>"
    }
}
