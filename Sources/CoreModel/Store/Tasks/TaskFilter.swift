import Foundation

/// Which tasks `tidings task list` shows; every condition given must hold.
public struct TaskFilter: Sendable, Hashable {
    /// The staff member it is for (`staff_no`).
    public var staffNo: String?
    /// The member's branch (`branches.code`).
    public var branchCode: String?
    public var reason: String?
    /// Nil: any status.
    public var status: FollowUpTask.Status?
    /// Only open tasks past their due time (at the `now` the store is asked with).
    public var overdue: Bool
    public var limit: Int

    public init(
        staffNo: String? = nil, branchCode: String? = nil, reason: String? = nil, status: FollowUpTask.Status? = nil,
        overdue: Bool = false, limit: Int = 100
    ) {
        self.staffNo = staffNo
        self.branchCode = branchCode
        self.reason = reason
        self.status = status
        self.overdue = overdue
        self.limit = limit
    }
}
