import ArgumentParser
import CoreModel
import Foundation

/// `tidings blacklist add|remove|list|import`: addresses nothing is sent to.
struct BlacklistCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blacklist",
        abstract: "Addresses that receive nothing at all, not even service messages.",
        discussion: """
            Each addition and removal is kept with its reason and who made it. Sending
            checks the list for every message, whatever its category.
            Examples:
              tidings blacklist add +8613800138000 --reason "complained to 12321" --by li.na
              tidings blacklist remove +8613800138000 --reason "asked to be restored" --by li.na
              tidings blacklist list --reveal
              tidings blacklist import blocked.csv --by li.na   (columns: address[,reason,added_by,added_at])
            """,
        subcommands: [Add.self, Remove.self, List.self, Import.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put an address on the blacklist.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A phone number or email address.") var address: String
        @Option(help: "Why (kept with the entry).") var reason: String
        @Option(help: "Who adds it (default: $USER).") var by: String?

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let normalized = try BlacklistCommand.address(address, config: config)
            let entry = BlacklistEntry(
                address: normalized, reason: reason, addedBy: by ?? ConsentCommand.operatorName(), addedAt: Date())
            let added = try await store.addToBlacklist(entry)
            print(added ? "added \(Redaction.address(normalized))" : "\(Redaction.address(normalized)) was already on the blacklist")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take an address off the blacklist.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A phone number or email address.") var address: String
        @Option(help: "Why (kept in the blacklist's history).") var reason: String
        @Option(help: "Who removes it (default: $USER).") var by: String?

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let normalized = try BlacklistCommand.address(address, config: config)
            let removed = try await store.removeFromBlacklist(
                address: normalized, reason: reason, by: by ?? ConsentCommand.operatorName(), at: Date())
            guard removed else {
                printError("error: \(Redaction.address(normalized)) is not on the blacklist")
                throw ExitCode.failure
            }
            print("removed \(Redaction.address(normalized))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The blacklist, oldest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many entries.") var limit = 100
        @Option(help: "Skip this many first.") var offset = 0
        @Flag(help: "Show full phone numbers and emails.") var reveal = false
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            var entries = try await store.blacklist(limit: limit, offset: offset)
            if !reveal { entries = entries.map { var e = $0; e.address = Redaction.address(e.address); return e } }
            if json { return try JSONOutput.print(entries) }
            let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
            var table = TextTable(["address", "reason", "added by", "added"])
            for entry in entries { table.add([entry.address, entry.reason, entry.addedBy, displayTime(entry.addedAt, zone)]) }
            print(entries.isEmpty ? "the blacklist is empty" : table.render())
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add every address of a CSV or JSONL file (address[,reason,added_by,added_at]); same as `tidings import blacklist`.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The file to import.") var file: String
        @Option(help: "Who imports (default: $USER).") var by: String?
        @Flag(help: "Validate everything, write nothing.") var dryRun = false
        @Option(help: ArgumentHelp("Write every rejected row to this CSV file.", valueName: "path")) var errors: String?

        func run() async throws {
            var arguments = ["blacklist", file, "--by", by ?? ConsentCommand.operatorName()]
            if let config = global.config { arguments += ["--config", config] }
            if let database = global.database { arguments += ["--database", database] }
            if dryRun { arguments.append("--dry-run") }
            if let errors { arguments += ["--errors", errors] }
            let command = try ImportCommand.parse(arguments)
            try await command.run()
        }
    }

    static func address(_ text: String, config: TidingsConfig) throws -> String {
        do {
            return try RecordParser.address(text, phones: PhoneNumberNormalizer(defaultRegion: config.defaults.region))
        } catch {
            throw CommandFailure("'\(text)' is not a phone number or email address: \(error.reason)")
        }
    }
}
