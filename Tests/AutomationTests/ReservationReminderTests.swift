import CoreModel
import Foundation
import Scheduler
import Testing

struct ReservationReminderTests {
    let config = automationConfig(enabled: [.reservationReminder])  // hours_before: 3

    /// `12月21日 18:30` as a Shanghai diner reads it.
    func shanghaiClock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        let c = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        return "\(c.month!)月\(c.day!)日 \(String(format: "%02d:%02d", c.hour!, c.minute!))"
    }

    @Test func aReminderIsEnqueuedHoursBeforeAndNotEarlier() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            let dinner = now.adding(hours: 5)
            try await store.load(.members([member("M1")]))
            try await store.load(.orders([
                order("SO1", kind: .reservation, status: .booked, orderedAt: now, scheduledAt: dinner, partySize: 4)
            ]))
            let runner = automationRunner(store, config)
            #expect(try await runner.runOnce(now: now)[.reservationReminder]?.enqueued == 0)
            #expect(try await runner.runOnce(now: now.adding(hours: 1, minutes: 59))[.reservationReminder]?.enqueued == 0)
            #expect(try store.outbox().isEmpty)

            #expect(try await runner.runOnce(now: now.adding(hours: 2))[.reservationReminder]?.enqueued == 1)
            let row = try #require(try store.outbox().first)
            #expect(row.key == "reservation:SO1:remind:\(Int(dinner.timeIntervalSince1970)):sms")
            #expect(row.lane == "reminder" && row.category == "service")
            #expect(row.text == "【鸿福楼】李女士您好，您已预订\(shanghaiClock(dinner))天河店4位用餐，期待您的光临。如需改期请致电门店。")
            #expect(row.orderNo == "SO1")
            #expect(row.boundAt == dinner)
            #expect(row.expiresAt == dinner)

            let later = try await automationRunner(try store.reopened(), config).runOnce(now: now.adding(hours: 2, minutes: 1))
            #expect(later[.reservationReminder]?.enqueued == 0)
            #expect(try store.outbox().count == 1)
        }
    }

    @Test func aMovedReservationGetsANewReminderAndTheOldOneStaysBoundToTheOldTime() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            let first = now.adding(hours: 2), second = now.adding(hours: 2, minutes: 30)
            try await store.load(.members([member("M1")]))
            try await store.load(.orders([
                order("SO1", kind: .reservation, status: .booked, orderedAt: now, scheduledAt: first, partySize: 2),
                order("SO2", kind: .banquet, status: .booked, orderedAt: now, scheduledAt: first, partySize: 20),
            ]))
            let runner = automationRunner(store, config)
            #expect(try await runner.runOnce(now: now)[.reservationReminder]?.enqueued == 2)

            // The call centre moves SO1 and cancels SO2: an import, not this process.
            try await store.load(.orders([
                order("SO1", kind: .reservation, status: .moved, orderedAt: now, scheduledAt: second, partySize: 2),
                order("SO2", kind: .banquet, status: .cancelled, orderedAt: now, scheduledAt: first, partySize: 20),
            ]))
            let report = try await runner.runOnce(now: now.adding(minutes: 1))
            #expect(report[.reservationReminder]?.enqueued == 1)
            let so1 = try store.outbox().filter { $0.orderNo == "SO1" }
            #expect(so1.map(\.key) == [
                "reservation:SO1:remind:\(Int(first.timeIntervalSince1970)):sms",
                "reservation:SO1:remind:\(Int(second.timeIntervalSince1970)):sms",
            ])
            #expect(so1.map(\.boundAt) == [first, second])
            #expect(so1.last?.text?.contains(shanghaiClock(second)) == true)
            #expect(try store.outbox().filter { $0.orderNo == "SO2" }.count == 1)
        }
    }

    @Test func aReservationWithoutPartySizeIsStillReminded() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1")]))
            try await store.load(.orders([order("SO1", kind: .reservation, status: .booked, orderedAt: now, scheduledAt: now.adding(hours: 1))]))
            _ = try await automationRunner(store, config).runOnce(now: now)
            #expect(try store.outbox().first?.text?.contains("天河店用餐") == true)
        }
    }
}
