import Channels
import CoreModel
import Foundation
import Scheduler
import TestSupport
import Testing

/// A webhook's receipts are durable in the inbox when `accept` returns, and
/// the drainer applies them shortly after: woken by the append, and on start
/// for what a stopped worker left behind.
struct ReceiptApplierTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// `count` messages accepted by gateway "kannel": their ids.
    func submitted(_ count: Int, in store: SQLiteStore) async throws -> [Int64] {
        _ = try await store.enqueue(
            (1...count).map {
                NewMessage(
                    idempotencyKey: "r\($0)", purpose: .single, channel: .sms, lane: .transactional, category: .service,
                    address: "+8613800000000", payload: #"{"text":"x"}"#)
            }, now: now)
        let ids = try await store.leaseDue(
            lane: .transactional, limit: count, owner: "w", leaseUntil: now + 60, now: now
        ).map(\.id)
        _ = try await store.recordSendResults(
            ids.map { SendResult(messageId: $0, gateway: "kannel", event: .accepted(providerMessageId: nil)) },
            owner: "w", now: now)
        return ids
    }

    func delivered(_ id: Int64) -> Receipt {
        Receipt(messageId: id, gateway: "kannel", outcome: .delivered, receivedAt: now + 1)
    }

    /// True once every message is delivered; false after `seconds`.
    func allDelivered(_ ids: [Int64], in store: SQLiteStore, within seconds: Double = 10) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var statuses: [MessageStatus?] = []
            for id in ids { statuses.append(try await store.messageState(id: id)?.status) }
            if statuses.allSatisfy({ $0 == .delivered }) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Runs the drainer for the body's duration.
    func draining<T: Sendable>(_ drainer: ReceiptDrainer, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await drainer.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    @Test func acceptReturnsOnceTheReceiptsAreDurableAndTheDrainerAppliesThemWhenWoken() async throws {
        try await withTemporaryDirectory("tidings-receipts") { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("t.sqlite").path)
            let ids = try await submitted(3, in: store)
            // Idle a minute: only an append's wake can make it apply within the test's ten seconds.
            let applier = ReceiptApplier(drainer: ReceiptDrainer(store: store, idle: .seconds(60)))
            try await applier.accept([delivered(ids[0])])
            #expect(try await store.receiptInboxDepth() == 1, "durable in the inbox before the 200")
            #expect(try await store.messageState(id: ids[0])?.status == .submitted, "applied only by the drainer")
            try await draining(applier.drainer) {
                #expect(try await allDelivered([ids[0]], in: store), "applied on start")
                try await Task.sleep(for: .milliseconds(50))
                try await applier.accept(ids[1...].map(delivered))
                #expect(try await allDelivered(ids, in: store), "applied when the append woke the drainer")
                #expect(try await store.receiptInboxDepth() == 0)
            }
        }
    }

    @Test func receiptsLeftInTheInboxAreAppliedWhenTheNextWorkerStarts() async throws {
        try await withTemporaryDirectory("tidings-receipts") { directory in
            let path = directory.appendingPathComponent("t.sqlite").path
            let ids: [Int64]
            do {
                let store = try SQLiteStore(path: path)
                ids = try await submitted(2, in: store)
                // This worker answered the webhook and stopped before its drainer ran.
                try await ReceiptApplier(store: store).accept(ids.map(delivered))
            }
            let restarted = try SQLiteStore(path: path)
            #expect(try await restarted.receiptInboxDepth() == 2)
            let applier = ReceiptApplier(store: restarted)
            let applied = try await draining(applier.drainer) { try await allDelivered(ids, in: restarted) }
            #expect(applied)
            #expect(try await restarted.receiptInboxDepth() == 0)
        }
    }
}
