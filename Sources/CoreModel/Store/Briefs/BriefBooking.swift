import Foundation

/// A reservation or banquet on the brief's day.
public struct BriefBooking: Sendable, Hashable {
    public var orderNo: String
    public var kind: OrderKind
    public var scheduledAt: Date
    public var partySize: Int?
    public var branchName: String
    public var memberNo: String
    public var memberName: String
    public var level: String
    /// The member's phone, only for the manager's own members.
    public var phone: String?

    public init(
        orderNo: String, kind: OrderKind, scheduledAt: Date, partySize: Int?, branchName: String, memberNo: String,
        memberName: String, level: String, phone: String?
    ) {
        self.orderNo = orderNo
        self.kind = kind
        self.scheduledAt = scheduledAt
        self.partySize = partySize
        self.branchName = branchName
        self.memberNo = memberNo
        self.memberName = memberName
        self.level = level
        self.phone = phone
    }
}
