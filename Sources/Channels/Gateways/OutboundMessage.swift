import CoreModel
import Foundation

/// A message on its way to a provider: the outbox row, decoded.
public struct OutboundMessage: Sendable {
    public var id: Int64
    public var idempotencyKey: String
    public var channel: Channel
    /// E.164 phone, email or fax number.
    public var to: String
    public var content: MessageContent
    /// Marketing messages get List-Unsubscribe headers and opt-out text checks.
    public var category: ConsentCategory

    public init(
        id: Int64, idempotencyKey: String, channel: Channel, to: String, content: MessageContent,
        category: ConsentCategory
    ) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.channel = channel
        self.to = to
        self.content = content
        self.category = category
    }
}
