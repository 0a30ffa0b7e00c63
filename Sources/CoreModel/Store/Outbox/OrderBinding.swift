import Foundation

/// The order a message is about, as it stands now, and the time the message was written for.
public struct OrderBinding: Sendable, Hashable {
    public var orderNo: String
    public var status: OrderStatus
    public var scheduledAt: Date?
    public var boundAt: Date?

    public init(orderNo: String, status: OrderStatus, scheduledAt: Date?, boundAt: Date?) {
        self.orderNo = orderNo
        self.status = status
        self.scheduledAt = scheduledAt
        self.boundAt = boundAt
    }

    /// Why the message no longer fits its order, if it does not.
    public var staleness: String? {
        if status == .cancelled { return "order \(orderNo) was cancelled" }
        if let boundAt, scheduledAt != boundAt {
            return "order \(orderNo) moved; the message was written for another time"
        }
        return nil
    }
}
