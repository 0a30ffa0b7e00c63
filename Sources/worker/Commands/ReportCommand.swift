import ArgumentParser
import CoreModel
import Foundation
import Scheduler

/// `tidings report …`: figures read from the rolled-up counts (folded up to
/// date first), as a terminal table or CSV.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports from the rolled-up counts: a campaign's results, gateways, volumes, branches, contacts to fix, churn, managers.",
        discussion: """
            The counts are kept as messages change state (tidings run folds them every
            two seconds; a report folds whatever is new first), so a report reads a few
            hundred rows whatever the number of messages.
            Examples:
              tidings report campaign new-dishes
              tidings report campaign new-dishes --csv > new-dishes.csv
              tidings report campaign new-dishes --days 14 --html new-dishes.html
              tidings report gateways --days 7
              tidings report volumes --days 30
              tidings report branches --days 7
              tidings report branches --branch B001 --csv > b001.csv
              tidings report contacts --days 30 --limit 500 --csv > to-fix.csv
              tidings report churn --month 2026-11
              tidings report managers
            """,
        subcommands: [Campaign.self, Gateways.self, Volumes.self, Branches.self, Contacts.self, Churn.self, Managers.self])

    /// The store with its counts folded up to date, and the builder reading them.
    static func open(_ global: GlobalOptions) async throws -> (store: SQLiteStore, config: TidingsConfig, builder: ReportBuilder) {
        let config = try global.loadConfig()
        let store = try global.openStore(config)
        try await RollupService(store: store).catchUp()
        return (store, config, ReportBuilder(store: store, config: config))
    }

    /// `--month` as given, else this month in `zone`.
    static func month(_ text: String?, zone: TimeZone) throws -> ReportMonth {
        guard let month = ReportMonth.chosen(text, in: zone) else {
            throw ValidationError("--month must be a month as YYYY-MM (like 2026-11), not '\(text ?? "")'")
        }
        return month
    }

    static func checkDays(_ days: Int) throws {
        let range = ReportBuilder.days
        guard range.contains(days) else { throw ValidationError("--days must be \(range.lowerBound)-\(range.upperBound)") }
    }

    /// The report as a table (`empty` for a table without rows), as CSV, or
    /// written to `html` as one self-contained file.
    static func output(_ document: ReportDocument, _ format: Format, builder: ReportBuilder, empty: String) throws {
        if let path = format.html {
            let generated = builder.hourFormatter("yyyy-MM-dd HH:mm zzz").string(from: Date())
            do {
                try Data(ReportHTML.render(document, generated: generated).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
            }
            return print("wrote \(path)")
        }
        if format.csv { return print(try ReportText.csv(document), terminator: "") }
        print(ReportText.render(document, empty: empty))
    }

    /// `--csv` or `--html FILE` (neither: a table).
    struct Format: ParsableArguments {
        @Flag(help: "Print CSV (the main table) instead of a table.") var csv = false
        @Option(help: ArgumentHelp("Write the report as one self-contained HTML file with its charts.", valueName: "file"))
        var html: String?

        func validate() throws {
            if csv && html != nil { throw ValidationError("--csv and --html are one or the other") }
        }
    }

    struct Gateways: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per gateway: accepted, failures by kind, receipts, time-outs, and receipt times (median, p95).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Days back, today included (defaults.timezone).") var days = 1
        @OptionGroup var format: Format

        func validate() throws { try ReportCommand.checkDays(days) }

        func run() async throws {
            let (_, _, builder) = try await ReportCommand.open(global)
            try ReportCommand.output(
                try await builder.gateways(days: days), format, builder: builder, empty: "no gateway traffic in the last \(days) day(s)")
        }
    }

    struct Volumes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Messages accepted per day (defaults.timezone) with the busiest hour, by channel.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Days back, today included.") var days = 7
        @OptionGroup var format: Format

        func validate() throws { try ReportCommand.checkDays(days) }

        func run() async throws {
            let (_, _, builder) = try await ReportCommand.open(global)
            try ReportCommand.output(
                try await builder.volumes(days: days), format, builder: builder, empty: "nothing sent in the last \(days) day(s)")
        }
    }

    struct Branches: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per branch and day: orders by source and busiest hour, late and undelivered deliveries, apologies, survey answers and mean score, complaints and hours to resolve; complaints by department.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this branch (its code).") var branch: String?
        @Option(help: "Days back, today included (defaults.timezone).") var days = 7
        @OptionGroup var format: Format

        func validate() throws { try ReportCommand.checkDays(days) }

        func run() async throws {
            let (_, _, builder) = try await ReportCommand.open(global)
            let scope = branch.map { "branch \($0)" } ?? "any branch"
            try ReportCommand.output(
                try await builder.branches(days: days, branch: branch), format, builder: builder, empty: "nothing for \(scope) in the last \(days) day(s)")
        }
    }

    struct Contacts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Members' phones, emails and faxes that are invalid or bounced (flagged in the last --days), by reason, and the list.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Days back, today included (defaults.timezone).") var days = 30
        @Option(help: "How many contacts to list (all are counted).") var limit = 200
        @Flag(help: "Show full phone numbers and emails.") var reveal = false
        @OptionGroup var format: Format

        func validate() throws {
            try ReportCommand.checkDays(days)
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let (_, _, builder) = try await ReportCommand.open(global)
            try ReportCommand.output(
                try await builder.contacts(days: days, limit: limit, reveal: reveal), format, builder: builder,
                empty: "no contact to fix in the last \(days) day(s)")
        }
    }

    /// `--month YYYY-MM`, this month in the group's zone when left out.
    struct MonthOption: ParsableArguments {
        @Option(help: "The month, YYYY-MM (defaults to this month in defaults.timezone).") var month: String?

        func validate() throws { _ = try ReportCommand.month(month, zone: .current) }
    }

    struct Churn: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Members whose RFM segment moved into at_risk or lost during a month, by owning manager.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var month: MonthOption
        @OptionGroup var format: Format

        func run() async throws {
            let (_, _, builder) = try await ReportCommand.open(global)
            let chosen = try ReportCommand.month(month.month, zone: builder.zone)
            try ReportCommand.output(
                try await builder.churn(month: chosen), format, builder: builder, empty: "no member moved to at_risk or lost in \(chosen)")
        }
    }

    struct Managers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per manager: members owned, assigned and handed away, tasks open and closed (median hours), briefs and personal calls in a month.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var month: MonthOption
        @OptionGroup var format: Format

        func run() async throws {
            let (_, _, builder) = try await ReportCommand.open(global)
            let chosen = try ReportCommand.month(month.month, zone: builder.zone)
            try ReportCommand.output(try await builder.managers(month: chosen), format, builder: builder, empty: "no managers")
        }
    }

    struct Campaign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per variant: pending, sent, delivered, failed, suppressed, expired, unconfirmed, cancelled, delivery rate, receipt times, segments, cost, replies, opt-outs, survey answers and mean score; failures by reason; orders within --days and the lift over control.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign name.") var name: String
        @Option(help: "Count orders within this many days of the campaign choosing each member (1-\(CampaignOrders.maxDays)).")
        var days = 7
        @OptionGroup var format: Format

        func validate() throws {
            guard (1...CampaignOrders.maxDays).contains(days) else { throw ValidationError("--days must be 1-\(CampaignOrders.maxDays)") }
        }

        func run() async throws {
            let (store, config, builder) = try await ReportCommand.open(global)
            let record = try await CampaignCommand.record(name, config: config, store: store)
            try ReportCommand.output(try await builder.campaign(record, days: days), format, builder: builder, empty: "no messages yet")
        }
    }
}
