import CoreModel
import Foundation

/// Delivery feedback late or not delivered → an apology (reminder lane,
/// service category) and, with `points`, one credit to the member's points,
/// written in the same transaction under the order's key.
struct LateDeliveryApology: Automation {
    let settings: AutomationSettings.LateDeliveryApology
    var name: AutomationName { .lateDeliveryApology }
    var rule: AutomationRule { settings.rule }

    static let creditReason = "配送致歉补偿"

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let maxAge = TimeInterval(settings.maxAgeHours) * 3600
        let outcomes = Set(settings.outcomes)
        try await context.followRows(
            name, now: now, tally: &tally, fetch: { try await context.store.feedbackRecorded(after: $0, limit: $1) }, id: \.id
        ) { feedback, tally in
            guard outcomes.contains(feedback.outcome) else {
                tally.skip(.outcome(feedback.outcome))
                return AutomationBatch()
            }
            guard feedback.recordedAt >= now.addingTimeInterval(-maxAge) else {
                tally.skip(.stale)
                return AutomationBatch()
            }
            let order = feedback.order
            var credits: [PointsCredit] = []
            var values = [
                "member_name": order.member.name, "branch_name": order.branchName, "order_no": order.orderNo,
                "problem": TemplateValues.deliveryProblem(feedback.outcome),
            ]
            if settings.points > 0 {
                values["points"] = String(settings.points)
                credits.append(PointsCredit(
                    idempotencyKey: AutomationKeys.apologyPoints(order.orderNo), memberNo: order.member.memberNo, orderNo: order.orderNo,
                    points: settings.points, reason: Self.creditReason,
                    expiresAt: settings.pointsValidDays > 0 ? now.addingTimeInterval(TimeInterval(settings.pointsValidDays) * 86400) : nil))
            }
            // Not bound to the order: an undelivered order is often cancelled, and the
            // dispatcher drops a cancelled order's messages; the apology still stands.
            let draft = MessageDraft(
                keyPrefix: AutomationKeys.lateDeliveryApology(order.orderNo), lane: .reminder, category: .service, priority: 5,
                values: values,
                notBefore: feedback.recordedAt.addingTimeInterval(TimeInterval(settings.delaySeconds)),
                expiresAt: feedback.recordedAt.addingTimeInterval(maxAge))
            return AutomationBatch(
                messages: context.composer.messages(for: order.member, rule: rule, draft: draft, automation: name, tally: &tally),
                credits: credits)
        }
    }
}
