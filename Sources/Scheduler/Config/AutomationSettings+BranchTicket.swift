import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.branch_ticket`: orders of `kinds` go to their branch
    /// `lead_minutes` before their slot as one ticket per branch and slot (fax
    /// with the order sheet as a PDF, else email with it attached, else SMS);
    /// a ticket nobody acknowledged (a fax receipt, or 1 pressed on the call)
    /// within `ack_minutes` is followed by one call to the branch phone.
    public struct BranchTicket: Sendable, Codable, Hashable {
        public var enabled: Bool
        /// The branch's contacts in order of preference: fax, email or sms.
        public var channels: [Channel]
        /// Its fax file is the order sheet, also attached to the email.
        public var template: String
        /// Order kinds ticketed (delivery, banquet, reservation, dine_in).
        public var kinds: [OrderKind]
        /// How long before its slot starts a slot's orders are sent.
        public var leadMinutes: Int
        /// Slots start at local midnight and every `slot_minutes` after it (a divisor of 1440).
        public var slotMinutes: Int
        /// How long after it was queued an unacknowledged ticket is escalated by a call.
        public var ackMinutes: Int
        /// The escalation call (voice, with a gather: 1 acknowledges).
        public var callTemplate: String

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, kinds, leadMinutes = "lead_minutes", slotMinutes = "slot_minutes"
            case ackMinutes = "ack_minutes", callTemplate = "call_template"
        }

        public static let defaults = BranchTicket(
            enabled: true, channels: [.fax, .email, .sms], template: "branch-ticket", kinds: [.delivery, .banquet],
            leadMinutes: 90,
            slotMinutes: 30, ackMinutes: 15, callTemplate: "branch-ticket-call")

        public init(
            enabled: Bool, channels: [Channel], template: String, kinds: [OrderKind], leadMinutes: Int,
            slotMinutes: Int,
            ackMinutes: Int, callTemplate: String
        ) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.kinds = kinds
            self.leadMinutes = leadMinutes
            self.slotMinutes = slotMinutes
            self.ackMinutes = ackMinutes
            self.callTemplate = callTemplate
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Self.defaults
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            kinds = try c.decodeIfPresent([OrderKind].self, forKey: .kinds) ?? d.kinds
            leadMinutes = try c.decodeIfPresent(Int.self, forKey: .leadMinutes) ?? d.leadMinutes
            slotMinutes = try c.decodeIfPresent(Int.self, forKey: .slotMinutes) ?? d.slotMinutes
            ackMinutes = try c.decodeIfPresent(Int.self, forKey: .ackMinutes) ?? d.ackMinutes
            callTemplate = try c.decodeIfPresent(String.self, forKey: .callTemplate) ?? d.callTemplate
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }
}
