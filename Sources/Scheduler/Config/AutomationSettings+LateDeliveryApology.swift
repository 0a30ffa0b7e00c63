import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.late_delivery_apology`.
    public struct LateDeliveryApology: Sendable, Codable, Hashable, AutomationRuleSettings {
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
    }
}

extension AutomationSettings.LateDeliveryApology {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.outcomes, \.outcomes)
        try r.read(.points, \.points)
        try r.read(.pointsValidDays, \.pointsValidDays)
        try r.read(.delaySeconds, \.delaySeconds)
        try r.read(.maxAgeHours, \.maxAgeHours)
        self = r.value
    }
}
