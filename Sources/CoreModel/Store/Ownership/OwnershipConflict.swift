import Foundation

/// An order taken by a manager (or agent) who is not the member's own
/// manager: the member stays with their manager; the two settle it.
public struct OwnershipConflict: Sendable, Hashable, Codable {
    public var orderNo: String
    public var memberNo: String
    public var ownerStaffNo: String
    public var takerStaffNo: String
    public var orderedAt: Date
    public var recordedAt: Date

    public init(orderNo: String, memberNo: String, ownerStaffNo: String, takerStaffNo: String, orderedAt: Date, recordedAt: Date) {
        self.orderNo = orderNo
        self.memberNo = memberNo
        self.ownerStaffNo = ownerStaffNo
        self.takerStaffNo = takerStaffNo
        self.orderedAt = orderedAt
        self.recordedAt = recordedAt
    }
}
