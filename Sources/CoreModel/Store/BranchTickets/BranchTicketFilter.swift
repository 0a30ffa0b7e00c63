/// Which tickets `tidings branch tickets` shows; every condition given must hold.
public struct BranchTicketFilter: Sendable, Hashable {
    /// The branch (`branches.code`).
    public var branchCode: String?
    /// Only tickets not acknowledged yet (escalated or not).
    public var unacknowledged: Bool
    public var limit: Int

    public init(branchCode: String? = nil, unacknowledged: Bool = false, limit: Int = 100) {
        self.branchCode = branchCode
        self.unacknowledged = unacknowledged
        self.limit = limit
    }
}
