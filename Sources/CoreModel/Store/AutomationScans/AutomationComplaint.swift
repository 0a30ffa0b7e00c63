import Foundation

/// A resolved complaint: the branch is its order's, else the member's home branch.
public struct AutomationComplaint: Sendable, Hashable {
    public var id: Int64
    public var complaintNo: String
    public var resolvedAt: Date
    public var branchName: String?
    public var member: AutomationMember
    /// The department that resolved it, what it did, and the kind of remedy (`refund`, `coupon`…).
    public var department: String
    public var resolution: String?
    public var resolutionKind: String?

    public init(
        id: Int64, complaintNo: String, resolvedAt: Date, branchName: String?, member: AutomationMember,
        department: String = "", resolution: String? = nil, resolutionKind: String? = nil
    ) {
        self.id = id
        self.department = department
        self.resolution = resolution
        self.resolutionKind = resolutionKind
        self.complaintNo = complaintNo
        self.resolvedAt = resolvedAt
        self.branchName = branchName
        self.member = member
    }
}
