import Foundation

/// A resolved complaint: the branch is its order's, else the member's home branch.
public struct AutomationComplaint: Sendable, Hashable {
    public var id: Int64
    public var complaintNo: String
    public var resolvedAt: Date
    public var branchName: String?
    public var member: AutomationMember

    public init(id: Int64, complaintNo: String, resolvedAt: Date, branchName: String?, member: AutomationMember) {
        self.id = id
        self.complaintNo = complaintNo
        self.resolvedAt = resolvedAt
        self.branchName = branchName
        self.member = member
    }
}
