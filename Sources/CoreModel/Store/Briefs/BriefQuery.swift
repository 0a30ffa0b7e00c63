import Foundation

/// What one manager's brief covers on one day.
public struct BriefQuery: Sendable, Hashable {
    public var recipient: BriefRecipient
    /// The day in the group's time zone, [start, end).
    public var dayStart: Date
    public var dayEnd: Date
    /// `MM-DD` of each day whose birthdays are listed.
    public var birthdays: [String]
    /// Member levels (`members.level`) that count as VIP.
    public var vipLevels: [String]
    /// RFM segments that mean a member went dormant.
    public var dormantSegments: [String]
    /// At most this many dormant members per brief: the calls a manager can make in a day.
    public var dormantLimit: Int
    /// A dormant member named in a brief since then is not named again.
    public var relistAfter: Date
    /// At most this many open tasks are listed (the count is exact).
    public var taskLimit: Int

    public init(
        recipient: BriefRecipient, dayStart: Date, dayEnd: Date, birthdays: [String], vipLevels: [String],
        dormantSegments: [String], dormantLimit: Int, relistAfter: Date, taskLimit: Int
    ) {
        self.recipient = recipient
        self.dayStart = dayStart
        self.dayEnd = dayEnd
        self.birthdays = birthdays
        self.vipLevels = vipLevels
        self.dormantSegments = dormantSegments
        self.dormantLimit = dormantLimit
        self.relistAfter = relistAfter
        self.taskLimit = taskLimit
    }
}
