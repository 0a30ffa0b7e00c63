import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.late_delivery_apology`.
    public struct LateDeliveryApology: Sendable, Codable, Hashable {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        /// Feedback outcomes that call for an apology.
        public var outcomes: [DeliveryOutcome]
        /// Points credited once per order with the apology; 0 credits nothing.
        public var points: Int
        /// Days the credited points stay valid; 0 = they do not expire.
        public var pointsValidDays: Int
        /// Seconds after the feedback was recorded.
        public var delaySeconds: Int
        /// Feedback older than this when first seen (a history import) gets no apology and no points.
        public var maxAgeHours: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, outcomes, points, pointsValidDays = "points_valid_days"
            case delaySeconds = "delay_seconds", maxAgeHours = "max_age_hours"
        }

        public static let defaults = LateDeliveryApology(
            enabled: true, channels: [.sms], template: "late-delivery-apology",
            outcomes: [.late30m, .late1h, .notDelivered], points: 50, pointsValidDays: 365, delaySeconds: 0,
            maxAgeHours: 72)

        public init(
            enabled: Bool, channels: [Channel], template: String, outcomes: [DeliveryOutcome], points: Int,
            pointsValidDays: Int, delaySeconds: Int, maxAgeHours: Int
        ) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.outcomes = outcomes
            self.points = points
            self.pointsValidDays = pointsValidDays
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
            outcomes = try c.decodeIfPresent([DeliveryOutcome].self, forKey: .outcomes) ?? d.outcomes
            points = try c.decodeIfPresent(Int.self, forKey: .points) ?? d.points
            pointsValidDays = try c.decodeIfPresent(Int.self, forKey: .pointsValidDays) ?? d.pointsValidDays
            delaySeconds = try c.decodeIfPresent(Int.self, forKey: .delaySeconds) ?? d.delaySeconds
            maxAgeHours = try c.decodeIfPresent(Int.self, forKey: .maxAgeHours) ?? d.maxAgeHours
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }
}
