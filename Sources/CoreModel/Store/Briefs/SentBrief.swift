/// One message of a brief in the outbox, as `tidings manager brief` shows it.
public struct SentBrief: Sendable, Hashable {
    public var channel: Channel
    public var status: MessageStatus
    /// The stored `MessageContent` JSON.
    public var payload: String

    public init(channel: Channel, status: MessageStatus, payload: String) {
        self.channel = channel
        self.status = status
        self.payload = payload
    }
}
