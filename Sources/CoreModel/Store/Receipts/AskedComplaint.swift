import Foundation

/// The complaint an inbound message asks about (`查询 C123`), as the store
/// found it by number: the rules answer only if the sender is its member.
public struct AskedComplaint: Sendable, Hashable {
    public var complaintNo: String
    public var status: ComplaintStatus
    public var department: String
    /// The phone of the complaint's member, as stored (E.164), nil if none.
    public var memberPhone: String?
    public var departmentNotifiedAt: Date?

    public init(
        complaintNo: String, status: ComplaintStatus, department: String, memberPhone: String?, departmentNotifiedAt: Date?
    ) {
        self.complaintNo = complaintNo
        self.status = status
        self.department = department
        self.memberPhone = memberPhone
        self.departmentNotifiedAt = departmentNotifiedAt
    }
}
