import Foundation

/// An order, reservation or banquet booking taken centrally.
public struct Order: Sendable, Hashable, Codable {
    public var orderNo: String
    public var memberNo: String
    public var branchCode: String
    public var source: OrderSource
    public var kind: OrderKind
    public var status: OrderStatus
    public var orderedAt: Date
    public var scheduledAt: Date?
    public var partySize: Int?
    public var amountFen: Int
    public var address: String?
    public var items: [OrderLine]
    /// The staff number of the manager or agent who took the order (a reservation through a
    /// manager): when it is not the member's own manager, the conflict is recorded, not resolved.
    public var takenBy: String?

    public init(
        orderNo: String, memberNo: String, branchCode: String, source: OrderSource, kind: OrderKind,
        status: OrderStatus, orderedAt: Date, scheduledAt: Date? = nil, partySize: Int? = nil,
        amountFen: Int, address: String? = nil, items: [OrderLine] = [], takenBy: String? = nil
    ) {
        self.orderNo = orderNo
        self.memberNo = memberNo
        self.branchCode = branchCode
        self.source = source
        self.kind = kind
        self.status = status
        self.orderedAt = orderedAt
        self.scheduledAt = scheduledAt
        self.partySize = partySize
        self.amountFen = amountFen
        self.address = address
        self.items = items
        self.takenBy = takenBy
    }
}

public struct OrderLine: Sendable, Hashable, Codable {
    public var menuCode: Int
    public var quantity: Int

    public init(menuCode: Int, quantity: Int) {
        self.menuCode = menuCode
        self.quantity = quantity
    }
}

public enum OrderSource: String, Sendable, Codable, CaseIterable {
    case ivr, agent, web, fax, email
}

public enum OrderKind: String, Sendable, Codable, CaseIterable {
    case delivery, reservation, dineIn = "dine_in", banquet
}

public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case placed, confirmed, booked, moved, cancelled, seated, dispatched, delivered, completed
}

/// How a delivery went, as recorded by the call centre or the rider.
public struct DeliveryFeedback: Sendable, Hashable, Codable {
    public var orderNo: String
    public var outcome: DeliveryOutcome
    public var note: String?
    public var recordedAt: Date

    public init(orderNo: String, outcome: DeliveryOutcome, note: String?, recordedAt: Date) {
        self.orderNo = orderNo
        self.outcome = outcome
        self.note = note
        self.recordedAt = recordedAt
    }
}

public enum DeliveryOutcome: String, Sendable, Codable, CaseIterable {
    case onTime = "on_time"
    case late30m = "late_30m"
    case late1h = "late_1h"
    case wrongAddress = "wrong_address"
    case notDelivered = "not_delivered"
    case damaged
    case cold

    /// Outcomes that call for an apology.
    public var isFailure: Bool { self != .onTime }
    /// Delivered, but late.
    public var isLate: Bool { self == .late30m || self == .late1h }
    /// Never reached the customer.
    public var isUndelivered: Bool { self == .notDelivered || self == .wrongAddress }
}
