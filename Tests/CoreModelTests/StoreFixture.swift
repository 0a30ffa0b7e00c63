import CoreModel
import Foundation
import TestSupport

/// A fresh SQLite file in a temporary directory, removed afterwards.
func withStore<T>(_ body: (SQLiteStore, URL) async throws -> T) async throws -> T {
    try await withTemporaryDirectory("tidings-test") { directory in
        try await body(try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path), directory)
    }
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
