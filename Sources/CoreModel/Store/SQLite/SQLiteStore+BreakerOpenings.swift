import Foundation
import GRDB

extension SQLiteStore {
    public func recordBreakerOpenings(_ openings: [BreakerOpening]) async throws {
        try await pool.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO breaker_openings (gateway, at) VALUES (?, ?)")
            for opening in openings { try insert.execute(arguments: [opening.gateway, opening.at.unixMillis]) }
        }
    }

    /// Read through `breaker_openings_at`: a few rows a day even on a bad one.
    public func breakerOpenings(from: Date, to: Date) async throws -> [String: Int] {
        try await pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT gateway, COUNT(*) AS n FROM breaker_openings WHERE at >= ? AND at < ? GROUP BY gateway"),
                arguments: [from.unixMillis, to.unixMillis]
            ).reduce(into: [:]) { $0[$1["gateway"]] = $1["n"] }
        }
    }
}
