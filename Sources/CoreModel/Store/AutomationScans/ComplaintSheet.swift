import Foundation

/// A complaint as its department's work order shows it: what happened, to
/// whom, where, and when the department was last told (nil: not yet).
public struct ComplaintSheet: Sendable, Hashable {
    public var id: Int64
    public var complaintNo: String
    public var orderNo: String?
    /// How the complaint came in (phone, web…).
    public var channel: String
    public var department: String
    public var status: ComplaintStatus
    public var description: String
    public var openedAt: Date
    /// The order's branch, else the member's home branch.
    public var branchName: String?
    public var departmentNotifiedAt: Date?
    public var member: AutomationMember

    public init(
        id: Int64, complaintNo: String, orderNo: String?, channel: String, department: String, status: ComplaintStatus,
        description: String, openedAt: Date, branchName: String?, departmentNotifiedAt: Date?, member: AutomationMember
    ) {
        self.id = id
        self.complaintNo = complaintNo
        self.orderNo = orderNo
        self.channel = channel
        self.department = department
        self.status = status
        self.description = description
        self.openedAt = openedAt
        self.branchName = branchName
        self.departmentNotifiedAt = departmentNotifiedAt
        self.member = member
    }
}
