/// What revoking a token did.
public enum ApiTokenRevocation: Sendable, Hashable {
    case revoked(ApiToken)
    /// Revoked before: left as it was.
    case alreadyRevoked(ApiToken)
    case notFound
}
