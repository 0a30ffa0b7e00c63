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

    public init(
        messageId: Int64, gateway: String?, segments: Int? = nil, costMicros: Int? = nil, event: MessageEvent,
        invalidAddressReason: String? = nil
    ) {
        self.messageId = messageId
        self.gateway = gateway
        self.segments = segments
        self.costMicros = costMicros
        self.event = event
        self.invalidAddressReason = invalidAddressReason
    }
}
