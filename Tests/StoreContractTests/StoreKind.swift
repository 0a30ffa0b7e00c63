@testable import CoreModel
import Foundation
import GRDB
import TestSupport
import Testing

/// Every store the contract runs against. A PostgreSQL store joins this list
/// with its own harness; the tests do not change.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite

    var testDescription: String { rawValue }

    /// An empty store holding branch B1, torn down afterwards.
    func withStore<T>(_ body: (any Store, any StoreHarness) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            return try await withTemporaryDirectory("tidings-contract") { directory in
                let store = try SQLiteStore(path: directory.appendingPathComponent("contract.sqlite").path)
                try await store.load(.branches([Fixture.branch]))
                return try await body(store, SQLiteHarness(store: store))
            }
        }
    }
}

/// What the contract needs beyond the roles: writers that the roles cannot
/// express, done the way each store really sees them.
protocol StoreHarness: Sendable {
    /// Two writers insert orders: `earlier` takes the lower id but commits
    /// only after `later` has committed and `between` has run (PostgreSQL
    /// hands out sequence values at insert, so this happens there).
    func commitOutOfOrder(earlier: Order, later: Order, between: () async throws -> Void) async throws

    /// A campaign row for messages to name, until a campaigns role writes them.
    func insertCampaign(name: String) async throws -> Int64

    /// A member of staff at branch B1 (only the bulk loader writes staff), made
    /// the manager of `manages` when given.
    func insertStaff(_ staffNo: String, role: String, phone: String?, email: String?, manages: String?) async throws

    /// Sets a member's owning manager directly, outside any batch (as an edit elsewhere would).
    func setOwner(memberNo: String, staffNo: String) async throws

    /// An open follow-up task on a member for a member of staff (tasks are otherwise opened by survey answers).
    func insertOpenTask(memberNo: String, staffNo: String, due: Date) async throws
}

extension StoreHarness {
    /// A member of staff without contacts who manages nobody yet.
    func insertStaff(_ staffNo: String, role: String) async throws {
        try await insertStaff(staffNo, role: role, phone: nil, email: nil, manages: nil)
    }
}

/// SQLite has one writer at a time and gives each row the next id at insert,
/// so two writers cannot commit out of id order on their own: the ids are
/// taken explicitly, as a PostgreSQL sequence would have handed them out.
struct SQLiteHarness: StoreHarness {
    let store: SQLiteStore

    func commitOutOfOrder(earlier: Order, later: Order, between: () async throws -> Void) async throws {
        let next = try await store.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM orders") ?? 1
        }
        try await store.load(.orders([later]))
        try await renumber(later.orderNo, to: next + 1)
        try await between()
        try await store.load(.orders([earlier]))
        try await renumber(earlier.orderNo, to: next)
    }

    func insertCampaign(name: String) async throws -> Int64 {
        try await store.saveCampaign(name: name, category: .marketing, definition: "{}", file: nil, actor: "test", now: Fixture.now).id
    }

    func insertStaff(_ staffNo: String, role: String, phone: String?, email: String?, manages: String?) async throws {
        try await store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO staff (staff_no, name, role, branch_id, phone, email)
                    VALUES (?, ?, ?, (SELECT id FROM branches WHERE code = 'B1'), ?, ?)
                    """,
                arguments: [staffNo, "王经理", role, phone, email])
            if let manages {
                try db.execute(
                    sql: "UPDATE members SET manager_id = ? WHERE member_no = ?", arguments: [db.lastInsertedRowID, manages])
            }
        }
    }

    func insertOpenTask(memberNo: String, staffNo: String, due: Date) async throws {
        try await store.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO tasks (member_id, staff_id, reason, due_at, status, created_at)
                    VALUES ((SELECT id FROM members WHERE member_no = ?), (SELECT id FROM staff WHERE staff_no = ?), 'low_survey_score', ?,
                      'open', ?)
                    """,
                arguments: [memberNo, staffNo, due.unixMillis, due.unixMillis])
        }
    }

    func setOwner(memberNo: String, staffNo: String) async throws {
        try await store.pool.write { db in
            try db.execute(
                sql: "UPDATE members SET manager_id = (SELECT id FROM staff WHERE staff_no = ?) WHERE member_no = ?",
                arguments: [staffNo, memberNo])
        }
    }

    private func renumber(_ orderNo: String, to id: Int64) async throws {
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE orders SET id = ? WHERE order_no = ?", arguments: [id, orderNo])
        }
    }
}

extension Records {
    /// Imports rows as `tidings import` would; every row must go in.
    func load(_ batch: ImportBatch) async throws {
        let outcomes = try await apply(batch, dryRun: false)
        if let rejected = outcomes.first(where: { if case .rejected = $0 { true } else { false } }) {
            throw FixtureRejected(outcome: rejected)
        }
    }
}

struct FixtureRejected: Error {
    let outcome: RowOutcome
}
