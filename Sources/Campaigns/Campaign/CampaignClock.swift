import Foundation
import Scheduler

/// Local times of campaign files, turned into instants.
public enum CampaignClock {
    /// "2026-12-01 10:00" in `zone`.
    public static func localDateTime(_ text: String, in zone: TimeZone) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let minutes = QuietHoursSettings.minutes(ofClock: String(parts[1])) else { return nil }
        let day = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard day.count == 3, day[0].count == 4, let year = Int(day[0]), let month = Int(day[1]), let dayOfMonth = Int(day[2]),
            (1...12).contains(month), (1...31).contains(dayOfMonth)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: dayOfMonth, hour: minutes / 60, minute: minutes % 60)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == dayOfMonth  // 2026-02-31 does not roll into March
        else { return nil }
        return date
    }

    /// The next `clock` ("10:00") in `zone` at or after `date` (on `day`, "2026-12-01", when given).
    public static func next(_ clock: String, on day: String?, in zone: TimeZone, after date: Date) -> Date? {
        guard let minutes = QuietHoursSettings.minutes(ofClock: clock) else { return nil }
        if let day { return localDateTime("\(day) \(clock)", in: zone) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.startOfDay(for: date)
        for offset in 0...1 {
            guard let dayStart = calendar.date(byAdding: .day, value: offset, to: start),
                let candidate = calendar.date(bySettingHour: minutes / 60, minute: minutes % 60, second: 0, of: dayStart)
            else { continue }
            if candidate >= date { return candidate }
        }
        return nil
    }
}
