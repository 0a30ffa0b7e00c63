import CoreModel
import Foundation

/// Once a month, from `day_of_month` (in `defaults.timezone`): a notice to
/// each member with points expiring within `days_ahead` (reminder lane,
/// service category). The cursor is the last month done (`202606`).
struct PointsExpiry: Automation {
    let settings: AutomationSettings.PointsExpiry
    var name: AutomationName { .pointsExpiry }
    var rule: AutomationRule { settings.rule }

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let (year, month) = noticeMonth(at: now, in: context.defaultTimeZone)
        let position = Int64(year * 100 + month)
        if let done = try await context.store.automationCursor(named: name.rawValue), done.position >= position { return }
        let label = TemplateValues.month(year: year, month: month)
        let through = now.addingTimeInterval(TimeInterval(settings.daysAhead) * 86400)
        let cursor = AutomationCursor(name: name.rawValue, position: position)
        var afterMember: Int64 = 0
        while true {
            let page = try await context.store.pointsExpiring(after: now, through: through, afterMemberId: afterMember, limit: context.batchSize)
            var batch = AutomationBatch()
            for expiring in page {
                let member = expiring.member
                let draft = MessageDraft(
                    keyPrefix: AutomationKeys.pointsExpiry(member.memberNo, month: label), lane: .reminder, category: .service, priority: 0,
                    values: [
                        "member_name": member.name, "points": String(expiring.points),
                        "expires_on": TemplateValues.day(expiring.firstExpiry, in: context.timeZone(of: member)),
                    ],
                    expiresAt: expiring.firstExpiry)
                batch.messages += context.composer.messages(for: member, rule: rule, draft: draft, automation: name, tally: &tally)
            }
            // The month is done once its last page is in the outbox.
            let last = page.count < context.batchSize
            if last { batch.cursor = cursor }
            tally.record(try await context.store.commit(batch, now: now))
            guard !last, let member = page.last?.member else { return }
            afterMember = member.id
        }
    }

    /// The month whose notice is due: this one from its `day_of_month`, else the last.
    func noticeMonth(at now: Date, in timeZone: TimeZone) -> (year: Int, month: Int) {
        let c = TemplateValues.calendar(timeZone).dateComponents([.year, .month, .day], from: now)
        let year = c.year ?? 1970, month = c.month ?? 1
        if (c.day ?? 1) >= settings.dayOfMonth { return (year, month) }
        return month == 1 ? (year - 1, 12) : (year, month - 1)
    }
}
