import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.reservation_reminder`.
    public struct ReservationReminder: Sendable, Codable, Hashable, AutomationRuleSettings {
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
    }
}

extension AutomationSettings.ReservationReminder {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.hoursBefore, \.hoursBefore)
        self = r.value
    }
}
