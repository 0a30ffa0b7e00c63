import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.reservation_reminder`.
    public struct ReservationReminder: Sendable, Codable, Hashable {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        /// Hours before the reservation's scheduled time.
        public var hoursBefore: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, hoursBefore = "hours_before"
        }

        public static let defaults = ReservationReminder(
            enabled: true, channels: [.sms], template: "reservation-reminder", hoursBefore: 3)

        public init(enabled: Bool, channels: [Channel], template: String, hoursBefore: Int) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.hoursBefore = hoursBefore
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Self.defaults
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            hoursBefore = try c.decodeIfPresent(Int.self, forKey: .hoursBefore) ?? d.hoursBefore
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }
}
