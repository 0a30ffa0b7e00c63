/// What the store knows about a receipt once it is matched and applied.
public struct ReceiptFacts: Sendable, Hashable {
    public var messageId: Int64
    /// What the receipt did to its message through the state machine.
    public var transition: MessageTransitionResult
    /// The message's channel and what it was for (nil: written before purposes were recorded).
    public var channel: Channel?
    public var purpose: MessagePurpose?

    public init(
        messageId: Int64, transition: MessageTransitionResult, channel: Channel? = nil, purpose: MessagePurpose? = nil
    ) {
        self.messageId = messageId
        self.transition = transition
        self.channel = channel
        self.purpose = purpose
    }
}
