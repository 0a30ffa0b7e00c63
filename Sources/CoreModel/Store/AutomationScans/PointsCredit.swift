import Foundation

/// Points given to a member once: a second credit with the same key is ignored.
public struct PointsCredit: Sendable, Hashable {
    public var idempotencyKey: String
    public var memberNo: String
    public var orderNo: String?
    public var points: Int
    public var reason: String
    public var expiresAt: Date?

    public init(
        idempotencyKey: String, memberNo: String, orderNo: String?, points: Int, reason: String, expiresAt: Date?
    ) {
        self.idempotencyKey = idempotencyKey
        self.memberNo = memberNo
        self.orderNo = orderNo
        self.points = points
        self.reason = reason
        self.expiresAt = expiresAt
    }
}
