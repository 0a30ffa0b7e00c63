import CoreModel
import Foundation
import Logging

/// Renders a draft for a member on each channel of a rule, to the member's
/// address for that channel. A channel without a valid address, or whose
/// template does not render, is passed over and counted; nothing is recorded.
struct MessageComposer: Sendable {
    let renderer: any MessageRenderer
    let logger: Logger
    /// Shared with the runner: each failing (template, channel, locale) is logged once.
    let problems: TemplateProblems

    func messages(
        for member: AutomationMember, rule: AutomationRule, draft: MessageDraft, automation: AutomationName,
        tally: inout AutomationTally
    ) -> [NewMessage] {
        rule.channels.compactMap { channel -> NewMessage? in
            guard let address = Self.address(of: member, for: channel) else {
                tally.skip(.noAddress(channel))
                return nil
            }
            let content: MessageContent
            do {
                content = try renderer.render(template: rule.template, channel: channel, locale: member.locale, values: draft.values)
            } catch {
                tally.skip(.renderFailed(channel))
                let key = TemplateProblems.Key(
                    template: rule.template, channel: channel, locale: member.locale, stage: .render)
                guard problems.report(key) else { return nil }
                logger.error(
                    "template did not render; its messages are skipped (logged once; the scan report counts them)",
                    metadata: [
                        "automation": "\(automation.rawValue)", "member": "\(member.memberNo)", "channel": "\(channel.rawValue)",
                        "address": "\(Redaction.address(address))", "error": "\(error)",
                    ])
                return nil
            }
            return NewMessage(
                idempotencyKey: AutomationKeys.message(draft.keyPrefix, channel), purpose: automation.purpose,
                channel: channel, lane: draft.lane, category: draft.category, priority: draft.priority,
                memberNo: member.memberNo, address: address, template: rule.template, locale: member.locale,
                payload: content.json(), notBefore: draft.notBefore, expiresAt: draft.expiresAt, orderNo: draft.orderNo,
                boundAt: draft.boundAt, complaintNo: draft.complaintNo)
        }
    }

    /// The phone for SMS and voice, else the email or fax number — only if it is marked valid.
    static func address(of member: AutomationMember, for channel: Channel) -> String? {
        let contact: ContactField
        switch channel {
        case .sms, .voice: contact = member.phone
        case .email: contact = member.email
        case .fax: contact = member.fax
        }
        guard contact.status == .valid, let value = contact.value, !value.isEmpty else { return nil }
        return value
    }
}
