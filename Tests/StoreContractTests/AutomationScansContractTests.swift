import CoreModel
import Foundation
import Testing

/// What the automations read, as any store must serve it.
struct AutomationScansContractTests {
    let now = Fixture.now

    /// Reads every page of new orders from `cursor`, as the automations do, and commits the cursor.
    func readOrders(
        _ store: any Store, from cursor: RowCursor, at time: Date, limit: Int = 2
    ) async throws -> (RowCursor, [String]) {
        var cursor = cursor
        var seen: [String] = []
        while true {
            let page = try await store.ordersCreated(after: cursor, limit: limit)
            cursor = cursor.advanced(over: page.map(\.id), limit: limit, now: time, patience: 600)
            seen += page.map(\.orderNo)
            _ = try await store.commit(
                AutomationBatch(cursor: AutomationCursor(name: "orders", rows: cursor)), now: time)
            if page.count < limit { return (cursor, seen) }
        }
    }

    /// The automations' row cursor must not skip an order whose writer took
    /// its id first but committed after a later one had been read.
    @Test(arguments: StoreKind.allCases)
    func aRowCursorFindsAnOrderThatCommitsOutOfIdOrder(_ kind: StoreKind) async throws {
        try await kind.withStore { store, harness in
            try await store.load(.members([Fixture.member("M1")]))
            try await store.load(.orders([Fixture.order("SO1"), Fixture.order("SO2")]))
            var (cursor, seen) = try await readOrders(store, from: .start, at: now)
            #expect(seen == ["SO1", "SO2"])
            try await harness.commitOutOfOrder(earlier: Fixture.order("SO3"), later: Fixture.order("SO4")) {
                (cursor, seen) = try await readOrders(store, from: cursor, at: now + 1)
                #expect(seen == ["SO4"])
                #expect(cursor.gaps.count == 1, "the id SO3's writer holds is remembered")
            }
            try await store.load(.orders([Fixture.order("SO5")]))
            // The store keeps the cursor with its gap: a restarted worker carries on from it.
            let stored = try #require(try await store.automationCursor(named: "orders"))
            (cursor, seen) = try await readOrders(store, from: stored.rows, at: now + 2)
            #expect(seen == ["SO3", "SO5"])
            #expect(cursor.gaps.isEmpty)
            (_, seen) = try await readOrders(store, from: cursor, at: now + 3)
            #expect(seen.isEmpty, "each order once")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func feedbackIsFollowedByRowCursorToo(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            try await store.load(
                .orders([Fixture.order("SO1", status: .delivered), Fixture.order("SO2", status: .delivered)]))
            try await store.load(
                .feedback([
                    DeliveryFeedback(orderNo: "SO1", outcome: .late1h, note: nil, recordedAt: now),
                    DeliveryFeedback(orderNo: "SO2", outcome: .onTime, note: nil, recordedAt: now),
                ]))
            let first = try await store.feedbackRecorded(after: .start, limit: 1)
            #expect(first.map(\.order.orderNo) == ["SO1"] && first.first?.outcome == .late1h)
            let cursor = RowCursor.start.advanced(over: first.map(\.id), limit: 1, now: now, patience: 600)
            #expect(try await store.feedbackRecorded(after: cursor, limit: 5).map(\.order.orderNo) == ["SO2"])
        }
    }

    /// Messages, credits and the cursor go in together; known keys change nothing.
    @Test(arguments: StoreKind.allCases)
    func aBatchCommitsMessagesCreditsAndCursorTogether(_ kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            try await store.load(.members([Fixture.member("M1")]))
            let batch = AutomationBatch(
                messages: [Fixture.message("apology", purpose: .automation("late_delivery_apology"), member: "M1")],
                credits: [
                    PointsCredit(
                        idempotencyKey: "credit-1", memberNo: "M1", orderNo: nil, points: 50, reason: "致歉",
                        expiresAt: nil)
                ],
                cursor: AutomationCursor(name: "late_delivery_apology", position: 7))
            let first = try await store.commit(batch, now: now)
            let again = try await store.commit(batch, now: now)
            #expect(first.creditsApplied == 1 && again.creditsApplied == 0)
            #expect(again.messages.first == .duplicate(messageId: first.messages[0].id))
            #expect(try await store.memberProfile(memberNo: "M1", timelineLimit: 1)?.member.points == 50)
            #expect(try await store.automationCursor(named: "late_delivery_apology")?.position == 7)
            _ = try await store.commit(
                AutomationBatch(cursor: AutomationCursor(name: "late_delivery_apology", position: 3)), now: now)
            #expect(
                try await store.automationCursor(named: "late_delivery_apology")?.position == 7,
                "positions only move forward")
        }
    }
}
