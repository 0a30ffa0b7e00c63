import Foundation
import GRDB

/// Tables the bulk loader writes, with their columns in insert order.
public enum BulkTable: Int, CaseIterable, Sendable {
    case branches, staff, menuItems, members, consents, orders, orderItems, deliveryFeedback, complaints, pointsLedger

    var sql: String {
        switch self {
        case .branches: "INSERT INTO branches (id, code, name, district, address, phone, fax, seats, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
        case .staff: "INSERT INTO staff (id, staff_no, name, role, branch_id, phone, email) VALUES (?,?,?,?,?,?,?)"
        case .menuItems: "INSERT INTO menu_items (id, code, name, price_fen, category) VALUES (?,?,?,?,?)"
        case .members:
            """
            INSERT INTO members (id, member_no, name, phone, phone_status, phone_reason, email, email_status, email_reason,
              fax, fax_status, fax_reason, level, points, tags, timezone, locale, branch_id, manager_id, joined_at,
              created_at, updated_at, last_order_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """
        case .consents: "INSERT INTO consents (member_id, channel, category, granted, source, changed_at) VALUES (?,?,?,?,?,?)"
        case .orders:
            """
            INSERT INTO orders (id, order_no, member_id, branch_id, source, kind, status, ordered_at, scheduled_at, party_size,
              amount_fen, address, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """
        case .orderItems: "INSERT INTO order_items (order_id, line, menu_item_id, quantity, price_fen) VALUES (?,?,?,?,?)"
        case .deliveryFeedback: "INSERT INTO delivery_feedback (order_id, outcome, note, recorded_at) VALUES (?,?,?,?)"
        case .complaints:
            """
            INSERT INTO complaints (complaint_no, member_id, order_id, channel, department, status, description, resolution,
              opened_at, resolved_at, satisfaction, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            """
        case .pointsLedger: "INSERT INTO points_ledger (member_id, delta, reason, order_id, expires_at, created_at) VALUES (?,?,?,?,?,?)"
        }
    }
}

/// Fast inserts for generated data: prepared statements reused, one
/// transaction per `commitEvery` rows, synchronous off (a crash mid-seed
/// leaves a database to throw away, which is fine for generated data).
public final class BulkLoader {
    private let db: Database
    private var statements: [Statement]
    private var rowsInTransaction = 0
    private let commitEvery: Int
    public private(set) var counts: [BulkTable: Int] = [:]

    init(db: Database, commitEvery: Int) throws {
        self.db = db
        self.commitEvery = commitEvery
        statements = try BulkTable.allCases.map { try db.makeStatement(sql: $0.sql) }
        try db.execute(sql: "BEGIN")
    }

    public func insert(_ table: BulkTable, _ values: [(any DatabaseValueConvertible)?]) throws {
        let statement = statements[table.rawValue]
        statement.setUncheckedArguments(StatementArguments(values))
        try statement.execute()
        counts[table, default: 0] += 1
        rowsInTransaction += 1
        if rowsInTransaction >= commitEvery {
            try db.execute(sql: "COMMIT; BEGIN")
            rowsInTransaction = 0
        }
    }

    func finish() throws -> [BulkTable: Int] {
        try db.execute(sql: "COMMIT")
        return counts
    }
}

extension SQLiteStore {
    /// Runs `body` with a bulk loader on the writer connection.
    public func bulkLoad(commitEvery: Int = 200_000, _ body: (BulkLoader) throws -> Void) throws -> [BulkTable: Int] {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -65536")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000") }
            let loader = try BulkLoader(db: db, commitEvery: commitEvery)
            do {
                try body(loader)
            } catch {
                try? db.execute(sql: "ROLLBACK")
                throw error
            }
            let counts = try loader.finish()
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return counts
        }
    }

    /// Number of members, to refuse seeding over real data.
    public func memberCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members") ?? 0 }
    }
}

extension BulkLoader {
    /// Sets a member's points and last order after their orders were generated.
    public func updateMemberActivity(memberId: Int64, points: Int, lastOrderAt: Int64?) throws {
        let statement = try db.cachedStatement(sql: "UPDATE members SET points = ?, last_order_at = ? WHERE id = ?")
        try statement.execute(arguments: [points, lastOrderAt, memberId])
    }
}
