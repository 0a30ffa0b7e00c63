import CoreModel
import Foundation
import Testing

/// The outbox as any store must keep it.
struct OutboxContractTests {
    let now = Fixture.now

    @Test(arguments: StoreKind.allCases)
    func anIdempotencyKeyNeverMakesASecondMessage(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let first = try await store.enqueue([Fixture.message("order:1:confirm:sms")], now: now)
            let second = try await store.enqueue(
                [Fixture.message("order:1:confirm:sms"), Fixture.message("order:2:confirm:sms")], now: now)
            guard case .enqueued(let id) = first[0], case .duplicate(let same) = second[0], case .enqueued = second[1]
            else {
                Issue.record("unexpected \(first) \(second)")
                return
            }
            #expect(id == same)
            #expect(try await store.statistics().tables["messages"] == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aMessageCarriesWhatItIsAbout(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            try await store.load(
                .orders([Fixture.order("SO1", kind: .reservation, status: .booked, scheduledAt: now + 7200)]))
            let reminder = Fixture.message(
                "reminder", purpose: .automation("reservation_reminder"), lane: .reminder, member: "M1", orderNo: "SO1")
            let other = Fixture.message(
                "other", purpose: .automation("order_confirmation"), member: "M1", orderNo: "SO1")
            _ = try await store.enqueue([reminder, other], now: now)
            let found = try await store.remindersUnanswered(
                purpose: .automation("reservation_reminder"), queuedAfter: now.addingTimeInterval(-1), through: now,
                now: now)
            #expect(found.map(\.orderNo) == ["SO1"])
            let none = try await store.remindersUnanswered(
                purpose: .automation("revisit_survey"), queuedAfter: now.addingTimeInterval(-1), through: now, now: now)
            #expect(none.isEmpty, "only messages of the purpose asked for")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aMessageIsLeasedByOneOwnerInPriorityOrder(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            _ = try await store.enqueue(
                [
                    Fixture.message("a", priority: 0), Fixture.message("b", priority: 5),
                    Fixture.message("later", notBefore: now.addingTimeInterval(60)),
                    Fixture.message("m", lane: .marketing),
                ], now: now)
            async let first = store.leaseDue(
                lane: .transactional, limit: 10, owner: "w1", leaseUntil: now + 30, now: now)
            async let second = store.leaseDue(
                lane: .transactional, limit: 10, owner: "w2", leaseUntil: now + 30, now: now)
            let (one, two) = try await (first, second)
            let winner = one.isEmpty ? two : one
            #expect(one.isEmpty || two.isEmpty, "two owners never share a message")
            #expect(winner.map(\.idempotencyKey) == ["b", "a"])
            #expect(winner.allSatisfy { $0.status == .sending && $0.attempts == 1 })
        }
    }

    /// A message's uid is random (unique across databases, unlike ids and keys), and
    /// every lease of it returns the same one and its first due time, for a retry's Message-ID and schedule.
    @Test(arguments: StoreKind.allCases)
    func aMessageKeepsItsUidAndFirstDueTimeAcrossRetries(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            _ = try await store.enqueue([Fixture.message("a"), Fixture.message("b")], now: now)
            let first = try await store.leaseDue(
                lane: .transactional, limit: 2, owner: "w", leaseUntil: now + 30, now: now)
            #expect(first.count == 2)
            #expect(first.allSatisfy { $0.uid.wholeMatch(of: /[0-9a-f]{32}/) != nil }, "\(first.map(\.uid))")
            #expect(first[0].uid != first[1].uid)
            #expect(first.allSatisfy { $0.notBefore.unixMillis == now.unixMillis })
            let later = now + 600
            _ = try await store.record(
                first.map {
                    MessageEventRequest(
                        messageId: $0.id, event: .transientFailure(reason: "busy", retryAt: later), leaseOwner: "w")
                }, now: now)
            let again = try await store.leaseDue(
                lane: .transactional, limit: 2, owner: "w", leaseUntil: later + 30, now: later)
            #expect(Dictionary(uniqueKeysWithValues: again.map { ($0.id, $0.uid) })
                == Dictionary(uniqueKeysWithValues: first.map { ($0.id, $0.uid) }))
            #expect(again.allSatisfy { $0.attempts == 2 && $0.notBefore.unixMillis == now.unixMillis })
        }
    }

    /// Each lane is leased on its own, so the dispatcher can give each its share.
    @Test(arguments: StoreKind.allCases)
    func lanesAreCountedAndLeasedApart(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let messages =
                (0..<5).map { Fixture.message("t\($0)") } + (0..<7).map { Fixture.message("m\($0)", lane: .marketing) }
                + [Fixture.message("r0", lane: .reminder)]
            _ = try await store.enqueue(messages, now: now)
            #expect(try await store.dueCounts(upTo: 6, now: now) == [.transactional: 5, .marketing: 6, .reminder: 1])
            let marketing = try await store.leaseDue(
                lane: .marketing, limit: 3, owner: "w", leaseUntil: now + 30, now: now)
            #expect(marketing.count == 3 && marketing.allSatisfy { $0.lane == .marketing })
            #expect(try await store.dueCounts(upTo: 100, now: now) == [.transactional: 5, .marketing: 4, .reminder: 1])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func eventsGoThroughTheStateMachineAndTheLease(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            _ = try await store.enqueue([Fixture.message("a")], now: now)
            let leased = try await store.leaseDue(
                lane: .transactional, limit: 1, owner: "w1", leaseUntil: now + 30, now: now)
            let id = try #require(leased.first?.id)
            let wrongOwner = try await store.record(
                [MessageEventRequest(messageId: id, event: .accepted(providerMessageId: "x"), leaseOwner: "w2")],
                now: now)
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

    @Test(arguments: StoreKind.allCases)
    func sendResultsRecordTheGatewayAndItsId(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            _ = try await store.enqueue([Fixture.message("a"), Fixture.message("b")], now: now)
            let leased = try await store.leaseDue(
                lane: .transactional, limit: 2, owner: "w", leaseUntil: now + 30, now: now)
            let results = try await store.recordSendResults(
                [
                    SendResult(
                        messageId: leased[0].id, gateway: "kannel", segments: 1,
                        event: .accepted(providerMessageId: "p-1")),
                    SendResult(
                        messageId: leased[1].id, gateway: "kannel",
                        event: .transientFailure(reason: "503", retryAt: now + 20)),
                ], owner: "w", now: now)
            #expect(results == [.applied(from: .sending, to: .submitted), .applied(from: .sending, to: .retrying)])
            let state = try #require(try await store.messageState(id: leased[0].id))
            #expect(state.status == .submitted && state.gateway == "kannel" && state.providerMessageId == "p-1")
            #expect(try await store.messageState(id: leased[1].id)?.nextAttemptAt == now + 20)
            #expect(
                try await store.leaseDue(
                    lane: .transactional, limit: 5, owner: "w", leaseUntil: now + 60, now: now + 19
                ).isEmpty)
            #expect(
                try await store.leaseDue(
                    lane: .transactional, limit: 5, owner: "w", leaseUntil: now + 60, now: now + 20
                ).count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func leasesOfTheDeadAndTheExpiredAreReconciledAndLeasedAgain(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            _ = try await store.enqueue([Fixture.message("a"), Fixture.message("b")], now: now)
            _ = try await store.leaseDue(
                lane: .transactional, limit: 1, owner: "crashed", leaseUntil: now + 30, now: now)
            _ = try await store.leaseDue(lane: .transactional, limit: 1, owner: "dead", leaseUntil: now + 300, now: now)
            #expect(Set(try await store.leaseOwners()) == ["crashed", "dead"])
            #expect(try await store.reconcileExpiredLeases(now: now + 10) == 0)
            #expect(try await store.reconcileExpiredLeases(now: now + 31) == 1)
            #expect(try await store.reconcileLeases(ownedBy: ["dead"], now: now + 31) == 1)
            #expect(try await store.leaseOwners().isEmpty)
            let again = try await store.leaseDue(
                lane: .transactional, limit: 5, owner: "w2", leaseUntil: now + 90, now: now + 31)
            #expect(Set(again.map(\.idempotencyKey)) == ["a", "b"])
            #expect(again.allSatisfy { $0.attempts == 2 }, "the same message, its second attempt")
        }
    }
}
