import CoreModel
import Foundation
import Scheduler
import Testing

struct RevisitSurveyTests {
    let config = automationConfig(enabled: [.revisitSurvey])  // 24 hours after, at most 24 hours late

    @Test func aResolvedComplaintIsSurveyedHoursAfterItsResolution() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1")]))
            try await store.load(.complaints([
                complaint("C1", resolvedAt: now),
                complaint("C2", resolvedAt: now.adding(days: -3)),  // imported late: too late to ask
                complaint("C3", status: .inProgress, resolvedAt: nil),
            ]))
            let runner = automationRunner(store, config)
            #expect(try await runner.runOnce(now: now)[.revisitSurvey]?.enqueued == 0)
            #expect(try await runner.runOnce(now: now.adding(hours: 23, minutes: 59))[.revisitSurvey]?.enqueued == 0)
            #expect(try await runner.runOnce(now: now.adding(hours: 24))[.revisitSurvey]?.enqueued == 1)
            #expect(try await runner.runOnce(now: now.adding(hours: 25))[.revisitSurvey]?.enqueued == 0)

            let rows = try store.outbox()
            #expect(rows.map(\.key) == ["complaint:C1:survey:sms"])
            let row = try #require(rows.first)
            #expect(row.lane == "reminder" && row.category == "survey" && row.priority == 0)
            #expect(row.text == "【鸿福楼】李女士您好，感谢光临天河店！请回复1-5为本次用餐评分（5为非常满意）。回T退订")
            #expect(row.orderNo == nil)
            #expect(row.expiresAt == now.adding(hours: 48))
        }
    }

    @Test func aDeliveredOrderIsSurveyedTheDayAfter() async throws {
        try await withAutomationStore { store in
            let now = currentMinute()
            try await store.load(.members([member("M1")]))
            try await store.load(.orders([
                order("SO1", status: .delivered, orderedAt: now.adding(hours: -1)),
                order("SO2", status: .dispatched, orderedAt: now.adding(hours: -1)),
            ]))
            let runner = automationRunner(store, config)
            #expect(try await runner.runOnce(now: now.adding(hours: 22))[.revisitSurvey]?.enqueued == 0)
            #expect(try await runner.runOnce(now: now.adding(hours: 23))[.revisitSurvey]?.enqueued == 1)
            #expect(try store.outbox().map(\.key) == ["order:SO1:survey:sms"])
            #expect(try store.outbox().first?.orderNo == "SO1")
        }
    }

    func complaint(_ no: String, status: ComplaintStatus = .resolved, resolvedAt: Date?) -> Complaint {
        Complaint(
            complaintNo: no, memberNo: "M1", orderNo: nil, channel: "phone", department: "外卖部", status: status, description: "送餐太慢",
            resolution: resolvedAt == nil ? nil : "已致歉", openedAt: (resolvedAt ?? Date()).adding(days: -1), resolvedAt: resolvedAt,
            satisfaction: nil)
    }
}
