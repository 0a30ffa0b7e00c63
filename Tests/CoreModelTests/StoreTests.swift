@testable import CoreModel
import GRDB
import Foundation
import Testing

struct StoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func message(_ key: String, lane: Lane = .transactional, priority: Int = 0, notBefore: Date? = nil) -> NewMessage {
        NewMessage(idempotencyKey: key, channel: .sms, lane: lane, category: .service, priority: priority, address: "+8613812345678", payload: #"{"text":"您好"}"#, notBefore: notBefore)
    }

    /// A lease must walk the partial due index in order and stop at its limit:
    /// a sort over the backlog would make every lease cost O(backlog).
    @Test func leasingReadsTheDueIndexWithoutSorting() async throws {
        try await withStore { store, _ in
            let plan = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(SQLiteStore.dueSQL)", arguments: ["marketing", 0, 10]).map { $0["detail"] as String }.joined(separator: "\n")
            }
            #expect(plan.contains("USING INDEX messages_due"), "\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }

    @Test func migrationsAreNamedAndApplied() async throws {
        try await withStore { store, _ in
            let applied = try store.appliedMigrations()
            #expect(applied == ["v1-records", "v1-outbox", "v2-outbox-partial-indexes", "v3-message-binding", "v4-automations"])
        }
    }

    @Test func idempotencyKeyPreventsASecondMessage() async throws {
        try await withStore { store, _ in
            let first = try await store.enqueue([message("order:1:confirm:sms")], now: now)
            let second = try await store.enqueue([message("order:1:confirm:sms")], now: now)
            guard case .enqueued(let id) = first[0], case .duplicate(let same) = second[0] else {
                Issue.record("unexpected \(first) \(second)")
                return
            }
            #expect(id == same)
            #expect(try await store.statistics().tables["messages"] == 1)
        }
    }

    @Test func leasingTakesDueMessagesByPriorityOnce() async throws {
        try await withStore { store, _ in
            _ = try await store.enqueue(
                [
                    message("a", priority: 0), message("b", priority: 5), message("later", notBefore: now.addingTimeInterval(60)),
                    message("m", lane: .marketing),
                ], now: now)
            let leased = try await store.leaseDue(lane: .transactional, limit: 10, owner: "w1", leaseUntil: now.addingTimeInterval(30), now: now)
            #expect(leased.map(\.idempotencyKey) == ["b", "a"])
            #expect(leased.allSatisfy { $0.status == .sending && $0.attempts == 1 && $0.leaseOwner == "w1" })
            let again = try await store.leaseDue(lane: .transactional, limit: 10, owner: "w2", leaseUntil: now.addingTimeInterval(30), now: now)
            #expect(again.isEmpty)
        }
    }

    @Test func eventsGoThroughTheStateMachineAndTheLease() async throws {
        try await withStore { store, _ in
            _ = try await store.enqueue([message("a")], now: now)
            let leased = try await store.leaseDue(lane: .transactional, limit: 1, owner: "w1", leaseUntil: now.addingTimeInterval(30), now: now)
            let id = try #require(leased.first?.id)
            let wrongOwner = try await store.record([MessageEventRequest(messageId: id, event: .accepted(providerMessageId: "x"), leaseOwner: "w2")], now: now)
            #expect(wrongOwner == [.leaseLost])
            let results = try await store.record(
                [
                    MessageEventRequest(messageId: id, event: .accepted(providerMessageId: "gw-1"), leaseOwner: "w1"),
                    MessageEventRequest(messageId: id, event: .receipt(.intermediate, detail: "ack")),
                    MessageEventRequest(messageId: id, event: .receipt(.delivered, detail: nil)),
                    MessageEventRequest(messageId: id, event: .cancelled(reason: "too late")),
                    MessageEventRequest(messageId: 999, event: .released),
                ], now: now)
            #expect(results[0] == .applied(from: .sending, to: .submitted))
            #expect(results[1] == .applied(from: .submitted, to: .submitted))
            #expect(results[2] == .applied(from: .submitted, to: .delivered))
            #expect(results[3] == .refused(.init(from: .delivered, event: "cancelled")))
            #expect(results[4] == .notFound)
            #expect(try await store.statistics().messagesByStatus == ["delivered": 1])
            // enqueued, accepted, intermediate, delivered (a lease writes no event row of its own)
            #expect(try await store.statistics().tables["message_events"] == 4)
        }
    }

    @Test func expiredLeasesBecomeUnknownAndCanBeLeasedAgain() async throws {
        try await withStore { store, _ in
            _ = try await store.enqueue([message("a")], now: now)
            _ = try await store.leaseDue(lane: .transactional, limit: 1, owner: "crashed", leaseUntil: now.addingTimeInterval(30), now: now)
            #expect(try await store.reconcileExpiredLeases(now: now.addingTimeInterval(10)) == 0)
            #expect(try await store.reconcileExpiredLeases(now: now.addingTimeInterval(31)) == 1)
            let again = try await store.leaseDue(lane: .transactional, limit: 1, owner: "w2", leaseUntil: now.addingTimeInterval(90), now: now.addingTimeInterval(31))
            #expect(again.first?.idempotencyKey == "a")
            #expect(again.first?.attempts == 2)
        }
    }

    @Test func transientFailureSchedulesTheNextAttempt() async throws {
        try await withStore { store, _ in
            _ = try await store.enqueue([message("a")], now: now)
            let id = try #require(try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: now.addingTimeInterval(30), now: now).first?.id)
            _ = try await store.record([.init(messageId: id, event: .transientFailure(reason: "503", retryAt: now.addingTimeInterval(20)), leaseOwner: "w")], now: now)
            #expect(try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: now.addingTimeInterval(60), now: now.addingTimeInterval(19)).isEmpty)
            #expect(try await store.leaseDue(lane: .transactional, limit: 1, owner: "w", leaseUntil: now.addingTimeInterval(60), now: now.addingTimeInterval(20)).count == 1)
        }
    }

    /// An answer linked to our message (simulator, Twilio gather) takes its
    /// sender from that message when the provider does not repeat it.
    @Test func anAnswerLinkedToAMessageIsFiledUnderItsRecipient() async throws {
        try await withStore { store, _ in
            guard case .enqueued(let id) = try await store.enqueue([message("survey:1:sms")], now: now)[0] else { throw StoreTestFailure.notEnqueued }
            let answer = InboundRecord(channel: .sms, kind: .reply, from: "", to: nil, body: "5", gateway: "sim", providerMessageId: "sim-1:reply", inReplyTo: id, receivedAt: now)
            #expect(try await store.recordInbound([answer, answer]) == [.stored(memberNo: nil, consentRevoked: false), .duplicate])
            let row = try await store.pool.read { try Row.fetchOne($0, sql: "SELECT from_address, message_id, body FROM inbound_messages") }
            #expect(row?["from_address"] == "+8613812345678")
            #expect(row?["message_id"] == id)
            #expect(row?["body"] == "5")
        }
    }
}

enum StoreTestFailure: Error { case notEnqueued }
