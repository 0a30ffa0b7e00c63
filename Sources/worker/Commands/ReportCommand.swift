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
            """,
        subcommands: [Campaign.self])

    struct Campaign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per variant: pending, sent, delivered, failed, suppressed, expired, unconfirmed, cancelled, delivery rate, receipt times, segments and cost; failures by reason.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Campaign name.") var name: String
        @Flag(help: "Print CSV (one row per variant) instead of a table.") var csv = false

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let record = try await CampaignCommand.record(name, store: store)
            try await RollupService(store: store).catchUp()
            let figures = try await store.campaignFigures(campaignId: record.id)
            let report = CampaignReport(figures)
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

    init(_ figures: [String: VariantFigures]) { self.figures = figures }

    let header = [
        "variant", "messages", "pending", "sent", "delivered", "failed", "suppressed", "expired", "unconfirmed", "cancelled",
        "delivery rate", "receipt median s", "receipt p95 s", "segments", "cost yuan",
    ]

    var rows: [[String]] {
        figures.keys.sorted().map { variant in
            let f = figures[variant] ?? VariantFigures()
            func n(_ status: ReportStatus) -> String { String(f.byStatus[status] ?? 0) }
            return [
                variant, String(f.total), n(.pending), String(f.sent), n(.delivered), n(.failed), n(.suppressed), n(.expired),
                String(f.unconfirmed), n(.cancelled), f.deliveryRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-",
                f.receiptSeconds(at: 0.5).map { "≤\($0)" } ?? "-", f.receiptSeconds(at: 0.95).map { "≤\($0)" } ?? "-",
                String(f.segments), String(format: "%.2f", Double(f.costMicros) / 1_000_000),
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
