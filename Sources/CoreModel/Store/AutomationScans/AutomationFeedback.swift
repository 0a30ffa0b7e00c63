import Foundation

/// Delivery feedback as recorded, with its order.
public struct AutomationFeedback: Sendable, Hashable {
    public var id: Int64
    public var outcome: DeliveryOutcome
    public var recordedAt: Date
    public var order: AutomationOrder

    public init(id: Int64, outcome: DeliveryOutcome, recordedAt: Date, order: AutomationOrder) {
        self.id = id
        self.outcome = outcome
        self.recordedAt = recordedAt
        self.order = order
    }
}
