import Foundation

/// A member as an automation needs them: who to address, how, in what language.
public struct AutomationMember: Sendable, Hashable {
    public var id: Int64
    public var memberNo: String
    public var name: String
    public var locale: String
    /// IANA name, as stored.
    public var timezone: String
    public var phone: ContactField
    public var email: ContactField
    public var fax: ContactField
    /// The member's home branch, if they have one.
    public var branchName: String?

    public init(
        id: Int64, memberNo: String, name: String, locale: String, timezone: String, phone: ContactField,
        email: ContactField,
        fax: ContactField, branchName: String?
    ) {
        self.id = id
        self.memberNo = memberNo
        self.name = name
        self.locale = locale
        self.timezone = timezone
        self.phone = phone
        self.email = email
        self.fax = fax
        self.branchName = branchName
    }
}
