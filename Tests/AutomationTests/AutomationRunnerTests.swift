import CoreModel
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Testing

struct AutomationRunnerTests {
    /// Two new orders (one a reservation), late feedback, a resolved complaint, points expiring and a dormant member.
    func seedEverything(_ store: SQLiteStore, now: Date) async throws {
        try await store.load(.members([member("M1", points: 10), member("M2", name: "王先生", phone: "+8613900000000")]))
        try await store.load(.orders([
            order("SO1", orderedAt: now),
            order("SO2", kind: .reservation, status: .booked, orderedAt: now, scheduledAt: now.adding(hours: 1), partySize: 2),
            order("SO3", member: "M2", status: .delivered, orderedAt: now.adding(days: -120)),
        ]))
        let earned = PointsCredit(
            idempotencyKey: "earned", memberNo: "M1", orderNo: nil, points: 30, reason: "消费积分", expiresAt: now.adding(days: 10))
        _ = try await store.commit(AutomationBatch(credits: [earned]), now: now.adding(days: -300))
        try await store.load(.feedback([DeliveryFeedback(orderNo: "SO1", outcome: .late30m, note: nil, recordedAt: now)]))
        try await store.load(.complaints([
            Complaint(
                complaintNo: "C1", memberNo: "M2", orderNo: "SO3", channel: "phone", department: "外卖部", status: .resolved,
                description: "慢", resolution: "已致歉", openedAt: now.adding(days: -3), resolvedAt: now.adding(hours: -25), satisfaction: nil)
        ]))
    }

    @Test func disabledAutomationsWriteNothingAndLeaveTheirCursors() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await seedEverything(store, now: now)
            let off = automationConfig(enabled: [])
            let runner = automationRunner(store, off)
            #expect(runner.enabled.isEmpty)
            let report = try await runner.runOnce(now: now)
            #expect(report.tallies.isEmpty)
            #expect(try store.outbox().isEmpty)
            #expect(try await store.points(of: "M1") == 40)
            #expect(try await store.automationCursor(named: "order_confirmation") == nil)

            let on = try await automationRunner(store, automationConfig(enabled: Set(AutomationName.allCases))).runOnce(now: now)
            #expect(on.tallies.keys.sorted() == AutomationName.allCases)
            #expect(on.failed.isEmpty)
            // M2 has not ordered for 120 days; M1 just did.
            #expect(Set(try store.outbox().map(\.key)) == [
                "order:SO1:confirm:sms", "order:SO2:confirm:sms", "reservation:SO2:remind:\(Int(now.adding(hours: 1).timeIntervalSince1970)):sms",
                "order:SO1:apology:sms", "complaint:C1:survey:sms", "member:M1:points-expiry:\(shanghaiDay(now).prefix(7)):sms",
                "member:M2:win-back:\(shanghaiDay(now.adding(days: -30))):sms",
            ])
            #expect(try await store.points(of: "M1") == 90)
        }
    }

    @Test func aTemplateThatDoesNotLoadHoldsOnlyItsAutomation() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await seedEverything(store, now: now)
            let broken = automationConfig(enabled: [.orderConfirmation, .lateDeliveryApology]) {
                $0.orderConfirmation.template = "no-such-template"
            }
            let report = try await automationRunner(store, broken).runOnce(now: now)
            #expect(report.failed == [.orderConfirmation])
            #expect(report[.orderConfirmation]?.error?.contains("templates/no-such-template/sms.zh-CN.mustache") == true)
            #expect(report[.lateDeliveryApology]?.enqueued == 1)
            #expect(report.description.contains("late_delivery_apology: 1 enqueued, 0 duplicate, 1 points credits"))

            // The cursor stayed: once the template is fixed the order is confirmed.
            let fixed = automationConfig(enabled: [.orderConfirmation, .lateDeliveryApology])
            let next = try await automationRunner(store, fixed).runOnce(now: now.adding(minutes: 1))
            #expect(next[.orderConfirmation]?.enqueued == 2)
            #expect(next[.lateDeliveryApology]?.enqueued == 0)
        }
    }

    @Test func theServiceScansUntilGracefulShutdown() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1")]))
            try await store.load(.orders([order("SO1", orderedAt: now)]))
            let logger = Logger(label: "test.automations")
            let runner = AutomationRunner(
                store: store, settings: automationConfig(enabled: [.orderConfirmation]), defaults: .defaults,
                brand: .defaults, renderer: shippedTemplates, clock: FixedClock(now), logger: logger)
            let service = AutomationService(runner: runner, interval: .milliseconds(20), logger: logger)
            let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let deadline = Date().addingTimeInterval(10)
                while try store.outbox().isEmpty, Date() < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(try store.outbox().map(\.key) == ["order:SO1:confirm:sms"])
        }
    }

    /// `2026-06-01` in Shanghai.
    func shanghaiDay(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = shanghai
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
