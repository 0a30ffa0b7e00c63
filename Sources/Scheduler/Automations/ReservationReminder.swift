import CoreModel
import Foundation

/// A booked reservation or banquet → a reminder `hours_before` its time
/// (reminder lane, service category), bound to that time: if the booking
/// moves, the dispatcher drops the old reminder and the next scan writes one
/// for the new time (the time is in the key).
struct ReservationReminder: Automation {
    let settings: AutomationSettings.ReservationReminder
    var name: AutomationName { .reservationReminder }
    var rule: AutomationRule { settings.rule }

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let lead = TimeInterval(settings.hoursBefore) * 3600
        let horizon = try await context.horizon(name)
        // Due since the last scan: scheduled within `lead` of then or now; still to come.
        let window = ScanWindow(
            from: max(horizon.addingTimeInterval(lead), now), through: now.addingTimeInterval(lead), earliest: now,
            changedSince: horizon.addingTimeInterval(-AutomationContext.writeSlack))
        let produced = try await context.store.reservationsDue(in: window).compactMap { order -> AutomationBatch? in
            guard let scheduledAt = order.scheduledAt else { return nil }
            let values = TemplateValues.reservation(order, at: scheduledAt, context: context)
            let draft = MessageDraft(
                keyPrefix: AutomationKeys.reservationReminder(order.orderNo, scheduledAt: scheduledAt), lane: .reminder, category: .service,
                priority: 5, values: values, orderNo: order.orderNo, boundAt: scheduledAt, expiresAt: scheduledAt)
            return AutomationBatch(messages: context.composer.messages(for: order.member, rule: rule, draft: draft, automation: name, tally: &tally))
        }
        try await context.commit(produced, cursor: AutomationCursor(name: name.rawValue, position: now.unixMillis), now: now, tally: &tally)
    }
}
