import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.win_back`.
    public struct WinBack: Sendable, Codable, Hashable {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        /// A member with no order for this many days is dormant.
        public var dormantDays: Int
        /// At most one win-back per member per this many days of dormancy.
        public var periodDays: Int
        /// The offer's validity (`expires_on`), in days from sending.
        public var offerDays: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, dormantDays = "dormant_days", periodDays = "period_days"
            case offerDays = "offer_days"
        }

        public static let defaults = WinBack(
            enabled: false, channels: [.sms], template: "win-back", dormantDays: 90, periodDays: 90, offerDays: 14)

        public init(
            enabled: Bool, channels: [Channel], template: String, dormantDays: Int, periodDays: Int, offerDays: Int
        ) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.dormantDays = dormantDays
            self.periodDays = periodDays
            self.offerDays = offerDays
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Self.defaults
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            dormantDays = try c.decodeIfPresent(Int.self, forKey: .dormantDays) ?? d.dormantDays
            periodDays = try c.decodeIfPresent(Int.self, forKey: .periodDays) ?? d.periodDays
            offerDays = try c.decodeIfPresent(Int.self, forKey: .offerDays) ?? d.offerDays
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }
}
