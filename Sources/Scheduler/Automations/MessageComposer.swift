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
            return message(
                to: Recipient(address: address, memberNo: member.memberNo, locale: member.locale), on: channel,
                template: rule.template, draft: draft, automation: automation, tally: &tally)
        }
    }

    /// One message on the first of `rule.channels` the member has a valid
    /// address for (their preferred channel), rendered from `template`.
    func preferredMessage(
        for member: AutomationMember, rule: AutomationRule, template: String, draft: MessageDraft, automation: AutomationName,
        tally: inout AutomationTally
    ) -> NewMessage? {
        for channel in rule.channels {
            guard let address = Self.address(of: member, for: channel) else { continue }
            return message(
                to: Recipient(address: address, memberNo: member.memberNo, locale: member.locale), on: channel,
                template: template, draft: draft, automation: automation, tally: &tally)
        }
        tally.skip(.noContact)
        return nil
    }

    /// Who a message goes to: a member, or staff (a department) with no member number.
    struct Recipient {
        var address: String
        var memberNo: String?
        var locale: String
    }

    /// `template` rendered for `channel`, to `recipient`; nil (counted, logged
    /// once per template) when it does not render. An email carries `attachment` as a PDF.
    func message(
        to recipient: Recipient, on channel: Channel, template: String, draft: MessageDraft, automation: AutomationName,
        attachment: MessageContent.FaxDocument? = nil, tally: inout AutomationTally
    ) -> NewMessage? {
        var content: MessageContent
        do {
            content = try renderer.render(template: template, channel: channel, locale: recipient.locale, values: draft.values)
        } catch {
            tally.skip(.renderFailed(channel))
            let key = TemplateProblems.Key(template: template, channel: channel, locale: recipient.locale, stage: .render)
            guard problems.report(key) else { return nil }
            logger.error(
                "template did not render; its messages are skipped (logged once; the scan report counts them)",
                metadata: [
                    "automation": "\(automation.rawValue)", "member": "\(recipient.memberNo ?? "-")", "channel": "\(channel.rawValue)",
                    "address": "\(Redaction.address(recipient.address))", "error": "\(error)",
                ])
            return nil
        }
        if channel == .email { content.attachment = attachment }
        return NewMessage(
            idempotencyKey: AutomationKeys.message(draft, channel), purpose: automation.purpose,
            channel: channel, lane: draft.lane, category: draft.category, priority: draft.priority,
            memberNo: recipient.memberNo, address: recipient.address, template: template, locale: recipient.locale,
            payload: content.json(), notBefore: draft.notBefore, expiresAt: draft.expiresAt, orderNo: draft.orderNo,
            boundAt: draft.boundAt, complaintNo: draft.complaintNo)
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
