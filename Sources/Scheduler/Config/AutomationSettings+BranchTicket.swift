import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.branch_ticket`: orders of `kinds` go to their branch
    /// `lead_minutes` before their slot as one ticket per branch and slot (fax
    /// with the order sheet as a PDF, else email with it attached, else SMS);
    /// a ticket nobody acknowledged (a fax receipt, or 1 pressed on the call)
    /// within `ack_minutes` is followed by one call to the branch phone.
    public struct BranchTicket: Sendable, Codable, Hashable, AutomationRuleSettings {
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
    }
}

extension AutomationSettings.BranchTicket {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.kinds, \.kinds)
        try r.read(.leadMinutes, \.leadMinutes)
        try r.read(.slotMinutes, \.slotMinutes)
        try r.read(.ackMinutes, \.ackMinutes)
        try r.read(.callTemplate, \.callTemplate)
        self = r.value
    }
}
