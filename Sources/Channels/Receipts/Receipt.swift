import CoreModel
import Foundation

/// A delivery report, parsed from a provider's webhook.
public struct Receipt: Sendable, Hashable {
    /// Our message id when the provider echoes it (Kannel dlr-url, Aliyun OutId).
    public var messageId: Int64?
    public var gateway: String
    public var providerMessageId: String?
    public var outcome: ReceiptOutcome
    /// The provider's words: status text, error code.
    public var detail: String?
    /// The provider says the number or mailbox does not exist.
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

/// Something a member sent us: an SMS reply, keypad digits, an unsubscribe.
public struct InboundMessage: Sendable, Hashable {
    public enum Kind: String, Sendable { case reply, dtmf, optout, bounce, unsubscribe }

    public var channel: Channel
    public var kind: Kind
    public var from: String
    public var to: String?
    public var body: String
    public var gateway: String
    public var providerMessageId: String?
    /// The outbound message this answers, when the provider tells us (a call's gather).
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

    /// Replies that mean "stop marketing to me": T, TD, 退订, STOP, UNSUBSCRIBE…
    public static func isOptOut(_ text: String) -> Bool {
        let word = text.trimmedWhitespace.uppercased()
        return ["T", "TD", "N", "STOP", "UNSUBSCRIBE", "退订", "退", "取消订阅", "退订回T"].contains(word)
    }
}

/// Where parsed webhooks go. The worker wires this to the store (through the
/// scheduler's receipt applier); tests record them.
public protocol ReceiptSink: Sendable {
    /// Returns once the receipts are durable.
    func accept(_ receipts: [Receipt]) async throws
    func accept(_ inbound: InboundMessage) async throws
}
