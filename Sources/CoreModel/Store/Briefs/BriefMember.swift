import Foundation

/// One of the manager's members on the brief: a birthday to greet, or a
/// dormant member to call.
public struct BriefMember: Sendable, Hashable {
    public var memberId: Int64
    public var memberNo: String
    public var name: String
    public var level: String
    public var phone: String?
    /// `MM-DD`.
    public var birthday: String?
    /// The RFM segment (dormant members).
    public var segment: String?
    public var lastOrderAt: Date?
    public var spendFen: Int

    public init(
        memberId: Int64, memberNo: String, name: String, level: String, phone: String?, birthday: String? = nil,
        segment: String? = nil, lastOrderAt: Date? = nil, spendFen: Int = 0
    ) {
        self.memberId = memberId
        self.memberNo = memberNo
        self.name = name
        self.level = level
        self.phone = phone
        self.birthday = birthday
        self.segment = segment
        self.lastOrderAt = lastOrderAt
        self.spendFen = spendFen
    }
}
