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

func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

func importer(_ store: SQLiteStore, _ kind: ImportKind, acceptInvalidContacts: Bool = false) -> Importer {
    Importer(
        store: store,
        parser: RecordParser(
            kind: kind, phones: PhoneNumberNormalizer(defaultRegion: "CN"), timeZone: TimeZone(identifier: "Asia/Shanghai")!,
            acceptInvalidContacts: acceptInvalidContacts))
}
