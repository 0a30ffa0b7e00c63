import Foundation
import GRDB
import GRDBSQLite

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

    /// The row being inserted: refilled for every row, so it allocates only once.
    @usableFromInline var row: [BulkValue] = []

    /// One row of `table`, its values in the table's column order. Inlinable,
    /// so the caller's module specializes it for its value types, and the
    /// store is called once per row, not per value.
    @inlinable
    public func insert<each Value: BulkBindable>(_ table: BulkTable, _ values: repeat each Value) throws {
        row.removeAll(keepingCapacity: true)
        for value in repeat each values { row.append(value.bulkValue) }
        try insertRow(table)
    }

    @usableFromInline
    func insertRow(_ table: BulkTable) throws {
        let statement = statements[table.rawValue].sqliteStatement
        for (offset, value) in row.enumerated() {
            let code = value.bind(to: statement, at: Int32(offset + 1))
            guard code == SQLITE_OK else {
                throw StoreError(.writeFailed, place: "\(table)", message: "binding value \(offset + 1) failed (SQLite code \(code))")
            }
        }
        try step(table)
    }

    private func step(_ table: BulkTable) throws {
        let statement = statements[table.rawValue].sqliteStatement
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            throw StoreError(.writeFailed, place: "\(table)", message: "\(message) (SQLite code \(code))")
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
