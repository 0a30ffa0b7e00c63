import Foundation
import GRDB

extension SQLiteStore: Queues {
    /// A few rows kept by the triggers of migration v28-dashboard.
    static let queueDepthSQL = "SELECT lane, status, messages FROM queue_depth WHERE messages <> 0"

    public func queueDepth() async throws -> QueueDepth {
        let counts = try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: Self.queueDepthSQL)).map { row in
                QueueDepth.Count(
                    lane: try Self.decoded(row["lane"], column: "queue_depth.lane"),
                    status: try Self.decoded(row["status"], column: "queue_depth.status"), messages: row["messages"])
            }
        }
        let lanes = Lane.allCases
        let statuses = MessageStatus.allCases
        return QueueDepth(counts: counts.sorted {
            ((lanes.firstIndex(of: $0.lane) ?? 0), (statuses.firstIndex(of: $0.status) ?? 0))
                < ((lanes.firstIndex(of: $1.lane) ?? 0), (statuses.firstIndex(of: $1.status) ?? 0))
        })
    }
}
