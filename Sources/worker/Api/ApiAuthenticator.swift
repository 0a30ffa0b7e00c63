import CoreModel
import Foundation
import Hummingbird

/// Who is calling the admin API: the bearer token is hashed and looked up by
/// its hash (the raw token is never compared, stored or logged). Missing,
/// unknown or revoked → 401; a token without the route's scope → 403, before
/// the route reads its body or changes anything.
struct ApiAuthenticator: Sendable {
    let store: any ApiTokens
    /// A token's last use is written at most this often, so reading stays cheap.
    var useInterval: TimeInterval = 60

    func authenticate(_ request: Request, needs scope: ApiScope, now: Date = Date()) async throws -> ApiToken {
        guard let header = request.headers[.authorization] else {
            throw ApiError.unauthorized("needs Authorization: Bearer <token> (tidings token create)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw ApiError.unauthorized("needs Authorization: Bearer <token> (tidings token create)")
        }
        let presented = parts[1].trimmingCharacters(in: .whitespaces)
        guard ApiTokenSecret.isWellFormed(presented),
            let token = try await store.apiToken(hash: ApiTokenSecret.hash(presented))
        else { throw ApiError.unauthorized("unknown token") }
        guard !token.isRevoked else { throw ApiError.unauthorized("this token was revoked") }
        guard token.allows(scope) else {
            let has = ApiScope.list(token.scopes)
            throw ApiError.forbidden("token '\(token.name)' has \(has); this needs the \(scope.rawValue) scope")
        }
        if token.lastUsedAt.map({ now.timeIntervalSince($0) >= useInterval }) ?? true {
            try await store.markApiTokenUsed(id: token.id, at: now)
        }
        return token
    }
}

extension ApiToken {
    /// As campaign events and logs name who did something through the API.
    var actor: String { "api:\(name)" }
    var reveals: Bool { allows(.reveal) }
}
