import CoreModel
import Foundation

/// A new complaint → a work order (派单) to its department (`departments:`),
/// on the first channel of the rule the department has a contact for, with
/// the due time. The template's fax file is the complaint sheet: the fax's
/// PDF, and attached as a PDF to the email. Complaints are followed by id, so
/// an imported one is sent within moments; the complaint keeps when its
/// department was notified, written with the message in one transaction.
struct ComplaintWorkOrder: Automation {
    let settings: AutomationSettings.ComplaintWorkOrder
    let departments: DepartmentDirectory
    var name: AutomationName { .complaintWorkOrder }
    var rule: AutomationRule { settings.rule }
    /// An email carries the fax file's sheet: it must load too.
    var templateChannels: [Channel] {
        rule.channels.contains(.email) && !rule.channels.contains(.fax) ? rule.channels + [.fax] : rule.channels
    }

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        try await context.followRows(
            name, now: now, tally: &tally,
            fetch: { cursor, limit in try await context.store.complaintsOpened(after: cursor, limit: limit) }, id: \.id
        ) { complaint, tally in
            workOrder(complaint, now: now, context: context, tally: &tally)
        }
    }

    private func workOrder(
        _ complaint: ComplaintSheet, now: Date, context: AutomationContext, tally: inout AutomationTally
    ) -> AutomationBatch {
        // Already sent (a cursor reset, a second worker): the complaint says so.
        guard complaint.departmentNotifiedAt == nil else { return AutomationBatch() }
        guard complaint.status.isOpen else {
            tally.skip(.complaintStatus(complaint.status))
            return AutomationBatch()
        }
        guard now.timeIntervalSince(complaint.openedAt) <= TimeInterval(settings.maxAgeHours) * 3600 else {
            tally.skip(.stale)
            return AutomationBatch()
        }
        guard let department = departments.named(complaint.department),
            let channel = rule.channels.first(where: { department.address(for: $0) != nil }),
            let address = department.address(for: channel)
        else {
            tally.skip(.noDepartment(complaint.department))
            return AutomationBatch()
        }
        let dueAt = complaint.openedAt.addingTimeInterval(TimeInterval(department.dueHours) * 3600)
        let draft = MessageDraft(
            keyPrefix: AutomationKeys.complaintDepartment(complaint.complaintNo), lane: .transactional, category: .service,
            priority: 0, values: values(complaint, dueAt: dueAt, context: context), complaintNo: complaint.complaintNo,
            keyedByChannel: false)
        let locale = context.defaults.locale
        var sheet: MessageContent.FaxDocument?
        if channel == .email {
            do {
                sheet = try context.composer.renderer.render(template: rule.template, channel: .fax, locale: locale, values: draft.values).fax
            } catch {
                tally.skip(.renderFailed(.fax))
                return AutomationBatch()
            }
        }
        guard
            let message = context.composer.message(
                to: .init(address: address, memberNo: nil, locale: locale), on: channel, template: rule.template, draft: draft,
                automation: name, attachment: sheet, tally: &tally)
        else { return AutomationBatch() }
        return AutomationBatch(messages: [message], notifiedComplaints: [complaint.id])
    }

    /// What the sheet says: the complaint, the customer to call back, and by when.
    private func values(_ complaint: ComplaintSheet, dueAt: Date, context: AutomationContext) -> [String: String] {
        let zone = context.defaultTimeZone
        return [
            "complaint_no": complaint.complaintNo, "department": complaint.department, "description": complaint.description,
            "order_no": complaint.orderNo ?? "无", "source": complaint.channel,
            "branch_name": complaint.branchName ?? context.brand.name, "member_name": complaint.member.name,
            "member_no": complaint.member.memberNo, "member_phone": complaint.member.phone.value ?? "无",
            "opened_at": TemplateValues.monthDayTime(complaint.openedAt, in: zone),
            "due_at": TemplateValues.monthDayTime(dueAt, in: zone),
        ]
    }
}
