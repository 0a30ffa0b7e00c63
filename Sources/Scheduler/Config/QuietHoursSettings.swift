import CoreModel
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

    /// Times that are not HH:MM, by key path under `path` (`minutes(ofClock:)`).
    public func issues(path: [String]) -> [ConfigIssue] {
        [("start", start), ("end", end)].compactMap { key, value in
            Self.minutes(ofClock: value) == nil
                ? ConfigIssue(path: path + [key], message: "'\(value)' is not a time HH:MM") : nil
        }
    }

    /// "21:30" → 1290; the one parser of these times, `QuietHours` uses it too.
    public static func minutes(ofClock text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }
}
