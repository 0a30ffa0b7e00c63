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

    /// One row of `table`, its values in the table's column order. Inlinable,
    /// so the caller's module specializes it for its value types (no witness
    /// calls per value in the seeder's loop).
    @inlinable
    public func insert<each Value: BulkBindable>(_ table: BulkTable, _ values: repeat each Value) throws {
        var index: Int32 = 1
        for value in repeat each values {
            try bind(value.bulkValue, at: index, of: table)
            index += 1
        }
        try step(table)
    }

    @usableFromInline
    func bind(_ value: BulkValue, at index: Int32, of table: BulkTable) throws {
        let code = value.bind(to: statements[table.rawValue].sqliteStatement, at: index)
        guard code == SQLITE_OK else {
            throw StoreError(
                .writeFailed, place: "\(table)", message: "binding value \(index) failed (SQLite code \(code))")
        }
    }

    @usableFromInline
    func step(_ table: BulkTable) throws {
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
