import Foundation
import GRDB

extension SQLiteStore: AutomationScans {
    public func automationCursor(named name: String) async throws -> AutomationCursor? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT position, gaps FROM automation_cursors WHERE name = ?", arguments: [name]).map {
                AutomationCursor(name: name, position: $0["position"], gaps: try Self.gaps(fromJSON: $0["gaps"]))
            }
        }
    }

    public func ordersCreated(after cursor: RowCursor, limit: Int) async throws -> [AutomationOrder] {
        try await pool.read { db in
            try Self.rows(of: "orders", after: cursor, limit: limit, db) { condition, arguments in
                try Row.fetchAll(db, sql: Self.ordersPage(condition), arguments: arguments)
                    .map(Self.automationOrder)
            }
        }
    }

    /// A row cursor's page of `table`: rows in its gaps (few, found by primary
    /// key ranges), then rows past its position, at most `limit` in all,
    /// ascending. `fetch` gets the condition to put after the id column, and
    /// its arguments (the limit last).
    private static func rows<T>(
        of table: String, after cursor: RowCursor, limit: Int, _ db: Database,
        fetch: (_ condition: String, _ arguments: StatementArguments) throws -> [T]
    ) throws -> [T] {
        var rows: [T] = []
        if !cursor.gaps.isEmpty {
            let ranges = cursor.gaps.map { [$0.low, $0.high] }
            let json = String(decoding: try JSONEncoder().encode(ranges), as: UTF8.self)
            rows = try fetch(inGaps(of: table), [json, limit])
        }
        if rows.count < limit {
            rows += try fetch("> ?", [cursor.position, limit - rows.count])
        }
        return rows
    }

    /// The rows of `table` in a cursor's gaps (`?` is `[[low, high], …]`), by primary-key ranges.
    static func inGaps(of table: String) -> String {
        "IN (SELECT t.id FROM json_each(?) g JOIN \(table) t ON t.id BETWEEN g.value ->> 0 AND g.value ->> 1)"
    }

    /// New orders with their branch and member, `condition` after `o.id`, the limit last.
    static func ordersPage(_ condition: String) -> String {
        "\(orderSelect) WHERE o.id \(condition) ORDER BY o.id LIMIT ?"
    }

    static func gaps(fromJSON text: String) throws -> [RowCursor.Gap] {
        let triples = try JSONDecoder().decode([[Int64]].self, from: Data(text.utf8))
        return try triples.map { triple in
            guard triple.count == 3 else {
                throw StoreError(.unknownValue, place: "automation_cursors.gaps", message: "holds a gap that is not [low, high, since]")
            }
            return RowCursor.Gap(low: triple[0], high: triple[1], since: Date(unixMillis: triple[2]))
        }
    }

    static func json(_ gaps: [RowCursor.Gap]) throws -> String {
        String(decoding: try JSONEncoder().encode(gaps.map { [$0.low, $0.high, $0.since.unixMillis] }), as: UTF8.self)
    }

    /// Two index walks, united: what became due by time, and what was written lately. The
    /// indexes are named: without statistics SQLite would walk every delivered order by status.
    public func reservationsDue(in window: ScanWindow) async throws -> [AutomationOrder] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    \(Self.orderSelect) WHERE o.id IN (
                      SELECT id FROM orders INDEXED BY orders_booked WHERE \(Schema.booked) AND scheduled_at > ?1 AND scheduled_at <= ?2
                      UNION
                      SELECT id FROM orders INDEXED BY orders_updated WHERE updated_at >= ?3 AND \(Schema.booked)
                        AND scheduled_at > ?4 AND scheduled_at <= ?2
                    ) ORDER BY o.id
                    """,
                arguments: Self.arguments(window)
            ).map(Self.automationOrder)
        }
    }

    /// ?1, ?2: when the reminders were queued; ?3: now; ?4: their purpose.
    static let remindersUnansweredSQL = """
        \(orderSelect) WHERE o.id IN (
          SELECT x.order_id FROM messages x INDEXED BY messages_purpose
          WHERE x.\(Schema.automationPurpose) AND x.purpose = ?4 AND x.created_at > ?1 AND x.created_at <= ?2
            AND x.order_id IS NOT NULL AND x.channel = 'sms' AND x.status <> 'delivered'
            AND NOT EXISTS (SELECT 1 FROM inbound_messages i WHERE i.message_id = x.id)
        ) AND \(Schema.booked) AND o.scheduled_at > ?3 ORDER BY o.id
        """

    public func remindersUnanswered(
        purpose: MessagePurpose, queuedAfter from: Date, through: Date, now: Date
    ) async throws -> [AutomationOrder] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: Self.remindersUnansweredSQL,
                arguments: [from.unixMillis, through.unixMillis, now.unixMillis, purpose.rawValue]
            ).map(Self.automationOrder)
        }
    }

    public func visitsCompleted(in window: ScanWindow) async throws -> [AutomationOrder] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    \(Self.orderSelect) WHERE o.id IN (
                      SELECT id FROM orders INDEXED BY orders_visited WHERE \(Schema.visited)
                        AND COALESCE(scheduled_at, ordered_at) > ?1 AND COALESCE(scheduled_at, ordered_at) <= ?2
                      UNION
                      SELECT id FROM orders INDEXED BY orders_updated WHERE updated_at >= ?3 AND \(Schema.visited)
                        AND COALESCE(scheduled_at, ordered_at) > ?4 AND COALESCE(scheduled_at, ordered_at) <= ?2
                    ) ORDER BY o.id
                    """,
                arguments: Self.arguments(window)
            ).map(Self.automationOrder)
        }
    }

    public func feedbackRecorded(after cursor: RowCursor, limit: Int) async throws -> [AutomationFeedback] {
        try await pool.read { db in
            try Self.rows(of: "delivery_feedback", after: cursor, limit: limit, db) { condition, arguments in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT f.id AS feedback_id, f.outcome, f.recorded_at, \(Self.orderColumns), \(Self.memberColumns)
                        FROM delivery_feedback f JOIN orders o ON o.id = f.order_id \(Self.orderJoins)
                        WHERE f.id \(condition) ORDER BY f.id LIMIT ?
                        """,
                    arguments: arguments
                ).map { row in
                    let outcome: DeliveryOutcome = try Self.decoded(row["outcome"], column: "delivery_feedback.outcome")
                    return AutomationFeedback(
                        id: row["feedback_id"], outcome: outcome, recordedAt: Date(unixMillis: row["recorded_at"]),
                        order: try Self.automationOrder(row))
                }
            }
        }
    }

    public func complaintsOpened(after cursor: RowCursor, limit: Int) async throws -> [ComplaintSheet] {
        try await pool.read { db in
            try Self.rows(of: "complaints", after: cursor, limit: limit, db) { condition, arguments in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT c.id AS complaint_id, c.complaint_no, o.order_no, c.channel, c.department, c.status, c.description,
                          c.opened_at, c.department_notified_at, \(Self.complaintFrom)
                        WHERE c.id \(condition) ORDER BY c.id LIMIT ?
                        """,
                    arguments: arguments
                ).map { row in
                    let status: ComplaintStatus = try Self.decoded(row["status"], column: "complaints.status")
                    return ComplaintSheet(
                        id: row["complaint_id"], complaintNo: row["complaint_no"], orderNo: row["order_no"], channel: row["channel"],
                        department: row["department"], status: status, description: row["description"],
                        openedAt: Date(unixMillis: row["opened_at"]), branchName: row["complaint_branch"],
                        departmentNotifiedAt: Self.date(row["department_notified_at"]), member: Self.automationMember(row))
                }
            }
        }
    }

    /// A complaint with its member and branch (the order's, else the member's home branch), after the columns.
    private static let complaintFrom = """
        COALESCE(ob.name, hb.name) AS complaint_branch, \(memberColumns)
        FROM complaints c JOIN members m ON m.id = c.member_id LEFT JOIN branches hb ON hb.id = m.branch_id
          LEFT JOIN orders o ON o.id = c.order_id LEFT JOIN branches ob ON ob.id = o.branch_id
        """

    public func complaintsResolved(in window: ScanWindow) async throws -> [AutomationComplaint] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id AS complaint_id, c.complaint_no, c.resolved_at, c.department, c.resolution, c.resolution_kind,
                      \(Self.complaintFrom)
                    WHERE c.id IN (
                      SELECT id FROM complaints INDEXED BY complaints_resolved WHERE \(Schema.resolved) AND resolved_at > ?1 AND resolved_at <= ?2
                      UNION
                      SELECT id FROM complaints INDEXED BY complaints_updated WHERE updated_at >= ?3 AND \(Schema.resolved)
                        AND resolved_at > ?4 AND resolved_at <= ?2
                    ) ORDER BY c.id
                    """,
                arguments: Self.arguments(window)
            ).map { row in
                AutomationComplaint(
                    id: row["complaint_id"], complaintNo: row["complaint_no"], resolvedAt: Date(unixMillis: row["resolved_at"]),
                    branchName: row["complaint_branch"], member: Self.automationMember(row), department: row["department"],
                    resolution: row["resolution"], resolutionKind: row["resolution_kind"])
            }
        }
    }

    public func pointsExpiring(after: Date, through: Date, afterMemberId: Int64, limit: Int) async throws -> [ExpiringPoints] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT MIN(x.expiring, m.points) AS expiring_points, x.first_expiry, \(Self.memberColumns)
                    FROM (
                      SELECT l.member_id, SUM(l.delta) AS expiring, MIN(l.expires_at) AS first_expiry
                      FROM points_ledger l JOIN members pm ON pm.id = l.member_id
                      WHERE l.member_id > ?3 AND l.delta > 0 AND l.expires_at > ?1 AND l.expires_at <= ?2 AND pm.points > 0
                      GROUP BY l.member_id ORDER BY l.member_id LIMIT ?4
                    ) x JOIN members m ON m.id = x.member_id LEFT JOIN branches hb ON hb.id = m.branch_id
                    ORDER BY m.id
                    """,
                arguments: [after.unixMillis, through.unixMillis, afterMemberId, limit]
            ).map { row in
                ExpiringPoints(
                    points: row["expiring_points"], firstExpiry: Date(unixMillis: row["first_expiry"]), member: Self.automationMember(row))
            }
        }
    }

    /// Period k of a member's dormancy starts at `since + k × period`, where
    /// `since` is the last activity plus `dormantFor`; the member is due when
    /// the period at `now` is later than the one at `horizon`.
    public func dormantMembers(_ query: DormancyQuery, afterMemberId: Int64, limit: Int) async throws -> [DormantMember] {
        let dormantFor = Int64((query.dormantFor * 1000).rounded())
        let period = max(1, Int64((query.period * 1000).rounded()))
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.since - ?4 AS last_active_at, \(Self.memberColumns)
                    FROM (
                      SELECT id, COALESCE(last_order_at, joined_at, created_at) + ?4 AS since, updated_at
                      FROM members WHERE id > ?1
                    ) d JOIN members m ON m.id = d.id LEFT JOIN branches hb ON hb.id = m.branch_id
                    WHERE ?2 - d.since >= 0
                      AND (?3 - d.since < 0 OR (?2 - d.since) / ?5 > (?3 - d.since) / ?5 OR d.updated_at >= ?6)
                    ORDER BY m.id LIMIT ?7
                    """,
                arguments: [
                    afterMemberId, query.now.unixMillis, query.horizon.unixMillis, dormantFor, period, query.changedSince.unixMillis, limit,
                ]
            ).map { row in
                DormantMember(lastActiveAt: Date(unixMillis: row["last_active_at"]), member: Self.automationMember(row))
            }
        }
    }

    public func commit(_ batch: AutomationBatch, now: Date) async throws -> AutomationBatchResult {
        try await pool.write { db in
            let at = now.unixMillis
            var messages = try Self.insert(batch.messages, at: at, db)
            var applied = 0
            for credit in batch.credits where try Self.apply(credit, at: at, db) {
                applied += 1
            }
            // The first notice's time stays: a re-scan that finds the message queued changes nothing.
            for complaintId in batch.notifiedComplaints {
                try db.cachedStatement(
                    sql: "UPDATE complaints SET department_notified_at = ? WHERE id = ? AND department_notified_at IS NULL"
                ).execute(arguments: [at, complaintId])
            }
            for ticket in batch.tickets {
                if let result = try Self.write(ticket, at: at, db) { messages.append(result) }
            }
            for call in batch.ticketCalls {
                if let result = try Self.escalate(call, at: at, db) { messages.append(result) }
            }
            if let cursor = batch.cursor {
                // The gaps are the new cursor's own: computed from the stored one by its only scanner.
                try db.cachedStatement(sql: """
                    INSERT INTO automation_cursors (name, position, gaps, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET position = MAX(position, excluded.position), gaps = excluded.gaps,
                      updated_at = excluded.updated_at
                    """
                ).execute(arguments: [cursor.name, cursor.position, try Self.json(cursor.gaps), at])
            }
            return AutomationBatchResult(messages: messages, creditsApplied: applied)
        }
    }

    /// The ledger row, and the balance only when the row is new.
    private static func apply(_ credit: PointsCredit, at: Int64, _ db: Database) throws -> Bool {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO points_ledger (member_id, delta, reason, order_id, expires_at, idempotency_key, created_at)
            SELECT id, ?, ?, (SELECT id FROM orders WHERE order_no = ?), ?, ?, ? FROM members WHERE member_no = ?
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING member_id
            """)
        let arguments: StatementArguments = [
            credit.points, credit.reason, credit.orderNo, credit.expiresAt?.unixMillis, credit.idempotencyKey, at, credit.memberNo,
        ]
        guard let memberId = try Int64.fetchOne(insert, arguments: arguments) else { return false }
        try db.cachedStatement(sql: "UPDATE members SET points = points + ? WHERE id = ?").execute(arguments: [credit.points, memberId])
        return true
    }

    private static func arguments(_ window: ScanWindow) -> StatementArguments {
        [window.from.unixMillis, window.through.unixMillis, window.changedSince.unixMillis, window.earliest.unixMillis]
    }

    private static let memberColumns = """
        m.id AS member_id, m.member_no, m.name AS member_name, m.locale, m.timezone, m.phone, m.phone_status, m.phone_reason,
        m.email, m.email_status, m.email_reason, m.fax, m.fax_status, m.fax_reason, hb.name AS home_branch
        """
    private static let orderColumns = """
        o.id AS order_id, o.order_no, o.kind, o.status, o.ordered_at, o.scheduled_at, o.party_size, o.amount_fen, b.name AS branch_name
        """
    private static let orderJoins = """
        JOIN branches b ON b.id = o.branch_id JOIN members m ON m.id = o.member_id LEFT JOIN branches hb ON hb.id = m.branch_id
        """
    private static let orderSelect = "SELECT \(orderColumns), \(memberColumns) FROM orders o \(orderJoins)"

    private static func automationMember(_ row: Row) -> AutomationMember {
        AutomationMember(
            id: row["member_id"], memberNo: row["member_no"], name: row["member_name"], locale: row["locale"], timezone: row["timezone"],
            phone: contact(row, "phone"), email: contact(row, "email"), fax: contact(row, "fax"), branchName: row["home_branch"])
    }

    private static func automationOrder(_ row: Row) throws -> AutomationOrder {
        let orderKind: OrderKind = try decoded(row["kind"], column: "orders.kind")
        let orderStatus: OrderStatus = try decoded(row["status"], column: "orders.status")
        return AutomationOrder(
            id: row["order_id"], orderNo: row["order_no"], kind: orderKind, status: orderStatus, orderedAt: Date(unixMillis: row["ordered_at"]),
            scheduledAt: date(row["scheduled_at"]), partySize: row["party_size"], amountFen: row["amount_fen"], branchName: row["branch_name"],
            member: automationMember(row))
    }
}
