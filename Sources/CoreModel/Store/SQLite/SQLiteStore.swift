import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode through a GRDB pool
/// (one writer, concurrent readers), foreign keys on, migrations applied on open.
public final class SQLiteStore: Sendable {
    let pool: StorePool
    public let path: String

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.readonly = readOnly
        configuration.prepareDatabase { db in
            // WAL with synchronous=NORMAL survives a killed process; only a
            // power loss may drop the last commits.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            if !readOnly { try Schema.migrator.migrate(pool) }
            self.pool = StorePool(pool: pool, path: path)
        } catch {
            if !readOnly, let reason = StoreFailure.readOnlyReason(path) {
                throw StoreFailure.readOnly(path, detail: reason)
            }
            if let translated = StoreFailure.translate(error, path: path) as? StoreError { throw translated }
            throw StoreError(.cannotOpen, place: path, message: "cannot open the database: \(error)")
        }
    }

    /// Throws a `.readOnly` StoreError when this process cannot write the
    /// database (the file, or the directory its -wal and -shm files live in):
    /// commands that write say so before they start, not at their first write.
    public func checkWritable() throws {
        if let reason = StoreFailure.readOnlyReason(path) { throw StoreFailure.readOnly(path, detail: reason) }
    }

    /// Names of the applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Schema.migrator.appliedMigrations(db) }
    }
}
