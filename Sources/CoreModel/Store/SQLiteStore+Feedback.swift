import Foundation
import GRDB

extension SQLiteStore {
    public func applyReceipts(_ receipts: [ReceiptRecord]) async throws -> [MessageTransitionResult] {
        try await pool.write { db in
            try receipts.map { receipt in
                var id = receipt.messageId
                if id == nil, let providerId = receipt.providerMessageId {
                    id = try Int64.fetchOne(
                        db.cachedStatement(sql: "SELECT id FROM messages WHERE gateway = ? AND provider_message_id = ?"),
                        arguments: [receipt.gateway, providerId])
                }
                guard let id else { return .notFound }
                let result = try Self.apply(.receipt(receipt.outcome, detail: receipt.detail), to: id, leaseOwner: nil, at: receipt.receivedAt.unixMillis, db)
                if receipt.addressInvalid, case .applied = result {
                    try Self.flagAddress(messageId: id, reason: receipt.detail ?? "provider reports the address does not exist", at: receipt.receivedAt.unixMillis, db)
                }
                return result
            }
        }
    }

    /// Marks the contact a message went to as bounced, with the provider's words.
    static func flagAddress(messageId: Int64, reason: String, at: Int64, _ db: Database) throws {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT member_id, channel, address FROM messages WHERE id = ?"), arguments: [messageId]),
            let memberId = row["member_id"] as Int64?
        else { return }
        let column: String
        switch Channel(rawValue: row["channel"]) {
        case .sms, .voice: column = "phone"
        case .email: column = "email"
        case .fax: column = "fax"
        case nil: return
        }
        try db.cachedStatement(sql: "UPDATE members SET \(column)_status = 'bounced', \(column)_reason = ?, updated_at = ? WHERE id = ? AND \(column) = ?")
            .execute(arguments: [reason, at, memberId, row["address"] as String])
    }

    /// Key suffix of the reservation call's voice message (see the reservation_call automation).
    static let reservationCallSuffix = ":call:voice"

    public func recordInbound(_ messages: [InboundRecord]) async throws -> [InboundResult] {
        try await pool.write { db in
            try messages.map { message in
                let at = message.receivedAt.unixMillis
                // The message answered tells us the member best; else the sender's address.
                var member: Row?
                var from = message.from
                var answeredCall: Int64?
                if let replyTo = message.inReplyTo, let answered = try Row.fetchOne(
                    db.cachedStatement(sql: """
                        SELECT x.address, m.id, m.member_no, x.idempotency_key, x.order_id
                        FROM messages x LEFT JOIN members m ON m.id = x.member_id WHERE x.id = ?
                        """),
                    arguments: [replyTo])
                {
                    // A provider that links the answer to our message need not repeat who answered.
                    if from.isEmpty { from = answered["address"] }
                    if answered["id"] as Int64? != nil { member = answered }
                    answeredCall = (answered["idempotency_key"] as String?)?.hasSuffix(Self.reservationCallSuffix) == true ? answered["order_id"] : nil
                }
                if member == nil {
                    member = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT id, member_no FROM members WHERE \(message.channel == .email ? "email" : "phone") = ? ORDER BY id LIMIT 1"),
                        arguments: [from])
                }
                let memberId = member?["id"] as Int64?
                try db.cachedStatement(sql: """
                    INSERT INTO inbound_messages (channel, kind, from_address, to_address, body, member_id, message_id, gateway, provider_message_id, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (gateway, provider_message_id) DO NOTHING
                    """).execute(arguments: [
                        message.channel.rawValue, message.kind.rawValue, from, message.to, message.body, memberId, message.inReplyTo,
                        message.gateway, message.providerMessageId, at,
                    ])
                guard db.changesCount > 0 else { return .duplicate }
                if let orderId = answeredCall, message.kind == .dtmf {
                    // The reservation call: 1 confirms the booking, 2 cancels it (and with it any reminder still queued).
                    let status = ["1": "confirmed", "2": "cancelled"][message.body.trimmingCharacters(in: .whitespaces)]
                    if let status {
                        try db.cachedStatement(sql: """
                            UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND \(Schema.booked)
                            """).execute(arguments: [status, at, orderId])
                    }
                }
                var revoked = false
                if let memberId, message.kind == .optout || message.kind == .unsubscribe {
                    // Opting out by SMS reply stops marketing by SMS (and voice
                    // on the same number); an email unsubscribe stops email.
                    let channels: [Channel] = message.channel == .email ? [.email] : [.sms, .voice]
                    for channel in channels {
                        try db.cachedStatement(sql: """
                            INSERT INTO consents (member_id, channel, category, granted, source, changed_at) VALUES (?, ?, 'marketing', 0, ?, ?)
                            ON CONFLICT (member_id, channel, category) DO UPDATE SET granted = 0, source = excluded.source, changed_at = excluded.changed_at
                            """).execute(arguments: [memberId, channel.rawValue, message.kind == .optout ? "sms_reply" : "unsubscribe_link", at])
                    }
                    revoked = true
                }
                return .stored(memberNo: member?["member_no"], consentRevoked: revoked)
            }
        }
    }

    public func recordSendResults(_ results: [SendResult], owner: String, now: Date) async throws -> [MessageTransitionResult] {
        try await pool.write { db in
            let at = now.unixMillis
            var outcomes = [MessageTransitionResult?](repeating: nil, count: results.count)
            let accepted = results.indices.filter { if case .accepted = results[$0].event, results[$0].gateway != nil { true } else { false } }
            for start in stride(from: 0, to: accepted.count, by: Self.acceptedChunk) {
                let chunk = Array(accepted[start..<min(start + Self.acceptedChunk, accepted.count)])
                for index in try Self.recordAccepted(chunk.map { results[$0] }, owner: owner, at: at, db) {
                    outcomes[chunk[index]] = .applied(from: .sending, to: .submitted)
                }
            }
            // Everything else (failures, and acceptances whose lease moved on) one by one through the state machine.
            for (index, result) in results.enumerated() where outcomes[index] == nil {
                if let gateway = result.gateway {
                    // A fast receipt can settle the message before its acceptance is recorded: it still gets its gateway.
                    var providerId: String?
                    if case .accepted(let id) = result.event { providerId = id }
                    try db.cachedStatement(sql: """
                        UPDATE messages SET gateway = ?, segments = COALESCE(?, segments), cost_micros = COALESCE(?, cost_micros),
                          provider_message_id = COALESCE(provider_message_id, ?)
                        WHERE id = ? AND (lease_owner = ? OR (lease_owner IS NULL AND gateway IS NULL))
                        """)
                        .execute(arguments: [gateway, result.segments, result.costMicros, providerId, result.messageId, owner])
                }
                let applied = try Self.apply(result.event, to: result.messageId, leaseOwner: owner, at: at, db)
                if let reason = result.invalidAddressReason, case .applied = applied {
                    try Self.flagAddress(messageId: result.messageId, reason: reason, at: at, db)
                }
                outcomes[index] = applied
            }
            return outcomes.map { $0 ?? .notFound }
        }
    }

    static let acceptedChunk = 512

    /// The common case in bulk: gateway acceptances of messages still leased by
    /// `owner`, as one UPDATE … FROM (VALUES …) plus one multi-row event
    /// INSERT per chunk. Writes exactly what the state machine's
    /// sending → submitted transition writes; returns the indexes (into
    /// `results`) it applied — the rest go through the general path.
    static func recordAccepted(_ results: [SendResult], owner: String, at: Int64, _ db: Database) throws -> [Int] {
        precondition(MessageStateMachine.apply(.accepted(providerMessageId: nil), to: .sending) == .success(.transition(to: .submitted)))
        // Rows are padded with NULLs up to a multiple of 64, so a handful of statement shapes
        // recur and stay cached (preparing one with ~3,000 numbered parameters costs more than running it).
        let padded = min(acceptedChunk, (results.count + 63) / 64 * 64)
        // Numbered placeholders throughout: ?1 and ?2 are `at` and `owner`, then six per row.
        var values: [(any DatabaseValueConvertible)?] = [at, owner]
        values.reserveCapacity(2 + padded * 6)
        for result in results {
            guard case .accepted(let providerId) = result.event else { continue }
            values += [result.messageId, result.gateway, result.segments, result.costMicros, providerId, result.event.reason]
        }
        values += Array(repeating: nil, count: 2 + padded * 6 - values.count)
        let update = try db.cachedStatement(sql: """
            WITH batch(id, gateway, segments, cost, provider, reason) AS (VALUES \(Self.placeholders(rows: padded, columns: 6, from: 3)))
            UPDATE messages SET status = 'submitted', status_reason = batch.reason, updated_at = ?1,
              provider_message_id = COALESCE(batch.provider, messages.provider_message_id), submitted_at = ?1,
              lease_owner = NULL, lease_until = NULL, gateway = batch.gateway,
              segments = COALESCE(batch.segments, messages.segments), cost_micros = COALESCE(batch.cost, messages.cost_micros)
            FROM batch WHERE messages.id = batch.id AND messages.status = 'sending' AND messages.lease_owner = ?2
            RETURNING messages.id
            """)
        let applied = Set(try Int64.fetchAll(update, arguments: StatementArguments(values)))
        let indexes = results.indices.filter { applied.contains(results[$0].messageId) }
        guard !indexes.isEmpty else { return [] }
        var eventValues: [(any DatabaseValueConvertible)?] = [at]
        for index in indexes { eventValues += [results[index].messageId, results[index].event.reason] }
        eventValues += Array(repeating: nil, count: 1 + padded * 2 - eventValues.count)
        try db.cachedStatement(sql: """
            INSERT INTO message_events (message_id, at, event, from_status, to_status, reason)
            SELECT column1, ?1, 'accepted', 'sending', 'submitted', column2 FROM (VALUES \(Self.placeholders(rows: padded, columns: 2, from: 2)))
            WHERE column1 IS NOT NULL
            """).execute(arguments: StatementArguments(eventValues))
        return indexes
    }

    /// "(?3, ?4), (?5, ?6)" for rows: 2, columns: 2, from: 3.
    static func placeholders(rows: Int, columns: Int, from first: Int) -> String {
        (0..<rows).map { row in
            "(" + (0..<columns).map { "?\(first + row * columns + $0)" }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }

    static let stateColumns = "id, status, status_reason, gateway, provider_message_id, attempts, next_attempt_at, submitted_at, idempotency_key"

    public func messageState(id: Int64) async throws -> MessageState? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.stateColumns) FROM messages WHERE id = ?", arguments: [id]).map(Self.messageState)
        }
    }

    public func messageStates(idempotencyKeys keys: [String]) async throws -> [String: MessageState] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.stateColumns) FROM messages WHERE idempotency_key = ?")
            var states: [String: MessageState] = [:]
            for key in keys {
                if let row = try Row.fetchOne(statement, arguments: [key]) { states[key] = Self.messageState(row) }
            }
            return states
        }
    }

    private static func messageState(_ row: Row) -> MessageState {
        MessageState(
            id: row["id"], status: MessageStatus(rawValue: row["status"]) ?? .unknown, reason: row["status_reason"], gateway: row["gateway"],
            providerMessageId: row["provider_message_id"], attempts: row["attempts"],
            nextAttemptAt: (row["next_attempt_at"] as Int64?).map(Date.init(unixMillis:)),
            submittedAt: (row["submitted_at"] as Int64?).map(Date.init(unixMillis:)))
    }
}
