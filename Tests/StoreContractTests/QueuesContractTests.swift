import CoreModel
import Foundation
import Testing

/// The queue depth the dashboard shows, as any store must count it.
struct QueuesContractTests {
    let now = Fixture.now

    @Test(arguments: StoreKind.allCases)
    func theDepthCountsWhereEachUnfinishedMessageWaits(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            _ = try await store.enqueue(
                [
                    Fixture.message("t1"), Fixture.message("t2"), Fixture.message("t3"),
                    Fixture.message("m1", lane: .marketing, category: .marketing),
                    Fixture.message("m2", lane: .marketing, category: .marketing, notBefore: now + 3600),
                    Fixture.message("e1", address: "li@example.com", channel: .email),
                ], now: now)
            let empty = try await store.queueDepth(now: now)
            #expect(empty.lanes.map(\.lane) == Lane.allCases)
            #expect(empty.lanes.first { $0.lane == .transactional } == .init(lane: .transactional, due: 4, later: 0))
            #expect(empty.lanes.first { $0.lane == .marketing } == .init(lane: .marketing, due: 1, later: 1))
            #expect(empty.lanes.first { $0.lane == .reminder } == .init(lane: .reminder, due: 0, later: 0))
            #expect(empty.sending == 0 && empty.awaitingReceipt.isEmpty)

            let leased = try await store.leaseDue(
                lane: .transactional, limit: 2, owner: "w1", leaseUntil: now + 60, now: now)
            #expect(leased.count == 2)
            _ = try await store.recordSendResults(
                [SendResult(messageId: leased[0].id, gateway: "sim", event: .accepted(providerMessageId: "p1"))],
                owner: "w1", now: now)
            let moving = try await store.queueDepth(now: now)
            #expect(moving.lanes.first { $0.lane == .transactional }?.due == 2)
            #expect(moving.sending == 1)
            #expect(moving.awaitingReceipt == [.init(channel: leased[0].channel, messages: 1)])
            #expect(try await store.queueDepth(now: now + 7200).lanes.first { $0.lane == .marketing }?.due == 2)
        }
    }
}
