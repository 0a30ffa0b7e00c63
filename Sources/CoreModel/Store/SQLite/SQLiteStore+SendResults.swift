import Foundation
import GRDB

extension SQLiteStore {
    public func recordSendResults(_ results: [SendResult], owner: String, now: Date) async throws -> [MessageTransitionResult] {
        try await pool.write { db in
            let at = now.unixMillis
            var outcomes = [MessageTransitionResult?](repeating: nil, count: results.count)
            let accepted = results.indices.filter {
                if case .accepted = results[$0].event, results[$0].gateway != nil, !results[$0].possibleDuplicate { true } else { false }
            }
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
                        UPDATE messages SET gateway = ?1, segments = COALESCE(?2, segments), cost_micros = COALESCE(?3, cost_micros),
                          provider_message_id = COALESCE(provider_message_id, ?4)
                        WHERE id = ?5 AND (lease_owner = ?6 OR (lease_owner IS NULL AND (gateway IS NULL OR gateway = ?1)))
                        """)
                        .execute(arguments: [gateway, result.segments, result.costMicros, providerId, result.messageId, owner])
                    try Self.notePinning(result, gateway: gateway, owner: owner, at: at, db)
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

    /// An unanswered send pins the message to its gateway (from the first
    /// unanswered attempt there); a send the config let fail over away from
    /// its pinned gateway is marked a possible duplicate.
    private static func notePinning(_ result: SendResult, gateway: String, owner: String, at: Int64, _ db: Database) throws {
        if case .unanswered = result.event {
            try db.cachedStatement(sql: """
                UPDATE messages SET pinned_at = CASE WHEN pinned_gateway = ?1 THEN pinned_at ELSE ?2 END, pinned_gateway = ?1
                WHERE id = ?3 AND lease_owner = ?4
                """).execute(arguments: [gateway, at, result.messageId, owner])
        }
        if result.possibleDuplicate {
            try db.cachedStatement(sql: "UPDATE messages SET possible_duplicate = 1 WHERE id = ? AND lease_owner = ?")
                .execute(arguments: [result.messageId, owner])
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
        let update = try db.cachedStatement(sql: Self.acceptedUpdateSQL[padded]!)
        let applied = Set(try Int64.fetchAll(update, arguments: StatementArguments(values)))
        let indexes = results.indices.filter { applied.contains(results[$0].messageId) }
        guard !indexes.isEmpty else { return [] }
        var eventValues: [(any DatabaseValueConvertible)?] = [at]
        for index in indexes { eventValues += [results[index].messageId, results[index].event.reason] }
        eventValues += Array(repeating: nil, count: 1 + padded * 2 - eventValues.count)
        try db.cachedStatement(sql: Self.acceptedEventSQL[padded]!).execute(arguments: StatementArguments(eventValues))
        return indexes
    }

    /// The bulk acceptance's statements for each padded size, built once: the
    /// statement cache is keyed by SQL text, and building ~3,000 placeholders
    /// per call to look it up took about a third of the bulk write's CPU in a profile.
    private static let paddedSizes = stride(from: 64, through: acceptedChunk, by: 64)
    private static let acceptedUpdateSQL = Dictionary(uniqueKeysWithValues: paddedSizes.map { rows in
        (rows, """
            WITH batch(id, gateway, segments, cost, provider, reason) AS (VALUES \(placeholders(rows: rows, columns: 6, from: 3)))
            UPDATE messages SET status = 'submitted', status_reason = batch.reason, updated_at = ?1,
              provider_message_id = COALESCE(batch.provider, messages.provider_message_id), submitted_at = ?1,
              lease_owner = NULL, lease_until = NULL, gateway = batch.gateway,
              segments = COALESCE(batch.segments, messages.segments), cost_micros = COALESCE(batch.cost, messages.cost_micros)
            FROM batch WHERE messages.id = batch.id AND messages.status = 'sending' AND messages.lease_owner = ?2
            RETURNING messages.id
            """)
    })
    private static let acceptedEventSQL = Dictionary(uniqueKeysWithValues: paddedSizes.map { rows in
        (rows, """
            INSERT INTO message_events (message_id, at, event, from_status, to_status, reason)
            SELECT column1, ?1, 'accepted', 'sending', 'submitted', column2 FROM (VALUES \(placeholders(rows: rows, columns: 2, from: 2)))
            WHERE column1 IS NOT NULL
            """)
    })

    /// "(?3, ?4), (?5, ?6)" for rows: 2, columns: 2, from: 3.
    static func placeholders(rows: Int, columns: Int, from first: Int) -> String {
        (0..<rows).map { row in
            "(" + (0..<columns).map { "?\(first + row * columns + $0)" }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }

    static let stateColumns = """
        id, status, status_reason, gateway, provider_message_id, attempts, next_attempt_at, submitted_at, idempotency_key,
        pinned_gateway, last_error_kind, possible_duplicate
        """

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
            submittedAt: (row["submitted_at"] as Int64?).map(Date.init(unixMillis:)), pinnedGateway: row["pinned_gateway"],
            lastErrorKind: row["last_error_kind"], possibleDuplicate: row["possible_duplicate"])
    }
}
