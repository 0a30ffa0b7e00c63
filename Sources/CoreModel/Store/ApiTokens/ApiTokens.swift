import Foundation

/// The admin API's bearer tokens, kept by their SHA-256 only: the token is
/// shown once when created and cannot be read back. Names are unique among
/// tokens not revoked, so a name can be reused after its token is revoked.
public protocol ApiTokens: Sendable {
    /// Stores a new token by its hash; refused (`StoreError.refused`) when a
    /// token not revoked has the name already.
    func createApiToken(
        name: String, tokenHash: String, scopes: Set<ApiScope>, createdBy: String, now: Date
    )
        async throws -> ApiToken
    /// The token with this hash, revoked or not; nil when no token has it.
    func apiToken(hash: String) async throws -> ApiToken?
    /// Every token, oldest first.
    func apiTokens() async throws -> [ApiToken]
    /// Revokes the token: from then on no request carrying it is answered.
    func revokeApiToken(id: Int64, now: Date) async throws -> ApiTokenRevocation
    /// Notes that the token was used at `at`.
    func markApiTokenUsed(id: Int64, at: Date) async throws
}
