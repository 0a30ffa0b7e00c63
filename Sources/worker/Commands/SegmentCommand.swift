import ArgumentParser
import CoreModel
import Foundation

/// `tidings segment count|sample EXPR`: who an audience expression reaches.
struct SegmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Count or sample the members an audience expression matches.",
        discussion: """
            Fields: \(SegmentField.names.joined(separator: ", ")).
            Operators: = != < <= > >=, IN (…), NOT IN (…), BETWEEN … AND …, IS [NOT] NULL,
            tags CONTAINS '…'; AND, OR, NOT and parentheses. Dates: '2026-01-01', today,
            today - 30d (d, w, m = 30 days, y = 365 days), in defaults.timezone. Windows:
            orders(90d), spend(1y) (yuan), complaints(180d). Prospects (enquired, never
            ordered) are left out unless the expression mentions prospect, prospect_source
            or enquired_at.
            Examples:
              tidings segment count "level IN ('gold', 'diamond') AND orders(365d) >= 3"
              tidings segment count "days_since_last_order BETWEEN 60 AND 180 AND consent(sms, marketing)"
              tidings segment sample "district = '黄浦区' AND NOT tags CONTAINS '已流失'" --limit 5
              tidings segment count "prospect AND prospect_source = banquet_enquiry"
            tidings segment count high_value    (a name saved under segments: in tidings.yaml)
            """,
        subcommands: [Count.self, Sample.self])

    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How many members match.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The audience expression (in quotes), or a saved segment's name.") var expression: String
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            let query = try SegmentCommand.query(expression, config: config)
            let store = try global.openStore(config, readOnly: true)
            let started = Date()
            let count = try await query.count(in: store)
            if json {
                struct Output: Encodable { var expression: String, members: Int, seconds: Double }
                return try JSONOutput.print(Output(expression: expression, members: count, seconds: Date().timeIntervalSince(started)))
            }
            print("\(count) members match (\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
        }
    }

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The first members that match, by member number.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The audience expression (in quotes), or a saved segment's name.") var expression: String
        @Option(help: "How many members.") var limit = 10
        @Flag(help: "Show full phone numbers.") var reveal = false
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            let query = try SegmentCommand.query(expression, config: config)
            let store = try global.openStore(config, readOnly: true)
            let members = try await query.sample(in: store, limit: limit, reveal: reveal)
            if json { return try JSONOutput.print(members) }
            let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
            var table = TextTable(["member", "name", "level", "phone", "branch", "points", "last order"], rightAligned: [5])
            for m in members {
                table.add([
                    m.memberNo, m.name, m.level, m.phone ?? "-", m.branch ?? "-", "\(m.points)",
                    m.lastOrderAt.map { displayTime($0, zone) } ?? "-",
                ])
            }
            print(members.isEmpty ? "no member matches" : table.render())
        }
    }

    /// The parsed expression; a bad one is shown with a caret under the column.
    static func query(_ expression: String, config: TidingsConfig) throws -> SegmentQuery {
        do { return try SegmentQuery(expression, config: config) } catch { throw CommandFailure(error.description) }
    }
}
