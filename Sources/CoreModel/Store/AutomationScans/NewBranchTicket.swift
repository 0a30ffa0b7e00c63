import Foundation

/// A ticket to write: orders of one branch and slot, and the message that
/// carries them there. The store writes both, or neither when any of the
/// orders is on a ticket already (another scan got there first).
public struct NewBranchTicket: Sendable, Hashable {
    public var branchId: Int64
    public var slotStart: Date
    /// Order row ids.
    public var orderIds: [Int64]
    /// On the ticket's channel (fax, email or sms), to the branch, without a member.
    public var message: NewMessage

    public init(branchId: Int64, slotStart: Date, orderIds: [Int64], message: NewMessage) {
        self.branchId = branchId
        self.slotStart = slotStart
        self.orderIds = orderIds
        self.message = message
    }
}
