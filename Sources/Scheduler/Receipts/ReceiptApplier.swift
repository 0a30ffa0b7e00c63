import Channels
import CoreModel
import Foundation

/// Applies webhooks to the store with group commit: receipts that arrive
/// while a batch is being written wait for the next batch, so a burst of
/// callbacks becomes a few transactions instead of one fsync each. Every
/// caller returns only once its receipts are durable (then the webhook
/// answers 200 and the provider stops retrying).
public actor ReceiptApplier: ReceiptSink {
    private let store: any Store
    private var pending: [(receipts: [ReceiptRecord], done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false
    public let maxBatch: Int

    public init(store: any Store, maxBatch: Int = 2000) {
        self.store = store
        self.maxBatch = maxBatch
    }

    public func accept(_ receipts: [Receipt]) async throws {
        let records = receipts.map {
            ReceiptRecord(
                messageId: $0.messageId, gateway: $0.gateway, providerMessageId: $0.providerMessageId, outcome: $0.outcome,
                detail: $0.detail, addressInvalid: $0.addressInvalid, receivedAt: $0.receivedAt)
        }
        try await withCheckedThrowingContinuation { continuation in
            pending.append((records, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    public func accept(_ inbound: InboundMessage) async throws {
        _ = try await store.recordInbound([
            InboundRecord(
                channel: inbound.channel, kind: InboundRecord.Kind(rawValue: inbound.kind.rawValue) ?? .reply, from: inbound.from,
                to: inbound.to, body: inbound.body, gateway: inbound.gateway, providerMessageId: inbound.providerMessageId,
                inReplyTo: inbound.inReplyTo, receivedAt: inbound.receivedAt)
        ])
    }

    private func drain() async {
        while !pending.isEmpty {
            var taken = 0, count = 0
            while taken < pending.count, taken == 0 || count + pending[taken].receipts.count <= maxBatch {
                count += pending[taken].receipts.count
                taken += 1
            }
            let batch = pending[..<taken]
            pending.removeFirst(taken)
            do {
                _ = try await store.applyReceipts(batch.flatMap(\.receipts))
                for entry in batch { entry.done.resume() }
            } catch {
                for entry in batch { entry.done.resume(throwing: error) }
            }
        }
        writing = false
    }
}
