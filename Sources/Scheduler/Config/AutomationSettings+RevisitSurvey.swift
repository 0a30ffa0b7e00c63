import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.revisit_survey`.
    public struct RevisitSurvey: Sendable, Codable, Hashable, AutomationRuleSettings {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        /// Hours after the visit (delivery or meal) or the complaint's resolution.
        public var hoursAfter: Int
        /// Survey delivered and completed orders.
        public var afterDelivery: Bool
        /// Survey resolved (and closed) complaints.
        public var afterComplaint: Bool
        /// A survey more than this late (worker down, history import) is not sent.
        public var maxAgeHours: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, hoursAfter = "hours_after", afterDelivery = "after_delivery"
            case afterComplaint = "after_complaint", maxAgeHours = "max_age_hours"
        }

        public static let defaults = RevisitSurvey(
            enabled: true, channels: [.sms], template: "revisit-survey", hoursAfter: 24, afterDelivery: true,
            afterComplaint: true, maxAgeHours: 24)
    }
}

extension AutomationSettings.RevisitSurvey {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.hoursAfter, \.hoursAfter)
        try r.read(.afterDelivery, \.afterDelivery)
        try r.read(.afterComplaint, \.afterComplaint)
        try r.read(.maxAgeHours, \.maxAgeHours)
        self = r.value
    }
}
