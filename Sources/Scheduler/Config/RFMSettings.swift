import CoreModel
import Foundation

/// The `rfm:` section: the worker recomputes RFM scores once a day at a
/// local time (`RFMSchedule`). `rfm: null` or `enabled: false` turns it off.
public struct RFMSettings: Sendable, Codable, Hashable {
    public var enabled: Bool
    /// How far back orders count, as in `tidings rfm --window` (365d, 52w, 12m, 1y).
    public var window: String
    /// Local time of day, "HH:MM", in `timeZone`.
    public var at: String
    public var timeZone: String

    enum CodingKeys: String, CodingKey, CaseIterable { case enabled, window, at, timeZone = "time_zone" }

    public static let defaults = RFMSettings(enabled: true, window: "365d", at: "03:30", timeZone: "Asia/Shanghai")

    public init(enabled: Bool, window: String, at: String, timeZone: String) {
        self.enabled = enabled
        self.window = window
        self.at = at
        self.timeZone = timeZone
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
        window = try c.decodeIfPresent(String.self, forKey: .window) ?? d.window
        at = try c.decodeIfPresent(String.self, forKey: .at) ?? d.at
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? d.timeZone
    }

    public var windowDays: Int? { SegmentParser.days(window).flatMap { $0 > 0 ? $0 : nil } }

    /// Nil when a value is invalid (`issues` says which).
    public var schedule: RFMSchedule? {
        guard let minutes = QuietHoursSettings.minutes(ofClock: at), let zone = TimeZone(identifier: timeZone) else {
            return nil
        }
        return RFMSchedule(minuteOfDay: minutes, timeZone: zone)
    }

    /// Values that do not parse, by key path under `path`.
    public func issues(path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if windowDays == nil {
            issues.append(
                .init(path: path + ["window"], message: "'\(window)' is not a window such as 365d, 52w, 12m or 1y"))
        }
        if QuietHoursSettings.minutes(ofClock: at) == nil {
            issues.append(.init(path: path + ["at"], message: "'\(at)' is not a time HH:MM"))
        }
        if TimeZone(identifier: timeZone) == nil {
            issues.append(
                .init(path: path + ["time_zone"], message: "'\(timeZone)' is not a time zone such as Asia/Shanghai"))
        }
        return issues
    }
}
