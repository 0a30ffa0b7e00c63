/// A member of staff who owns members (a manager or a branch manager) and
/// has a phone or an email to take a morning brief on.
public struct BriefRecipient: Sendable, Hashable {
    public var staffId: Int64
    public var staffNo: String
    public var name: String
    public var phone: String?
    public var email: String?
    /// Their branch: whose VIP arrivals they hear of.
    public var branchId: Int64?
    public var branchName: String?

    public init(
        staffId: Int64, staffNo: String, name: String, phone: String?, email: String?, branchId: Int64?, branchName: String?
    ) {
        self.staffId = staffId
        self.staffNo = staffNo
        self.name = name
        self.phone = phone
        self.email = email
        self.branchId = branchId
        self.branchName = branchName
    }
}
