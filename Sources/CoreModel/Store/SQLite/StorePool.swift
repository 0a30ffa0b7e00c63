import Foundation
import GRDB

/// The GRDB pool behind `SQLiteStore`, passing every read and write through
/// and turning the failures a user must act on — a read-only file or
/// directory, a full disk — into `StoreError`s that say so, wherever they
/// happen (the worker's loops back off on them).
struct StorePool: Sendable {
    let pool: DatabasePool
    let path: String

    func read<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(value) } catch { throw StoreFailure.translate(error, path: path) }
    }

    @_disfavoredOverload
    func read<T>(_ value: (Database) throws -> T) throws -> T {
        do { return try pool.read(value) } catch { throw StoreFailure.translate(error, path: path) }
    }

    func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.write(updates) } catch { throw StoreFailure.translate(error, path: path) }
    }

    func writeWithoutTransaction<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.writeWithoutTransaction(updates) } catch {
            throw StoreFailure.translate(error, path: path)
        }
    }

    @_disfavoredOverload
    func writeWithoutTransaction<T>(_ updates: (Database) throws -> T) throws -> T {
        do { return try pool.writeWithoutTransaction(updates) } catch {
            throw StoreFailure.translate(error, path: path)
        }
    }
}
