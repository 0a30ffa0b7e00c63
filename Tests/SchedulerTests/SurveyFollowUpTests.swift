@testable import CoreModel
import Foundation
import GRDB
import Scheduler
import Testing

/// A low survey score from reply to escalation, with the group's rules, a
/// real store, the dispatcher and the escalation service on a fixed clock.
struct SurveyFollowUpTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aLowScoreHoldsMarketingUntilTheTaskIsClosedAndEscalatesOnce() async throws {
        try await DispatchFixture.with(now: Self.start, members: [member("M1")]) { fixture in
            let store = fixture.store
            try await store.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO staff (staff_no, name, role, branch_id, phone) VALUES
                          ('S0001', '王经理', 'manager', 1, '+8613900000001'), ('S0009', '张店长', 'branch_manager', 1, '+8613900000009');
                        UPDATE members SET manager_id = (SELECT id FROM staff WHERE staff_no = 'S0001') WHERE member_no = 'M1';
                        """)
            }
            _ = try await store.apply(
                .consents(
                    [ConsentCategory.marketing, .survey].map {
                        ConsentChange(
                            subject: .member("M1"), channel: .sms, category: $0, granted: true, source: "signup",
                            at: Self.start - 86400)
                    }), dryRun: false)
            let gateway = ScriptedGateway("kannel")
            let dispatcher = fixture.dispatcher([gateway])
            let survey = try await fixture.enqueue("survey", lane: .reminder, category: .survey, member: "M1")
            _ = try await dispatcher.sendDue()
            #expect(try await fixture.state(survey)?.status == .submitted)

            let rules = FeedbackDecisions()
            fixture.clock.advance(by: 3600)
            let reply = InboundRecord(
                channel: .sms, kind: .reply, from: "+8613812345678", to: "1069", body: "1 等了一个小时", gateway: "kannel",
                providerMessageId: "mo-1", receivedAt: fixture.clock.now())
            _ = try await store.recordInbound([reply], rules: rules)
            let task = try #require(try await store.tasks(TaskFilter(staffNo: "S0001"), now: fixture.clock.now()).first)
            #expect(task.score == 1 && task.comment == "等了一个小时")

            let promo = try await fixture.enqueue("promo", lane: .marketing, category: .marketing, member: "M1")
            _ = try await dispatcher.sendDue()
            let held = try #require(try await fixture.state(promo))
            #expect(held.status == .deferred && held.reason == "follow_up_open")
            // The manager's notice went out; the promotion did not.
            #expect(gateway.sent.map(\.to) == ["+8613812345678", "+8613900000001"])
            #expect(gateway.sent.last?.content.text?.contains("任务 #\(task.id)") == true)

            let escalation = TaskEscalationService(store: store, rules: rules, clock: fixture.clock)
            #expect(try await escalation.tick().isEmpty)
            fixture.clock.advance(by: 24 * 3600 + 1)
            #expect(try await escalation.tick().map(\.id) == [task.id])
            #expect(try await escalation.tick().isEmpty)
            _ = try await dispatcher.sendDue(lanes: [.transactional])
            #expect(gateway.sent.last?.to == "+8613900000009")
            #expect(gateway.sent.filter { $0.to == "+8613900000009" }.count == 1)

            guard case .closed = try await store.closeTask(id: task.id, note: "已回电致歉", at: fixture.clock.now()) else {
                Issue.record("task not closed")
                return
            }
            _ = try await dispatcher.sendDue()
            #expect(try await fixture.state(promo)?.status == .submitted)
            let profile = try #require(try await store.memberProfile(memberNo: "M1", timelineLimit: 100))
            #expect(
                profile.timeline.contains { $0.kind == "task" && $0.text.contains("done") && $0.text.contains("已回电致歉") }
            )
        }
    }
}
