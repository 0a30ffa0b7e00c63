@testable import CoreModel
import GRDB
import Foundation
import Testing

/// What is SQLite's own: query plans and migrations. The behaviour every
/// store owes is in StoreContractTests.
struct SQLiteStoreTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A lease must walk the partial due index in order and stop at its limit:
    /// a sort over the backlog would make every lease cost O(backlog).
    @Test func leasingReadsTheDueIndexWithoutSorting() async throws {
        try await withStore { store, _ in
            let plan = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(SQLiteStore.dueSQL)", arguments: ["marketing", 0, 10])
                    .map { $0["detail"] as String }.joined(separator: "\n")
            }
            #expect(plan.contains("USING INDEX messages_due"), "\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }

    @Test func migrationsAreNamedAndApplied() async throws {
        try await withStore { store, _ in
            let applied = try store.appliedMigrations()
            #expect(
                applied == [
                    "v1-records", "v1-outbox", "v2-outbox-partial-indexes", "v3-message-binding", "v4-automations",
                    "v5-message-purpose", "v6-cursor-gaps",
                ])
        }
    }
}

extension SQLiteStoreTests {
    /// A row cursor's gaps are found by primary-key ranges, not by reading the table.
    @Test func gapsAreReadByPrimaryKeyRanges() async throws {
        try await withStore { store, _ in
            let plan = try await store.pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        EXPLAIN QUERY PLAN SELECT o.id FROM orders o WHERE o.id IN (
                          SELECT t.id FROM json_each(?) g JOIN orders t ON t.id BETWEEN g.value ->> 0 AND g.value ->> 1)
                        """,
                    arguments: ["[[1,2]]"]
                ).map { $0["detail"] as String }.joined(separator: "\n")
            }
            #expect(plan.contains("INTEGER PRIMARY KEY (rowid>? AND rowid<?)"), "\(plan)")
            #expect(!plan.contains("SCAN o"), "\(plan)")
        }
    }

    /// The reservation call's scan reads one automation's recent messages by index.
    @Test func purposeScansUseTheirIndex() async throws {
        try await withStore { store, _ in
            let plan = try await store.pool.read { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE purpose = ? AND created_at > ? AND created_at <= ?",
                    arguments: ["automation:reservation_reminder", 0, 1]
                ).map { $0["detail"] as String }.joined(separator: "\n")
            }
            #expect(plan.contains("INDEX messages_purpose (purpose=? AND created_at>? AND created_at<?)"), "\(plan)")
        }
    }
}
