import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.order_confirmation`.
    public struct OrderConfirmation: Sendable, Codable, Hashable {
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

        public init(enabled: Bool, channels: [Channel], template: String, delaySeconds: Int, maxAgeHours: Int) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.delaySeconds = delaySeconds
            self.maxAgeHours = maxAgeHours
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Self.defaults
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            delaySeconds = try c.decodeIfPresent(Int.self, forKey: .delaySeconds) ?? d.delaySeconds
            maxAgeHours = try c.decodeIfPresent(Int.self, forKey: .maxAgeHours) ?? d.maxAgeHours
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }
}
