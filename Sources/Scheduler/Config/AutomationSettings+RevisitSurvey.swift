import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.revisit_survey`.
    public struct RevisitSurvey: Sendable, Codable, Hashable {
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

        public init(
            enabled: Bool, channels: [Channel], template: String, hoursAfter: Int, afterDelivery: Bool,
            afterComplaint: Bool, maxAgeHours: Int
        ) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.hoursAfter = hoursAfter
            self.afterDelivery = afterDelivery
            self.afterComplaint = afterComplaint
            self.maxAgeHours = maxAgeHours
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Self.defaults
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            hoursAfter = try c.decodeIfPresent(Int.self, forKey: .hoursAfter) ?? d.hoursAfter
            afterDelivery = try c.decodeIfPresent(Bool.self, forKey: .afterDelivery) ?? d.afterDelivery
            afterComplaint = try c.decodeIfPresent(Bool.self, forKey: .afterComplaint) ?? d.afterComplaint
            maxAgeHours = try c.decodeIfPresent(Int.self, forKey: .maxAgeHours) ?? d.maxAgeHours
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }
}
