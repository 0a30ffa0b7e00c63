import Foundation

/// A five-field cron expression (minute hour day-of-month month weekday) with
/// `*`, lists, ranges and steps, evaluated in a time zone. As in cron, when
/// both day fields are restricted a day matching either one counts.
public struct CronSchedule: Sendable, Hashable {
    let minutes: [Int]
    let hours: [Int]
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws(ParseError) {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(description: "'\(text)' has \(fields.count) fields; cron takes five: minute hour day month weekday")
        }
        minutes = try Self.field(fields[0], name: "minute", 0...59).sorted()
        hours = try Self.field(fields[1], name: "hour", 0...23).sorted()
        days = try Self.field(fields[2], name: "day of month", 1...31)
        months = try Self.field(fields[3], name: "month", 1...12)
        // 0 and 7 are both Sunday.
        weekdays = Set(try Self.field(fields[4], name: "weekday", 0...7).map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    private static func field(_ text: String, name: String, _ range: ClosedRange<Int>) throws(ParseError) -> Set<Int> {
        var values: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(description: "\(name) '\(part)' has more than one '/'") }
            var step = 1
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), value > 0 else { throw ParseError(description: "\(name) step '\(pieces[1])' is not a positive number") }
                step = value
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
                guard (1...2).contains(bounds.count), let low = bounds[0], let high = bounds.count == 2 ? bounds[1] : (pieces.count == 2 ? range.upperBound : low),
                    range.contains(low), range.contains(high), low <= high
                else {
                    throw ParseError(description: "\(name) '\(part)' is not a number or range within \(range.lowerBound)–\(range.upperBound)")
                }
                span = low...high
            }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values
    }

    /// The first time strictly after `date` that matches, within about a year (nil: none, e.g. 31 February).
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let startOfDay = calendar.startOfDay(for: date)
        for offset in 0..<(366 * 4) {
            guard let day = calendar.date(byAdding: .day, value: offset, to: startOfDay) else { return nil }
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            guard let month = c.month, let dayOfMonth = c.day, let weekday = c.weekday, months.contains(month) else { continue }
            let dayMatches = days.contains(dayOfMonth)
            let weekdayMatches = weekdays.contains(weekday - 1)
            let matches = daysRestricted && weekdaysRestricted ? (dayMatches || weekdayMatches) : (dayMatches && weekdayMatches)
            guard matches else { continue }
            for hour in hours {
                for minute in minutes {
                    var parts = DateComponents()
                    (parts.year, parts.month, parts.day, parts.hour, parts.minute) = (c.year, month, dayOfMonth, hour, minute)
                    if let candidate = calendar.date(from: parts), candidate > date { return candidate }
                }
            }
        }
        return nil
    }
}
