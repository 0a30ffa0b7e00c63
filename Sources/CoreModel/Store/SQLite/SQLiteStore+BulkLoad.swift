import Foundation
import GRDB
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#endif

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
              amount_fen, address, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?8,?8)
            """
        case .orderItems: "INSERT INTO order_items (order_id, line, menu_item_id, quantity, price_fen) VALUES (?,?,?,?,?)"
        case .deliveryFeedback: "INSERT INTO delivery_feedback (order_id, outcome, note, recorded_at) VALUES (?,?,?,?)"
        case .complaints:
            """
            INSERT INTO complaints (complaint_no, member_id, order_id, channel, department, status, description, resolution,
              opened_at, resolved_at, satisfaction, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?9)
            """
        case .pointsLedger: "INSERT INTO points_ledger (member_id, delta, reason, order_id, expires_at, created_at) VALUES (?,?,?,?,?,?)"
        }
    }
}

/// A value the bulk loader binds straight into a prepared statement.
public protocol BulkBindable {
    var bulkValue: BulkValue { get }
}

/// What a bulk-loaded column holds; the loader binds it with the matching `sqlite3_bind_*`.
public enum BulkValue: Sendable {
    case integer(Int64)
    case text(String)
    case null
}

extension Int: BulkBindable {
    public var bulkValue: BulkValue { .integer(Int64(self)) }
}

extension Int64: BulkBindable {
    public var bulkValue: BulkValue { .integer(self) }
}

extension String: BulkBindable {
    public var bulkValue: BulkValue { .text(self) }
}

extension Optional: BulkBindable where Wrapped: BulkBindable {
    public var bulkValue: BulkValue { self?.bulkValue ?? .null }
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension BulkValue {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        switch self {
        case .integer(let value): return sqlite3_bind_int64(statement, index, value)
        case .text(var value): return value.withUTF8 { sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), transient) }
        case .null: return sqlite3_bind_null(statement, index)
        }
    }
}

/// Fast inserts for generated data: prepared statements reused with values
/// bound directly (no per-row allocation), foreign-key checks and secondary
/// indexes off while loading (the generator keeps references consistent and
/// the indexes are rebuilt at the end), one transaction per `commitEvery`
/// rows, synchronous off (a crash mid-seed leaves a file to throw away).
public final class BulkLoader {
    private let db: Database
    private let statements: [Statement]
    private var rowsInTransaction = 0
    private let commitEvery: Int
    private var counts = [Int](repeating: 0, count: BulkTable.allCases.count)

    init(db: Database, commitEvery: Int) throws {
        self.db = db
        self.commitEvery = commitEvery
        statements = try BulkTable.allCases.map { try db.makeStatement(sql: $0.sql) }
        try db.execute(sql: "BEGIN")
    }

    public func insert<each Value: BulkBindable>(_ table: BulkTable, _ values: repeat each Value) throws {
        let statement = statements[table.rawValue].sqliteStatement
        var index: Int32 = 1
        for value in repeat each values {
            let code = value.bulkValue.bind(to: statement, at: index)
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "bind \(index) of \(table)") }
            index += 1
        }
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: table.sql)
        }
        counts[table.rawValue] += 1
        rowsInTransaction += 1
        if rowsInTransaction >= commitEvery {
            try db.execute(sql: "COMMIT; BEGIN")
            rowsInTransaction = 0
        }
    }

    func finish() throws -> [BulkTable: Int] {
        try db.execute(sql: "COMMIT")
        var result: [BulkTable: Int] = [:]
        for table in BulkTable.allCases { result[table] = counts[table.rawValue] }
        return result
    }
}

extension SQLiteStore {
    /// Runs `body` with a bulk loader on the writer connection.
    public func bulkLoad(commitEvery: Int = 200_000, _ body: (BulkLoader) throws -> Void) throws -> [BulkTable: Int] {
        Self.keepFreedMemoryMapped()
        return try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON") }
            let indexes = try Row.fetchAll(
                db,
                sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('members','orders','complaints','points_ledger')")
            for index in indexes { try db.execute(sql: "DROP INDEX \(index["name"] as String)") }
            let loader = try BulkLoader(db: db, commitEvery: commitEvery)
            do {
                try body(loader)
            } catch {
                try? db.execute(sql: "ROLLBACK")
                for index in indexes { try? db.execute(sql: index["sql"] as String) }
                throw error
            }
            let counts = try loader.finish()
            try db.inTransaction {
                for index in indexes { try db.execute(sql: index["sql"] as String) }
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
