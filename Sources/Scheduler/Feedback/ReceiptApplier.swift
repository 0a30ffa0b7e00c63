import Channels
import CoreModel
import Foundation

/// Applies webhooks to the store with group commit: receipts that arrive
/// while a batch is being written wait for the next batch, so a burst of
/// callbacks becomes a few transactions instead of one fsync each. Every
/// caller returns only once its receipts are durable (then the webhook
/// answers 200 and the provider stops retrying).
public actor ReceiptApplier: ReceiptSink {
    private let store: any Receipts
    private let rules: any FeedbackRules
    private var pending: [(receipts: [ReceiptRecord], done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false
    public let maxBatch: Int

    public init(store: any Receipts, rules: any FeedbackRules = FeedbackDecisions(), maxBatch: Int = 2000) {
        self.store = store
        self.rules = rules
        self.maxBatch = maxBatch
    }

    public func accept(_ receipts: [Receipt]) async throws {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((receipts, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    public func accept(_ inbound: InboundMessage) async throws {
        _ = try await store.recordInbound([inbound], rules: rules)
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
                _ = try await store.applyReceipts(batch.flatMap(\.receipts), rules: rules)
                for entry in batch { entry.done.resume() }
            } catch {
                for entry in batch { entry.done.resume(throwing: error) }
            }
        }
        writing = false
    }
}
