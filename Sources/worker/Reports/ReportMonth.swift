import Foundation

/// A calendar month a report covers (`2026-11`), in the group's zone.
struct ReportMonth: Hashable, CustomStringConvertible {
    var year: Int
    var month: Int

    /// `YYYY-MM`; nil for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]),
            (1...12).contains(month)
        else { return nil }
        self.year = year
        self.month = month
    }

    /// The month `date` falls in, in `zone`.
    init(containing date: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month], from: date)
        year = parts.year ?? 1970
        month = parts.month ?? 1
    }

    /// `text` as a month, this month in `zone` when there is none; nil when `text` is not `YYYY-MM`.
    static func chosen(_ text: String?, in zone: TimeZone, now: Date = Date()) -> ReportMonth? {
        guard let text else { return ReportMonth(containing: now, in: zone) }
        return ReportMonth(text)
    }

    var description: String { String(format: "%04d-%02d", year, month) }

    /// Its first instant and the next month's, in `zone`.
    func range(in zone: TimeZone) -> (from: Date, to: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let from =
            calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date(timeIntervalSince1970: 0)
        return (from, calendar.date(byAdding: .month, value: 1, to: from) ?? from)
    }
}
