import ArgumentParser
import Campaigns
import Channels
import CoreModel
import Foundation

/// `tidings template lint|preview`: check templates, and see what one member would receive.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Lint message templates, or preview one for a member.",
        subcommands: [Lint.self, Preview.self])

    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check templates: variables, locales, SMS segments, signature, opt-out and unsubscribe text.",
            discussion: """
                Each template, channel and locale under the config's templates directory is loaded
                and rendered with sample values. Errors: a file that does not load, a variable no
                message gives (member keys, the automations' keys, --values), a marketing SMS without
                the brand signature or 回T退订, a marketing email that does not mention unsubscribing.
                Warnings: a locale one channel has and another lacks, an SMS over one segment, files
                no channel reads; survey templates get warnings where marketing ones get errors.
                Categories and values come from the campaign files (--campaigns, default campaigns/):
                a template a campaign sends is linted under that campaign's category (the strictest
                if several), and every campaign's values: keys are known. Otherwise promotion and
                win-back are marketing, revisit-survey survey, the rest service. --category overrides
                them all. Exits 1 when there is an error.
                Examples:
                  tidings template lint
                  tidings template lint promotion --category marketing --values dish,discount
                  tidings template lint --json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Templates to lint (default: all).") var names: [String] = []
        @Option(help: "Lint as marketing, survey or service (default: per template).") var category: ConsentCategory?
        @Option(help: ArgumentHelp("Keys a campaign's values: give, comma-separated.", valueName: "k1,k2")) var values: String?
        @Option(help: ArgumentHelp("Campaign files' folder, read for categories and values: keys.", valueName: "dir"))
        var campaigns = "campaigns"
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            var extra = Set((values ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            var categories = TemplateLint.defaultCategories
            for definition in campaignDefinitions(config) {
                extra.formUnion(definition.values.keys)
                let used = Set(definition.variants.compactMap(definition.template(of:)) + [definition.template].compactMap { $0 })
                for name in used {
                    categories[name] = categories[name].map { TemplateLint.stricter($0, definition.category) } ?? definition.category
                }
            }
            let lint = TemplateLint(
                library: TemplateLibrary(directory: URL(fileURLWithPath: config.templates)), extraKeys: extra,
                signature: config.brand.signature.isEmpty ? nil : config.brand.signature)
            let report = lint.lint(names.isEmpty ? nil : names, category: category, categories: categories)
            if json {
                try JSONOutput.print(report)
            } else {
                for finding in report.findings { print(finding.description) }
                if !report.sms.isEmpty {
                    var table = TextTable(["sms", "encoding", "units", "segments"], rightAligned: [2, 3])
                    for sms in report.sms { table.add([sms.path, sms.encoding, String(sms.units), String(sms.segments)]) }
                    print(table.render())
                }
                print("\(report.templates.count) templates: \(report.errors) errors, \(report.warnings) warnings")
            }
            if report.hasErrors { throw ExitCode.failure }
        }

        /// The campaign files that load; one that does not is said on stderr and skipped (`campaign create` reports it in full).
        private func campaignDefinitions(_ config: TidingsConfig) -> [CampaignDefinition] {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: campaigns) else { return [] }
            let environment = config.campaignEnvironment()
            return files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().compactMap { file in
                let path = (campaigns as NSString).appendingPathComponent(file)
                do { return try CampaignFile.load(path, environment: environment).definition } catch {
                    let first = String(describing: error).split(separator: "\n").first.map(String.init) ?? ""
                    printError("note: \(path) does not load (\(first)); its templates are linted without it")
                    return nil
                }
            }
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a template exactly as one member would receive it; sends and writes nothing.",
            discussion: """
                The values are the member's (member_no, member_name, level, level_name, points,
                branch_name, locale, time_zone, today) over the --value ones, as a campaign's would be.
                Shows each part, the SMS encoding and segments and the cost estimated with the price
                of the channel's first gateway (gateways[].price, yuan per segment or message).
                Phone numbers and emails are masked unless --reveal is given.
                Examples:
                  tidings template preview promotion --member M00000001 --value expires_on=2026-12-31
                  tidings template preview win-back --member M00000001 --channel email --json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The template, a folder under templates/.") var name: String
        @Option(help: "The member number, e.g. M00000001.") var member: String
        @Option(help: "sms, voice, fax or email (default: every channel the template has in the locale).") var channel: Channel?
        @Option(help: "Render in this locale instead of the member's.") var locale: String?
        @Option(name: .customLong("value"), help: ArgumentHelp("A campaign value, key=value (repeatable).", valueName: "key=value"))
        var campaignValues: [String] = []
        @Flag(help: "Show full phone numbers and emails.") var reveal = false
        @Flag(help: "Print as JSON.") var json = false

        func validate() throws {
            for value in campaignValues where !value.contains("=") || value.hasPrefix("=") {
                throw ValidationError("--value '\(value)' is not key=value")
            }
        }

        struct Output: Encodable {
            var template: String
            var member: String
            var channel: Channel
            var locale: String
            var to: String?
            var toStatus: String
            var content: MessageContent
            var encoding: String?
            var units: Int?
            var segments: Int
            var gateway: String?
            var price: Double?
            var cost: Double?
        }

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            guard let profile = try await store.memberProfile(memberNo: member, timelineLimit: 1) else {
                throw CommandFailure("no member \(member)")
            }
            var given: [String: String] = [:]
            for value in campaignValues {
                let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                given[String(parts[0])] = String(parts[1])
            }
            let values = RecipientValues.values(member: profile.member, branchName: profile.branchName, campaignValues: given, now: Date())
            let locale = self.locale ?? profile.member.locale
            let library = TemplateLibrary(directory: URL(fileURLWithPath: config.templates))
            let channels = try channel.map { [$0] } ?? available(library, locale: locale)
            var outputs: [Output] = []
            for channel in channels {
                let content: MessageContent
                do { content = try library.render(name: name, channel: channel, locale: locale, values: values) } catch {
                    throw CommandFailure(error.code == .missingValue ? "\(error) (give it with --value)" : error.description)
                }
                outputs.append(output(channel: channel, locale: locale, content: content, profile: profile, config: config))
            }
            if json { return try JSONOutput.print(outputs) }
            print(outputs.map(render).joined(separator: "\n\n"))
        }

        /// The channels with a file for `locale`, in the order Channel lists them.
        private func available(_ library: TemplateLibrary, locale: String) throws -> [Channel] {
            let folder = library.directory.appendingPathComponent(name, isDirectory: true)
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
                throw CommandFailure("no template \(name) (\(folder.relativePath))")
            }
            let channels = Channel.allCases.filter { channel in files.contains { $0.hasPrefix("\(channel.rawValue).\(locale).") } }
            guard !channels.isEmpty else { throw CommandFailure("template \(name) has no \(locale) file (\(folder.relativePath))") }
            return channels
        }

        private func output(channel: Channel, locale: String, content: MessageContent, profile: MemberProfile, config: TidingsConfig) -> Output {
            let contact: ContactField = switch channel {
            case .sms, .voice: profile.member.phone
            case .email: profile.member.email
            case .fax: profile.member.fax
            }
            let to = contact.value.map { reveal ? $0 : (channel == .email ? Redaction.email($0) : Redaction.phone($0)) }
            var count: SMSSegmenter.Count?
            if channel == .sms { count = SMSSegmenter.count(content.text ?? "") }
            let segments = count?.segments ?? 1
            let gateway = config.firstGateway(for: channel)
            return Output(
                template: name, member: profile.member.memberNo, channel: channel, locale: locale, to: to,
                toStatus: contact.status.rawValue, content: content, encoding: count?.encoding.rawValue, units: count?.units,
                segments: segments, gateway: gateway?.name, price: gateway?.price,
                cost: gateway?.price.map { $0 * Double(segments) })
        }

        private func render(_ o: Output) -> String {
            var lines = ["\(o.template) · \(o.channel.rawValue) · \(o.locale) → \(o.member) \(o.to ?? "(no address)")"
                + (o.toStatus == "valid" ? "" : " [\(o.toStatus): would not be sent]")]
            let c = o.content
            if let subject = c.subject { lines.append("subject: \(subject)") }
            if let voice = c.voice {
                lines.append("say: \(voice.say ?? voice.playURL ?? "")")
                if let digits = voice.gatherDigits { lines.append("gather \(digits): \(voice.gatherPrompt ?? "")") }
            } else if let fax = c.fax {
                lines.append("title: \(fax.title)")
                lines.append(contentsOf: fax.lines.map { "  \($0)" })
            } else if let text = c.text {
                lines.append(o.channel == .email ? "text:\n\(indented(text))" : text)
            }
            if let html = c.html { lines.append("html:\n\(indented(html))") }
            var summary: [String] = []
            if let encoding = o.encoding, let units = o.units {
                summary.append("\(encoding == "ucs2" ? "UCS-2" : "GSM-7"), \(units) \(encoding == "ucs2" ? "characters" : "septets"), \(o.segments) segment\(o.segments == 1 ? "" : "s")")
            }
            if let cost = o.cost, let gateway = o.gateway {
                summary.append("estimated cost ¥\(String(format: "%.4f", cost)) via \(gateway)")
            } else {
                summary.append(o.gateway.map { "cost unknown: gateway \($0) has no price" } ?? "cost unknown: no gateway carries \(o.channel.rawValue)")
            }
            lines.append("-- " + summary.joined(separator: "; "))
            return lines.joined(separator: "\n")
        }

        private func indented(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        }
    }
}
