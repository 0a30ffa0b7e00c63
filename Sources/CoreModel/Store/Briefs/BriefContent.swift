import Foundation

/// What a manager's morning brief lists.
public struct BriefContent: Sendable, Hashable {
    /// Today's reservations and banquets of the manager's own members.
    public var bookings: [BriefBooking]
    /// Today's bookings at the manager's branch by VIP members who are not theirs.
    public var vipArrivals: [BriefBooking]
    /// Their members with a birthday in the days asked, by day.
    public var birthdays: [BriefMember]
    /// Their dormant members to call, most valuable first, not named in a recent brief.
    public var dormant: [BriefMember]
    /// Their open tasks, earliest due first (at most the query's limit) …
    public var openTasks: [FollowUpTask]
    /// … of this many.
    public var openTaskCount: Int

    public init(
        bookings: [BriefBooking] = [], vipArrivals: [BriefBooking] = [], birthdays: [BriefMember] = [],
        dormant: [BriefMember] = [], openTasks: [FollowUpTask] = [], openTaskCount: Int = 0
    ) {
        self.bookings = bookings
        self.vipArrivals = vipArrivals
        self.birthdays = birthdays
        self.dormant = dormant
        self.openTasks = openTasks
        self.openTaskCount = openTaskCount
    }

    public var isEmpty: Bool {
        bookings.isEmpty && vipArrivals.isEmpty && birthdays.isEmpty && dormant.isEmpty && openTaskCount == 0
    }
}
