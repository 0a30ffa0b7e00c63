import Foundation

public struct AutomationBatchResult: Sendable, Hashable {
    /// One per message, in order, then one per ticket and per escalation
    /// call: a ticket whose orders are on one already is the duplicate of
    /// that ticket's message; a call for a ticket acknowledged or escalated
    /// meanwhile, or a branch without a phone, gives none.
    public var messages: [EnqueueResult]
    /// Credits written now (a known key writes nothing).
    public var creditsApplied: Int

    public init(messages: [EnqueueResult], creditsApplied: Int) {
        self.messages = messages
        self.creditsApplied = creditsApplied
    }
}
