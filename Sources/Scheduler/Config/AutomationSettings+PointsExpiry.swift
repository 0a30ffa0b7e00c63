import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.points_expiry`.
    public struct PointsExpiry: Sendable, Codable, Hashable {
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

        public init(enabled: Bool, channels: [Channel], template: String, dayOfMonth: Int, daysAhead: Int) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.dayOfMonth = dayOfMonth
            self.daysAhead = daysAhead
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Self.defaults
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            dayOfMonth = try c.decodeIfPresent(Int.self, forKey: .dayOfMonth) ?? d.dayOfMonth
            daysAhead = try c.decodeIfPresent(Int.self, forKey: .daysAhead) ?? d.daysAhead
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }
}
