import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.reservation_call`: the call after a reservation reminder
    /// SMS that was neither delivered nor answered within `afterMinutes`: an
    /// IVR call asking to press 1 to confirm or 2 to cancel; the key pressed
    /// updates the reservation.
    public struct ReservationCall: Sendable, Codable, Hashable, AutomationRuleSettings {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        public var afterMinutes: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, afterMinutes = "after_minutes"
        }

        public static let defaults = ReservationCall(
            enabled: true, channels: [.voice], template: "reservation-call", afterMinutes: 30)
    }
}

extension AutomationSettings.ReservationCall {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.afterMinutes, \.afterMinutes)
        self = r.value
    }
}
