import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

extension SQLiteStore {
    /// Runs `body` with a bulk loader on the writer connection.
    public func bulkLoad(commitEvery: Int = 200_000, _ body: (BulkLoader) throws -> Void) throws -> [BulkTable: Int] {
        Self.keepFreedMemoryMapped()
        return try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF")
            defer {
                try? db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON")
            }
            let indexes = try Row.fetchAll(
                db,
                sql:
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('members','orders','complaints','points_ledger')"
            )
            for index in indexes { try db.execute(sql: "DROP INDEX \(index["name"] as String)") }
            // The members' order totals and the branch counts are recounted once at the end, not changed per loaded row.
            let triggers = try Row.fetchAll(
                db,
                sql: """
                    SELECT name, sql FROM sqlite_master
                    WHERE type = 'trigger' AND tbl_name IN ('orders', 'delivery_feedback', 'complaints')
                    """)
            for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger["name"] as String)") }
            let loader = try BulkLoader(db: db, commitEvery: commitEvery)
            let counts: [BulkTable: Int]
            do {
                try body(loader)
                counts = try loader.finish()
            } catch {
                try? db.execute(sql: "ROLLBACK")
                for index in indexes { try? db.execute(sql: index["sql"] as String) }
                for trigger in triggers { try? db.execute(sql: trigger["sql"] as String) }
                try? db.execute(sql: Schema.recountOrderTotals)  // the chunks committed before the failure
                try? db.execute(sql: BranchTally.recount)
                throw error
            }
            try db.inTransaction {
                for index in indexes { try db.execute(sql: index["sql"] as String) }
                for trigger in triggers { try db.execute(sql: trigger["sql"] as String) }
                try db.execute(sql: Schema.recountOrderTotals)
                try db.execute(sql: BranchTally.recount)
                return .commit
            }
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return counts
        }
    }

    /// Number of members, to refuse seeding over real data.
    public func memberCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members") ?? 0 }
    }

    /// Rows whose foreign keys point nowhere (PRAGMA foreign_key_check).
    public func foreignKeyViolations() throws -> Int {
        try pool.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count }
    }

    /// Members whose order totals (`orders_total`, `spend_total_fen`, kept by
    /// triggers and recounted after a bulk load) or `last_order_at` disagree
    /// with their orders.
    public func orderTotalsMismatches() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM members m LEFT JOIN (\(Schema.orderTotalsByMember)) t ON t.member_id = m.id
                    WHERE m.orders_total <> COALESCE(t.orders, 0) OR m.spend_total_fen <> COALESCE(t.spend, 0)
                      OR (t.latest IS NOT NULL AND (m.last_order_at IS NULL OR m.last_order_at < t.latest))
                    """) ?? 0
        }
    }

    /// GRDB writes on a dispatch thread, whose malloc arena otherwise hands
    /// freed pages back to the kernel every few rows (madvise, page faults,
    /// TLB flushes: a third of a bulk load's time). Keep them mapped.
    static func keepFreedMemoryMapped() {
        #if canImport(Glibc)
        // mallopt is not in Swift's Glibc module; the parameters are glibc's
        // M_TRIM_THRESHOLD (-1), M_TOP_PAD (-2) and M_MMAP_THRESHOLD (-3).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-1, 256 << 20)
        _ = mallopt(-2, 16 << 20)
        _ = mallopt(-3, 32 << 20)
        #endif
    }
}
