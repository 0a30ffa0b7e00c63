import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.order_confirmation`.
    public struct OrderConfirmation: Sendable, Codable, Hashable, AutomationRuleSettings {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        /// Seconds after the order was placed.
        public var delaySeconds: Int
        /// An order older than this when first seen (a history import) is not confirmed.
        public var maxAgeHours: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, delaySeconds = "delay_seconds", maxAgeHours = "max_age_hours"
        }

        public static let defaults = OrderConfirmation(
            enabled: true, channels: [.sms], template: "order-confirmation", delaySeconds: 0, maxAgeHours: 24)
    }
}

extension AutomationSettings.OrderConfirmation {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.delaySeconds, \.delaySeconds)
        try r.read(.maxAgeHours, \.maxAgeHours)
        self = r.value
    }
}
