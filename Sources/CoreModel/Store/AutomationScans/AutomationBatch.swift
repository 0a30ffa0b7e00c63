import Foundation

/// What one step of an automation writes, in one transaction: the messages,
/// the points credits, the complaints notified and the cursor past the rows
/// that produced them.
public struct AutomationBatch: Sendable, Hashable {
    public var messages: [NewMessage]
    public var credits: [PointsCredit]
    public var cursor: AutomationCursor?
    /// Complaints (row ids) whose department these messages notify: the
    /// complaint keeps the time of the first notice (`department_notified_at`).
    public var notifiedComplaints: [Int64]

    public init(
        messages: [NewMessage] = [], credits: [PointsCredit] = [], cursor: AutomationCursor? = nil,
        notifiedComplaints: [Int64] = []
    ) {
        self.messages = messages
        self.credits = credits
        self.cursor = cursor
        self.notifiedComplaints = notifiedComplaints
    }
}
