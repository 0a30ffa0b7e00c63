import ArgumentParser
import CoreModel
import Foundation

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Inspect the database.", subcommands: [Stats.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Row counts per table, messages by status, members with unusable contacts.",
            discussion: """
                Examples:
                  tidings db stats
                  tidings db stats --json | jq .tables.members
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            let stats = try await global.openStore(config, readOnly: true).statistics()
            if json { return try JSONOutput.print(stats) }
            print("database \(stats.path) (\(ByteCountFormatter.string(fromByteCount: stats.fileBytes, countStyle: .file)))")
            var tables = TextTable(["table", "rows"], rightAligned: [1])
            for (name, count) in stats.tables.sorted(by: { $0.key < $1.key }) { tables.add([name, "\(count)"]) }
            print(tables.render())
            if !stats.messagesByStatus.isEmpty {
                print("")
                var statuses = TextTable(["message status", "count"], rightAligned: [1])
                for (status, count) in stats.messagesByStatus.sorted(by: { $0.key < $1.key }) { statuses.add([status, "\(count)"]) }
                print(statuses.render())
            }
            print("")
            print("members with unusable contacts: " + stats.invalidContacts.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }
}
