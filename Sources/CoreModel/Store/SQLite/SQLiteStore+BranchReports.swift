import Foundation
import GRDB

extension SQLiteStore {
    public func branchCounts(from: Date, to: Date, branchCode: String?) async throws -> [BranchCount] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT COALESCE(b.code, '-') AS branch, c.hour, c.figure, c.label, c.bucket, c.n
                        FROM branch_counts c LEFT JOIN branches b ON b.id = c.branch_id
                        WHERE c.hour >= ? AND c.hour < ? AND c.n <> 0 AND (?3 IS NULL OR b.code = ?3)
                        ORDER BY c.hour, branch
                        """), arguments: [Self.hour(from), Self.hour(to), branchCode]
            ).map { row in
                BranchCount(
                    branch: row["branch"], hour: Date(unixMillis: (row["hour"] as Int64) * 3_600_000),
                    figure: try Self.decoded(row["figure"], column: "branch_counts.figure"), label: row["label"],
                    bucket: row["bucket"],
                    count: row["n"])
            }
        }
    }

    static let branchSurveyCursor = "branch_survey"
    static let branchApologyCursor = "branch_apologies"

    /// Adds up to `limit` changes the triggers appended (and drops them),
    /// then survey answers and apology acceptances past their cursors; the
    /// rows taken.
    static func foldBranches(_ db: Database, limit: Int, more: inout Bool) throws -> Int {
        var folded = 0
        if let changes = try idRange("branch_changes", after: 0, limit: limit, db) {
            try addBranchCounts(
                db,
                rows: "SELECT branch_id, hour, figure, label, bucket, SUM(n) AS n FROM branch_changes WHERE id <= ?1",
                arguments: [changes.last])
            try db.cachedStatement(sql: "DELETE FROM branch_changes WHERE id <= ?").execute(arguments: [changes.last])
            folded += changes.rows
            if changes.rows >= limit { more = true }
        }
        // An answer counts at its order's branch; answers about no order are no branch's.
        folded += try foldById(
            db, table: "survey_responses", cursor: branchSurveyCursor, limit: limit, more: &more,
            rows: """
                SELECT o.branch_id, s.received_at / 3600000 AS hour, '\(BranchFigure.survey.rawValue)' AS figure,
                  COALESCE(CAST(s.score AS TEXT), '') AS label, 0 AS bucket, COUNT(*) AS n
                FROM survey_responses s JOIN orders o ON o.id = s.order_id WHERE s.id > ?1 AND s.id <= ?2
                """)
        folded += try foldById(
            db, table: "message_events", cursor: branchApologyCursor, limit: limit, more: &more,
            rows: """
                SELECT COALESCE((SELECT branch_id FROM members WHERE id = m.member_id), 0) AS branch_id,
                  e.at / 3600000 AS hour, '\(BranchFigure.apology.rawValue)' AS figure, m.channel AS label, 0 AS bucket,
                  COUNT(*) AS n
                FROM message_events e JOIN messages m ON m.id = e.message_id
                WHERE e.id > ?1 AND e.id <= ?2 AND e.event = '\(MessageEvent.acceptedName)' AND m.purpose = ?3
                """, extra: [apologyPurpose])
        return folded
    }

    /// What the late-delivery apology automation writes its messages as.
    static let apologyPurpose = MessagePurpose.automation("late_delivery_apology").rawValue

    /// The last id and the number of the first `limit` rows of `table` past `after`; nil for none.
    private static func idRange(
        _ table: String, after: Int64, limit: Int, _ db: Database
    ) throws -> (last: Int64, rows: Int)? {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql:
                    """
                    SELECT MAX(id) AS last, COUNT(*) AS n
                    FROM (SELECT id FROM \(table) WHERE id > ? ORDER BY id LIMIT ?)
                    """
            ),
            arguments: [after, limit])
        guard let row, let last = row["last"] as Int64? else { return nil }
        return (last, row["n"])
    }

    /// Rows of `table` past the cursor, up to `limit`, counted by `rows` (`?1`, `?2`: the id range; then `extra`).
    private static func foldById(
        _ db: Database, table: String, cursor name: String, limit: Int, more: inout Bool, rows: String,
        extra: [any DatabaseValueConvertible] = []
    ) throws -> Int {
        let after = try cursor(name, db)
        guard let range = try idRange(table, after: after, limit: limit, db) else { return 0 }
        try addBranchCounts(db, rows: rows, arguments: StatementArguments([after, range.last] + extra))
        try setCursor(name, to: range.last, db)
        if range.rows >= limit { more = true }
        return range.rows
    }

    /// Adds the groups of `rows` (`branch_id, hour, figure, label, bucket, n`, not yet grouped) to the counts.
    private static func addBranchCounts(_ db: Database, rows: String, arguments: StatementArguments) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO branch_counts (branch_id, hour, figure, label, bucket, n) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET n = n + excluded.n
                """)
        for row in try Row.fetchAll(db.cachedStatement(sql: rows + " GROUP BY 1, 2, 3, 4, 5"), arguments: arguments) {
            let n: Int = row["n"]
            guard n != 0 else { continue }
            try upsert.execute(arguments: [
                row["branch_id"], row["hour"], row["figure"], row["label"], row["bucket"], n,
            ])
        }
    }
}
