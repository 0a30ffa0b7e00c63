import Foundation

/// What comes back from providers: delivery receipts and what members send.
/// The store records them and executes what `rules` decide they do (revoke
/// consents, update a booking, flag a contact), in the same transaction; it
/// holds no business rule of its own.
public protocol Receipts: Sendable {
    /// Applies delivery receipts in one transaction (matched by our id, else by
    /// gateway and provider id), each through the message state machine.
    func applyReceipts(_ receipts: [ReceiptRecord], rules: any FeedbackRules) async throws -> [MessageTransitionResult]

    /// Appends webhooks' receipts to the inbox in one transaction, in the
    /// order given, without reading anything: durable on return, applied later.
    func appendReceipts(_ receipts: [ReceiptRecord]) async throws

    /// Applies up to `limit` of the oldest receipts in the inbox, in arrival
    /// order and as `applyReceipts` would, and removes them in the same
    /// transaction: if anything throws, the inbox and the messages are as before.
    func applyReceiptInbox(limit: Int, rules: any FeedbackRules) async throws -> ReceiptInboxPass

    /// Receipts in the inbox not yet applied.
    func receiptInboxDepth() async throws -> Int

    /// Stores replies, key presses and unsubscribes (a provider's repeat is a
    /// duplicate) with the member they come from, and executes their actions.
    func recordInbound(_ messages: [InboundRecord], rules: any FeedbackRules) async throws -> [InboundResult]
}
