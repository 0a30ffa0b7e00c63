import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.complaint_work_order`: a new complaint goes to its
    /// department (`departments:`) as a work order, on the first of `channels`
    /// the department has a contact for; email and fax carry the complaint sheet as a PDF.
    public struct ComplaintWorkOrder: Sendable, Codable, Hashable, AutomationRuleSettings {
        public var enabled: Bool
        /// In order of preference; email, sms or fax.
        public var channels: [Channel]
        /// Its fax file is also the sheet attached to the email.
        public var template: String
        /// A complaint opened longer ago than this (a history import) gets no work order.
        public var maxAgeHours: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, maxAgeHours = "max_age_hours"
        }

        public static let defaults = ComplaintWorkOrder(
            enabled: true, channels: [.email, .fax, .sms], template: "complaint-work-order", maxAgeHours: 72)
    }

    /// `automations.complaint_resolution`: a resolved (or closed) complaint's
    /// result goes to the customer once, on the first of `channels` they have
    /// a valid contact for, with the template of its resolution kind. The
    /// revisit survey that follows is `revisit_survey.after_complaint`.
    public struct ComplaintResolution: Sendable, Codable, Hashable, AutomationRuleSettings {
        public var enabled: Bool
        /// The customer's channels in order of preference.
        public var channels: [Channel]
        /// For a resolution kind not in `templates` (or none).
        public var template: String
        /// Resolution kind (`complaints.resolution_kind`: refund, coupon…) → template.
        public var templates: [String: String]
        /// A resolution more than this late (worker down, history import) is not told.
        public var maxAgeHours: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, templates, maxAgeHours = "max_age_hours"
        }

        public static let defaults = ComplaintResolution(
            enabled: true, channels: [.sms, .email], template: "complaint-resolution",
            templates: ["refund": "complaint-resolution-refund"], maxAgeHours: 24)

        /// The template for a resolution of `kind`.
        public func template(forKind kind: String?) -> String {
            kind.flatMap { templates[$0] } ?? template
        }
    }
}

extension AutomationSettings.ComplaintWorkOrder {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.maxAgeHours, \.maxAgeHours)
        self = r.value
    }
}

extension AutomationSettings.ComplaintResolution {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.templates, \.templates)
        try r.read(.maxAgeHours, \.maxAgeHours)
        self = r.value
    }
}
