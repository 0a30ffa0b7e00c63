import Foundation
import GRDB

extension SQLiteStore: Queues {
    /// Leasable rows by lane, due or later: a covering walk of `messages_due`
    /// (its condition repeated verbatim so SQLite picks the partial index).
    static let laneDepthSQL = """
        SELECT lane, SUM(next_attempt_at <= ?) AS due, COUNT(*) AS n FROM messages
        WHERE \(Schema.leasable) GROUP BY lane
        """
    /// Rows being sent: a count of `messages_lease`.
    static let sendingSQL = "SELECT COUNT(*) FROM messages WHERE status = 'sending'"
    /// Rows waiting for a receipt, by channel: a covering walk of `messages_awaiting_receipt`.
    static let awaitingReceiptSQL = "SELECT channel, COUNT(*) AS n FROM messages WHERE status = 'submitted' GROUP BY channel"

    public func queueDepth(now: Date) async throws -> QueueDepth {
        try await pool.read { db in
            var byLane: [Lane: QueueDepth.LaneDepth] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: Self.laneDepthSQL), arguments: [now.unixMillis]) {
                let lane: Lane = try Self.decoded(row["lane"], column: "messages.lane")
                let due: Int = row["due"]
                byLane[lane] = .init(lane: lane, due: due, later: row["n"] - due)
            }
            let sending = try Int.fetchOne(db.cachedStatement(sql: Self.sendingSQL)) ?? 0
            let awaiting = try Row.fetchAll(db.cachedStatement(sql: Self.awaitingReceiptSQL)).map { row in
                QueueDepth.ChannelDepth(
                    channel: try Self.decoded(row["channel"], column: "messages.channel"), messages: row["n"])
            }
            return QueueDepth(
                lanes: Lane.allCases.map { byLane[$0] ?? .init(lane: $0, due: 0, later: 0) }, sending: sending,
                awaitingReceipt: awaiting)
        }
    }
}
