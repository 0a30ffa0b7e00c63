import Foundation

/// A delivery report, parsed from a provider's webhook and applied by the store.
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
        messageId: Int64?, gateway: String, providerMessageId: String? = nil, outcome: ReceiptOutcome, detail: String? = nil,
        addressInvalid: Bool = false, receivedAt: Date = Date()
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

/// Something a member sent: an SMS reply, keypad digits, an unsubscribe.
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
        channel: Channel, kind: Kind, from: String, to: String?, body: String, gateway: String, providerMessageId: String? = nil,
        inReplyTo: Int64? = nil, receivedAt: Date = Date()
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
    /// When it is next due (retrying, deferred, queued).
    public var nextAttemptAt: Date?
    /// When a gateway accepted it.
    public var submittedAt: Date?
}

extension InboundRecord {
    /// Replies that mean "stop marketing to me": T, TD, 退订, STOP, UNSUBSCRIBE…
    public static func isOptOut(_ text: String) -> Bool {
        let word = text.trimmedWhitespace.uppercased()
        return ["T", "TD", "N", "STOP", "UNSUBSCRIBE", "退订", "退", "取消订阅", "退订回T"].contains(word)
    }
}
