import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.win_back`.
    public struct WinBack: Sendable, Codable, Hashable, AutomationRuleSettings {
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
    }
}

extension AutomationSettings.WinBack {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.dormantDays, \.dormantDays)
        try r.read(.periodDays, \.periodDays)
        try r.read(.offerDays, \.offerDays)
        self = r.value
    }
}
