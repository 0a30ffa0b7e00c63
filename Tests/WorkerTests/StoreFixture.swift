import CoreModel
import Foundation
import TestSupport

/// A fresh SQLite file in a temporary directory holding the members of
/// `membersCSV` (if any), removed afterwards.
func withMemberStore<T>(_ membersCSV: String? = nil, _ body: (SQLiteStore) async throws -> T) async throws -> T {
    try await withTemporaryDirectory("tidings-worker-test") { directory in
        let store = try SQLiteStore(path: directory.appendingPathComponent("test.sqlite").path)
        if let membersCSV {
            let file = directory.appendingPathComponent("members.csv").path
            try membersCSV.write(toFile: file, atomically: true, encoding: .utf8)
            let summary = try await Importer(
                store: store,
                parser: RecordParser(kind: .members, phones: PhoneNumberNormalizer(), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            ).run(path: file)
            guard !summary.failed else { throw MemberFixtureRejected(errors: summary.errors) }
        }
        return try await body(store)
    }
}

struct MemberFixtureRejected: Error {
    let errors: [RowError]
}
