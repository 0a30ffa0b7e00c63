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
                ], now: now)
            let queued = try await store.queueDepth()
            #expect(
                queued.counts == [
                    .init(lane: .transactional, status: .queued, messages: 3),
                    .init(lane: .marketing, status: .queued, messages: 2),
                ])

            let leased = try await store.leaseDue(
                lane: .transactional, limit: 2, owner: "w1", leaseUntil: now + 60, now: now)
            #expect(leased.count == 2)
            _ = try await store.recordSendResults(
                [SendResult(messageId: leased[0].id, gateway: "sim", event: .accepted(providerMessageId: "p1"))],
                owner: "w1", now: now)
            let moving = try await store.queueDepth()
            #expect(
                moving.counts == [
                    .init(lane: .transactional, status: .queued, messages: 1),
                    .init(lane: .transactional, status: .sending, messages: 1),
                    .init(lane: .transactional, status: .submitted, messages: 1),
                    .init(lane: .marketing, status: .queued, messages: 2),
                ])
            #expect(moving.messages(lane: .transactional) == 3 && moving.messages(in: [.queued]) == 3)

            _ = try await store.recordSendResults(
                [SendResult(messageId: leased[1].id, gateway: "sim", event: .permanentFailure(reason: "refused"))],
                owner: "w1", now: now)
            #expect(try await store.queueDepth().messages(lane: .transactional) == 2, "a failed message counts nowhere")
        }
    }
}
