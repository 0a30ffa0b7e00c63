import Foundation
import GRDB

extension SQLiteStore: Tasks {
    public func tasks(_ filter: TaskFilter, now: Date) async throws -> [FollowUpTask] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        \(Self.taskSelect)
                        WHERE (? IS NULL OR s.staff_no = ?) AND (? IS NULL OR b.code = ?)
                          AND (? IS NULL OR t.reason = ?)
                          AND (? IS NULL OR t.status = ?) AND (? = 0 OR (t.status = 'open' AND t.due_at < ?))
                        ORDER BY t.due_at, t.id LIMIT ?
                        """),
                arguments: [
                    filter.staffNo, filter.staffNo, filter.branchCode, filter.branchCode, filter.reason, filter.reason,
                    filter.status?.rawValue, filter.status?.rawValue, filter.overdue, now.unixMillis, filter.limit,
                ])
            return try rows.map(Self.task)
        }
    }

    public func task(id: Int64) async throws -> FollowUpTask? {
        try await pool.read { db in try Self.task(id: id, db) }
    }

    public func closeTask(id: Int64, note: String?, at: Date) async throws -> TaskClosure {
        try await pool.write { db in
            guard let task = try Self.task(id: id, db) else { return .notFound }
            guard task.status == .open else { return .alreadyClosed(task) }
            try db.cachedStatement(sql: "UPDATE tasks SET status = 'done', note = ?, closed_at = ? WHERE id = ?")
                .execute(arguments: [note, at.unixMillis, id])
            return try Self.task(id: id, db).map(TaskClosure.closed) ?? .notFound
        }
    }

    public func escalateOverdueTasks(
        now: Date, limit: Int, notice: @Sendable (FollowUpTask) -> String
    ) async throws -> [FollowUpTask] {
        try await pool.write { db in
            let ids = try Int64.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id FROM tasks WHERE status = 'open' AND escalated_at IS NULL
                          AND due_at < ? ORDER BY due_at, id LIMIT ?
                        """),
                arguments: [now.unixMillis, limit])
            let at = now.unixMillis
            return try ids.compactMap { id in
                guard let task = try Self.task(id: id, db) else { return nil }
                let branchManager = try Self.staff(
                    sql: """
                        SELECT s.id, s.phone, s.email FROM members m
                        JOIN staff s ON s.branch_id = m.branch_id AND s.role = 'branch_manager'
                        WHERE m.id = (SELECT member_id FROM tasks WHERE id = ?) ORDER BY s.id LIMIT 1
                        """, id, db)
                let messageId = try branchManager.flatMap {
                    try Self.notify($0, text: notice(task), key: "task:\(id):escalate", at: at, db)
                }
                try db.cachedStatement(
                    sql: """
                        UPDATE tasks SET escalated_at = ?, escalated_to = ?, escalation_message_id = ? WHERE id = ?
                        """
                ).execute(arguments: [at, branchManager?.id, messageId, id])
                return try Self.task(id: id, db)
            }
        }
    }

    public func surveyResponses(memberNo: String, limit: Int) async throws -> [SurveyResponse] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT r.id, m.member_no, r.message_id, o.order_no,
                          k.complaint_no, r.campaign_id, r.variant, r.answer,
                          r.score, r.comment, r.received_at
                        FROM survey_responses r JOIN members m ON m.id = r.member_id
                        LEFT JOIN orders o ON o.id = r.order_id LEFT JOIN complaints k ON k.id = r.complaint_id
                        WHERE m.member_no = ? ORDER BY r.received_at DESC, r.id DESC LIMIT ?
                        """),
                arguments: [memberNo, limit]
            ).map {
                SurveyResponse(
                    id: $0["id"], memberNo: $0["member_no"], messageId: $0["message_id"], orderNo: $0["order_no"],
                    complaintNo: $0["complaint_no"], campaignId: $0["campaign_id"], variant: $0["variant"],
                    answer: $0["answer"], score: $0["score"], comment: $0["comment"],
                    receivedAt: Date(unixMillis: $0["received_at"]))
            }
        }
    }

    /// Records a survey answer, the first per message and per inbound; a low
    /// score opens its follow-up task and notifies its owner, all inside the
    /// caller's transaction. The order, complaint, campaign and variant are
    /// the answered message's.
    static func record(_ answer: SurveyAnswer, inboundId: Int64?, at: Int64, _ db: Database) throws {
        let responseId = try Int64.fetchOne(
            db.cachedStatement(
                sql: """
                    INSERT INTO survey_responses
                      (member_id, message_id, order_id, complaint_id, campaign_id, variant, score, answer, comment,
                       received_at, inbound_id)
                    SELECT ?, id, order_id, complaint_id, campaign_id, variant, ?, ?, ?, ?, ? FROM messages WHERE id = ?
                    ON CONFLICT DO NOTHING
                    RETURNING id
                    """),
            arguments: [
                answer.memberId, answer.score, answer.key, answer.comment, at, inboundId, answer.messageId,
            ])
        guard let responseId, let followUp = answer.followUp else { return }
        // The member's own manager; else the manager of their branch.
        let owner =
            try staff(
                sql: """
                    SELECT s.id, s.phone, s.email FROM members m JOIN staff s ON s.id = m.manager_id WHERE m.id = ?
                    """, answer.memberId, db)
            ?? staff(
                sql: """
                    SELECT s.id, s.phone, s.email FROM members m
                    JOIN staff s ON s.branch_id = m.branch_id AND s.role = 'branch_manager'
                    WHERE m.id = ? ORDER BY s.id LIMIT 1
                    """, answer.memberId, db)
        try db.cachedStatement(
            sql: """
                INSERT INTO tasks (member_id, staff_id, reason, due_at, status, created_at, survey_response_id)
                VALUES (?, ?, ?, ?, 'open', ?, ?)
                """
        ).execute(arguments: [
            answer.memberId, owner?.id, followUp.reason, followUp.dueAt.unixMillis, at, responseId,
        ])
        let taskId = db.lastInsertedRowID
        guard let owner else { return }
        let messageId = try notify(
            owner, text: "\(followUp.notice)（任务 #\(taskId)）", key: "task:\(taskId):notify", at: at, db)
        try db.cachedStatement(sql: "UPDATE tasks SET notified_message_id = ? WHERE id = ?").execute(arguments: [
            messageId, taskId,
        ])
    }

    /// A member of staff a task goes to, with how to reach them.
    struct StaffContact {
        var id: Int64
        var phone: String?
        var email: String?
    }

    static func staff(sql: String, _ id: Int64, _ db: Database) throws -> StaffContact? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [id]).map {
            StaffContact(id: $0["id"], phone: $0["phone"], email: $0["email"])
        }
    }

    /// One service message to a member of staff: SMS when they have a phone,
    /// else email; nil when they have neither. The key makes it one per task and step.
    static func notify(
        _ staff: StaffContact, text: String, key: String, at: Int64, _ db: Database
    ) throws -> Int64? {
        let channel: Channel
        let address: String
        let content: MessageContent
        if let phone = staff.phone, !phone.isEmpty {
            (channel, address, content) = (.sms, phone, MessageContent(text: text))
        } else if let email = staff.email, !email.isEmpty {
            (channel, address, content) = (.email, email, MessageContent(text: text, subject: String(text.prefix(40))))
        } else {
            return nil
        }
        let message = NewMessage(
            idempotencyKey: key, purpose: taskNoticePurpose, channel: channel, lane: .transactional, category: .service,
            address: address, payload: content.json(), maxAttempts: 5)
        switch try insert([message], at: at, db).first {
        case .enqueued(let id), .duplicate(let id): return id
        case nil: return nil
        }
    }

    /// `messages.purpose` of the notices to staff.
    public static let taskNoticePurpose = MessagePurpose.automation("task_notice")

    static let taskSelect = """
        SELECT t.id, m.member_no, m.name AS member_name, t.reason, t.status, t.due_at, t.created_at, s.staff_no,
          s.name AS staff_name, b.code AS branch_code, r.score, r.comment, t.escalated_at, t.closed_at, t.note
        FROM tasks t JOIN members m ON m.id = t.member_id LEFT JOIN staff s ON s.id = t.staff_id
        LEFT JOIN branches b ON b.id = m.branch_id LEFT JOIN survey_responses r ON r.id = t.survey_response_id
        """

    static func task(id: Int64, _ db: Database) throws -> FollowUpTask? {
        try Row.fetchOne(db.cachedStatement(sql: "\(taskSelect) WHERE t.id = ?"), arguments: [id]).map(task)
    }

    static func task(_ row: Row) throws -> FollowUpTask {
        FollowUpTask(
            id: row["id"], memberNo: row["member_no"], memberName: row["member_name"], reason: row["reason"],
            status: try decoded(row["status"], column: "tasks.status"), dueAt: Date(unixMillis: row["due_at"]),
            createdAt: Date(unixMillis: row["created_at"]), staffNo: row["staff_no"], staffName: row["staff_name"],
            branchCode: row["branch_code"], score: row["score"], comment: row["comment"],
            escalatedAt: (row["escalated_at"] as Int64?).map(Date.init(unixMillis:)),
            closedAt: (row["closed_at"] as Int64?).map(Date.init(unixMillis:)), note: row["note"])
    }
}
