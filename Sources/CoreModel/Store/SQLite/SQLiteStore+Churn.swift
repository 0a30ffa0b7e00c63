import Foundation
import GRDB

extension SQLiteStore {
    /// Transitions in a time range, through `rfm_transitions_at`: the cost
    /// follows the moves in the range, not the members or their history.
    static let churnSQL = """
        SELECT s.staff_no, s.name, t.to_segment, COUNT(DISTINCT t.member_id) AS members
        FROM rfm_transitions t LEFT JOIN staff s ON s.id = t.staff_id
        WHERE t.at >= ? AND t.at < ? AND (t.to_segment = ? OR t.to_segment = ?)
        GROUP BY t.staff_id, t.to_segment
        """

    public func churn(from: Date, to: Date) async throws -> [ChurnCount] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: Self.churnSQL),
                arguments: [from.unixMillis, to.unixMillis, RFMSegment.atRisk.rawValue, RFMSegment.lost.rawValue]
            ).map { row in
                ChurnCount(
                    staffNo: row["staff_no"], staffName: row["name"],
                    segment: try Self.decoded(row["to_segment"], column: "rfm_transitions.to_segment"),
                    members: row["members"])
            }
        }
    }
}
