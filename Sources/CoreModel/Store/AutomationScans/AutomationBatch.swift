import Foundation

/// What one step of an automation writes, in one transaction: the messages,
/// the points credits, the complaints notified, the branch tickets and their
/// escalation calls, and the cursor past the rows that produced them.
public struct AutomationBatch: Sendable, Hashable {
    public var messages: [NewMessage]
    public var credits: [PointsCredit]
    public var cursor: AutomationCursor?
    /// Complaints (row ids) whose department these messages notify: the
    /// complaint keeps the time of the first notice (`department_notified_at`).
    public var notifiedComplaints: [Int64]
    /// Order tickets to branches, each with its message.
    public var tickets: [NewBranchTicket]
    /// Escalations of tickets nobody acknowledged, each with its call (if any).
    public var ticketCalls: [TicketCall]

    public init(
        messages: [NewMessage] = [], credits: [PointsCredit] = [], cursor: AutomationCursor? = nil,
        notifiedComplaints: [Int64] = [], tickets: [NewBranchTicket] = [], ticketCalls: [TicketCall] = []
    ) {
        self.messages = messages
        self.credits = credits
        self.cursor = cursor
        self.notifiedComplaints = notifiedComplaints
        self.tickets = tickets
        self.ticketCalls = ticketCalls
    }

    /// Adds what `other` writes (its cursor aside).
    public mutating func append(_ other: AutomationBatch) {
        messages += other.messages
        credits += other.credits
        notifiedComplaints += other.notifiedComplaints
        tickets += other.tickets
        ticketCalls += other.ticketCalls
    }

    /// The messages it may write, for sizing transactions.
    public var messageCount: Int { messages.count + tickets.count + ticketCalls.count }
}
