import CoreModel
import Foundation

/// Every morning between `at` and `until` (the group's time zone), one brief
/// per manager and branch manager: the SMS with the counts, the email with
/// the lists (`BriefWriter`), each on the channel the person has a contact
/// for. The messages and the personal calls of the dormant members named
/// commit together, manager by manager, so a crash halfway briefs the rest
/// on the next scan and nobody twice (the keys name staff and day). A
/// manager with nothing to list gets nothing.
struct ManagerBrief: Automation {
    let settings: AutomationSettings.ManagerBrief
    let store: any ManagerBriefs
    var name: AutomationName { .managerBrief }
    var rule: AutomationRule { settings.rule }

    func run(now: Date, context: AutomationContext, tally: inout AutomationTally) async throws {
        let writer = BriefWriter(settings: settings, timeZone: context.defaultTimeZone)
        let dayStart = writer.calendar.startOfDay(for: now)
        let minute = Int(now.timeIntervalSince(dayStart) / 60)
        guard let window = settings.window, minute >= window.from, minute < window.to else { return }
        if let last = try await context.store.automationCursor(named: name.rawValue)?.position, last >= dayStart.unixMillis { return }
        let day = writer.day(now)
        for recipient in try await store.briefRecipients(day: day) {
            let content = try await store.briefContent(writer.query(for: recipient, now: now))
            guard !content.isEmpty else {
                tally.skip(.nothingToBrief)
                continue
            }
            let draft = MessageDraft(
                keyPrefix: AutomationKeys.managerBrief(recipient.staffNo, day: day), lane: .transactional, category: .service, priority: 0,
                values: writer.values(for: recipient, content: content, now: now),
                expiresAt: dayStart.addingTimeInterval(TimeInterval(window.to) * 60))
            let messages = rule.channels.compactMap { channel -> NewMessage? in
                guard let address = channel == .email ? recipient.email : recipient.phone else {
                    tally.skip(.noAddress(channel))
                    return nil
                }
                return context.composer.message(
                    to: .init(address: address, memberNo: nil, locale: context.defaults.locale), on: channel, template: rule.template,
                    draft: draft, automation: name, tally: &tally)
            }
            guard !messages.isEmpty else { continue }
            tally.record(try await store.commitBrief(messages: messages, calls: writer.calls(content, for: recipient, now: now), now: now))
        }
        let cursor = AutomationCursor(name: name.rawValue, position: dayStart.unixMillis)
        tally.record(try await context.store.commit(AutomationBatch(cursor: cursor), now: now))
    }
}
