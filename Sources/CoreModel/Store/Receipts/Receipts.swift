import Foundation

/// What comes back from providers: delivery receipts and what members send.
/// The store records them and executes what `rules` decide they do (revoke
/// consents, update a booking, flag a contact), in the same transaction; it
/// holds no business rule of its own.
public protocol Receipts: Sendable {
    /// Applies delivery receipts in one transaction (matched by our id, else by
    /// gateway and provider id), each through the message state machine.
    func applyReceipts(_ receipts: [ReceiptRecord], rules: any FeedbackRules) async throws -> [MessageTransitionResult]

    /// Stores replies, key presses and unsubscribes (a provider's repeat is a
    /// duplicate) with the member they come from, and executes their actions.
    func recordInbound(_ messages: [InboundRecord], rules: any FeedbackRules) async throws -> [InboundResult]
}
