import CoreModel
import Foundation

/// A member with no order for `dormant_days` → a win-back offer (marketing
/// lane and category), at most once per `period_days` of dormancy: the key
/// names the period's first day, and a new order starts the count again.
struct WinBack: Automation {
    let settings: AutomationSettings.WinBack
    var name: AutomationName { .winBack }
    var rule: AutomationRule { settings.rule }

    /// Dormancy is counted in days; finding it reads every member, so at most hourly.
    static let minimumGap: TimeInterval = 3600

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let last = try await context.store.automationCursor(named: name.rawValue)?.position
        let horizon = Date(unixMillis: last ?? 0)
        if last != nil, now.timeIntervalSince(horizon) < Self.minimumGap { return }
        let dormantFor = TimeInterval(settings.dormantDays) * 86400
        let period = TimeInterval(settings.periodDays) * 86400
        let query = DormancyQuery(
            now: now, horizon: horizon, changedSince: horizon.addingTimeInterval(-AutomationContext.writeSlack), dormantFor: dormantFor,
            period: period)
        let offerEnds = now.addingTimeInterval(TimeInterval(settings.offerDays) * 86400)
        var afterMember: Int64 = 0
        while true {
            let page = try await context.store.dormantMembers(query, afterMemberId: afterMember, limit: context.batchSize)
            var batch = AutomationBatch()
            for dormant in page {
                let member = dormant.member
                let since = dormant.lastActiveAt.addingTimeInterval(dormantFor)
                let periodStart = since.addingTimeInterval((now.timeIntervalSince(since) / period).rounded(.down) * period)
                let draft = MessageDraft(
                    keyPrefix: AutomationKeys.winBack(member.memberNo, periodStart: TemplateValues.day(periodStart, in: context.defaultTimeZone)),
                    lane: .marketing, category: .marketing, priority: 0,
                    values: [
                        "member_name": member.name, "branch_name": member.branchName ?? context.brand.name,
                        "expires_on": TemplateValues.day(offerEnds, in: context.timeZone(of: member)),
                    ],
                    expiresAt: offerEnds)
                batch.messages += context.composer.messages(for: member, rule: rule, draft: draft, automation: name, tally: &tally)
            }
            let final = page.count < context.batchSize
            if final { batch.cursor = AutomationCursor(name: name.rawValue, position: now.unixMillis) }
            tally.record(try await context.store.commit(batch, now: now))
            guard !final, let member = page.last?.member else { return }
            afterMember = member.id
        }
    }
}
