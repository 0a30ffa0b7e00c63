import Foundation

/// Once a day at a local time ("03:30" Asia/Shanghai): each period from one
/// such time to the next gets one recompute. A worker that starts in a
/// period with no recompute yet (never computed, or last computed before the
/// latest 03:30) catches up at once; one that starts after this period's run
/// waits for the next 03:30. So a restart never recomputes twice a day, and
/// scores are never more than a day and a period old while the worker runs.
public struct RFMSchedule: Sendable, Hashable {
    public var minuteOfDay: Int
    public var timeZone: TimeZone

    public init(minuteOfDay: Int, timeZone: TimeZone) {
        self.minuteOfDay = minuteOfDay
        self.timeZone = timeZone
    }

    /// When to recompute next: `now` when this period has no run yet.
    public func nextRun(now: Date, lastRun: Date?) -> Date {
        guard let lastRun, lastRun >= slot(atOrBefore: now) else { return now }
        return slot(after: now)
    }

    /// The latest scheduled time at or before `date`.
    public func slot(atOrBefore date: Date) -> Date {
        let today = slot(onDayOf: date)
        return today <= date ? today : slot(onDayOf: calendar.date(byAdding: .day, value: -1, to: today) ?? today)
    }

    /// The first scheduled time after `date`.
    public func slot(after date: Date) -> Date {
        let today = slot(onDayOf: date)
        return today > date ? today : slot(onDayOf: calendar.date(byAdding: .day, value: 1, to: today) ?? today)
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The time on the local day of `date`; on a day where a clock change skips it, the next valid time.
    private func slot(onDayOf date: Date) -> Date {
        calendar.date(bySettingHour: minuteOfDay / 60, minute: minuteOfDay % 60, second: 0, of: date)
            ?? calendar.startOfDay(for: date).addingTimeInterval(TimeInterval(minuteOfDay * 60))
    }
}
