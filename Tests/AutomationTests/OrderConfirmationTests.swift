import CoreModel
import Foundation
import Scheduler
import Testing

struct OrderConfirmationTests {
    let config = automationConfig(enabled: [.orderConfirmation])

    @Test func anOrderRowIsConfirmedOnceAcrossScansAndARestart() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1")]))
            try await store.load(.orders([order("SO1", orderedAt: now.adding(minutes: -1))]))

            let first = try await automationRunner(store, config).runOnce(now: now)
            #expect(first[.orderConfirmation]?.enqueued == 1)
            let rows = try store.outbox()
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row.key == "order:SO1:confirm:sms")
            #expect(row.lane == "transactional" && row.category == "service" && row.priority == 10)
            #expect(row.address == "+8613812345678")
            #expect(row.text == "【鸿福楼】李女士您好，您在天河店的订单SO1已确认，金额368.00元。感谢惠顾！")
            #expect(row.orderNo == "SO1")
            #expect(row.boundAt == nil)
            #expect(row.notBefore == now)
            #expect(row.expiresAt == now.adding(minutes: -1, days: 1))

            let second = try await automationRunner(store, config).runOnce(now: now.adding(minutes: 1))
            #expect(second[.orderConfirmation]?.enqueued == 0)
            #expect(second[.orderConfirmation]?.duplicates == 0)

            let restarted = try store.reopened()
            let third = try await automationRunner(restarted, config).runOnce(now: now.adding(minutes: 2))
            #expect(third[.orderConfirmation]?.enqueued == 0)
            #expect(try restarted.outbox().count == 1)

            // Another writer's row is picked up by the next scan.
            try await restarted.load(.orders([order("SO2", orderedAt: now.adding(minutes: 2), amountFen: 1250)]))
            let fourth = try await automationRunner(restarted, config).runOnce(now: now.adding(minutes: 3))
            #expect(fourth[.orderConfirmation]?.enqueued == 1)
            #expect(try restarted.outbox().map(\.key) == ["order:SO1:confirm:sms", "order:SO2:confirm:sms"])
            #expect(try restarted.outbox().last?.text?.contains("金额12.50元") == true)
        }
    }

    @Test func aDelayMovesTheMessageNotTheScan() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1")]))
            try await store.load(.orders([order("SO1", orderedAt: now)]))
            let delayed = automationConfig(enabled: [.orderConfirmation]) { $0.orderConfirmation.delaySeconds = 90 }
            _ = try await automationRunner(store, delayed).runOnce(now: now)
            #expect(try store.outbox().map(\.notBefore) == [now.addingTimeInterval(90)])
        }
    }

    @Test func historyCancelledOrdersAndMissingContactsAreSkipped() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([
                member("M1", email: "li@example.com"), member("M2", phone: nil), member("M3", locale: "ja-JP"),
            ]))
            try await store.load(.orders([
                order("SO1", orderedAt: now.adding(days: -2)),
                order("SO2", status: .cancelled, orderedAt: now),
                order("SO3", member: "M2", orderedAt: now),
                order("SO4", orderedAt: now),
                order("SO5", member: "M3", orderedAt: now),
            ]))
            let both = automationConfig(enabled: [.orderConfirmation]) { $0.orderConfirmation.channels = [.sms, .email] }
            let report = try await automationRunner(store, both).runOnce(now: now)
            let tally = try #require(report[.orderConfirmation])
            #expect(tally.enqueued == 2)
            #expect(tally.skipped == [
                .stale: 1, .status(.cancelled): 1, .noAddress(.sms): 1, .noAddress(.email): 2, .renderFailed(.sms): 1,
            ])
            #expect(tally.error == nil)
            let rows = try store.outbox()
            #expect(rows.map(\.key) == ["order:SO4:confirm:sms", "order:SO4:confirm:email"])
            let email = try #require(rows.first { $0.key == "order:SO4:confirm:email" })
            #expect(email.address == "li@example.com")
            #expect(email.text?.hasPrefix("李女士您好：\n\n您在天河店的订单已确认。") == true)
            // Skipped rows are behind the cursor: the next scan does not see them again.
            let again = try await automationRunner(store, both).runOnce(now: now.adding(minutes: 1))
            #expect(again[.orderConfirmation]?.skippedCount == 0)
        }
    }
}
