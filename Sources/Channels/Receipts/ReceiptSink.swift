import CoreModel

/// Channels speak of receipts and inbound messages in the store's own terms.
public typealias Receipt = ReceiptRecord
public typealias InboundMessage = InboundRecord

/// Where parsed webhooks go. The worker wires this to the store (through the
/// scheduler's receipt applier); tests record them.
public protocol ReceiptSink: Sendable {
    /// Returns once the receipts are durable.
    func accept(_ receipts: [Receipt]) async throws
    func accept(_ inbound: InboundMessage) async throws
}
