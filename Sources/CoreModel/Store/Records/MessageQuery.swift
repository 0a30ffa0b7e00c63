/// Which messages a search returns: those of one member, to one number, or
/// of one campaign; newest first, `limit` at a time, continuing below `beforeId`.
public struct MessageQuery: Sendable, Hashable {
    public enum Subject: Sendable, Hashable {
        /// A member by `member_no`.
        case member(String)
        /// An E.164 number: messages sent to it that belong to no member, and
        /// every message of the members whose phone it is.
        case phone(String)
        /// A campaign by name.
        case campaign(String)
    }

    public var subject: Subject
    public var limit: Int
    /// Only messages with a smaller id (the previous page's last id).
    public var beforeId: Int64?

    public init(_ subject: Subject, limit: Int = 50, beforeId: Int64? = nil) {
        self.subject = subject
        self.limit = limit
        self.beforeId = beforeId
    }
}
