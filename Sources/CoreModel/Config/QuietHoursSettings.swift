import Foundation

/// The `quiet_hours:` section: the daily window, in each member's local
/// time, in which the dispatcher holds back the listed lanes.
public struct QuietHoursSettings: Sendable, Codable {
    /// Local time in the member's time zone, "HH:MM".
    public var start: String
    public var end: String
    /// Lanes held back during quiet hours (transactional is sent unless listed).
    public var lanes: [Lane]

    enum CodingKeys: String, CodingKey, CaseIterable { case start, end, lanes }

    public static let defaults = QuietHoursSettings(start: "21:00", end: "09:00", lanes: [.marketing, .reminder])

    public init(start: String, end: String, lanes: [Lane]) {
        self.start = start
        self.end = end
        self.lanes = lanes
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        start = try c.decodeIfPresent(String.self, forKey: .start) ?? d.start
        end = try c.decodeIfPresent(String.self, forKey: .end) ?? d.end
        lanes = try c.decodeIfPresent([Lane].self, forKey: .lanes) ?? d.lanes
    }

    /// Times that are not HH:MM, by key path under `path` (the parser `QuietHours` uses too).
    public func issues(path: [String]) -> [ConfigIssue] {
        [("start", start), ("end", end)].compactMap { key, value in
            TidingsConfig.minutes(ofClock: value) == nil
                ? ConfigIssue(path: path + [key], message: "'\(value)' is not a time HH:MM") : nil
        }
    }
}
