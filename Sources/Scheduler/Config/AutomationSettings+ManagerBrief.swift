import CoreModel
import Foundation

extension AutomationSettings {
    /// `automations.manager_brief`: every morning each manager (and branch
    /// manager) gets a short SMS and an email with the full lists — today's
    /// bookings of their members, VIP arrivals at their branch, birthdays in
    /// the coming days, dormant members to call personally and their open
    /// tasks. A dormant member named in a brief gets no blanket marketing for
    /// `hold_days`, so the manager calls first.
    public struct ManagerBrief: Sendable, Codable, Hashable, AutomationRuleSettings {
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

        /// `at` and `until` as minutes after midnight; nil when either is not a time.
        public var window: (from: Int, to: Int)? {
            guard let from = QuietHoursSettings.minutes(ofClock: at), let to = QuietHoursSettings.minutes(ofClock: until) else {
                return nil
            }
            return (from, to)
        }
    }
}

extension AutomationSettings.ManagerBrief {
    public init(from decoder: Decoder) throws {
        var r = try SettingsReader(decoder, over: Self.defaults, keys: CodingKeys.self)
        try r.readRule()
        try r.read(.at, \.at)
        try r.read(.until, \.until)
        try r.read(.vipLevels, \.vipLevels)
        try r.read(.dormantSegments, \.dormantSegments)
        try r.read(.dormantLimit, \.dormantLimit)
        try r.read(.holdDays, \.holdDays)
        try r.read(.relistDays, \.relistDays)
        try r.read(.birthdayDays, \.birthdayDays)
        try r.read(.taskLimit, \.taskLimit)
        self = r.value
    }
}
