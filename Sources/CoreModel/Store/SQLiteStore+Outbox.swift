import Foundation
import GRDB

extension SQLiteStore {
    public func enqueue(_ messages: [NewMessage], now: Date) async throws -> [EnqueueResult] {
        try await pool.write { db in
            let at = now.unixMillis
            return try messages.map { message in
                if let existing = try Int64.fetchOne(
                    db, sql: "SELECT id FROM messages WHERE idempotency_key = ?", arguments: [message.idempotencyKey])
                {
                    return .duplicate(messageId: existing)
                }
                var memberId: Int64?
                if let memberNo = message.memberNo {
                    memberId = try Int64.fetchOne(db, sql: "SELECT id FROM members WHERE member_no = ?", arguments: [memberNo])
                }
                let due = max(message.notBefore?.unixMillis ?? at, at)
                try db.execute(
                    sql: """
                        INSERT INTO messages (idempotency_key, channel, lane, category, priority, member_id, address, template, locale,
                          payload, not_before, expires_at, max_attempts, next_attempt_at, status, created_at, updated_at, gateway)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)
                        """,
                    arguments: [
                        message.idempotencyKey, message.channel.rawValue, message.lane.rawValue, message.category.rawValue,
                        message.priority, memberId, message.address, message.template, message.locale, message.payload,
                        due, message.expiresAt?.unixMillis, message.maxAttempts, due, at, at, message.gateway,
                    ])
                let id = db.lastInsertedRowID
                try Self.appendEvent(db, messageId: id, at: at, event: "enqueued", from: .queued, to: .queued, reason: message.idempotencyKey)
                return .enqueued(messageId: id)
            }
        }
    }

    public func leaseDue(lane: Lane, limit: Int, owner: String, leaseUntil: Date, now: Date) async throws -> [OutboxMessage] {
        try await pool.write { db in
            let at = now.unixMillis
            let leasable = MessageStatus.leasable.map(\.rawValue)
            // SQLite has one writer at a time; in PostgreSQL this SELECT becomes
            // FOR UPDATE SKIP LOCKED.
            let candidates = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, status FROM messages
                    WHERE lane = ? AND status IN (?, ?, ?, ?) AND next_attempt_at <= ?
                    ORDER BY priority DESC, next_attempt_at, id LIMIT ?
                    """,
                arguments: [lane.rawValue] + StatementArguments(leasable) + [at, limit])
            let lease = try db.cachedStatement(sql: """
                UPDATE messages SET status = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
                WHERE id = ?
                RETURNING id, idempotency_key, channel, lane, category, member_id, address, payload, attempts, max_attempts,
                  expires_at, status, lease_owner, lease_until, gateway
                """)
            var leased: [OutboxMessage] = []
            leased.reserveCapacity(candidates.count)
            for candidate in candidates {
                let id: Int64 = candidate["id"]
                let previous = MessageStatus(rawValue: candidate["status"]) ?? .queued
                guard let row = try Row.fetchOne(lease, arguments: [owner, leaseUntil.unixMillis, at, id]) else { continue }
                leased.append(try Self.outboxMessage(row))
                try Self.appendEvent(db, messageId: id, at: at, event: "leased", from: previous, to: .sending, reason: "leased by \(owner)")
            }
            return leased
        }
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
            try write(event, to: next, messageId: messageId, at: at, db)
            try appendEvent(db, messageId: messageId, at: at, event: event.name, from: status, to: next, reason: event.reason)
            return .applied(from: status, to: next)
        }
    }

    public func reconcileExpiredLeases(now: Date) async throws -> Int {
        try await pool.write { db in
            let at = now.unixMillis
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM messages WHERE status = 'sending' AND lease_until < ?", arguments: [at])
            for id in ids {
                try db.execute(
                    sql: "UPDATE messages SET status = 'unknown', status_reason = ?, lease_owner = NULL, lease_until = NULL, next_attempt_at = ?, updated_at = ? WHERE id = ?",
                    arguments: [MessageEvent.leaseExpired.reason, at, at, id])
                try Self.appendEvent(db, messageId: id, at: at, event: MessageEvent.leaseExpired.name, from: .sending, to: .unknown, reason: MessageEvent.leaseExpired.reason)
            }
            return ids.count
        }
    }

    private static func write(_ event: MessageEvent, to next: MessageStatus, messageId: Int64, at: Int64, _ db: Database) throws {
        var assignments = ["status = ?", "status_reason = ?", "updated_at = ?"]
        var values: [DatabaseValueConvertible?] = [next.rawValue, event.reason, at]
        switch event {
        case .accepted(let providerId):
            assignments += ["provider_message_id = COALESCE(?, provider_message_id)", "submitted_at = ?"]
            values += [providerId, at]
        case .transientFailure(_, let retryAt):
            assignments.append("next_attempt_at = ?")
            values.append(retryAt.unixMillis)
        case .deferred(_, let until):
            assignments.append("next_attempt_at = ?")
            values.append(until.unixMillis)
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

    private static func outboxMessage(_ row: Row) throws -> OutboxMessage {
        func decode<T: RawRepresentable>(_ column: String) throws -> T where T.RawValue == String {
            let raw: String = row[column]
            guard let value = T(rawValue: raw) else {
                throw DatabaseError(message: "messages.\(column) holds unknown value '\(raw)'")
            }
            return value
        }
        return OutboxMessage(
            id: row["id"], idempotencyKey: row["idempotency_key"], channel: try decode("channel"), lane: try decode("lane"),
            category: try decode("category"), memberId: row["member_id"], address: row["address"], payload: row["payload"],
            attempts: row["attempts"], maxAttempts: row["max_attempts"],
            expiresAt: (row["expires_at"] as Int64?).map(Date.init(unixMillis:)), status: try decode("status"),
            leaseOwner: row["lease_owner"], leaseUntil: (row["lease_until"] as Int64?).map(Date.init(unixMillis:)), gateway: row["gateway"])
    }
}
