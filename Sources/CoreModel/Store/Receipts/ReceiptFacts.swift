/// What the store knows about a receipt once it is matched and applied.
public struct ReceiptFacts: Sendable, Hashable {
    public var messageId: Int64
    /// What the receipt did to its message through the state machine.
    public var transition: MessageTransitionResult

    public init(messageId: Int64, transition: MessageTransitionResult) {
        self.messageId = messageId
        self.transition = transition
    }
}
