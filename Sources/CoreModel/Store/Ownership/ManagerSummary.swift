/// A member of staff who can own members.
public struct ManagerSummary: Sendable, Hashable, Codable {
    public var staffNo: String
    public var name: String
    /// `manager` or `branch_manager`.
    public var role: String
    public var branchCode: String?
    public var members: Int

    public init(staffNo: String, name: String, role: String, branchCode: String?, members: Int) {
        self.staffNo = staffNo
        self.name = name
        self.role = role
        self.branchCode = branchCode
        self.members = members
    }
}
