import Foundation
import GRDB

extension SQLiteStore {
    /// Rows per write transaction when scores are applied: about 20–40 ms under
    /// the write lock each at 1M members, so an order confirmation waits no longer.
    static let rfmChunk = 5_000

    public func recomputeRFM(windowDays: Int, now: Date) async throws -> RFMSummary {
        try await recomputeRFM(windowDays: windowDays, now: now, chunk: Self.rfmChunk)
    }

    /// Scores in one read transaction (20 s at 1M members, while writers go
    /// on), then applies them in write transactions of `chunk` rows: upserts,
    /// then deletes for members no longer scored. Readers meanwhile see some
    /// members scored by this run and the rest by the last one; a recompute
    /// cut short (cancelled, a full disk) leaves that mix for the next run to
    /// finish, never a table without the members it had.
    func recomputeRFM(windowDays: Int, now: Date, chunk: Int) async throws -> RFMSummary {
        let started = ContinuousClock.now
        let scoring = try await pool.read { db in try RFMScoring(db, windowDays: windowDays, now: now) }
        let read = ContinuousClock.now - started
        var longest = Duration.zero
        var transactions = 0
        let computedAt = now.unixMillis
        for start in stride(from: 0, to: scoring.scores.count, by: max(chunk, 1)) {
            try Task.checkCancellation()
            let slice = scoring.scores[start..<min(start + chunk, scoring.scores.count)]
            let held = try await timedWrite { db in
                let upsert = try db.cachedStatement(
                    sql: """
                        INSERT INTO member_rfm (member_id, recency_days, frequency, monetary_fen, r, f, m, segment, computed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (member_id) DO UPDATE SET recency_days = excluded.recency_days,
                          frequency = excluded.frequency, monetary_fen = excluded.monetary_fen, r = excluded.r,
                          f = excluded.f, m = excluded.m, segment = excluded.segment, computed_at = excluded.computed_at
                        """)
                for score in slice {
                    try upsert.execute(arguments: [
                        score.memberID, score.recencyDays, score.frequency, score.monetaryFen, score.r, score.f, score.m,
                        score.segment.rawValue, computedAt,
                    ])
                }
            }
            longest = max(longest, held)
            transactions += 1
        }
        for start in stride(from: 0, to: scoring.stale.count, by: max(chunk, 1)) {
            try Task.checkCancellation()
            let slice = scoring.stale[start..<min(start + chunk, scoring.stale.count)]
            let held = try await timedWrite { db in
                let delete = try db.cachedStatement(sql: "DELETE FROM member_rfm WHERE member_id = ?")
                for memberID in slice { try delete.execute(arguments: [memberID]) }
            }
            longest = max(longest, held)
            transactions += 1
        }
        var bySegment: [String: Int] = [:]
        for score in scoring.scores { bySegment[score.segment.rawValue, default: 0] += 1 }
        return RFMSummary(
            windowDays: windowDays, members: scoring.scores.count, bySegment: bySegment,
            seconds: (ContinuousClock.now - started).seconds, readSeconds: read.seconds,
            longestWriteSeconds: longest.seconds, writeTransactions: transactions)
    }

    public func lastRFMComputation() async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(computed_at) FROM member_rfm").map(Date.init(unixMillis:))
        }
    }

    /// One write transaction, timed from BEGIN to the end of COMMIT: how long
    /// every other writer had to wait for it.
    private func timedWrite(_ updates: @escaping @Sendable (Database) throws -> Void) async throws -> Duration {
        try await pool.writeWithoutTransaction { db in
            let begun = ContinuousClock.now
            try db.inTransaction(.immediate) {
                try updates(db)
                return .commit
            }
            return ContinuousClock.now - begun
        }
    }
}

/// The scores of one recomputation, read in one snapshot, and the members
/// the last run scored that this one does not.
private struct RFMScoring: Sendable {
    var scores: [RFMScore] = []
    var stale: [Int64] = []

    /// The window's orders grouped per member, scored by rank (equal values
    /// share a score: 1 + (rank - 1) * 5 / members).
    init(_ db: Database, windowDays: Int, now: Date) throws {
        let since = now.unixMillis - Int64(windowDays) * 86_400_000
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT member_id, last_at, frequency, monetary,
                  1 + (RANK() OVER (ORDER BY last_at) - 1) * 5 / COUNT(*) OVER () AS r,
                  1 + (RANK() OVER (ORDER BY frequency) - 1) * 5 / COUNT(*) OVER () AS f,
                  1 + (RANK() OVER (ORDER BY monetary) - 1) * 5 / COUNT(*) OVER () AS m
                FROM (
                  SELECT member_id, MAX(ordered_at) AS last_at, COUNT(*) AS frequency, SUM(amount_fen) AS monetary
                  FROM orders WHERE ordered_at >= ? AND ordered_at <= ? GROUP BY member_id
                )
                """,
            arguments: [since, now.unixMillis])
        var scored = Set<Int64>()
        while let row = try rows.next() {
            let memberID: Int64 = row[0]
            let lastAt: Int64 = row[1]
            let r: Int = row[4]
            let f: Int = row[5]
            scores.append(
                RFMScore(
                    memberID: memberID, recencyDays: (now.unixMillis - lastAt) / 86_400_000, frequency: row[2],
                    monetaryFen: row[3], r: r, f: f, m: row[6], segment: RFMSegment(r: r, f: f)))
            scored.insert(memberID)
        }
        stale = try Int64.fetchAll(db, sql: "SELECT member_id FROM member_rfm").filter { !scored.contains($0) }
        // In member order each write transaction changes a few dozen neighbouring pages, not one page per row.
        scores.sort { $0.memberID < $1.memberID }
    }
}

private struct RFMScore: Sendable {
    var memberID: Int64
    var recencyDays: Int64
    var frequency: Int64
    var monetaryFen: Int64
    var r: Int
    var f: Int
    var m: Int
    var segment: RFMSegment
}
