import CoreModel
import Foundation

/// A fresh SQLite file in a temporary directory, removed afterwards.
func withStore<T>(_ body: (SQLiteStore, URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path)
    return try await body(store, directory)
}
