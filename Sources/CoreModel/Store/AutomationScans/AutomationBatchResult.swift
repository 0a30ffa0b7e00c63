import Foundation

public struct AutomationBatchResult: Sendable, Hashable {
    /// One per message, in order.
    public var messages: [EnqueueResult]
    /// Credits written now (a known key writes nothing).
    public var creditsApplied: Int

    public init(messages: [EnqueueResult], creditsApplied: Int) {
        self.messages = messages
        self.creditsApplied = creditsApplied
    }
}
