import Foundation

/// Someone who enquired (a banquet or reservation enquiry, a call-centre
/// contact) but never ordered. Kept as a row in `members` marked as a
/// prospect, so segments and campaign fan-out treat prospects and members
/// alike; the first order under its number makes it a member.
public struct Prospect: Sendable, Hashable {
    /// `ProspectNumber.for(phone:)`: the same phone always gets the same number.
    public var memberNo: String
    public var name: String
    /// E.164.
    public var phone: String
    public var email: ContactField
    public var source: ProspectSource
    /// When they enquired; nil keeps what the store holds (or the import time for a new prospect).
    public var enquiredAt: Date?
    public var note: String?
    public var branchCode: String?
    public var timezone: String
    public var locale: String
    /// Consents given on the enquiry, appended to the ledger with the prospect.
    public var consents: [ConsentChange]

    public init(
        memberNo: String, name: String, phone: String, email: ContactField = .missing, source: ProspectSource,
        enquiredAt: Date?, note: String? = nil, branchCode: String? = nil, timezone: String = "Asia/Shanghai",
        locale: String = "zh-CN", consents: [ConsentChange] = []
    ) {
        self.memberNo = memberNo
        self.name = name
        self.phone = phone
        self.email = email
        self.source = source
        self.enquiredAt = enquiredAt
        self.note = note
        self.branchCode = branchCode
        self.timezone = timezone
        self.locale = locale
        self.consents = consents
    }
}

/// Where an enquiry came from.
public enum ProspectSource: String, Sendable, Hashable, Codable, CaseIterable {
    case banquetEnquiry = "banquet_enquiry"
    case reservationEnquiry = "reservation_enquiry"
    case callCentre = "call_centre"
    case other
}
