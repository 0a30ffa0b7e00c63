import CoreModel
import Foundation

/// `hours_after` a delivered or eaten order, or a resolved complaint → a
/// survey (reminder lane, survey category). A survey more than
/// `max_age_hours` late is not sent.
struct RevisitSurvey: Automation {
    let settings: AutomationSettings.RevisitSurvey
    var name: AutomationName { .revisitSurvey }
    var rule: AutomationRule { settings.rule }

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let lag = TimeInterval(settings.hoursAfter) * 3600
        let maxAge = TimeInterval(settings.maxAgeHours) * 3600
        let horizon = try await context.horizon(name)
        // Window on the visit or resolution time: due since the last scan, or written since and not too late.
        let earliest = now.addingTimeInterval(-lag - maxAge)
        let window = ScanWindow(
            from: max(horizon.addingTimeInterval(-lag), earliest), through: now.addingTimeInterval(-lag), earliest: earliest,
            changedSince: horizon.addingTimeInterval(-AutomationContext.writeSlack))
        var produced: [AutomationBatch] = []
        if settings.afterDelivery {
            for order in try await context.store.visitsCompleted(in: window) {
                let draft = draft(
                    key: AutomationKeys.orderSurvey(order.orderNo), member: order.member, branch: order.branchName, orderNo: order.orderNo, complaintNo: nil,
                    expiresAt: order.visitedAt.addingTimeInterval(lag + maxAge))
                let messages = context.composer.messages(for: order.member, rule: rule, draft: draft, automation: name, tally: &tally)
                produced.append(AutomationBatch(messages: messages))
            }
        }
        if settings.afterComplaint {
            for complaint in try await context.store.complaintsResolved(in: window) {
                let draft = draft(
                    key: AutomationKeys.complaintSurvey(complaint.complaintNo), member: complaint.member,
                    branch: complaint.branchName ?? context.brand.name, orderNo: nil,
                    complaintNo: complaint.complaintNo,
                    expiresAt: complaint.resolvedAt.addingTimeInterval(lag + maxAge))
                let messages = context.composer.messages(for: complaint.member, rule: rule, draft: draft, automation: name, tally: &tally)
                produced.append(AutomationBatch(messages: messages))
            }
        }
        try await context.commit(produced, cursor: AutomationCursor(name: name.rawValue, position: now.unixMillis), now: now, tally: &tally)
    }

    private func draft(
        key: String, member: AutomationMember, branch: String, orderNo: String?, complaintNo: String?, expiresAt: Date
    ) -> MessageDraft {
        MessageDraft(
            keyPrefix: key, lane: .reminder, category: .survey, priority: 0,
            values: ["member_name": member.name, "branch_name": branch], orderNo: orderNo, complaintNo: complaintNo,
            expiresAt: expiresAt)
    }
}
