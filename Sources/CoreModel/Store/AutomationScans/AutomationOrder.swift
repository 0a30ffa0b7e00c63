import Foundation

/// An order, reservation or banquet with its branch and member.
public struct AutomationOrder: Sendable, Hashable {
    public var id: Int64
    public var orderNo: String
    public var kind: OrderKind
    public var status: OrderStatus
    public var orderedAt: Date
    public var scheduledAt: Date?
    public var partySize: Int?
    public var amountFen: Int
    public var branchName: String
    public var member: AutomationMember

    public init(
        id: Int64, orderNo: String, kind: OrderKind, status: OrderStatus, orderedAt: Date, scheduledAt: Date?,
        partySize: Int?,
        amountFen: Int, branchName: String, member: AutomationMember
    ) {
        self.id = id
        self.orderNo = orderNo
        self.kind = kind
        self.status = status
        self.orderedAt = orderedAt
        self.scheduledAt = scheduledAt
        self.partySize = partySize
        self.amountFen = amountFen
        self.branchName = branchName
        self.member = member
    }

    /// When the meal was delivered or eaten, as well as the store knows.
    public var visitedAt: Date { scheduledAt ?? orderedAt }
}
