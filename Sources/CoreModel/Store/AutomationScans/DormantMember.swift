import Foundation

/// A member without an order for a while.
public struct DormantMember: Sendable, Hashable {
    /// The last order, else joining, else when the row was created.
    public var lastActiveAt: Date
    public var member: AutomationMember

    public init(lastActiveAt: Date, member: AutomationMember) {
        self.lastActiveAt = lastActiveAt
        self.member = member
    }
}
