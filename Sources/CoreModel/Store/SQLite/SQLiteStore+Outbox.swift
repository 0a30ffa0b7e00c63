import Foundation
import GRDB

extension SQLiteStore: Outbox {
    public func enqueue(_ messages: [NewMessage], now: Date) async throws -> [EnqueueResult] {
        try await pool.write { db in try Self.insert(messages, at: now.unixMillis, db) }
    }

    /// The outbox rows of `messages`, inside the caller's transaction.
    static func insert(_ messages: [NewMessage], at: Int64, _ db: Database) throws -> [EnqueueResult] {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO messages (idempotency_key, purpose, channel, lane, category, priority, member_id, address, template,
              locale, payload, not_before, expires_at, max_attempts, next_attempt_at, status, created_at, updated_at, gateway,
              order_id, bound_at, complaint_id, campaign_id, variant, uid)
            VALUES (?, ?, ?, ?, ?, ?, (SELECT id FROM members WHERE member_no = ?), ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?,
              (SELECT id FROM orders WHERE order_no = ?), ?, (SELECT id FROM complaints WHERE complaint_no = ?), ?, ?,
              lower(hex(randomblob(16))))
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """)
        let existing = try db.cachedStatement(sql: "SELECT id FROM messages WHERE idempotency_key = ?")
        return try messages.map { message in
            let due = max(message.notBefore?.unixMillis ?? at, at)
            let arguments: StatementArguments = [
                message.idempotencyKey, message.purpose.rawValue, message.channel.rawValue, message.lane.rawValue,
                message.category.rawValue, message.priority, message.memberNo, message.address, message.template,
                message.locale, message.payload, due, message.expiresAt?.unixMillis, message.maxAttempts, due, at, at,
                message.gateway, message.orderNo, message.boundAt?.unixMillis, message.complaintNo, message.campaignId,
                message.variant,
            ]
            guard let id = try Int64.fetchOne(insert, arguments: arguments) else {
                guard let id = try Int64.fetchOne(existing, arguments: [message.idempotencyKey]) else {
                    throw StoreError(
                        .inconsistent, place: "messages",
                        message: "message \(message.idempotencyKey) neither inserted nor found")
                }
                return .duplicate(messageId: id)
            }
            try appendEvent(db, messageId: id, at: at, event: "enqueued", from: .queued, to: .queued, reason: message.idempotencyKey)
            return .enqueued(messageId: id)
        }
    }

    /// The next `?3` due messages of lane `?1` at time `?2`, in the order of the partial index (no sort).
    static let dueSQL = """
        SELECT id FROM messages
        WHERE lane = ?1 AND \(Schema.leasable) AND next_attempt_at <= ?2
        ORDER BY priority DESC, next_attempt_at, id LIMIT ?3
        """

    /// One statement per batch, whatever its size: the due rows are claimed and
    /// returned (in PostgreSQL the inner SELECT becomes FOR UPDATE SKIP LOCKED).
    /// A lease writes no event row: the attempt's outcome (accepted, failure,
    /// lease expired) is the event, and `attempts`/`lease_owner` are on the row —
    /// a row per lease doubled the event writes for nothing a reader uses.
    public func leaseDue(lane: Lane, limit: Int, owner: String, leaseUntil: Date, now: Date) async throws -> [OutboxMessage] {
        try await pool.write { db in
            try Self.claim(lane: lane, limit: limit, owner: owner, leaseUntil: leaseUntil, at: now.unixMillis, db)
        }
    }

    public func leaseDue(
        shares: [(lane: Lane, quota: Int)], capacity: Int, owner: String, leaseUntil: Date, now: Date
    ) async throws -> [OutboxMessage] {
        try await pool.write { db in
            let at = now.unixMillis
            var batch: [OutboxMessage] = []
            var filled: [Lane] = []
            for (lane, quota) in shares where quota > 0 {
                let got = try Self.claim(lane: lane, limit: quota, owner: owner, leaseUntil: leaseUntil, at: at, db)
                batch += got
                if got.count == quota { filled.append(lane) }
            }
            for lane in filled where batch.count < capacity {
                batch += try Self.claim(
                    lane: lane, limit: capacity - batch.count, owner: owner, leaseUntil: leaseUntil, at: at, db)
            }
            return batch
        }
    }

    /// Claims up to `limit` due messages of `lane` inside the caller's transaction, in due order.
    private static func claim(
        lane: Lane, limit: Int, owner: String, leaseUntil: Date, at: Int64, _ db: Database
    ) throws -> [OutboxMessage] {
        let claim = try db.cachedStatement(sql: """
            UPDATE messages SET status = 'sending', lease_owner = ?4, lease_until = ?5, attempts = attempts + 1, updated_at = ?2
            WHERE id IN (\(Self.dueSQL))
            RETURNING id, idempotency_key, channel, lane, category, member_id, address, payload, attempts, max_attempts,
              expires_at, status, lease_owner, lease_until, gateway, priority, next_attempt_at, pinned_gateway, pinned_at,
              not_before, uid, campaign_id, variant, template, locale
            """)
        let rows = try Row.fetchCursor(claim, arguments: [lane.rawValue, at, limit, owner, leaseUntil.unixMillis])
        // RETURNING comes in no particular order: put the batch back in due order.
        var leased: [(message: OutboxMessage, priority: Int, due: Int64)] = []
        leased.reserveCapacity(limit)
        while let row = try rows.next() { leased.append((try Self.outboxMessage(row), row[15], row[16])) }
        leased.sort { ($1.priority, $0.due, $0.message.id) < ($0.priority, $1.due, $1.message.id) }
        return leased.map(\.message)
    }

    public func record(_ events: [MessageEventRequest], now: Date) async throws -> [MessageTransitionResult] {
        try await pool.write { db in
            let at = now.unixMillis
            return try events.map { try Self.apply($0.event, to: $0.messageId, leaseOwner: $0.leaseOwner, at: at, db) }
        }
    }

    /// One event through the state machine, with its event row.
    static func apply(_ event: MessageEvent, to messageId: Int64, leaseOwner: String?, at: Int64, _ db: Database) throws -> MessageTransitionResult {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT status, lease_owner FROM messages WHERE id = ?"), arguments: [messageId])
        else { return .notFound }
        guard let status = MessageStatus(rawValue: row["status"]) else { return .notFound }
        if let owner = leaseOwner, (row["lease_owner"] as String?) != owner || status != .sending {
            return .leaseLost
        }
        switch MessageStateMachine.apply(event, to: status) {
        case .failure(let refusal):
            return .refused(refusal)
        case .success(.recordOnly):
            try appendEvent(db, messageId: messageId, at: at, event: event.name, from: status, to: status, reason: event.reason)
            return .applied(from: status, to: status)
        case .success(.transition(let next)):
            try write(event, from: status, to: next, messageId: messageId, at: at, db)
            try appendEvent(db, messageId: messageId, at: at, event: event.name, from: status, to: next, reason: event.reason)
            return .applied(from: status, to: next)
        }
    }

    public func reconcileExpiredLeases(now: Date) async throws -> Int {
        try await reconcile(sql: "SELECT id FROM messages WHERE status = 'sending' AND lease_until < ?", arguments: [now.unixMillis], now: now)
    }

    public func reconcileLeases(ownedBy owners: [String], now: Date) async throws -> Int {
        guard !owners.isEmpty else { return 0 }
        let marks = Array(repeating: "?", count: owners.count).joined(separator: ",")
        return try await reconcile(
            sql: "SELECT id FROM messages WHERE status = 'sending' AND lease_owner IN (\(marks))", arguments: StatementArguments(owners), now: now)
    }

    public func renewLeases(_ ids: [Int64], owner: String, until: Date) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await pool.write { db in
            try db.cachedStatement(sql: """
                UPDATE messages SET lease_until = ?
                WHERE id IN (SELECT value FROM json_each(?)) AND status = 'sending' AND lease_owner = ?
                """).execute(arguments: [until.unixMillis, Self.jsonArray(ids), owner])
            return db.changesCount
        }
    }

    public func expireUnconfirmed(
        channel: Channel, submittedBefore cutoff: Date, waited: TimeInterval, limit: Int, now: Date
    ) async throws -> Int {
        try await pool.write { db in
            let at = now.unixMillis
            let event = MessageEvent.receiptTimedOut(after: waited)
            let ids = try Int64.fetchAll(
                db.cachedStatement(sql: """
                    UPDATE messages SET status = 'expired', status_reason = ?1, last_error_kind = 'unconfirmed',
                      final_at = ?2, updated_at = ?2
                    WHERE id IN (
                      SELECT id FROM messages WHERE channel = ?3 AND status = 'submitted' AND submitted_at < ?4 LIMIT ?5)
                    RETURNING id
                    """),
                arguments: [event.reason, at, channel.rawValue, cutoff.unixMillis, limit])
            for id in ids {
                try Self.appendEvent(db, messageId: id, at: at, event: event.name, from: .submitted, to: .expired, reason: event.reason)
            }
            return ids.count
        }
    }

    /// `[1,2,3]`: a list of ids as one bound argument, read back with `json_each`.
    static func jsonArray(_ ids: [Int64]) -> String {
        "[" + ids.map { String($0) }.joined(separator: ",") + "]"
    }

    public func leaseOwners() async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT lease_owner FROM messages WHERE status = 'sending' AND lease_owner IS NOT NULL")
        }
    }

    /// Leased messages whose sender is gone become `unknown`, due at their old
    /// due time (so ahead of later messages); the resend carries the same key.
    private func reconcile(sql: String, arguments: StatementArguments, now: Date) async throws -> Int {
        try await pool.write { db in
            let at = now.unixMillis
            let ids = try Int64.fetchAll(db, sql: sql, arguments: arguments)
            for id in ids {
                try db.execute(
                    // next_attempt_at stays: it was due when leased, so the resend goes ahead of later messages.
                    sql: "UPDATE messages SET status = 'unknown', status_reason = ?, lease_owner = NULL, lease_until = NULL, next_attempt_at = MIN(next_attempt_at, ?), updated_at = ? WHERE id = ?",
                    arguments: [MessageEvent.leaseExpired.reason, at, at, id])
                try Self.appendEvent(db, messageId: id, at: at, event: MessageEvent.leaseExpired.name, from: .sending, to: .unknown, reason: MessageEvent.leaseExpired.reason)
            }
            return ids.count
        }
    }

    private static func write(_ event: MessageEvent, from status: MessageStatus, to next: MessageStatus, messageId: Int64, at: Int64, _ db: Database) throws {
        var assignments = ["status = ?", "status_reason = ?", "updated_at = ?"]
        var values: [DatabaseValueConvertible?] = [next.rawValue, event.reason, at]
        switch event {
        case .accepted(let providerId):
            assignments += ["provider_message_id = COALESCE(?, provider_message_id)", "submitted_at = ?"]
            values += [providerId, at]
        case .transientFailure(_, let retryAt):
            assignments.append("next_attempt_at = ?")
            values.append(retryAt.unixMillis)
        case .unanswered(_, let retryAt):
            // The gateway it is pinned to is written with the send result (`recordSendResults`).
            assignments += ["next_attempt_at = ?", "last_error_kind = 'unanswered'"]
            values.append(retryAt.unixMillis)
        case .receiptTimedOut:
            assignments.append("last_error_kind = 'unconfirmed'")
        case .deferred(_, let until):
            assignments.append("next_attempt_at = ?")
            values.append(until.unixMillis)
            // Held back at send time (quiet hours, gateway capacity): the lease's attempt was not made.
            if status == .sending { assignments.append("attempts = MAX(attempts - 1, 0)") }
        case .released:
            // Handing back an unsent message does not use up an attempt.
            assignments += ["attempts = MAX(attempts - 1, 0)", "next_attempt_at = ?"]
            values.append(at)
        default:
            break
        }
        if next != .sending {
            assignments += ["lease_owner = NULL", "lease_until = NULL"]
        }
        if next.isFinal {
            assignments.append("final_at = ?")
            values.append(at)
        }
        values.append(messageId)
        // A handful of distinct statements (one per event kind): cached.
        try db.cachedStatement(sql: "UPDATE messages SET \(assignments.joined(separator: ", ")) WHERE id = ?")
            .execute(arguments: StatementArguments(values))
    }

    static func appendEvent(_ db: Database, messageId: Int64, at: Int64, event: String, from: MessageStatus, to: MessageStatus, reason: String?) throws {
        try db.cachedStatement(
            sql: "INSERT INTO message_events (message_id, at, event, from_status, to_status, reason) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [messageId, at, event, from.rawValue, to.rawValue, reason])
    }

    /// Columns in the order of the claim's RETURNING list.
    private static func outboxMessage(_ row: Row) throws -> OutboxMessage {
        func decode<T: RawRepresentable>(_ index: Int, _ column: String) throws -> T where T.RawValue == String {
            try decoded(row[index], column: "messages.\(column)")
        }
        return OutboxMessage(
            id: row[0], idempotencyKey: row[1], channel: try decode(2, "channel"), lane: try decode(3, "lane"),
            category: try decode(4, "category"), memberId: row[5], address: row[6], payload: row[7],
            attempts: row[8], maxAttempts: row[9],
            expiresAt: (row[10] as Int64?).map(Date.init(unixMillis:)), status: try decode(11, "status"),
            leaseOwner: row[12], leaseUntil: (row[13] as Int64?).map(Date.init(unixMillis:)), gateway: row[14],
            pinnedGateway: row[17], pinnedAt: (row[18] as Int64?).map(Date.init(unixMillis:)),
            notBefore: Date(unixMillis: row[19]), uid: row[20], campaignId: row[21], variant: row[22], template: row[23],
            locale: row[24])
    }
}
