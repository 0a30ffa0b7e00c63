import Channels
import CoreModel
import Foundation

/// Takes webhooks' receipts with group commit: receipts that arrive while an
/// append is being written join the next one, so a burst of callbacks becomes
/// a few appends to the store's receipt inbox instead of one fsync each. A
/// caller returns once its receipts are durable in the inbox (then the webhook
/// answers 200 and the provider stops retrying), without waiting for them to
/// be applied: `drainer`, run as a service beside the webhooks, does that.
public actor ReceiptApplier: ReceiptSink {
    private let store: any Receipts
    private let rules: any FeedbackRules
    private var pending: [(receipts: [ReceiptRecord], done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false
    public let maxBatch: Int
    /// Applies what is appended here, and what an earlier run left in the inbox.
    public nonisolated let drainer: ReceiptDrainer

    public init(store: any Receipts, rules: any FeedbackRules = FeedbackDecisions(), maxBatch: Int = 2000) {
        self.init(drainer: ReceiptDrainer(store: store, rules: rules), maxBatch: maxBatch)
    }

    /// Appends to the drainer's store; inbound messages are recorded with its rules.
    public init(drainer: ReceiptDrainer, maxBatch: Int = 2000) {
        self.store = drainer.store
        self.rules = drainer.rules
        self.drainer = drainer
        self.maxBatch = maxBatch
    }

    public func accept(_ receipts: [Receipt]) async throws {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((receipts, continuation))
            if !writing {
                writing = true
                Task { await self.append() }
            }
        }
    }

    public func accept(_ inbound: InboundMessage) async throws {
        _ = try await store.recordInbound([inbound], rules: rules)
    }

    private func append() async {
        while !pending.isEmpty {
            var taken = 0, count = 0
            while taken < pending.count, taken == 0 || count + pending[taken].receipts.count <= maxBatch {
                count += pending[taken].receipts.count
                taken += 1
            }
            let batch = pending[..<taken]
            pending.removeFirst(taken)
            do {
                try await store.appendReceipts(batch.flatMap(\.receipts))
                drainer.receiptsArrived()
                for entry in batch { entry.done.resume() }
            } catch {
                for entry in batch { entry.done.resume(throwing: error) }
            }
        }
        writing = false
    }
}
