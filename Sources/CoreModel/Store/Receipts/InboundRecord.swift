import Foundation

/// Something a member sent: an SMS reply, keypad digits, an unsubscribe, as
/// the webhook parsed it. What it means (a reply saying 退订 is an opt-out) is
/// for the feedback rules to decide.
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
        channel: Channel, kind: Kind, from: String, to: String?, body: String, gateway: String,
        providerMessageId: String? = nil,
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
