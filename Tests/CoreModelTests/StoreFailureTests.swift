@testable import CoreModel
import Foundation
import GRDB
import Testing

/// SQLite's refusals a user can act on, in words, wherever they happen.
struct StoreFailureTests {
    @Test func aReadOnlyDatabaseSaysSo() {
        let refused = DatabaseError(resultCode: .SQLITE_READONLY, message: "attempt to write a readonly database")
        let error = StoreFailure.translate(refused, path: "/no/such/dir/t.sqlite") as? StoreError
        #expect(error?.code == .readOnly)
        #expect(
            error?.description
                == "database /no/such/dir/t.sqlite is read-only (attempt to write a readonly database) [store.read_only]"
        )
        let constraint = DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "UNIQUE constraint failed")
        #expect(StoreFailure.translate(constraint, path: "t.sqlite") is DatabaseError, "other errors pass through")
    }

    /// A database that may not grow (max_page_count) fails its writes as a full disk does.
    @Test func aFullDiskSaysSo() async throws {
        try await withStore { store, _ in
            try await store.pool.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
                _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
            }
            let payload = String(repeating: "满", count: 2000)
            let messages = (1...200).map { index in
                NewMessage(
                    idempotencyKey: "full:\(index)", purpose: .single, channel: .sms, lane: .transactional,
                    category: .service,
                    address: "+8613812345678", payload: payload)
            }
            let error = await #expect(throws: StoreError.self) { _ = try await store.enqueue(messages, now: Date()) }
            #expect(error?.code == .diskFull)
            #expect(error?.description.contains("is full") == true, "\(String(describing: error))")
        }
    }
}
