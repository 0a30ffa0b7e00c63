import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.reservation_call`: the call after a reservation reminder
    /// SMS that was neither delivered nor answered within `afterMinutes`: an
    /// IVR call asking to press 1 to confirm or 2 to cancel; the key pressed
    /// updates the reservation.
    public struct ReservationCall: Sendable, Codable, Hashable {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        public var afterMinutes: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, afterMinutes = "after_minutes"
        }

        public static let defaults = ReservationCall(
            enabled: true, channels: [.voice], template: "reservation-call", afterMinutes: 30)

        public init(enabled: Bool, channels: [Channel], template: String, afterMinutes: Int) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.afterMinutes = afterMinutes
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Self.defaults
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            afterMinutes = try c.decodeIfPresent(Int.self, forKey: .afterMinutes) ?? d.afterMinutes
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }
}
