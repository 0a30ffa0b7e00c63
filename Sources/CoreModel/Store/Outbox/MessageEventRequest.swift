import Foundation

public struct MessageEventRequest: Sendable, Hashable {
    public var messageId: Int64
    public var event: MessageEvent
    /// Only apply if the message is still leased by this owner (nil: any).
    public var leaseOwner: String?

    public init(messageId: Int64, event: MessageEvent, leaseOwner: String? = nil) {
        self.messageId = messageId
        self.event = event
        self.leaseOwner = leaseOwner
    }
}
