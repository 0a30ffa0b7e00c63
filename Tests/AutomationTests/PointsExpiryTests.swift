import CoreModel
import Foundation
import Scheduler
import Testing

struct PointsExpiryTests {
    let config = automationConfig(enabled: [.pointsExpiry])  // from the 1st, 30 days ahead

    func credit(_ key: String, _ points: Int, expiring: String) -> PointsCredit {
        PointsCredit(idempotencyKey: key, memberNo: "M1", orderNo: nil, points: points, reason: "消费积分", expiresAt: shanghaiTime(expiring))
    }

    @Test func oneNoticePerMonthForThePointsAboutToExpire() async throws {
        try await withAutomationStore { store in
            try await store.load(.members([member("M1", points: 300), member("M2", phone: "+8613900000000", points: 0)]))
            let earned = shanghaiTime("2025-06-01 12:00")
            _ = try await store.commit(
                AutomationBatch(credits: [
                    credit("earn-1", 120, expiring: "2026-06-20 00:00"), credit("earn-2", 80, expiring: "2026-07-25 00:00"),
                    credit("earn-3", 40, expiring: "2027-05-01 00:00"),
                ]),
                now: earned)
            #expect(try await store.points(of: "M1") == 540)

            let runner = automationRunner(store, config)
            let june = try await runner.runOnce(now: shanghaiTime("2026-06-02 10:00"))
            #expect(june[.pointsExpiry]?.enqueued == 1)
            #expect(try await runner.runOnce(now: shanghaiTime("2026-06-15 10:00"))[.pointsExpiry]?.enqueued == 0)
            #expect(try await runner.runOnce(now: shanghaiTime("2026-06-30 23:59"))[.pointsExpiry]?.enqueued == 0)
            let july = try await automationRunner(try store.reopened(), config).runOnce(now: shanghaiTime("2026-07-01 09:00"))
            #expect(july[.pointsExpiry]?.enqueued == 1)
            #expect(try await runner.runOnce(now: shanghaiTime("2026-07-20 09:00"))[.pointsExpiry]?.enqueued == 0)

            let rows = try store.outbox()
            #expect(rows.map(\.key) == ["member:M1:points-expiry:2026-06:sms", "member:M1:points-expiry:2026-07:sms"])
            #expect(rows.map(\.text) == [
                "【鸿福楼】李女士您好，您有120积分将于2026-06-20到期，请在到期前到店使用。",
                "【鸿福楼】李女士您好，您有80积分将于2026-07-25到期，请在到期前到店使用。",
            ])
            #expect(rows.allSatisfy { $0.lane == "reminder" && $0.category == "service" })
            #expect(rows.first?.expiresAt == shanghaiTime("2026-06-20 00:00"))
        }
    }

    @Test func beforeTheDayOfTheMonthLastMonthIsStillDue() async throws {
        try await withAutomationStore { store in
            try await store.load(.members([member("M1", points: 0)]))
            let earned = AutomationBatch(credits: [credit("earn-1", 60, expiring: "2026-06-20 00:00")])
            _ = try await store.commit(earned, now: shanghaiTime("2025-06-01 12:00"))
            let fifth = automationConfig(enabled: [.pointsExpiry]) { $0.pointsExpiry.dayOfMonth = 5 }
            let runner = automationRunner(store, fifth)
            // On 3 June the May notice is the one due (first run); from 5 June, June's.
            #expect(try await runner.runOnce(now: shanghaiTime("2026-06-03 10:00"))[.pointsExpiry]?.enqueued == 1)
            #expect(try await runner.runOnce(now: shanghaiTime("2026-06-04 10:00"))[.pointsExpiry]?.enqueued == 0)
            #expect(try await runner.runOnce(now: shanghaiTime("2026-06-05 10:00"))[.pointsExpiry]?.enqueued == 1)
            #expect(try store.outbox().map(\.key) == ["member:M1:points-expiry:2026-05:sms", "member:M1:points-expiry:2026-06:sms"])
        }
    }
}
