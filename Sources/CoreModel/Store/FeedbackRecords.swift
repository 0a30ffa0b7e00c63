import Foundation

/// A delivery receipt as the store applies it.
public struct ReceiptRecord: Sendable, Hashable {
    public var messageId: Int64?
    public var gateway: String
    public var providerMessageId: String?
    public var outcome: ReceiptOutcome
    public var detail: String?
    /// Flag the member's contact for this channel as bounced.
    public var addressInvalid: Bool
    public var receivedAt: Date

    public init(
        messageId: Int64?, gateway: String, providerMessageId: String?, outcome: ReceiptOutcome, detail: String?, addressInvalid: Bool,
        receivedAt: Date
    ) {
        self.messageId = messageId
        self.gateway = gateway
        self.providerMessageId = providerMessageId
        self.outcome = outcome
        self.detail = detail
        self.addressInvalid = addressInvalid
        self.receivedAt = receivedAt
    }
}

/// Something a member sent, as the store records it.
public struct InboundRecord: Sendable, Hashable {
    public enum Kind: String, Sendable { case reply, dtmf, optout, bounce, unsubscribe }

    public var channel: Channel
    public var kind: Kind
    public var from: String
    public var to: String?
    public var body: String
    public var gateway: String
    public var providerMessageId: String?
    public var inReplyTo: Int64?
    public var receivedAt: Date

    public init(
        channel: Channel, kind: Kind, from: String, to: String?, body: String, gateway: String, providerMessageId: String?,
        inReplyTo: Int64?, receivedAt: Date
    ) {
        self.channel = channel
        self.kind = kind
        self.from = from
        self.to = to
        self.body = body
        self.gateway = gateway
        self.providerMessageId = providerMessageId
        self.inReplyTo = inReplyTo
        self.receivedAt = receivedAt
    }
}

public enum InboundResult: Sendable, Hashable {
    /// Stored; `memberNo` when the sender is a known member.
    case stored(memberNo: String?, consentRevoked: Bool)
    /// The provider sent the same message before.
    case duplicate
}

/// A message as the sending loop and `tidings send --wait` read it back.
public struct MessageState: Sendable, Hashable {
    public var id: Int64
    public var status: MessageStatus
    public var reason: String?
    public var gateway: String?
    public var providerMessageId: String?
    public var attempts: Int
}
