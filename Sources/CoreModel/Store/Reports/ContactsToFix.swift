/// The contacts to fix: all of them counted by kind, status and reason, and the first `limit` listed.
public struct ContactsToFix: Sendable, Hashable {
    public struct Reason: Sendable, Hashable {
        public var kind: ContactKind
        public var status: ContactStatus
        /// `ReportStatus.reasonKey` of the reason.
        public var reason: String
        public var contacts: Int

        public init(kind: ContactKind, status: ContactStatus, reason: String, contacts: Int) {
            self.kind = kind
            self.status = status
            self.reason = reason
            self.contacts = contacts
        }
    }

    public var reasons: [Reason]
    /// The members changed last first.
    public var listed: [ContactToFix]
    public var total: Int

    public init(reasons: [Reason], listed: [ContactToFix], total: Int) {
        self.reasons = reasons
        self.listed = listed
        self.total = total
    }
}
