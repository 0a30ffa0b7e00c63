import CoreModel
import Foundation
import TestSupport

/// A fresh SQLite file in a temporary directory, removed afterwards.
func withStore<T>(_ body: (SQLiteStore, URL) async throws -> T) async throws -> T {
    try await withTemporaryDirectory("tidings-test") { directory in
        try await body(try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path), directory)
    }
}
