import Campaigns
import Channels
import CoreModel
import Foundation

/// What a campaign would do, before anything is sent: the audience and its
/// split, a sample, template lint, and what the first sample member would
/// receive on each variant and channel (segments, encoding, cost). `campaign
/// preview` and `campaign launch` print it; the admin API answers it as JSON.
/// Contacts in the sample and the rendered texts are masked unless `reveal`.
struct CampaignPreview: Sendable, Encodable {
    struct Share: Sendable, Encodable {
        var variant: String
        /// About this many members (the split is a hash, so the real numbers differ a little).
        var members: Int
        var template: String?
    }

    /// One variant on one channel, rendered for the first sample member.
    struct Rendering: Sendable, Encodable {
        var variant: String
        var channel: Channel
        var locale: String?
        var memberNo: String?
        var text: String?
        var subject: String?
        var say: String?
        var gatherDigits: String?
        var gatherPrompt: String?
        var faxTitle: String?
        var faxLines: Int?
        var sms: SMSFigures?
        /// Voice: calls to the audience less the control group, and their price at the first voice gateway's.
        var calls: Int?
        var callsCost: Double?
        /// Why it could not be rendered.
        var error: String?
    }

    struct SMSFigures: Sendable, Encodable {
        var encoding: String
        var units: Int
        var segments: Int
        /// At most this many segments for the audience less the control group.
        var audienceSegments: Int
        /// Yuan, at the first SMS gateway's price a segment.
        var price: Double?
        var cost: Double?
    }

    var name: String
    var title: String?
    var category: ConsentCategory
    var audienceExpression: String
    var audience: Int
    var controlPercent: Double
    /// About this many members held out.
    var control: Int
    var split: [Share]
    var channels: [Channel]
    var throttle: Int?
    /// Minutes to reach everyone at the throttle.
    var throttleMinutes: Double?
    var sample: [SegmentMember]
    var lint: [TemplateLint.Finding]
    var lintErrors: Int
    var renderings: [Rendering]
    /// Lint errors plus renderings that failed: a campaign with any is not launched.
    var errors: Int

    /// The audience's expression does not parse (a saved segment changed since the campaign was checked).
    struct Unparsable: Error, CustomStringConvertible {
        var campaign: String
        var error: SegmentError
        var description: String { "\(campaign): audience: \(error)" }
    }

    static func make(
        _ definition: CampaignDefinition, config: TidingsConfig, store: any Store, reveal: Bool, sample: Int
    ) async throws -> CampaignPreview {
        let environment = config.campaignEnvironment()
        let now = Date()
        let segment: Segment
        do {
            segment = try SegmentParser(now: now, timeZone: environment.timeZone).parse(
                definition.audienceExpression(in: environment))
        } catch {
            throw Unparsable(campaign: definition.name, error: error)
        }
        let audience = try await store.countMembers(in: segment, now: now)
        let control = Int((Double(audience) * definition.control / 100).rounded())
        let variants = definition.effectiveVariants
        let weights = variants.reduce(0) { $0 + $1.weight }
        let split = variants.map {
            Share(
                variant: $0.name, members: Int((Double(audience - control) * $0.weight / weights).rounded()),
                template: definition.template(of: $0))
        }
        let members = try await store.sampleMembers(in: segment, limit: max(1, sample), now: now)
        let shownMembers =
            reveal
            ? members
            : members.map {
                var m = $0; m.phone = m.phone.map(Redaction.phone); return m
            }
        let templates = environment.templates
        let lint = TemplateLint(
            library: templates, extraKeys: Set(definition.values.keys), signature: config.brand.signature,
            automationKeys: false)
        var findings: [TemplateLint.Finding] = []
        var lintErrors = 0
        for name in Set(variants.compactMap { definition.template(of: $0) }).sorted() {
            let report = lint.lint(template: name, category: definition.category, channels: Set(definition.channels))
            lintErrors += report.errors
            findings += report.findings
        }
        // The first sample member, read once: what each variant and channel would send them.
        var profile: MemberProfile?
        if let first = members.first {
            profile = try await store.memberProfile(memberNo: first.memberNo, timelineLimit: 0)
        }
        let values = profile.map {
            RecipientValues.values(
                member: $0.member, branchName: $0.branchName, campaignValues: definition.values, now: now)
        }
        let shown = { (text: String) in reveal ? text : Redaction.text(text) }
        var renderings: [Rendering] = []
        var renderErrors = 0
        for variant in variants {
            guard let name = definition.template(of: variant), let profile, let values else { continue }
            for channel in definition.channels {
                let member = profile.member
                let locale =
                    templates.locales(of: name, channel: channel).contains(member.locale)
                    ? member.locale : definition.locale
                var rendering = Rendering(
                    variant: variant.name, channel: channel, locale: locale, memberNo: member.memberNo)
                do {
                    let content = try templates.render(name: name, channel: channel, locale: locale, values: values)
                    rendering.describe(
                        content, channel: channel, audience: audience - control, config: config, shown: shown)
                } catch {
                    renderErrors += 1
                    rendering.locale = nil
                    rendering.memberNo = nil
                    rendering.error = error.description
                }
                renderings.append(rendering)
            }
        }
        let throttleMinutes = definition.throttle.map { Double(audience - control) / Double($0) }
        return CampaignPreview(
            name: definition.name, title: definition.title, category: definition.category,
            audienceExpression: definition.audience, audience: audience, controlPercent: definition.control,
            control: control,
            split: split, channels: definition.channels, throttle: definition.throttle,
            throttleMinutes: throttleMinutes,
            sample: shownMembers, lint: findings, lintErrors: lintErrors, renderings: renderings,
            errors: lintErrors + renderErrors)
    }

    /// The text `campaign preview` and `campaign launch` print.
    var text: String {
        var lines: [String] = []
        lines.append("\(name)\(title.map { " — \($0)" } ?? ""): \(category.rawValue)")
        lines.append("  audience: \(audience) members match \(audienceExpression)")
        lines.append(
            "  split: control \(controlPercent)% (about \(control)), "
                + split.map { "\($0.variant) \($0.members)" }.joined(separator: ", "))
        lines.append(
            "  channels: \(channels.map(\.rawValue).joined(separator: " → ")) (the first each member can be reached on)"
        )
        if let throttle, let throttleMinutes {
            lines.append(
                "  throttle: \(throttle)/min — about \(String(format: "%.0f", throttleMinutes)) min for everyone")
        }
        lines.append(
            "  sample: " + sample.map { "\($0.memberNo) \($0.name) \($0.phone ?? "-")" }.joined(separator: "; "))
        for finding in lint { lines.append("  lint: \(finding)") }
        if lintErrors == 0 { lines.append("  lint: no errors") }
        for rendering in renderings { lines += rendering.lines }
        return lines.joined(separator: "\n")
    }
}

extension CampaignPreview.Rendering {
    mutating func describe(
        _ content: MessageContent, channel: Channel, audience: Int, config: TidingsConfig, shown: (String) -> String
    ) {
        switch channel {
        case .sms:
            let text = content.text ?? ""
            let count = SMSSegmenter.count(text)
            let price = config.firstGateway(for: .sms)?.price
            self.text = shown(text)
            sms = CampaignPreview.SMSFigures(
                encoding: count.encoding.rawValue, units: count.units, segments: count.segments,
                audienceSegments: count.segments * audience, price: price,
                cost: price.map { Double(count.segments * audience) * $0 })
        case .email:
            subject = shown(content.subject ?? "")
            text = shown(content.text ?? "")
        case .voice:
            calls = audience
            callsCost = config.firstGateway(for: .voice)?.price.map { Double(audience) * $0 }
            say = shown(content.voice?.say ?? "")
            gatherDigits = content.voice?.gatherDigits
            gatherPrompt = content.voice?.gatherPrompt
        case .fax:
            faxTitle = content.fax?.title ?? ""
            faxLines = content.fax?.lines.count ?? 0
        }
    }

    /// As `campaign preview` prints it.
    var lines: [String] {
        if let error { return ["  variant \(variant), \(channel.rawValue): ERROR \(error)"] }
        var lines = ["  variant \(variant), \(channel.rawValue) (\(locale ?? "")) for \(memberNo ?? ""):"]
        switch channel {
        case .sms:
            lines.append("    \(text ?? "")")
            if let sms {
                let cost =
                    sms.price.map {
                        String(format: "; about ¥%.2f at ¥%.3f a segment", sms.cost ?? 0, $0)
                    } ?? ""
                lines.append(
                    "    \(sms.encoding.uppercased()), \(sms.units) units, \(sms.segments) segment(s) each; "
                        + "at most \(sms.audienceSegments) segments for the audience\(cost)")
            }
        case .email:
            lines.append("    subject: \(subject ?? "")")
            lines.append("    " + (text ?? "").split(separator: "\n").prefix(6).joined(separator: "\n    "))
        case .voice:
            if let callsCost, let calls {
                lines.append(String(format: "    about ¥%.2f for %d calls", callsCost, calls))
            }
            lines.append("    says: \(say ?? "")")
            if let gatherDigits { lines.append("    asks (\(gatherDigits)): \(gatherPrompt ?? "")") }
        case .fax:
            lines.append("    fax: \(faxTitle ?? "") (\(faxLines ?? 0) lines)")
        }
        return lines
    }
}
