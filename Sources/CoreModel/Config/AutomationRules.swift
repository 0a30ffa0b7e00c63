import Foundation

// The six automations' settings: a family of small values, kept together.
// Every key may be left out; the default is `TidingsConfig.defaults.automations`.

extension TidingsConfig {
    public struct OrderConfirmation: Sendable, Codable, Hashable {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        /// Seconds after the order was placed.
        public var delaySeconds: Int
        /// An order older than this when first seen (a history import) is not confirmed.
        public var maxAgeHours: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, delaySeconds = "delay_seconds", maxAgeHours = "max_age_hours"
        }

        public init(enabled: Bool, channels: [Channel], template: String, delaySeconds: Int, maxAgeHours: Int) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.delaySeconds = delaySeconds
            self.maxAgeHours = maxAgeHours
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = TidingsConfig.defaults.automations.orderConfirmation
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            delaySeconds = try c.decodeIfPresent(Int.self, forKey: .delaySeconds) ?? d.delaySeconds
            maxAgeHours = try c.decodeIfPresent(Int.self, forKey: .maxAgeHours) ?? d.maxAgeHours
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }

    public struct ReservationReminder: Sendable, Codable, Hashable {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        /// Hours before the reservation's scheduled time.
        public var hoursBefore: Int

        enum CodingKeys: String, CodingKey, CaseIterable { case enabled, channels, template, hoursBefore = "hours_before" }

        public init(enabled: Bool, channels: [Channel], template: String, hoursBefore: Int) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.hoursBefore = hoursBefore
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = TidingsConfig.defaults.automations.reservationReminder
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            hoursBefore = try c.decodeIfPresent(Int.self, forKey: .hoursBefore) ?? d.hoursBefore
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }

    /// The call after a reservation reminder SMS that was neither delivered
    /// nor answered within `afterMinutes`: an IVR call asking to press 1 to
    /// confirm or 2 to cancel; the key pressed updates the reservation.
    public struct ReservationCall: Sendable, Codable, Hashable {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        public var afterMinutes: Int

        enum CodingKeys: String, CodingKey, CaseIterable { case enabled, channels, template, afterMinutes = "after_minutes" }

        public init(enabled: Bool, channels: [Channel], template: String, afterMinutes: Int) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.afterMinutes = afterMinutes
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = TidingsConfig.defaultReservationCall
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            afterMinutes = try c.decodeIfPresent(Int.self, forKey: .afterMinutes) ?? d.afterMinutes
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }

    public static let defaultReservationCall = ReservationCall(enabled: true, channels: [.voice], template: "reservation-call", afterMinutes: 30)

    public struct LateDeliveryApology: Sendable, Codable, Hashable {
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
            case enabled, channels, template, outcomes, points, pointsValidDays = "points_valid_days", delaySeconds = "delay_seconds"
            case maxAgeHours = "max_age_hours"
        }

        public init(
            enabled: Bool, channels: [Channel], template: String, outcomes: [DeliveryOutcome], points: Int, pointsValidDays: Int,
            delaySeconds: Int, maxAgeHours: Int
        ) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.outcomes = outcomes
            self.points = points
            self.pointsValidDays = pointsValidDays
            self.delaySeconds = delaySeconds
            self.maxAgeHours = maxAgeHours
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = TidingsConfig.defaults.automations.lateDeliveryApology
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            outcomes = try c.decodeIfPresent([DeliveryOutcome].self, forKey: .outcomes) ?? d.outcomes
            points = try c.decodeIfPresent(Int.self, forKey: .points) ?? d.points
            pointsValidDays = try c.decodeIfPresent(Int.self, forKey: .pointsValidDays) ?? d.pointsValidDays
            delaySeconds = try c.decodeIfPresent(Int.self, forKey: .delaySeconds) ?? d.delaySeconds
            maxAgeHours = try c.decodeIfPresent(Int.self, forKey: .maxAgeHours) ?? d.maxAgeHours
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }

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

        public init(
            enabled: Bool, channels: [Channel], template: String, hoursAfter: Int, afterDelivery: Bool, afterComplaint: Bool, maxAgeHours: Int
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
            let d = TidingsConfig.defaults.automations.revisitSurvey
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

    public struct PointsExpiry: Sendable, Codable, Hashable {
        public var enabled: Bool
        public var channels: [Channel]
        public var template: String
        /// The notice goes out from this day of the month (1-28, in `defaults.timezone`), once a month.
        public var dayOfMonth: Int
        /// Points expiring within this many days are announced.
        public var daysAhead: Int

        enum CodingKeys: String, CodingKey, CaseIterable { case enabled, channels, template, dayOfMonth = "day_of_month", daysAhead = "days_ahead" }

        public init(enabled: Bool, channels: [Channel], template: String, dayOfMonth: Int, daysAhead: Int) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.dayOfMonth = dayOfMonth
            self.daysAhead = daysAhead
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = TidingsConfig.defaults.automations.pointsExpiry
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            dayOfMonth = try c.decodeIfPresent(Int.self, forKey: .dayOfMonth) ?? d.dayOfMonth
            daysAhead = try c.decodeIfPresent(Int.self, forKey: .daysAhead) ?? d.daysAhead
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }
    }

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
            case enabled, channels, template, dormantDays = "dormant_days", periodDays = "period_days", offerDays = "offer_days"
        }

        public init(enabled: Bool, channels: [Channel], template: String, dormantDays: Int, periodDays: Int, offerDays: Int) {
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
            let d = TidingsConfig.defaults.automations.winBack
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
