import Foundation

/// A bearer token of the admin API as the store keeps it: never the token
/// itself, only its SHA-256 (which the store does not hand back either).
public struct ApiToken: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var scopes: Set<ApiScope>
    public var createdAt: Date
    /// Who created it (`cli:<user>`).
    public var createdBy: String
    /// Recorded at most about once a minute, so reading stays a read.
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: Int64, name: String, scopes: Set<ApiScope>, createdAt: Date, createdBy: String, lastUsedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }

    /// `write` includes `read`; `reveal` only says whether contacts are shown in full.
    public func allows(_ scope: ApiScope) -> Bool {
        scopes.contains(scope) || (scope == .read && scopes.contains(.write))
    }
}
