import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.points_expiry`.
    public struct PointsExpiry: Sendable, Codable, Hashable, AutomationRuleSettings {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        /// The notice goes out from this day of the month (1-28, in `defaults.timezone`), once a month.
        public var dayOfMonth: Int
        /// Points expiring within this many days are announced.
        public var daysAhead: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, dayOfMonth = "day_of_month", daysAhead = "days_ahead"
        }

        public static let defaults = PointsExpiry(
            enabled: true, channels: [.sms], template: "points-expiry", dayOfMonth: 1, daysAhead: 30)
    }
}

extension AutomationSettings.PointsExpiry {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.dayOfMonth, \.dayOfMonth)
        try r.read(.daysAhead, \.daysAhead)
        self = r.value
    }
}
