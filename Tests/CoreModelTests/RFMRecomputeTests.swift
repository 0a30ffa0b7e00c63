@testable import CoreModel
import Foundation
import GRDB
import Testing

/// The recompute scores in a read and writes in short transactions; these
/// check it against the one-statement recompute it replaced, and that other
/// writers get in while it runs.
struct RFMRecomputeTests {
    let now = Date(timeIntervalSince1970: 1_795_190_400)  // 2026-11-21 00:00 Shanghai

    /// `members` members; member i has i % 7 orders (none for some), the latest i % 400 days ago,
    /// amounts varying so that ties and distinct values both occur.
    func seed(_ store: SQLiteStore, members: Int) async throws {
        try await store.pool.write { [now] db in
            try db.execute(
                sql:
                    "INSERT INTO branches (id, code, name, district, address, created_at, updated_at) VALUES (1, 'B1', '总店', '黄浦区', '南京东路1号', 0, 0)"
            )
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO members (id, member_no, name, phone_status, email_status, fax_status, level, timezone, locale,
                      created_at, updated_at)
                    SELECT i, printf('M%08d', i), '会员', 'missing', 'missing', 'missing', 'regular', 'Asia/Shanghai', 'zh-CN', 0, 0
                    FROM n
                    """,
                arguments: [members])
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
                    k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 6)
                    INSERT INTO orders (order_no, member_id, branch_id, source, kind, status, ordered_at, amount_fen,
                      created_at, updated_at)
                    SELECT printf('SO%d-%d', i, j), i, 1, 'web', 'delivery', 'delivered',
                      ? - ((i % 400) + j * 3) * 86400000 - (i % 5) * 1000, 1000 * (1 + (i * 7 + j) % 13), 0, 0
                    FROM n JOIN k ON j < i % 7
                    """,
                arguments: [members, now.unixMillis])
        }
    }

    func scores(_ store: SQLiteStore) async throws -> [[DatabaseValue]] {
        try await store.pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT member_id, recency_days, frequency, monetary_fen, r, f, m, segment FROM member_rfm ORDER BY member_id"
            ).map { Array($0.databaseValues) }
        }
    }

    /// The statement the chunked recompute replaced, verbatim but for the INSERT.
    func scoresOfTheOneStatementRecompute(_ store: SQLiteStore, windowDays: Int) async throws -> [[DatabaseValue]] {
        let named = RFMSegment.allCases.flatMap { segment in
            (1...5).flatMap { r in
                (1...5).filter { RFMSegment(r: r, f: $0) == segment }.map { (r, $0, segment.rawValue) }
            }
        }
        let cases = named.map { "WHEN r = \($0.0) AND f = \($0.1) THEN '\($0.2)'" }.joined(separator: " ")
        let since = now.unixMillis - Int64(windowDays) * 86_400_000
        return try await store.pool.read { [now] db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT member_id, (? - last_at) / 86400000, frequency, monetary, r, f, m, CASE \(cases) END
                    FROM (
                      SELECT member_id, last_at, frequency, monetary,
                        1 + (RANK() OVER (ORDER BY last_at) - 1) * 5 / COUNT(*) OVER () AS r,
                        1 + (RANK() OVER (ORDER BY frequency) - 1) * 5 / COUNT(*) OVER () AS f,
                        1 + (RANK() OVER (ORDER BY monetary) - 1) * 5 / COUNT(*) OVER () AS m
                      FROM (
                        SELECT member_id, MAX(ordered_at) AS last_at, COUNT(*) AS frequency, SUM(amount_fen) AS monetary
                        FROM orders WHERE ordered_at >= ? AND ordered_at <= ? GROUP BY member_id
                      )
                    )
                    ORDER BY member_id
                    """,
                arguments: [now.unixMillis, since, now.unixMillis]
            ).map { Array($0.databaseValues) }
        }
    }

    /// In chunks of 7 rows or all at once, the scores are those of the old single statement, and a
    /// shorter window afterwards removes exactly the members it no longer scores.
    @Test func chunkedScoresEqualTheOneStatementRecompute() async throws {
        try await withStore { store, _ in
            try await seed(store, members: 500)
            let expected = try await scoresOfTheOneStatementRecompute(store, windowDays: 365)
            #expect(expected.count > 300)
            let chunked = try await store.recomputeRFM(windowDays: 365, now: now, chunk: 7)
            #expect(try await scores(store) == expected)
            #expect(chunked.members == expected.count)
            #expect(chunked.writeTransactions == (expected.count + 6) / 7)
            _ = try await store.recomputeRFM(windowDays: 365, now: now, chunk: 100_000)
            #expect(try await scores(store) == expected)

            let shorter = try await scoresOfTheOneStatementRecompute(store, windowDays: 30)
            let summary = try await store.recomputeRFM(windowDays: 30, now: now, chunk: 7)
            #expect(try await scores(store) == shorter)
            #expect(summary.members == shorter.count && summary.bySegment.values.reduce(0, +) == shorter.count)
            #expect(try await store.lastRFMComputation() == now)
        }
    }

    /// An order-confirmation-sized write every few milliseconds while 50,000 members are scored:
    /// writes keep completing during the recompute, and none waits for a large part of it (the
    /// one-transaction recompute made every such write wait until it committed).
    @Test func otherWritersAreNotHeldForTheWholeRecompute() async throws {
        try await withStore { store, _ in
            try await seed(store, members: 50_000)
            let probe = Task {
                var waits: [(wait: Duration, at: ContinuousClock.Instant)] = []
                while !Task.isCancelled {
                    let started = ContinuousClock.now
                    do {
                        try await store.pool.write { db in
                            try db.execute(sql: "UPDATE members SET points = points + 1 WHERE id = 1")
                        }
                    } catch { break }
                    waits.append((ContinuousClock.now - started, ContinuousClock.now))
                    try? await Task.sleep(for: .milliseconds(5))
                }
                return waits
            }
            let begun = ContinuousClock.now
            let summary = try await store.recomputeRFM(windowDays: 365, now: now, chunk: 1_000)
            let ended = ContinuousClock.now
            probe.cancel()
            let waits = await probe.value
            let total = ended - begun
            let during = waits.filter { $0.at > begun && $0.at < ended }
            let longest = waits.map(\.wait).max() ?? .zero
            #expect(summary.members > 30_000)
            #expect(during.count >= 5, "writes completed during a \(total) recompute: \(during.count)")
            #expect(longest < total / 4, "longest wait \(longest) of a \(total) recompute")
            #expect(summary.longestWriteSeconds < total.seconds / 4)
        }
    }

    /// Counting in ranges of member ids side by side gives the single read's count, for every shape.
    @Test func countsInRangesEqualOneCount() async throws {
        try await withStore { store, _ in
            try await seed(store, members: 3_001)
            _ = try await store.recomputeRFM(windowDays: 365, now: now)
            let parser = SegmentParser(now: now, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            for expression in [
                "", "orders(90d) >= 2 OR spend(1y) > 30", "NOT days_since_last_order < 100",
                "rfm_segment IN (champions, lost)",
                "spend(30d) = 0 AND rfm_r >= 2",
                // Each range builds its RFM sets for its own ids only: NOT and OR around them too.
                "NOT rfm_m <= 2 AND NOT tags CONTAINS '爱辣'", "rfm_f = 3 OR rfm_segment = loyal OR orders(30d) != 1",
            ] {
                let segment = try parser.parse(expression)
                let one = try await store.countMembers(in: segment, now: now, parts: 1, smallest: 0)
                for parts in [2, 3, 7] {
                    #expect(
                        try await store.countMembers(in: segment, now: now, parts: parts, smallest: 0) == one,
                        "\(expression)")
                }
                if expression.isEmpty { #expect(one == 3_001) }
            }
        }
    }
}
