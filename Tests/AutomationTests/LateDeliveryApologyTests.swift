import CoreModel
import Foundation
import Scheduler
import Testing

struct LateDeliveryApologyTests {
    let config = automationConfig(enabled: [.lateDeliveryApology])  // 50 points, valid 365 days

    @Test func lateFeedbackGetsOneApologyAndExactlyOneCredit() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1", points: 100)]))
            try await store.load(.orders([
                order("SO1", status: .delivered, orderedAt: now.adding(hours: -2)),
                order("SO2", status: .delivered, orderedAt: now.adding(hours: -2)),
            ]))
            let late = DeliveryFeedback(orderNo: "SO1", outcome: .late1h, note: "骑手迷路", recordedAt: now.adding(minutes: -10))
            let fine = DeliveryFeedback(orderNo: "SO2", outcome: .onTime, note: nil, recordedAt: now.adding(minutes: -10))
            try await store.load(.feedback([late, fine]))

            let report = try await automationRunner(store, config).runOnce(now: now)
            let tally = try #require(report[.lateDeliveryApology])
            #expect(tally.enqueued == 1)
            #expect(tally.pointsCredited == 1)
            #expect(tally.skipped == [.outcome(.onTime): 1])
            let row = try #require(try store.outbox().first)
            #expect(row.key == "order:SO1:apology:sms")
            #expect(row.lane == "reminder" && row.category == "service")
            #expect(row.text == "【鸿福楼】李女士您好，很抱歉，您的订单SO1晚到了一个多小时。已赠送50积分表示歉意，如有问题请致电门店。")
            #expect(row.orderNo == nil)
            #expect(try await store.points(of: "M1") == 150)
            let credit = try store.ledger(key: "order:SO1:apology-points")
            #expect(credit.map(\.points) == [50])
            #expect(credit.first?.expiresAt == now.adding(days: 365))

            // Scanned again, imported again, restarted: nothing more.
            _ = try await automationRunner(store, config).runOnce(now: now.adding(minutes: 1))
            try await store.load(.feedback([late]))
            let restarted = try store.reopened()
            let again = try await automationRunner(restarted, config).runOnce(now: now.adding(minutes: 2))
            #expect(again[.lateDeliveryApology]?.enqueued == 0)
            #expect(again[.lateDeliveryApology]?.pointsCredited == 0)
            #expect(try restarted.outbox().count == 1)
            #expect(try await restarted.points(of: "M1") == 150)
            #expect(try restarted.ledger(key: "order:SO1:apology-points").count == 1)
        }
    }

    @Test func withoutPointsTheApologyPromisesNone() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1", points: 100)]))
            try await store.load(.orders([order("SO1", status: .cancelled, orderedAt: now.adding(hours: -2))]))
            try await store.load(.feedback([DeliveryFeedback(orderNo: "SO1", outcome: .notDelivered, note: nil, recordedAt: now)]))
            let noPoints = automationConfig(enabled: [.lateDeliveryApology]) { $0.lateDeliveryApology.points = 0 }
            let report = try await automationRunner(store, noPoints).runOnce(now: now)
            #expect(report[.lateDeliveryApology]?.pointsCredited == 0)
            #expect(try store.outbox().first?.text == "【鸿福楼】李女士您好，很抱歉，您的订单SO1未能送达。如有问题请致电门店。")
            #expect(try await store.points(of: "M1") == 100)
        }
    }
}
