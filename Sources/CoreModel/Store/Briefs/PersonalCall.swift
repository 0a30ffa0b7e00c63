import Foundation

/// A dormant member named in a manager's brief: theirs to call first, so
/// blanket marketing to the member waits until `holdUntil`.
public struct PersonalCall: Sendable, Hashable {
    public var memberId: Int64
    public var staffId: Int64
    public var holdUntil: Date

    public init(memberId: Int64, staffId: Int64, holdUntil: Date) {
        self.memberId = memberId
        self.staffId = staffId
        self.holdUntil = holdUntil
    }
}
