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
        messageId: Int64?, gateway: String, providerMessageId: String? = nil, outcome: ReceiptOutcome,
        detail: String? = nil,
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
