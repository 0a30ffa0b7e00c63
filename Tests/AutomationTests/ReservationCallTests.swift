import CoreModel
import Foundation
import Scheduler
import Testing

/// Escalation: a reminder SMS neither delivered nor answered after 30 minutes → an IVR call; its keypad answer updates the booking.
struct ReservationCallTests {
    let config = automationConfig(enabled: [.reservationReminder, .reservationCall])  // hours_before 3, after_minutes 30

    @Test func anUnansweredReminderIsFollowedByACallWhoseKeysUpdateTheBooking() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            let dinner = now.adding(hours: 2)
            try await store.load(.members([member("M1"), member("M2", phone: "+8613900000002")]))
            try await store.load(.orders([
                order("SO1", kind: .reservation, status: .booked, orderedAt: now, scheduledAt: dinner, partySize: 4),
                order("SO2", member: "M2", kind: .reservation, status: .booked, orderedAt: now, scheduledAt: dinner, partySize: 2),
            ]))
            let runner = automationRunner(store, config)
            #expect(try await runner.runOnce(now: now)[.reservationReminder]?.enqueued == 2)
            // M2 answers the reminder; M1 does not, and the SMS is never delivered.
            let reminders = try await store.messageStates(idempotencyKeys: ["reservation:SO2:remind:\(Int(dinner.timeIntervalSince1970)):sms"])
            let answered = try #require(reminders.values.first?.id)
            _ = try await store.recordInbound([InboundRecord(
                channel: .sms, kind: .reply, from: "+8613900000002", to: nil, body: "好的", gateway: "sim", providerMessageId: "up-1", inReplyTo: answered, receivedAt: now)], rules: FeedbackDecisions())

            #expect(try await runner.runOnce(now: now.adding(minutes: 29))[.reservationCall]?.enqueued == 0, "not before 30 minutes")
            #expect(try await runner.runOnce(now: now.adding(minutes: 31))[.reservationCall]?.enqueued == 1)
            #expect(try await automationRunner(try store.reopened(), config).runOnce(now: now.adding(minutes: 40))[.reservationCall]?.enqueued == 0, "once")
            let calls = try store.outbox().filter { $0.channel == "voice" }
            let callKey = "reservation:SO1:remind:\(Int(dinner.timeIntervalSince1970)):call:voice"
            #expect(calls.map(\.key) == [callKey])
            #expect(calls.first?.boundAt == dinner)

            // The callee presses 2: the booking is cancelled.
            let call = try #require(try await store.messageStates(idempotencyKeys: [callKey])[callKey]?.id)
            _ = try await store.recordInbound([InboundRecord(
                channel: .voice, kind: .dtmf, from: "", to: nil, body: "2", gateway: "sim", providerMessageId: "call-1:gather", inReplyTo: call, receivedAt: now)], rules: FeedbackDecisions())
            let profile = try await store.memberProfile(memberNo: "M1", timelineLimit: 20)
            #expect(profile?.recentOrders.first { $0.orderNo == "SO1" }?.status == "cancelled")
            #expect(try await store.memberProfile(memberNo: "M2", timelineLimit: 20)?.recentOrders.first?.status == "booked", "a reply is not a key press")
        }
    }
}
