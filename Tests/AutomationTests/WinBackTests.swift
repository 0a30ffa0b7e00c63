import CoreModel
import Foundation
import Scheduler
import Testing

struct WinBackTests {
    let config = automationConfig(enabled: [.winBack])  // dormant 90 days, once per 90, offer 14 days

    func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = shanghai
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    @Test func aDormantMemberIsWonBackOncePerPeriod() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1"), member("M2", name: "王先生", phone: "+8613900000000")]))
            try await store.load(.orders([
                order("SO1", member: "M1", status: .delivered, orderedAt: now.adding(days: -100)),
                order("SO2", member: "M2", status: .delivered, orderedAt: now.adding(days: -10)),
            ]))
            let runner = automationRunner(store, config)
            let first = try await runner.runOnce(now: now)
            #expect(first[.winBack]?.enqueued == 1)
            let row = try #require(try store.outbox().first)
            #expect(row.key == "member:M1:win-back:\(day(now.adding(days: -10))):sms")
            #expect(row.lane == "marketing" && row.category == "marketing")
            #expect(row.text == "【鸿福楼】李女士您好，好久不见！天河店为您备好回归礼，\(day(now.adding(days: 14)))前到店出示本短信享九折。回T退订")
            #expect(row.expiresAt == now.adding(days: 14))

            #expect(try await runner.runOnce(now: now.adding(hours: 2))[.winBack]?.enqueued == 0)
            #expect(try await runner.runOnce(now: now.adding(days: 79))[.winBack]?.enqueued == 0)
            // 90 days on, M1's second period starts; M2 has been quiet for 91 days by then.
            let later = try await automationRunner(try store.reopened(), config).runOnce(now: now.adding(days: 81))
            #expect(later[.winBack]?.enqueued == 2)
            #expect(try store.outbox().map(\.key) == [
                "member:M1:win-back:\(day(now.adding(days: -10))):sms",
                "member:M1:win-back:\(day(now.adding(days: 80))):sms",
                "member:M2:win-back:\(day(now.adding(days: 80))):sms",
            ])
        }
    }

    @Test func aNewOrderEndsTheDormancy() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1")]))
            try await store.load(.orders([order("SO1", status: .delivered, orderedAt: now.adding(days: -100))]))
            let runner = automationRunner(store, config)
            #expect(try await runner.runOnce(now: now)[.winBack]?.enqueued == 1)
            try await store.load(.orders([order("SO2", status: .delivered, orderedAt: now.adding(days: 1))]))
            #expect(try await runner.runOnce(now: now.adding(days: 85))[.winBack]?.enqueued == 0)
            #expect(try await runner.runOnce(now: now.adding(days: 92))[.winBack]?.enqueued == 1)
            #expect(try store.outbox().last?.key == "member:M1:win-back:\(day(now.adding(days: 91))):sms")
        }
    }
}
