import Campaigns
import Channels
import CoreModel
import Foundation

/// What `campaign preview` and `campaign launch` show before anything is
/// sent: the audience and its split, a sample, what sample members would
/// receive (segments, encoding), and template problems.
struct CampaignSummary {
    let config: TidingsConfig
    let store: SQLiteStore
    let definition: CampaignDefinition
    let reveal: Bool

    /// Prints the summary; returns how many template errors were found.
    @discardableResult
    func print(sample: Int) async throws -> Int {
        let environment = config.campaignEnvironment()
        let now = Date()
        let segment: Segment
        do {
            segment = try SegmentParser(now: now, timeZone: environment.timeZone).parse(definition.audienceExpression(in: environment))
        } catch {
            throw CommandFailure("\(definition.name): audience: \(error)")
        }
        let audience = try await store.countMembers(in: segment, now: now)
        let control = Int((Double(audience) * definition.control / 100).rounded())
        let variants = definition.effectiveVariants
        let weights = variants.reduce(0) { $0 + $1.weight }
        Swift.print("\(definition.name)\(definition.title.map { " — \($0)" } ?? ""): \(definition.category.rawValue)")
        Swift.print("  audience: \(audience) members match \(definition.audience)")
        Swift.print(
            "  split: control \(definition.control)% (about \(control)), "
                + variants.map { "\($0.name) \(Int((Double(audience - control) * $0.weight / weights).rounded()))" }.joined(separator: ", "))
        Swift.print("  channels: \(definition.channels.map(\.rawValue).joined(separator: " → ")) (the first each member can be reached on)")
        if let throttle = definition.throttle {
            let minutes = Double(audience - control) / Double(throttle)
            Swift.print("  throttle: \(throttle)/min — about \(String(format: "%.0f", minutes)) min for everyone")
        }
        let members = try await store.sampleMembers(in: segment, limit: max(1, sample), now: now)
        Swift.print("  sample: " + members.map { "\($0.memberNo) \($0.name) \(reveal ? ($0.phone ?? "-") : Redaction.phone($0.phone))" }.joined(separator: "; "))
        var errors = 0
        let templates = environment.templates
        let lint = TemplateLint(
            library: templates, extraKeys: Set(definition.values.keys), signature: config.brand.signature, automationKeys: false)
        for name in Set(variants.compactMap { definition.template(of: $0) }).sorted() {
            let report = lint.lint(template: name, category: definition.category, channels: Set(definition.channels))
            errors += report.errors
            for finding in report.findings { Swift.print("  lint: \(finding)") }
        }
        if errors == 0 { Swift.print("  lint: no errors") }
        // The first sample member, read once: what each variant and channel would send them.
        var profile: MemberProfile?
        if let first = members.first { profile = try await store.memberProfile(memberNo: first.memberNo, timelineLimit: 0) }
        let values = profile.map {
            RecipientValues.values(member: $0.member, branchName: $0.branchName, campaignValues: definition.values, now: now)
        }
        for variant in variants {
            guard let name = definition.template(of: variant), let profile, let values else { continue }
            for channel in definition.channels {
                let locale = templates.locales(of: name, channel: channel).contains(profile.member.locale) ? profile.member.locale : definition.locale
                do {
                    let content = try templates.render(name: name, channel: channel, locale: locale, values: values)
                    Swift.print("  variant \(variant.name), \(channel.rawValue) (\(locale)) for \(profile.member.memberNo):")
                    describe(content, channel: channel, audience: audience - control)
                } catch {
                    errors += 1
                    Swift.print("  variant \(variant.name), \(channel.rawValue): ERROR \(error)")
                }
            }
        }
        return errors
    }

    private func describe(_ content: MessageContent, channel: Channel, audience: Int) {
        let shown = { (text: String) in reveal ? text : Redaction.text(text) }
        switch channel {
        case .sms:
            let text = content.text ?? ""
            let count = SMSSegmenter.count(text)
            Swift.print("    \(shown(text))")
            let price = config.firstGateway(for: .sms)?.price
            let cost = price.map { String(format: "; about ¥%.2f at ¥%.3f a segment", Double(count.segments * audience) * $0, $0) } ?? ""
            Swift.print(
                "    \(count.encoding.rawValue.uppercased()), \(count.units) units, \(count.segments) segment(s) each; "
                    + "at most \(count.segments * audience) segments for the audience\(cost)")
        case .email:
            Swift.print("    subject: \(shown(content.subject ?? ""))")
            Swift.print("    " + shown(content.text ?? "").split(separator: "\n").prefix(6).joined(separator: "\n    "))
        case .voice:
            let price = config.firstGateway(for: .voice)?.price
            if let price { Swift.print(String(format: "    about ¥%.2f for %d calls", Double(audience) * price, audience)) }
            Swift.print("    says: \(shown(content.voice?.say ?? ""))")
            if let digits = content.voice?.gatherDigits { Swift.print("    asks (\(digits)): \(content.voice?.gatherPrompt ?? "")") }
        case .fax:
            Swift.print("    fax: \(content.fax?.title ?? "") (\(content.fax?.lines.count ?? 0) lines)")
        }
    }
}
