import Channels
import CoreModel
import Foundation

/// Checks templates before anyone receives them: each template, channel and
/// locale is loaded, its variables compared with the values a message will have,
/// and it is rendered with sample values to count SMS segments and to look for
/// what marketing (and survey) messages must carry.
///
/// | code | severity | what |
/// | --- | --- | --- |
/// | invalidTemplate | error | does not load: syntax, a missing part (email text), an unknown helper or partial |
/// | unknownFile | warning | a file name no channel reads (`sms.zh-CN.body.mustache`) |
/// | unknownVariable | error | `{{x}}` that neither the member keys, the automations nor the campaign values give |
/// | missingLocale | warning | a locale that one channel of the template has and another has not |
/// | renderFailed | error | rendering the sample fails (an empty SMS, a fax without a title) |
/// | smsSegments | warning | the sample SMS needs more than one segment |
/// | missingSignature | marketing: error, survey: warning | an SMS that neither starts nor ends with the signature 【…】 (not English ones) |
/// | missingOptOut | marketing: error, survey: warning | an SMS without the opt-out text: 回T退订, in English "Reply STOP" |
/// | missingUnsubscribe | marketing: error, survey: warning | an email body part that does not mention unsubscribing |
///
/// The SMTP gateway appends the signed one-click unsubscribe link to both
/// body parts of every marketing and survey email, and only it can sign one,
/// so there is no `{{unsubscribe_url}}`: the lint asks that the text (and the
/// html part, if any) tell the reader it is there — "退订" or "unsubscribe".
///
/// English SMS (en-*) need no 【…】: the shipped ones are written to go as one
/// GSM-7 segment ("Hongfu Lou: …"), which a 【 would turn into three UCS-2 ones;
/// their opt-out is "Reply STOP", a keyword the opt-out handling honours.
public struct TemplateLint: Sendable {
    public enum Severity: String, Sendable, Codable, Hashable {
        case error, warning
    }

    public enum Code: String, Sendable, Codable, Hashable {
        case noSuchTemplate, invalidTemplate, unknownFile, unknownVariable, missingLocale, renderFailed
        case smsSegments, missingSignature, missingOptOut, missingUnsubscribe
    }

    public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
        public var severity: Severity
        public var code: Code
        public var template: String
        /// The file (`templates/promotion/sms.zh-CN.mustache`) or the template's folder.
        public var path: String
        public var line: Int?
        public var column: Int?
        public var message: String

        /// `path[:line[:column]]: severity: message [code]`, like a compiler.
        public var description: String {
            var location = path
            if let line {
                location += ":\(line)"
                if let column { location += ":\(column)" }
            }
            return "\(location): \(severity.rawValue): \(message) [\(code.rawValue)]"
        }
    }

    /// How one SMS of the sample rendering goes on the air.
    public struct SMSCount: Sendable, Hashable, Codable {
        public var template: String
        public var locale: String
        public var path: String
        public var encoding: String
        /// GSM-7 septets or UCS-2 code units.
        public var units: Int
        public var segments: Int
        public var sample: String
    }

    public struct Report: Sendable, Codable {
        public var templates: [String] = []
        public var findings: [Finding] = []
        public var sms: [SMSCount] = []

        public var errors: Int { findings.filter { $0.severity == .error }.count }
        public var warnings: Int { findings.filter { $0.severity == .warning }.count }
        public var hasErrors: Bool { errors > 0 }

        public init() {}

        mutating func append(_ other: Report) {
            templates += other.templates
            findings += other.findings
            sms += other.sms
        }
    }

    /// The keys the automations give their templates (`TemplateValues` and the rules in Scheduler).
    public static let automationKeys: Set<String> = [
        "member_name", "branch_name", "order_no", "amount", "problem", "points", "expires_on", "reserved_at", "party_size",
        // A complaint's work order and its result (`ComplaintWorkOrder`, `ComplaintResolution`).
        "complaint_no", "department", "description", "source", "member_phone", "opened_at", "due_at", "resolution",
        "resolved_at",
        // A manager's morning brief (`BriefWriter`).
        "staff_name", "staff_no", "brief_day", "booking_count", "vip_count", "birthday_count", "dormant_count", "task_count",
        "hold_days", "birthday_days", "has_email", "bookings", "vip_arrivals", "birthdays", "dormant", "tasks",
        // An order ticket to a branch and its escalation call (`BranchTicketing`).
        "order_count", "order_nos", "orders", "slot", "slot_day", "slot_start",
    ]

    /// The category each shipped template is sent under, when nobody says otherwise; any other is `service`.
    public static let defaultCategories: [String: ConsentCategory] = [
        "promotion": .marketing, "win-back": .marketing, "revisit-survey": .survey,
    ]

    public let library: TemplateLibrary
    /// Every key a variable may name: the member keys, the automations' and the extra ones given.
    public let knownKeys: Set<String>
    /// What the sample rendering uses; a variable without a sample renders as `XXXXXX`.
    public var sampleValues: [String: String]
    /// Required at the start or end of a marketing SMS (the config's `brand.signature`); nil: any 【…】.
    public var signature: String?
    /// The opt-out text an SMS must carry, by language (`zh`, `en`); others use `zh`'s.
    public var optOutTexts: [String: String]

    /// `extraKeys`: the values a campaign file gives (`values:`), which its templates may use too.
    public init(
        library: TemplateLibrary, extraKeys: Set<String> = [], signature: String? = nil,
        optOutTexts: [String: String] = ["zh": "回T退订", "en": "Reply STOP"], automationKeys: Bool = true
    ) {
        self.library = library
        // A campaign's templates get only the member's keys and the file's values: nothing fills an order number.
        knownKeys = RecipientValues.memberKeys.union(automationKeys ? Self.automationKeys : []).union(extraKeys)
        sampleValues = Self.samples
        self.signature = signature
        self.optOutTexts = optOutTexts
    }

    /// A member and an order as a message for them would have them, long enough to count segments honestly.
    public static let samples: [String: String] = {
        let member = Member(memberNo: "M00000001", name: "欧阳晓明", level: .gold, points: 12_800, branchCode: "TH")
        let now = Date(timeIntervalSince1970: 1_798_000_000)
        var values = RecipientValues.values(member: member, branchName: "天河店", campaignValues: [:], now: now)
        values.merge([
            "order_no": "SO202612210001", "amount": "368.00", "problem": "晚到了一个多小时", "expires_on": "2026-12-31",
            "reserved_at": "12月21日 18:30", "party_size": "6",
            "complaint_no": "C00000123", "department": "配送部", "description": "外卖送达超时一个多小时", "source": "phone",
            "member_phone": "+8613812345678", "opened_at": "12月21日 18:30", "due_at": "12月21日 22:30",
            "resolution": "已致歉并赠送优惠券", "resolved_at": "12月22日 10:00",
            "staff_name": "王建国", "staff_no": "S0001", "brief_day": "12月21日", "booking_count": "12", "vip_count": "3",
            "birthday_count": "5", "dormant_count": "10", "task_count": "4", "hold_days": "7", "birthday_days": "7", "has_email": "1",
        ]) { current, _ in current }
        return values
    }()

    /// What an English-reading member's message has instead: an SMS in Latin letters stays GSM-7.
    public static let englishSamples = ["member_name": "Alexandra Li", "branch_name": "Tianhe", "level_name": "Gold member"]

    /// The template folders under the library's directory (not `_partials`, nothing hidden), sorted.
    public func templateNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: library.directory.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let path = library.directory.appendingPathComponent(name).path
            return !name.hasPrefix(".") && !name.hasPrefix("_") && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    /// Lints `names` (all templates when nil), each under `category`, or when nil
    /// under its `categories` entry (else `service`).
    public func lint(
        _ names: [String]? = nil, category: ConsentCategory? = nil,
        categories: [String: ConsentCategory] = defaultCategories, channels: Set<Channel>? = nil
    ) -> Report {
        var report = Report()
        for name in names ?? templateNames() {
            report.append(lint(template: name, category: category ?? categories[name] ?? .service, channels: channels))
        }
        return report
    }

    /// The stricter of two categories a template is sent under: marketing, then survey, then service.
    public static func stricter(_ a: ConsentCategory, _ b: ConsentCategory) -> ConsentCategory {
        let rank: [ConsentCategory: Int] = [.marketing: 2, .survey: 1, .service: 0]
        return (rank[a] ?? 0) >= (rank[b] ?? 0) ? a : b
    }

    /// One template as a campaign of `category` would send it, on `channels` (all it has when nil).
    public func lint(template name: String, category: ConsentCategory, channels: Set<Channel>? = nil) -> Report {
        var report = Report()
        report.templates = [name]
        let folder = library.directory.appendingPathComponent(name, isDirectory: true)
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            report.findings.append(Finding(
                severity: .error, code: .noSuchTemplate, template: name, path: folder.relativePath, message: "no template folder"))
            return report
        }
        var locales: [Channel: Set<String>] = [:]
        for file in files.sorted() where !file.hasPrefix(".") {
            guard let parsed = Self.channelAndLocale(of: file) else {
                report.findings.append(Finding(
                    severity: .warning, code: .unknownFile, template: name, path: folder.appendingPathComponent(file).relativePath,
                    message: "no channel reads this file (sms|voice|fax|email.LOCALE[.part].mustache; parts: voice gather, email subject/text/html)"))
                continue
            }
            if channels?.contains(parsed.channel) ?? true { locales[parsed.channel, default: []].insert(parsed.locale) }
        }
        for channel in Channel.allCases {
            for locale in (locales[channel] ?? []).sorted() {
                lint(name, channel: channel, locale: locale, category: category, into: &report)
            }
        }
        let all = locales.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        for channel in Channel.allCases {
            guard let present = locales[channel] else { continue }
            for locale in all.subtracting(present).sorted() {
                let others = Channel.allCases.filter { locales[$0]?.contains(locale) ?? false }.map(\.rawValue).joined(separator: ", ")
                report.findings.append(Finding(
                    severity: .warning, code: .missingLocale, template: name, path: folder.relativePath,
                    message: "\(channel.rawValue) has no \(locale) (\(others) has): \(locale) members get no \(channel.rawValue)"))
            }
        }
        report.findings = Self.unique(report.findings)
        return report
    }

    private func lint(_ name: String, channel: Channel, locale: String, category: ConsentCategory, into report: inout Report) {
        let template: ChannelTemplate
        do { template = try library.template(named: name, channel: channel, locale: locale) } catch {
            report.findings.append(Finding(
                severity: .error, code: .invalidTemplate, template: name, path: error.path, line: error.line, column: error.column,
                message: error.reason))
            return
        }
        var values = sampleValues
        if locale.lowercased().hasPrefix("en") { values.merge(Self.englishSamples) { _, english in english } }
        let keys = knownKeys.sorted().joined(separator: ", ")
        for file in template.parts.files {
            for placed in file.tags {
                let tag = placed.tag
                switch tag.kind {
                case .variable, .unescapedVariable, .section, .invertedSection:
                    guard tag.name != "." else { continue }
                    if values[tag.name] == nil { values[tag.name] = "XXXXXX" }
                    guard !knownKeys.contains(tag.name) else { continue }
                    report.findings.append(Finding(
                        severity: .error, code: .unknownVariable, template: name, path: placed.path, line: tag.line, column: tag.column,
                        message: "\(tag.written): no message gives '\(tag.name)' (known: \(keys); a campaign's own values with --values)"))
                default:
                    continue
                }
            }
        }
        let content: MessageContent
        do { content = try template.render(values) } catch {
            report.findings.append(Finding(
                severity: .error, code: .renderFailed, template: name, path: error.path, line: error.line, column: error.column,
                message: "the sample rendering fails: \(error.reason)"))
            return
        }
        let strict: Severity? = switch category {
        case .marketing: .error
        case .survey: .warning
        case .service: nil
        }
        switch channel {
        case .sms:
            let path = template.parts.files[0].path
            let text = content.text ?? ""
            let count = SMSSegmenter.count(text)
            report.sms.append(SMSCount(
                template: name, locale: locale, path: path, encoding: count.encoding.rawValue, units: count.units,
                segments: count.segments, sample: text))
            if count.segments > 1 {
                let perPart = count.encoding == .ucs2 ? 67 : 153
                report.findings.append(Finding(
                    severity: .warning, code: .smsSegments, template: name, path: path,
                    message: "the sample is \(count.units) \(count.encoding == .ucs2 ? "UCS-2 characters" : "GSM-7 septets"): "
                        + "\(count.segments) segments of \(perPart), each message costs \(count.segments)"))
            }
            guard let strict else { return }
            let language = locale.prefix { $0 != "-" && $0 != "_" }.lowercased()
            if language != "en", !hasSignature(text) {
                let wanted = signature.map { "the signature \($0)" } ?? "a signature 【…】"
                report.findings.append(Finding(
                    severity: strict, code: .missingSignature, template: name, path: path,
                    message: "a \(category.rawValue) SMS must start or end with \(wanted)"))
            }
            let optOutText = optOutTexts[language] ?? optOutTexts["zh"] ?? "回T退订"
            if !text.contains(optOutText) {
                report.findings.append(Finding(
                    severity: strict, code: .missingOptOut, template: name, path: path,
                    message: "a \(category.rawValue) SMS must tell how to opt out: \(optOutText)"))
            }
        case .email:
            guard let strict else { return }
            let files = template.parts.files
            var bodies = [(files[1].path, content.text ?? "")]
            if files.count > 2 { bodies.append((files[2].path, content.html ?? "")) }
            for (path, body) in bodies where !Self.mentionsUnsubscribe(body) {
                report.findings.append(Finding(
                    severity: strict, code: .missingUnsubscribe, template: name, path: path,
                    message: "a \(category.rawValue) email must mention unsubscribing (退订 or unsubscribe): "
                        + "the gateway appends the link, the text says it is there"))
            }
        case .voice, .fax:
            return
        }
    }

    /// China's carriers want the signature at the very start or the very end.
    func hasSignature(_ text: String) -> Bool {
        if let signature { return text.hasPrefix(signature) || text.hasSuffix(signature) }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("【"), let close = trimmed.firstIndex(of: "】"), trimmed.distance(from: trimmed.startIndex, to: close) > 1 {
            return true
        }
        if trimmed.hasSuffix("】"), let open = trimmed.lastIndex(of: "【"), trimmed.distance(from: open, to: trimmed.endIndex) > 2 {
            return true
        }
        return false
    }

    static func mentionsUnsubscribe(_ body: String) -> Bool {
        body.contains("退订") || body.range(of: "unsubscribe", options: .caseInsensitive) != nil
    }

    /// `sms.zh-CN.mustache` → (sms, zh-CN); nil for a name no channel reads.
    static func channelAndLocale(of file: String) -> (channel: Channel, locale: String)? {
        guard file.hasSuffix(".mustache") else { return nil }
        let parts = file.dropLast(".mustache".count).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, let channel = Channel(rawValue: parts[0]), !parts[1].isEmpty else { return nil }
        let part = parts.count == 3 ? parts[2] : nil
        let allowed: [String?] = switch channel {
        case .sms, .fax: [nil]
        case .voice: [nil, "gather"]
        case .email: ["subject", "text", "html"]
        }
        return allowed.contains(part) ? (channel, parts[1]) : nil
    }

    /// A partial's finding is found once per file that includes it.
    private static func unique(_ findings: [Finding]) -> [Finding] {
        var seen = Set<Finding>()
        return findings.filter { seen.insert($0).inserted }
    }
}
