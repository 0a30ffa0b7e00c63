import Foundation
import GRDB

extension SQLiteStore: ApiTokens {
    public func createApiToken(
        name: String, tokenHash: String, scopes: Set<ApiScope>, createdBy: String, now: Date
    ) async throws -> ApiToken {
        try await pool.write { db in
            let taken =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL)",
                    arguments: [name]) ?? false
            guard !taken else {
                throw StoreError(
                    .refused, place: "api_tokens.name",
                    message: "a token named '\(name)' exists already; revoke it first")
            }
            try db.execute(
                sql: """
                    INSERT INTO api_tokens (name, token_hash, scopes, created_at, created_by) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [name, tokenHash, ApiScope.list(scopes), now.unixMillis, createdBy])
            guard
                let token = try Self.apiToken(db, sql: "SELECT * FROM api_tokens WHERE id = ?", [db.lastInsertedRowID])
            else { throw StoreError(.inconsistent, place: "api_tokens", message: "the token just stored is not there") }
            return token
        }
    }

    public func apiToken(hash: String) async throws -> ApiToken? {
        try await pool.read { db in try Self.apiToken(db, sql: "SELECT * FROM api_tokens WHERE token_hash = ?", [hash])
        }
    }

    public func apiTokens() async throws -> [ApiToken] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY id").map(Self.apiToken)
        }
    }

    public func revokeApiToken(id: Int64, now: Date) async throws -> ApiTokenRevocation {
        try await pool.write { db in
            guard let token = try Self.apiToken(db, sql: "SELECT * FROM api_tokens WHERE id = ?", [id]) else {
                return .notFound
            }
            guard !token.isRevoked else { return .alreadyRevoked(token) }
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", arguments: [now.unixMillis, id])
            var revoked = token
            revoked.revokedAt = Date(unixMillis: now.unixMillis)
            return .revoked(revoked)
        }
    }

    public func markApiTokenUsed(id: Int64, at: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", arguments: [at.unixMillis, id])
        }
    }

    private static func apiToken(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> ApiToken? {
        try Row.fetchOne(db, sql: sql, arguments: arguments).map(apiToken)
    }

    private static func apiToken(_ row: Row) throws -> ApiToken {
        let stored: String = row["scopes"]
        guard let scopes = ApiScope.parse(list: stored) else {
            throw StoreError(.unknownValue, place: "api_tokens.scopes", message: "holds unknown value '\(stored)'")
        }
        return ApiToken(
            id: row["id"], name: row["name"], scopes: scopes, createdAt: Date(unixMillis: row["created_at"]),
            createdBy: row["created_by"], lastUsedAt: (row["last_used_at"] as Int64?).map(Date.init(unixMillis:)),
            revokedAt: (row["revoked_at"] as Int64?).map(Date.init(unixMillis:)))
    }
}
