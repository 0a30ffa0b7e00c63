import Foundation

/// What one step of an automation writes, in one transaction: the messages,
/// the points credits and the cursor past the rows that produced them.
public struct AutomationBatch: Sendable, Hashable {
    public var messages: [NewMessage]
    public var credits: [PointsCredit]
    public var cursor: AutomationCursor?

    public init(messages: [NewMessage] = [], credits: [PointsCredit] = [], cursor: AutomationCursor? = nil) {
        self.messages = messages
        self.credits = credits
        self.cursor = cursor
    }
}
