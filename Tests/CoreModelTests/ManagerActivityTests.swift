@testable import CoreModel
import Foundation
import GRDB
import Testing

/// The managers report's figures for a built-up month: an allocation, a
/// hand-over, tasks open and closed, briefs and personal calls, some of them
/// outside the month; each figure is what was done to the tables, and the
/// period's statements read their indexes.
struct ManagerActivityTests {
    let from = Date(timeIntervalSince1970: 1_800_000_000)
    var to: Date { from + 30 * 86_400 }

    @Test func everyFigureIsWhatWasDoneInThePeriod() async throws {
        try await withStore { store, _ in
            _ = try await store.apply(
                .members((1...6).map { Member(memberNo: "M\($0)", name: "会员\($0)") }), dryRun: false)
            try await store.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO staff (staff_no, name, role, phone, email) VALUES
                          ('S1', '王经理', 'manager', '+8613900000001', NULL), ('S2', '李经理', 'manager', NULL, 's2@example.com')
                        """)
            }
            _ = try await store.allocate(
                ["M1": "S1", "M2": "S1", "M3": "S2"], source: "rules", actor: "t", now: from + 10)
            _ = try await store.handOver(from: "S1", to: "S2", actor: "t", now: from + 20, notice: { _ in "接手" })
            // An allocation after the month.
            _ = try await store.allocate(["M4": "S1"], source: "rules", actor: "t", now: to + 10)
            let hour: Int64 = 3_600_000
            try await store.pool.write { db in
                let s2 = try Int64.fetchOne(db, sql: "SELECT id FROM staff WHERE staff_no = 'S2'")
                let at = from.unixMillis + 1000
                for (created, closed) in [
                    (at, nil), (at, nil), (at, at + hour), (at, at + hour + 1), (at, at + 5 * hour),
                    (at - 99 * hour, at - hour),
                ]
                    as [(Int64, Int64?)]
                {
                    try db.execute(
                        sql: """
                            INSERT INTO tasks (member_id, staff_id, reason, due_at, status, created_at, closed_at)
                            VALUES (1, ?, 'survey', ?, ?, ?, ?)
                            """, arguments: [s2, created, closed == nil ? "open" : "done", created, closed])
                }
                for (member, listed) in [(5, at), (6, at), (4, to.unixMillis + 1)] {
                    try db.execute(
                        sql:
                            "INSERT INTO personal_calls (member_id, staff_id, listed_at, hold_until) VALUES (?, ?, ?, ?)",
                        arguments: [member, s2, listed, listed + 86_400_000])
                }
            }
            let brief = MessagePurpose.automation("manager_brief")
            for (key, address, at) in [
                ("b1", "+8613900000001", from + 60), ("b2", "+8613900000001", from + 86_400),
                ("b3", "s2@example.com", from + 60), ("b4", "s2@example.com", to + 60),
            ] {
                _ = try await store.enqueue(
                    [
                        NewMessage(
                            idempotencyKey: key, purpose: brief, channel: address.contains("@") ? .email : .sms,
                            lane: .transactional,
                            category: .service, address: address, payload: MessageContent(text: "简报").json())
                    ], now: at)
            }

            let activity = try await store.managerActivity(from: from, to: to)
            var s1 = ManagerActivity()
            s1.received = ["allocation": 2]
            s1.handedAway = 2
            s1.briefs = 2
            var s2 = ManagerActivity()
            s2.received = ["allocation": 1, "handover": 2]
            s2.openTasks = 2
            s2.closeHours = [1: 1, 2: 1, 5: 1]
            s2.briefs = 1
            s2.personalCalls = 2
            #expect(activity == ["S1": s1, "S2": s2])

            try await store.pool.read { db in
                for (sql, _) in SQLiteStore.managerActivity
                where sql.contains("closed_at >=") || sql.contains("x.purpose") {
                    let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: [0, 1]).map {
                        $0["detail"] as String
                    }
                    .joined(separator: "\n")
                    #expect(
                        plan.contains("USING INDEX tasks_closed") || plan.contains("USING INDEX messages_purpose"),
                        "\(plan)")
                }
            }
        }
    }
}
