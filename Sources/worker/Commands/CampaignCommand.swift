import ArgumentParser
import Campaigns
import Channels
import CoreModel
import Foundation

/// `tidings campaign …`: marketing staff's campaigns, from their YAML files
/// to the outbox and back to their progress.
struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "Create, preview, launch, pause, resume and cancel campaigns (campaigns/*.yaml).",
        discussion: """
            A campaign file names its audience (a segment expression or a saved segment),
            channels in fallback order, template, schedule, send window, throttle, A/B
            variants with a control group, expiry and branch pacing; see campaigns/ and
            the README. Lifecycle: draft → scheduled → running → paused → completed |
            cancelled. Launching again is safe: the split is a hash of member and
            campaign, and nothing is queued twice.

            Examples:
              tidings campaign create campaigns/*.yaml
              tidings campaign preview new-dishes
              tidings campaign launch new-dishes --yes
              tidings campaign pause new-dishes
              tidings campaign show new-dishes
            """,
        subcommands: [Create.self, List.self, Show.self, Preview.self, Launch.self, Pause.self, Resume.self, Cancel.self])

    static let actor = ProcessInfo.processInfo.environment["USER"].map { "cli:\($0)" } ?? "cli"

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check campaign files and store them as drafts (a draft's file may be created again after edits).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign files (YAML).") var files: [String]

        func run() async throws {
            let config = try global.loadConfig(showWarnings: true)
            let environment = config.campaignEnvironment()
            // Every file is checked before any is stored: nothing is half applied.
            var loaded: [CampaignFile.Loaded] = []
            var refused: [String] = []
            for file in files {
                do { loaded.append(try CampaignFile.load(file, environment: environment)) } catch { refused.append("\(error)") }
            }
            guard refused.isEmpty else { throw CommandFailure(refused.joined(separator: "\n")) }
            let store = try global.openStore(config)
            for item in loaded {
                let record = try await CampaignCommand.save(item, config: config, store: store)
                print("\(record.name): \(record.status.rawValue) (from \(item.file))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every campaign with its status and messages.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            var table = TextTable(["campaign", "status", "category", "queued", "sent", "delivered", "failed", "suppressed"], rightAligned: [3, 4, 5, 6, 7])
            for record in try await store.campaigns() {
                let tally = CampaignTally(try await store.campaignProgress(id: record.id))
                table.add([
                    record.name, record.status.rawValue, record.category.rawValue, "\(tally.queued)", "\(tally.sent)",
                    "\(tally.delivered)", "\(tally.failed)", "\(tally.suppressed)",
                ])
            }
            print(table.rows.isEmpty ? "no campaigns yet: tidings campaign create campaigns/*.yaml" : table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A campaign's definition, runs, progress by variant and events.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign name.") var name: String

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            let record = try await CampaignCommand.record(name, config: config, store: store)
            let definition = try CampaignDefinition.decodeStored(record.definition)
            print("\(record.name)\(definition.title.map { " — \($0)" } ?? ""): \(record.status.rawValue), \(record.category.rawValue)")
            print("  audience: \(definition.audience)")
            print("  channels: \(definition.channels.map(\.rawValue).joined(separator: " → ")); control \(definition.control)%")
            for variant in definition.effectiveVariants {
                print("  variant \(variant.name): weight \(variant.weight), template \(definition.template(of: variant) ?? "-")")
            }
            if let file = record.file { print("  file: \(file)") }
            let progress = try await store.campaignProgress(id: record.id)
            for run in progress.runs {
                let r = run.result
                print(
                    "  run \(run.run) from \(CampaignCommand.format(run.startsAt, config)): \(r.audience) in the audience, \(r.control) control, "
                        + "\(r.unreachable) unreachable\(run.fannedOutAt == nil ? " (fan-out not finished)" : "")")
            }
            print(CampaignCommand.progressTable(progress))
            print("events:")
            for event in try await store.campaignEvents(id: record.id) {
                print("  \(CampaignCommand.format(event.at, config))  \(event.event)  \(event.actor)\(event.detail.map { "  \($0)" } ?? "")")
            }
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audience, split, a sample and what sample members would receive, with segments and cost; sends nothing.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign name, or a campaign file.") var campaign: String
        @Option(help: "How many sample members.") var sample = 3
        @Flag(help: "Show full phone numbers and addresses.") var reveal = false

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            let definition = try await CampaignCommand.definition(campaign, config: config, store: store)
            try await CampaignSummary(config: config, store: store, definition: definition, reveal: reveal).print(sample: sample)
        }
    }

    struct Launch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the audience, sample, lint and cost, ask, then launch (fan out now, or schedule).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign name, or a campaign file (created or updated first).") var campaign: String
        @Flag(help: "Do not ask for confirmation.") var yes = false
        @Flag(help: "Show full phone numbers in the sample.") var reveal = false

        func run() async throws {
            let config = try global.loadConfig(showWarnings: true)
            let store = try global.openStore(config)
            var record: CampaignRecord
            if CampaignCommand.isFile(campaign) {
                record = try await CampaignCommand.save(
                    try CampaignFile.load(campaign, environment: config.campaignEnvironment()), config: config, store: store)
            } else {
                record = try await CampaignCommand.record(campaign, config: config, store: store)
            }
            let definition = try CampaignDefinition.decodeStored(record.definition)
            let summary = CampaignSummary(config: config, store: store, definition: definition, reveal: reveal)
            let lintErrors = try await summary.print(sample: 1)
            guard lintErrors == 0 else { throw CommandFailure("\(record.name): the templates have \(lintErrors) error(s); fix them first") }
            if !yes {
                guard isatty(STDIN_FILENO) != 0 else { throw CommandFailure("not a terminal: confirm with --yes") }
                Swift.print("Launch \(record.name)? [y/N] ", terminator: "")
                guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                    Swift.print("not launched")
                    return
                }
            }
            let control = CampaignControl(config: config, store: store)
            let bar = ProgressBar(label: "fan-out")
            let started = Date()
            let launch: CampaignLauncher.Launch
            do {
                launch = try await control.launch(record, actor: CampaignCommand.actor) { bar.update(done: $0.scanned, total: $0.total) }
            } catch let failure as CampaignControl.Failure {
                bar.finish()
                throw CommandFailure(failure.message)
            }
            bar.finish()
            record = try await CampaignCommand.record(record.name, config: config, store: store)
            if let result = launch.fanOut {
                let seconds = Date().timeIntervalSince(started)
                Swift.print(
                    "\(record.name): \(record.status.rawValue); \(result.audience) in the audience, \(result.queued) queued now, "
                        + "\(result.control) in the control group, \(result.unreachable) unreachable (\(String(format: "%.1f", seconds)) s)")
                Swift.print("  by variant: " + result.byVariant.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            } else {
                Swift.print("\(record.name): \(record.status.rawValue)\(launch.startsAt.map { ", starts \(CampaignCommand.format($0, config))" } ?? "")")
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop sending (a running worker stops within a second); resume later.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign name.") var name: String
        func run() async throws { try await CampaignCommand.change(name, .pause, global: global) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send a paused campaign's messages again, later by the time it was paused.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign name.") var name: String
        func run() async throws { try await CampaignCommand.change(name, .resume, global: global) }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel the campaign's unsent messages; this cannot be undone.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign name.") var name: String
        func run() async throws { try await CampaignCommand.change(name, .cancel, global: global) }
    }

    // MARK: shared

    static func isFile(_ argument: String) -> Bool {
        argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") || argument.contains("/")
    }

    static func save(_ loaded: CampaignFile.Loaded, config: TidingsConfig, store: SQLiteStore) async throws -> CampaignRecord {
        do {
            return try await CampaignControl(config: config, store: store).save(loaded.definition, file: loaded.file, actor: actor)
        } catch let failure as CampaignControl.Failure {
            throw CommandFailure("\(loaded.file): \(failure.message)")
        }
    }

    static func record(_ name: String, config: TidingsConfig, store: SQLiteStore) async throws -> CampaignRecord {
        do { return try await CampaignControl(config: config, store: store).record(name) } catch let failure as CampaignControl.Failure {
            throw CommandFailure("\(failure.message); see tidings campaign list")
        }
    }

    static func definition(_ argument: String, config: TidingsConfig, store: SQLiteStore) async throws -> CampaignDefinition {
        if isFile(argument) { return try CampaignFile.load(argument, environment: config.campaignEnvironment()).definition }
        return try CampaignDefinition.decodeStored(try await record(argument, config: config, store: store).definition)
    }

    static func change(_ name: String, _ command: CampaignAction, global: GlobalOptions) async throws {
        let config = try global.loadConfig()
        let store = try global.openStore(config)
        let record = try await record(name, config: config, store: store)
        let started = Date()
        let outcome: CampaignLifecycle.Outcome
        do { outcome = try await CampaignControl(config: config, store: store).change(record, command, actor: actor) } catch
            let failure as CampaignControl.Failure
        {
            throw CommandFailure(failure.message)
        }
        switch outcome {
        case .moved(let status):
            print("\(name): \(status.rawValue) (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
        case .unchanged: print("\(name): already \(record.status.rawValue)")
        case .refused(let reason): throw CommandFailure("\(name): \(reason)")
        }
    }

    static func progressTable(_ progress: CampaignProgress) -> String {
        let columns: [MessageStatus] = [.queued, .deferred, .sending, .submitted, .delivered, .failed, .expired, .suppressed, .cancelled]
        var table = TextTable(["variant"] + columns.map(\.rawValue), rightAligned: Set(1...columns.count))
        for variant in progress.counts.keys.sorted() {
            let counts = progress.counts[variant] ?? [:]
            table.add([variant] + columns.map { status in
                let value = status == .queued ? (counts[.queued] ?? 0) + (counts[.retrying] ?? 0) + (counts[.unknown] ?? 0) : (counts[status] ?? 0)
                return "\(value)"
            })
        }
        return table.rows.isEmpty ? "  no messages yet" : table.render()
    }

    static func format(_ date: Date, _ config: TidingsConfig) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: config.defaults.timezone) ?? .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
