import Foundation
import GRDB

extension SQLiteStore {
    /// One statement per figure, each `staff_no, detail, n` over [`?1`, `?2`).
    /// Tasks closed are read through `tasks_closed` and briefs through
    /// `messages_purpose`, so both follow the period, not the history;
    /// assignment batches are one row per run; open tasks are those open
    /// now that were opened before the period's end. A brief names no staff column: it is the manager's
    /// when it went to the manager's phone or email.
    static let managerActivity: [(sql: String, add: @Sendable (inout ManagerActivity, Row) -> Void)] = [
        (
            """
            SELECT s.staff_no, b.kind AS detail, COUNT(*) AS n
            FROM assignment_batches b JOIN member_assignments a ON a.batch_id = b.id JOIN staff s ON s.id = a.staff_id
            WHERE b.created_at >= ?1 AND b.created_at < ?2 AND a.previous_staff_id IS NOT a.staff_id GROUP BY 1, 2
            """, { $0.received[$1["detail"], default: 0] += $1["n"] }
        ),
        (
            """
            SELECT s.staff_no, '' AS detail, COUNT(*) AS n
            FROM assignment_batches b JOIN member_assignments a ON a.batch_id = b.id JOIN staff s ON s.id = a.previous_staff_id
            WHERE b.created_at >= ?1 AND b.created_at < ?2 AND a.previous_staff_id IS NOT a.staff_id GROUP BY 1
            """, { $0.handedAway += $1["n"] }
        ),
        (
            """
            SELECT s.staff_no, '' AS detail, COUNT(*) AS n FROM tasks t JOIN staff s ON s.id = t.staff_id
            WHERE t.status = 'open' AND t.created_at < ?2 GROUP BY 1
            """, { $0.openTasks += $1["n"] }
        ),
        (
            """
            SELECT s.staff_no, MAX(0, (t.closed_at - t.created_at + 3599999) / 3600000) AS detail, COUNT(*) AS n
            FROM tasks t JOIN staff s ON s.id = t.staff_id
            WHERE t.closed_at >= ?1 AND t.closed_at < ?2 GROUP BY 1, 2
            """, { $0.closeHours[$1["detail"], default: 0] += $1["n"] }
        ),
        (
            """
            SELECT s.staff_no, '' AS detail, COUNT(*) AS n
            FROM messages x JOIN staff s ON x.address = s.phone OR x.address = s.email
            WHERE x.purpose = '\(MessagePurpose.automation("manager_brief").rawValue)' AND \(Schema.automationPurpose)
              AND x.created_at >= ?1 AND x.created_at < ?2 GROUP BY 1
            """, { $0.briefs += $1["n"] }
        ),
        (
            """
            SELECT s.staff_no, '' AS detail, COUNT(*) AS n FROM personal_calls p JOIN staff s ON s.id = p.staff_id
            WHERE p.listed_at >= ?1 AND p.listed_at < ?2 GROUP BY 1
            """, { $0.personalCalls += $1["n"] }
        ),
    ]

    public func managerActivity(from: Date, to: Date) async throws -> [String: ManagerActivity] {
        try await pool.read { db in
            var activity: [String: ManagerActivity] = [:]
            for (sql, add) in Self.managerActivity {
                for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [from.unixMillis, to.unixMillis]) {
                    add(&activity[row["staff_no"], default: ManagerActivity()], row)
                }
            }
            return activity
        }
    }
}
