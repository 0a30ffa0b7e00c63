import CoreModel
import Foundation

/// A new order row → a confirmation within seconds (transactional lane,
/// service category). Follows orders by row id, so only new rows trigger it.
struct OrderConfirmation: Automation {
    let settings: AutomationSettings.OrderConfirmation
    var name: AutomationName { .orderConfirmation }
    var rule: AutomationRule { settings.rule }

    /// A cancelled, moved or already delivered order is history, not something to confirm.
    static let confirmable: Set<OrderStatus> = [.placed, .confirmed, .booked]

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let maxAge = TimeInterval(settings.maxAgeHours) * 3600
        try await context.followRows(
            name, now: now, tally: &tally, fetch: { try await context.store.ordersCreated(after: $0, limit: $1) }, id: \.id
        ) { order, tally in
            guard Self.confirmable.contains(order.status) else {
                tally.skip(.status(order.status))
                return AutomationBatch()
            }
            guard order.orderedAt >= now.addingTimeInterval(-maxAge) else {
                tally.skip(.stale)
                return AutomationBatch()
            }
            let draft = MessageDraft(
                keyPrefix: AutomationKeys.orderConfirmation(order.orderNo), lane: .transactional, category: .service, priority: 10,
                values: [
                    "member_name": order.member.name, "branch_name": order.branchName, "order_no": order.orderNo,
                    "amount": TemplateValues.yuan(fen: order.amountFen),
                ],
                orderNo: order.orderNo, notBefore: order.orderedAt.addingTimeInterval(TimeInterval(settings.delaySeconds)),
                expiresAt: order.orderedAt.addingTimeInterval(maxAge))
            return AutomationBatch(messages: context.composer.messages(for: order.member, rule: rule, draft: draft, automation: name, tally: &tally))
        }
    }
}
