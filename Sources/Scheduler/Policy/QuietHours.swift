import CoreModel
import Foundation

/// A daily window of local time, in the member's time zone, in which messages
/// are held back. It may cross midnight (21:00–08:00) or not (12:00–13:30);
/// a window that starts where it ends is empty.
public struct QuietHours: Sendable, Hashable {
    /// Minutes after local midnight.
    public let startMinute: Int
    public let endMinute: Int

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public let code = "bad_time_of_day"
        /// "start" or "end".
        public let field: String
        public let input: String
        public var description: String { "quiet hours \(field) '\(input)' is not a time HH:MM between 00:00 and 23:59" }
    }

    /// - Parameters: start, end: "HH:MM", 24-hour, as in `quiet_hours` in tidings.yaml.
    public init(start: String, end: String) throws(ParseError) {
        // The config validator's parser, so both accept the same text.
        guard let startMinute = QuietHoursSettings.minutes(ofClock: start) else {
            throw ParseError(field: "start", input: start)
        }
        guard let endMinute = QuietHoursSettings.minutes(ofClock: end) else {
            throw ParseError(field: "end", input: end)
        }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public var crossesMidnight: Bool { startMinute > endMinute }

    /// `.deferUntil` the next local end of the window when `now` is inside it
    /// (the start is inside, the end is not).
    public func check(now: Date, timeZone: TimeZone) -> QuietHoursDecision {
        guard startMinute != endMinute else { return .allowed }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let wall = calendar.dateComponents([.hour, .minute, .second], from: now)
        let local = ((wall.hour ?? 0) * 60 + (wall.minute ?? 0)) * 60 + (wall.second ?? 0)
        let start = startMinute * 60
        let end = endMinute * 60
        let quiet = crossesMidnight ? (local >= start || local < end) : (local >= start && local < end)
        guard quiet else { return .allowed }
        // The calendar, not a fixed 24 h, so the end lands right on DST days;
        // an end that does not exist that day (02:30 when clocks jump 02→03)
        // becomes the first time after the gap.
        let endTime = DateComponents(hour: endMinute / 60, minute: endMinute % 60, second: 0)
        if let until = calendar.nextDate(after: now, matching: endTime, matchingPolicy: .nextTime) {
            return .deferUntil(until)
        }
        let secondsLeft = (end - local + 86_400) % 86_400
        return .deferUntil(now.addingTimeInterval(TimeInterval(secondsLeft)))
    }
}

public enum QuietHoursDecision: Sendable, Hashable {
    case allowed
    case deferUntil(Date)
}
