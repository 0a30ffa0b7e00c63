import Foundation

/// What one gateway call did to one leased message.
public struct SendResult: Sendable, Hashable {
    public var messageId: Int64
    public var gateway: String?
    public var segments: Int?
    public var costMicros: Int?
    public var event: MessageEvent
    /// The provider says the address does not exist: flag the member's contact.
    public var invalidAddressReason: String?
    /// Sent through another gateway although an earlier, unanswered attempt
    /// may have reached its pinned one (allowed by `failover_after_unanswered`).
    public var possibleDuplicate: Bool

    public init(
        messageId: Int64, gateway: String?, segments: Int? = nil, costMicros: Int? = nil, event: MessageEvent,
        invalidAddressReason: String? = nil, possibleDuplicate: Bool = false
    ) {
        self.messageId = messageId
        self.gateway = gateway
        self.segments = segments
        self.costMicros = costMicros
        self.event = event
        self.invalidAddressReason = invalidAddressReason
        self.possibleDuplicate = possibleDuplicate
    }
}
