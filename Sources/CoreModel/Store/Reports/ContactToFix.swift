import Foundation

/// A member's contact that no message can reach: invalid when imported, or
/// bounced (a number that does not exist, an email refused for good).
public struct ContactToFix: Sendable, Hashable {
    public var memberNo: String
    public var name: String
    public var kind: ContactKind
    public var address: String?
    public var status: ContactStatus
    /// The provider's or the importer's words.
    public var reason: String?
    /// When the member row last changed (the flag, or a later edit).
    public var updatedAt: Date

    public init(
        memberNo: String, name: String, kind: ContactKind, address: String?, status: ContactStatus, reason: String?,
        updatedAt: Date
    ) {
        self.memberNo = memberNo
        self.name = name
        self.kind = kind
        self.address = address
        self.status = status
        self.reason = reason
        self.updatedAt = updatedAt
    }
}
