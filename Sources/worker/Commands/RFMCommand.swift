import ArgumentParser
import CoreModel
import Foundation

/// `tidings rfm`: scores every member who ordered in the window and names
/// their segment, for audiences such as `rfm_segment IN (champions, loyal)`.
struct RFMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rfm",
        abstract: "Recompute recency/frequency/monetary scores and segments (champions … lost).",
        discussion: """
            Each member with an order in the window gets R, F and M from 1 to 5 by quintile
            (5: most recent, most orders, most spent) and a segment from R and F:
            champions, loyal, potential, new, at_risk, hibernating, lost. Members without
            an order in the window have none. Use them in segments: rfm_segment, rfm_r,
            rfm_f, rfm_m.
            Examples:
              tidings rfm
              tidings rfm --window 180d --json
              tidings segment count "rfm_segment IN (at_risk, hibernating) AND consent(sms, marketing)"
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "How far back orders count (d, w, m = 30 days, y = 365 days).") var window = "365d"
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        guard let days = SegmentParser.days(window), days > 0 else {
            throw CommandFailure("--window '\(window)' is not a window such as 365d, 26w, 6m or 1y")
        }
        let config = try global.loadConfig()
        let store = try global.openStore(config)
        let summary = try await store.recomputeRFM(windowDays: days, now: Date())
        if json { return try JSONOutput.print(summary) }
        var table = TextTable(["segment", "members"], rightAligned: [1])
        for segment in RFMSegment.allCases { table.add([segment.rawValue, "\(summary.bySegment[segment.rawValue] ?? 0)"]) }
        print(table.render())
        print(String(
            format: "%d members scored over %d days in %.2f s (%d write transactions, the longest %.0f ms)", summary.members, days,
            summary.seconds, summary.writeTransactions, summary.longestWriteSeconds * 1000))
    }
}
