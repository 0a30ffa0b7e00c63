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
