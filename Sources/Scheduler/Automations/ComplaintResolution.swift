import CoreModel
import Foundation

/// A resolved (or closed) complaint → its result to the customer, once, on
/// the first channel of the rule they have a valid contact for, with the
/// template of its resolution kind. The revisit survey after it is the
/// `revisit_survey` automation's (`after_complaint`), not this one's.
struct ComplaintResolution: Automation {
    let settings: AutomationSettings.ComplaintResolution
    var name: AutomationName { .complaintResolution }
    var rule: AutomationRule { settings.rule }
    /// A missing kind's template holds the scan back too, rather than lose those results.
    var templates: [String] { [settings.template] + Set(settings.templates.values).subtracting([settings.template]).sorted() }

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let maxAge = TimeInterval(settings.maxAgeHours) * 3600
        let horizon = try await context.horizon(name)
        // Resolved since the last scan, or written since and not too late.
        let earliest = now.addingTimeInterval(-maxAge)
        let window = ScanWindow(
            from: max(horizon, earliest), through: now, earliest: earliest,
            changedSince: horizon.addingTimeInterval(-AutomationContext.writeSlack))
        var produced: [AutomationBatch] = []
        for complaint in try await context.store.complaintsResolved(in: window) {
            let draft = MessageDraft(
                keyPrefix: AutomationKeys.complaintResolution(complaint.complaintNo), lane: .transactional, category: .service,
                priority: 0, values: values(complaint, context: context), complaintNo: complaint.complaintNo,
                expiresAt: complaint.resolvedAt.addingTimeInterval(maxAge), keyedByChannel: false)
            let message = context.composer.preferredMessage(
                for: complaint.member, rule: rule, template: settings.template(forKind: complaint.resolutionKind), draft: draft,
                automation: name, tally: &tally)
            produced.append(AutomationBatch(messages: message.map { [$0] } ?? []))
        }
        try await context.commit(produced, cursor: AutomationCursor(name: name.rawValue, position: now.unixMillis), now: now, tally: &tally)
    }

    private func values(_ complaint: AutomationComplaint, context: AutomationContext) -> [String: String] {
        [
            "member_name": complaint.member.name, "complaint_no": complaint.complaintNo, "department": complaint.department,
            "branch_name": complaint.branchName ?? context.brand.name, "resolution": complaint.resolution ?? "已处理",
            "resolved_at": TemplateValues.monthDayTime(complaint.resolvedAt, in: context.timeZone(of: complaint.member)),
        ]
    }
}
