import Foundation

/// A member's points that expire within a window: the credits expiring then,
/// no more than the balance.
public struct ExpiringPoints: Sendable, Hashable {
    public var points: Int
    public var firstExpiry: Date
    public var member: AutomationMember

    public init(points: Int, firstExpiry: Date, member: AutomationMember) {
        self.points = points
        self.firstExpiry = firstExpiry
        self.member = member
    }
}
