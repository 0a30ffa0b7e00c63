import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.manager_brief`: every morning each manager (and branch
    /// manager) gets a short SMS and an email with the full lists — today's
    /// bookings of their members, VIP arrivals at their branch, birthdays in
    /// the coming days, dormant members to call personally and their open
    /// tasks. A dormant member named in a brief gets no blanket marketing for
    /// `hold_days`, so the manager calls first.
    public struct ManagerBrief: Sendable, Codable, Hashable {
        public var enabled: Bool
        /// Each channel the manager has a contact for gets the brief: SMS the counts, email the lists.
        public var channels: [Channel]
        public var template: String
        /// `HH:MM` in the group's time zone (`defaults.timezone`): when the brief goes.
        public var at: String
        /// A brief not sent by then (the worker was down) is skipped for the day.
        public var until: String
        /// `members.level` values that count as VIP.
        public var vipLevels: [String]
        /// RFM segments (`tidings rfm`) that mean a member went dormant.
        public var dormantSegments: [String]
        /// Dormant members named per brief at most: the calls a manager can make in a day.
        public var dormantLimit: Int
        /// How long blanket marketing to a named dormant member waits.
        public var holdDays: Int
        /// A dormant member named is not named again for this long.
        public var relistDays: Int
        /// Birthdays from today over this many days.
        public var birthdayDays: Int
        /// Open tasks listed at most (the count is always given).
        public var taskLimit: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, channels, template, at, until, vipLevels = "vip_levels", dormantSegments = "dormant_segments"
            case dormantLimit = "dormant_limit", holdDays = "hold_days", relistDays = "relist_days"
            case birthdayDays = "birthday_days", taskLimit = "task_limit"
        }

        public static let defaults = ManagerBrief(
            enabled: true, channels: [.sms, .email], template: "manager-brief", at: "08:00", until: "11:00",
            vipLevels: ["platinum", "diamond"], dormantSegments: ["at_risk", "hibernating"], dormantLimit: 10, holdDays: 7,
            relistDays: 60, birthdayDays: 7, taskLimit: 20)

        public init(
            enabled: Bool, channels: [Channel], template: String, at: String, until: String, vipLevels: [String],
            dormantSegments: [String], dormantLimit: Int, holdDays: Int, relistDays: Int, birthdayDays: Int, taskLimit: Int
        ) {
            self.enabled = enabled
            self.channels = channels
            self.template = template
            self.at = at
            self.until = until
            self.vipLevels = vipLevels
            self.dormantSegments = dormantSegments
            self.dormantLimit = dormantLimit
            self.holdDays = holdDays
            self.relistDays = relistDays
            self.birthdayDays = birthdayDays
            self.taskLimit = taskLimit
        }

        public init(from decoder: Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Self.defaults
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
            channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? d.channels
            template = try c.decodeIfPresent(String.self, forKey: .template) ?? d.template
            at = try c.decodeIfPresent(String.self, forKey: .at) ?? d.at
            until = try c.decodeIfPresent(String.self, forKey: .until) ?? d.until
            vipLevels = try c.decodeIfPresent([String].self, forKey: .vipLevels) ?? d.vipLevels
            dormantSegments = try c.decodeIfPresent([String].self, forKey: .dormantSegments) ?? d.dormantSegments
            dormantLimit = try c.decodeIfPresent(Int.self, forKey: .dormantLimit) ?? d.dormantLimit
            holdDays = try c.decodeIfPresent(Int.self, forKey: .holdDays) ?? d.holdDays
            relistDays = try c.decodeIfPresent(Int.self, forKey: .relistDays) ?? d.relistDays
            birthdayDays = try c.decodeIfPresent(Int.self, forKey: .birthdayDays) ?? d.birthdayDays
            taskLimit = try c.decodeIfPresent(Int.self, forKey: .taskLimit) ?? d.taskLimit
        }

        public var rule: AutomationRule { AutomationRule(enabled: enabled, channels: channels, template: template) }

        /// `at` and `until` as minutes after midnight; nil when either is not a time.
        public var window: (from: Int, to: Int)? {
            guard let from = QuietHoursSettings.minutes(ofClock: at), let to = QuietHoursSettings.minutes(ofClock: until) else {
                return nil
            }
            return (from, to)
        }
    }
}
