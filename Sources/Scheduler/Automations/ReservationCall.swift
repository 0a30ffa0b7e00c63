import CoreModel
import Foundation

/// Escalation from SMS to a call: a reservation whose SMS reminder was
/// neither delivered nor answered `after_minutes` after it was queued gets an
/// IVR call (reminder lane, service category) asking to press 1 to confirm or
/// 2 to cancel; the store applies the key pressed to the reservation. Bound
/// to the booked time like the reminder, so a moved or cancelled booking
/// drops a call not yet made.
struct ReservationCall: Automation {
    let settings: AutomationSettings.ReservationCall
    var name: AutomationName { .reservationCall }
    var rule: AutomationRule { settings.rule }

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let wait = TimeInterval(settings.afterMinutes) * 60
        let horizon = try await context.horizon(name)
        // Reminders that became `after_minutes` old since the last scan.
        let orders = try await context.store.remindersUnanswered(
            purpose: AutomationName.reservationReminder.purpose, queuedAfter: horizon.addingTimeInterval(-wait),
            through: now.addingTimeInterval(-wait), now: now)
        let produced = orders.compactMap { order -> AutomationBatch? in
            guard let scheduledAt = order.scheduledAt else { return nil }
            let values = TemplateValues.reservation(order, at: scheduledAt, context: context)
            let draft = MessageDraft(
                keyPrefix: AutomationKeys.reservationCall(order.orderNo, scheduledAt: scheduledAt), lane: .reminder, category: .service,
                priority: 6, values: values, orderNo: order.orderNo, boundAt: scheduledAt, expiresAt: scheduledAt)
            return AutomationBatch(messages: context.composer.messages(for: order.member, rule: rule, draft: draft, automation: name, tally: &tally))
        }
        try await context.commit(produced, cursor: AutomationCursor(name: name.rawValue, position: now.unixMillis), now: now, tally: &tally)
    }
}
