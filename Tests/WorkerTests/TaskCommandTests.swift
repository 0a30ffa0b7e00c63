@testable import CoreModel
import Foundation
import GRDB
import Scheduler
import Testing

/// `tidings task list|show|close` over a demo group where one member gave a low survey score two days ago.
struct TaskCommandTests {
    @Test func listFilterAndCloseATask() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tidings-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try CommandLineTests.run(["init"], in: directory)
        let seed = try CommandLineTests.run(
            ["demo", "seed", "--members", "40", "--anchor", "2026-11-20"], in: directory)
        #expect(seed.status == 0, "\(seed.stderr)")

        // A survey answered 2 two days ago: its task was due a day ago.
        let store = try SQLiteStore(path: directory.appendingPathComponent("tidings.sqlite").path)
        let answeredAt = Date().addingTimeInterval(-48 * 3600)
        let (memberNo, phone, owner) = try await store.pool.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT m.member_no, m.phone, s.staff_no FROM members m JOIN staff s ON s.id = m.manager_id
                        WHERE m.phone IS NOT NULL ORDER BY m.id LIMIT 1
                        """))
            return (row["member_no"] as String, row["phone"] as String, row["staff_no"] as String)
        }
        let survey = NewMessage(
            idempotencyKey: "test-survey", purpose: .automation("revisit_survey"), channel: .sms, lane: .reminder,
            category: .survey, memberNo: memberNo, address: phone, payload: MessageContent(text: "请评分").json())
        _ = try await store.enqueue([survey], now: answeredAt - 3600)
        let leased = try await store.leaseDue(
            lane: .reminder, limit: 1000, owner: "t", leaseUntil: answeredAt, now: answeredAt - 3600)
        let id = try #require(leased.first { $0.idempotencyKey == "test-survey" }?.id)
        _ = try await store.recordSendResults(
            [SendResult(messageId: id, gateway: "kannel", event: .accepted(providerMessageId: "p-1"))], owner: "t",
            now: answeredAt - 3600)
        _ = try await store.recordInbound(
            [
                InboundRecord(
                    channel: .sms, kind: .reply, from: phone, to: nil, body: "2 上菜太慢", gateway: "kannel",
                    providerMessageId: "mo-1", receivedAt: answeredAt)
            ], rules: FeedbackDecisions())

        let list = try CommandLineTests.run(["task", "list", "--manager", owner], in: directory)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains(memberNo) && list.stdout.contains("low_survey_score"), "\(list.stdout)")
        #expect(list.stdout.contains("overdue"), "\(list.stdout)")
        #expect(!list.stdout.contains(phone), "no phone numbers in the list")
        let overdue = try CommandLineTests.run(["task", "list", "--overdue", "--json"], in: directory)
        #expect(overdue.stdout.contains("\"memberNo\" : \"\(memberNo)\""), "\(overdue.stdout)")
        let other = try CommandLineTests.run(["task", "list", "--manager", "S9999"], in: directory)
        #expect(other.stdout.contains("no tasks"), "\(other.stdout)")
        let task = try #require(try await store.tasks(TaskFilter(), now: Date()).first)
        let show = try CommandLineTests.run(["task", "show", "\(task.id)"], in: directory)
        #expect(show.stdout.contains("score    2 — 上菜太慢"), "\(show.stdout)")

        let close = try CommandLineTests.run(["task", "close", "\(task.id)", "--note", "已回电致歉"], in: directory)
        #expect(close.status == 0 && close.stdout.contains("task \(task.id) closed"), "\(close.stdout)\(close.stderr)")
        let again = try CommandLineTests.run(["task", "close", "\(task.id)"], in: directory)
        #expect(again.status == 1 && again.stderr.contains("done already"), "\(again.stderr)")
        let open = try CommandLineTests.run(["task", "list"], in: directory)
        #expect(open.stdout.contains("no tasks"), "\(open.stdout)")
        let done = try CommandLineTests.run(
            ["task", "list", "--status", "done", "--reason", "low_survey_score"], in: directory)
        #expect(done.stdout.contains(memberNo), "\(done.stdout)")
        let member = try CommandLineTests.run(["member", "show", memberNo, "--limit", "60"], in: directory)
        #expect(member.stdout.contains("low_survey_score") && member.stdout.contains("已回电致歉"), "\(member.stdout)")
        let missing = try CommandLineTests.run(["task", "close", "99999"], in: directory)
        #expect(missing.status == 1 && missing.stderr.contains("no task 99999"), "\(missing.stderr)")
    }
}
