import Foundation
import GRDB

extension SQLiteStore: ManagerBriefs {
    public func briefRecipients(day: String) async throws -> [BriefRecipient] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        \(Self.recipientSelect) AND (s.phone IS NOT NULL OR s.email IS NOT NULL)
                          AND NOT EXISTS (
                            SELECT 1 FROM messages x WHERE x.idempotency_key = 'brief:' || s.staff_no || ':' || ?1 || ':sms'
                              OR x.idempotency_key = 'brief:' || s.staff_no || ':' || ?1 || ':email')
                        ORDER BY s.staff_no
                        """),
                arguments: [day]
            ).map(Self.recipient)
        }
    }

    public func briefRecipient(staffNo: String) async throws -> BriefRecipient? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "\(Self.recipientSelect) AND s.staff_no = ?"), arguments: [staffNo])
                .map(Self.recipient)
        }
    }

    public func sentBrief(staffNo: String, day: String) async throws -> [SentBrief] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT channel, status, payload FROM messages
                        WHERE idempotency_key = 'brief:' || ?1 || ':' || ?2 || ':sms' OR idempotency_key = 'brief:' || ?1 || ':' || ?2 || ':email'
                        ORDER BY id
                        """),
                arguments: [staffNo, day]
            ).map { row in
                SentBrief(
                    channel: try Self.decoded(row["channel"], column: "messages.channel"),
                    status: try Self.decoded(row["status"], column: "messages.status"), payload: row["payload"])
            }
        }
    }

    private static let recipientSelect = """
        SELECT s.id, s.staff_no, s.name, s.phone, s.email, s.branch_id, b.name AS branch_name
        FROM staff s LEFT JOIN branches b ON b.id = s.branch_id
        WHERE \(ownerRole("s"))
        """

    private static func recipient(_ row: Row) -> BriefRecipient {
        BriefRecipient(
            staffId: row["id"], staffNo: row["staff_no"], name: row["name"], phone: row["phone"], email: row["email"],
            branchId: row["branch_id"], branchName: row["branch_name"])
    }

    public func briefContent(_ query: BriefQuery) async throws -> BriefContent {
        try await pool.read { db in
            let staffId = query.recipient.staffId
            let day: StatementArguments = [query.dayStart.unixMillis, query.dayEnd.unixMillis]
            let bookings = try Row.fetchAll(
                db.cachedStatement(sql: "\(Self.briefBookings) AND m.manager_id = ? ORDER BY o.scheduled_at, o.id"),
                arguments: day + [staffId]
            ).map { try Self.booking($0, phone: true) }
            var vipArrivals: [BriefBooking] = []
            if let branchId = query.recipient.branchId {
                vipArrivals = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            \(Self.briefBookings) AND o.branch_id = ? AND m.manager_id IS NOT ?
                              AND m.level IN (SELECT value FROM json_each(?))
                            ORDER BY o.scheduled_at, o.id
                            """),
                    arguments: day + [branchId, staffId, Self.jsonTextArray(query.vipLevels)]
                ).map { try Self.booking($0, phone: false) }
            }
            let birthdays = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT m.id, m.member_no, m.name, m.level, m.birthday,
                          CASE WHEN m.phone_status = 'valid' THEN m.phone END AS phone
                        FROM members m JOIN json_each(?) d ON d.value = m.birthday
                        WHERE m.manager_id = ? ORDER BY d.key, m.member_no
                        """),
                arguments: [Self.jsonTextArray(query.birthdays), staffId]
            ).map { row in
                BriefMember(
                    memberId: row["id"], memberNo: row["member_no"], name: row["name"], level: row["level"], phone: row["phone"],
                    birthday: row["birthday"])
            }
            // Only members with a phone to call; one named in a recent brief waits its turn.
            let dormant = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT m.id, m.member_no, m.name, m.level, m.phone, r.segment, m.last_order_at, r.monetary_fen
                        FROM members m JOIN member_rfm r ON r.member_id = m.id
                        WHERE m.manager_id = ? AND m.phone_status = 'valid'
                          AND r.segment IN (SELECT value FROM json_each(?))
                          AND NOT EXISTS (SELECT 1 FROM personal_calls p WHERE p.member_id = m.id AND p.listed_at >= ?)
                        ORDER BY r.monetary_fen DESC, m.member_no LIMIT ?
                        """),
                arguments: [staffId, Self.jsonTextArray(query.dormantSegments), query.relistAfter.unixMillis, query.dormantLimit]
            ).map { row in
                BriefMember(
                    memberId: row["id"], memberNo: row["member_no"], name: row["name"], level: row["level"], phone: row["phone"],
                    segment: row["segment"], lastOrderAt: (row["last_order_at"] as Int64?).map(Date.init(unixMillis:)),
                    spendFen: row["monetary_fen"])
            }
            let tasks = try Row.fetchAll(
                db.cachedStatement(sql: "\(Self.taskSelect) WHERE t.staff_id = ? AND t.status = 'open' ORDER BY t.due_at, t.id LIMIT ?"),
                arguments: [staffId, query.taskLimit]
            ).map(Self.task)
            let taskCount = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM tasks WHERE staff_id = ? AND status = 'open'"), arguments: [staffId]) ?? 0
            return BriefContent(
                bookings: bookings, vipArrivals: vipArrivals, birthdays: birthdays, dormant: dormant, openTasks: tasks,
                openTaskCount: taskCount)
        }
    }

    public func commitBrief(messages: [NewMessage], calls: [PersonalCall], now: Date) async throws -> AutomationBatchResult {
        try await pool.write { db in
            let at = now.unixMillis
            let results = try Self.insert(messages, at: at, db)
            // A brief already in the outbox (a second worker, a re-scan) names nobody again.
            guard results.contains(where: { if case .duplicate = $0 { false } else { true } }) else {
                return AutomationBatchResult(messages: results, creditsApplied: 0)
            }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO personal_calls (member_id, staff_id, listed_at, hold_until) VALUES (?, ?, ?, ?)
                    ON CONFLICT (member_id) DO UPDATE SET staff_id = excluded.staff_id, listed_at = excluded.listed_at,
                      hold_until = excluded.hold_until
                    """)
            for call in calls {
                try upsert.execute(arguments: [call.memberId, call.staffId, at, call.holdUntil.unixMillis])
            }
            return AutomationBatchResult(messages: results, creditsApplied: 0)
        }
    }

    /// Today's reservations and banquets still booked, with their member (only
    /// `orders` has `kind` and `status` columns); the first two arguments are the day.
    private static let briefBookings = """
        SELECT o.order_no, o.kind, o.scheduled_at, o.party_size, b.name AS branch_name, m.member_no, m.name AS member_name,
          m.level, CASE WHEN m.phone_status = 'valid' THEN m.phone END AS phone
        FROM orders o JOIN members m ON m.id = o.member_id JOIN branches b ON b.id = o.branch_id
        WHERE o.scheduled_at >= ? AND o.scheduled_at < ? AND \(Schema.booked)
        """

    private static func booking(_ row: Row, phone: Bool) throws -> BriefBooking {
        BriefBooking(
            orderNo: row["order_no"], kind: try decoded(row["kind"], column: "orders.kind"),
            scheduledAt: Date(unixMillis: row["scheduled_at"]), partySize: row["party_size"], branchName: row["branch_name"],
            memberNo: row["member_no"], memberName: row["member_name"], level: row["level"], phone: phone ? row["phone"] : nil)
    }
}
