import ArgumentParser
import CoreModel
import Foundation
import Scheduler

/// `tidings report …`: figures read from the rolled-up counts (folded up to
/// date first), as a terminal table or CSV.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports from the rolled-up counts: a campaign's results by variant.",
        discussion: """
            The counts are kept as messages change state (tidings run folds them every
            two seconds; a report folds whatever is new first), so a report reads a few
            hundred rows whatever the number of messages.
            Examples:
              tidings report campaign new-dishes
              tidings report campaign new-dishes --csv > new-dishes.csv
              tidings report gateways --days 7
              tidings report volumes --days 30
            """,
        subcommands: [Campaign.self, Gateways.self, Volumes.self])

    /// The last `days` days in the group's zone, today included.
    static func window(days: Int, zone: TimeZone) -> (from: Date, to: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: Date())
        let from = calendar.date(byAdding: .day, value: -(days - 1), to: today) ?? today
        return (from, calendar.date(byAdding: .day, value: 1, to: today) ?? Date())
    }

    /// The store with its counts folded up to date, and the last `days` days in the group's zone.
    static func open(_ global: GlobalOptions, days: Int) async throws -> (store: SQLiteStore, zone: TimeZone, from: Date, to: Date) {
        let config = try global.loadConfig()
        let store = try global.openStore(config)
        try await RollupService(store: store).catchUp()
        let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
        let (from, to) = window(days: days, zone: zone)
        return (store, zone, from, to)
    }

    static func checkDays(_ days: Int) throws {
        guard (1...366).contains(days) else { throw ValidationError("--days must be 1-366") }
    }

    static func output(_ header: [String], _ rows: [[String]], csv: Bool, empty: String) throws {
        if csv { return print(try CSVText.render(header, rows), terminator: "") }
        var table = TextTable(header, rightAligned: Set(1..<header.count))
        for row in rows { table.add(row) }
        print(rows.isEmpty ? empty : table.render())
    }

    struct Gateways: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per gateway: accepted, failures by kind, receipts, time-outs, and receipt times (median, p95).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Days back, today included (defaults.timezone).") var days = 1
        @Flag(help: "Print CSV.") var csv = false

        func validate() throws { try ReportCommand.checkDays(days) }

        func run() async throws {
            let (store, _, from, to) = try await ReportCommand.open(global, days: days)
            var events: [String: [String: Int]] = [:]
            for count in try await store.eventCounts(from: from, to: to) where !count.gateway.isEmpty {
                events[count.gateway, default: [:]][count.event, default: 0] += count.events
            }
            var latency: [String: [Int: Int]] = [:]
            for count in try await store.receiptLatency(from: from, to: to) where !count.gateway.isEmpty {
                latency[count.gateway, default: [:]][count.bucket, default: 0] += count.receipts
            }
            let kinds = ["accepted", "transient_failure", "unanswered", "permanent_failure", "receipt", "receipt_timeout", "lease_expired"]
            let rows = Set(events.keys).union(latency.keys).sorted().map { gateway in
                [gateway] + kinds.map { String(events[gateway]?[$0] ?? 0) }
                    + [0.5, 0.95].map { VariantFigures.seconds(at: $0, of: latency[gateway] ?? [:]).map { "≤\($0)" } ?? "-" }
            }
            try ReportCommand.output(
                ["gateway", "accepted", "transient", "unanswered", "refused", "receipts", "receipt time-outs", "lease lost", "receipt median s",
                 "receipt p95 s"], rows, csv: csv, empty: "no gateway traffic in the last \(days) day(s)")
        }
    }

    struct Volumes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Messages accepted per day (defaults.timezone) with the busiest hour, by channel.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Days back, today included.") var days = 7
        @Flag(help: "Print CSV.") var csv = false

        func validate() throws { try ReportCommand.checkDays(days) }

        func run() async throws {
            let (store, zone, from, to) = try await ReportCommand.open(global, days: days)
            var byHour: [Date: [Channel: Int]] = [:]
            for count in try await store.eventCounts(from: from, to: to) where count.event == MessageEvent.acceptedName {
                byHour[count.hour, default: [:]][count.channel, default: 0] += count.events
            }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = zone
            formatter.dateFormat = "yyyy-MM-dd HH"
            var perDay: [String: (channels: [Channel: Int], peak: (hour: String, sent: Int))] = [:]
            for (hour, channels) in byHour {
                let text = formatter.string(from: hour)
                let day = String(text.prefix(10))
                let sent = channels.values.reduce(0, +)
                var entry = perDay[day] ?? ([:], ("-", 0))
                entry.channels.merge(channels, uniquingKeysWith: +)
                if sent > entry.peak.sent { entry.peak = (String(text.suffix(2)) + ":00", sent) }
                perDay[day] = entry
            }
            let rows = perDay.keys.sorted().map { day -> [String] in
                let entry = perDay[day] ?? ([:], ("-", 0))
                return [day, String(entry.channels.values.reduce(0, +))] + Channel.allCases.map { String(entry.channels[$0] ?? 0) }
                    + [entry.peak.hour, String(entry.peak.sent)]
            }
            try ReportCommand.output(
                ["day", "sent"] + Channel.allCases.map(\.rawValue) + ["busiest hour", "sent then"], rows, csv: csv,
                empty: "nothing sent in the last \(days) day(s)")
        }
    }

    struct Campaign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per variant: pending, sent, delivered, failed, suppressed, expired, unconfirmed, cancelled, delivery rate, receipt times, segments, cost, replies, opt-outs, survey answers and mean score; failures by reason.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign name.") var name: String
        @Flag(help: "Print CSV (one row per variant) instead of a table.") var csv = false

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let record = try await CampaignCommand.record(name, config: config, store: store)
            try await RollupService(store: store).catchUp()
            let figures = try await store.campaignFigures(campaignId: record.id)
            let prices = Dictionary(config.gateways.map { ($0.name, $0.price) }, uniquingKeysWith: { first, _ in first })
            let report = CampaignReport(figures, price: { prices[$0] ?? nil })
            if csv { return print(try CSVText.render(report.header, report.rows), terminator: "") }
            print("\(record.name): \(record.status.rawValue)")
            var table = TextTable(report.header, rightAligned: Set(1..<report.header.count))
            for row in report.rows { table.add(row) }
            print(figures.isEmpty ? "no messages yet" : table.render())
            for line in report.reasonLines { print(line) }
        }
    }
}

/// A campaign's figures as the report prints them.
struct CampaignReport {
    let figures: [String: VariantFigures]
    /// Yuan per SMS segment (per message on other channels) by gateway name, from tidings.yaml.
    let price: (String) -> Double?

    init(_ figures: [String: VariantFigures], price: @escaping (String) -> Double?) {
        self.figures = figures
        self.price = price
    }

    let header = [
        "variant", "messages", "pending", "sent", "delivered", "failed", "suppressed", "expired", "unconfirmed", "cancelled",
        "delivery rate", "receipt median s", "receipt p95 s", "segments", "cost yuan", "replies", "opt-outs", "survey answers",
        "response rate", "mean score",
    ]

    var rows: [[String]] {
        figures.keys.sorted().map { variant in
            let f = figures[variant] ?? VariantFigures()
            func n(_ status: ReportStatus) -> String { String(f.byStatus[status] ?? 0) }
            return [
                variant, String(f.total), n(.pending), String(f.sent), n(.delivered), n(.failed), n(.suppressed), n(.expired),
                String(f.unconfirmed), n(.cancelled), f.deliveryRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-",
                f.receiptSeconds(at: 0.5).map { "≤\($0)" } ?? "-", f.receiptSeconds(at: 0.95).map { "≤\($0)" } ?? "-",
                String(f.segments), String(format: "%.2f", Double(f.cost(price: price)) / 1_000_000), String(f.replies), String(f.optOuts),
                String(f.surveyAnswers), f.responseRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-",
                f.meanScore.map { String(format: "%.2f", $0) } ?? "-",
            ]
        }
    }

    /// `A failed: gateway rejected 12, no route 3` for each variant and status with reasons.
    var reasonLines: [String] {
        figures.keys.sorted().flatMap { variant in
            let f = figures[variant] ?? VariantFigures()
            return [ReportStatus.failed, .suppressed, .expired].compactMap { status -> String? in
                guard let reasons = f.reasons[status]?.filter({ $0.value != 0 }), !reasons.isEmpty else { return nil }
                let listed = reasons.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
                return "\(variant) \(status.rawValue): \(listed.joined(separator: ", "))"
            }
        }
    }
}
