import ArgumentParser
import CoreModel
import Foundation

extension ConsentCategory: ExpressibleByArgument {}

/// `tidings consent grant|revoke|show`: the consent ledger by hand.
struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Grant, revoke and show marketing and survey consent (kept as a ledger).",
        discussion: """
            Every grant and revocation is appended to the consent ledger with its source,
            evidence and who recorded it; nothing is overwritten. Sending reads the state
            derived from it: the latest entry per channel and category. WHO is a member
            number, or a phone number or email address that no member needs to have
            (a prospect, a number that texted 退订).
            Examples:
              tidings consent grant M00000001 --channel sms --category marketing --source agent --evidence "call 2026-11-26"
              tidings consent revoke +8613800138000 --channel sms --category marketing --category survey
              tidings consent show M00000001
            Files: tidings import consents FILE (member_no or address, channel, category, granted[, source, at, evidence]).
            """,
        subcommands: [Grant.self, Revoke.self, Show.self])

    struct Change: ParsableArguments {
        @Argument(help: "A member number, or a phone number / email address.") var who: String
        @Option(help: "sms, voice, fax or email (repeat for several).") var channel: [Channel]
        @Option(help: "marketing, survey or service (repeat for several; default marketing).") var category: [ConsentCategory] = []
        @Option(help: "How it was given: agent, signup, web, paper…") var source = "cli"
        @Option(help: "What shows it: a call reference, a form number…") var evidence: String?
        @Option(help: "Who records it (default: $USER).") var by: String?
        @Option(help: "When it was given, if not now (YYYY-MM-DD[ HH:MM]).") var at: String?

        func validate() throws {
            guard !channel.isEmpty else { throw ValidationError("--channel is required (sms, voice, fax or email)") }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that someone agreed to receive messages.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var change: Change
        func run() async throws { try await ConsentCommand.record(change, granted: true, global: global) }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that someone no longer wants messages.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var change: Change
        func run() async throws { try await ConsentCommand.record(change, granted: false, global: global) }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The current consent and the ledger behind it.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A member number, or a phone number / email address.") var who: String
        @Option(help: "How many ledger entries to show.") var limit = 50
        @Flag(help: "Show full phone numbers and emails.") var reveal = false
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            let subject = try ConsentCommand.subject(who, config: config)
            if case .member(let number) = subject, try await store.memberProfile(memberNo: number, timelineLimit: 1) == nil {
                printError("error: no member \(number)")
                throw ExitCode.failure
            }
            let state = try await store.consentState(subject)
            var history = try await store.consentHistory(subject, limit: limit)
            if !reveal {
                history = history.map { entry in
                    var entry = entry
                    entry.address = entry.address.map(Redaction.address)
                    entry.evidence = entry.evidence.map(Redaction.text)
                    return entry
                }
            }
            var name = "\(subject)"  // masks an address
            if reveal, case .address(let address) = subject { name = "address \(address)" }
            if json {
                struct Output: Encodable { var subject: String, state: [ConsentState], ledger: [ConsentEntry] }
                return try JSONOutput.print(Output(subject: name, state: state, ledger: history))
            }
            let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
            print("\(name): current consent (marketing and surveys need a grant; service is sent unless revoked)")
            var current = TextTable(["channel", "category", "state", "source", "since"])
            for line in state {
                current.add([line.channel.rawValue, line.category.rawValue, line.granted ? "granted" : "revoked", line.source, displayTime(line.since, zone)])
            }
            print(state.isEmpty ? "  none recorded" : current.render())
            print("\nledger (newest first)")
            var ledger = TextTable(["at", "channel", "category", "change", "source", "evidence", "by", "recorded"])
            for entry in history {
                ledger.add([
                    displayTime(entry.at, zone), entry.channel.rawValue, entry.category.rawValue,
                    entry.granted ? "grant" : "revoke", entry.source, entry.evidence ?? "-", entry.actor ?? "-",
                    displayTime(entry.recordedAt, zone),
                ])
            }
            print(history.isEmpty ? "  empty" : ledger.render())
        }
    }

    static func record(_ change: Change, granted: Bool, global: GlobalOptions) async throws {
        let config = try global.loadConfig()
        let store = try global.openStore(config)
        let subject = try subject(change.who, config: config)
        var at = Date()
        if let text = change.at {
            guard let parsed = DateText.parse(text, timeZone: TimeZone(identifier: config.defaults.timezone) ?? .current) else {
                throw CommandFailure("--at '\(text)' is not a date (YYYY-MM-DD, YYYY-MM-DD HH:MM or ISO 8601)")
            }
            at = parsed
        }
        let actor = change.by ?? operatorName()
        let categories = change.category.isEmpty ? [ConsentCategory.marketing] : change.category
        for channel in change.channel {
            for category in categories {
                let entry = ConsentChange(
                    subject: subject, channel: channel, category: category, granted: granted, source: change.source,
                    evidence: change.evidence, actor: actor, at: at)
                let result = try await store.recordConsent(entry, now: Date())
                switch result {
                case .unknownMember:
                    printError("error: no member \(change.who) (for an address without a member, give the phone number or email)")
                    throw ExitCode.failure
                case .changed, .unchanged, .duplicate:
                    let state = result == .changed ? "now \(granted ? "granted" : "revoked")" : "already \(granted ? "granted" : "revoked") (recorded as evidence)"
                    print("\(subject) \(channel.rawValue) \(category.rawValue): \(state)")
                }
            }
        }
    }

    /// A phone number or email address (normalised) if WHO is one, else a member number.
    static func subject(_ who: String, config: TidingsConfig) throws -> ConsentChange.Subject {
        let looksLikeAddress = who.contains("@") || who.hasPrefix("+") || (who.count >= 7 && who.allSatisfy(\.isNumber))
        guard looksLikeAddress else { return .member(who) }
        do {
            return .address(try RecordParser.address(who, phones: PhoneNumberNormalizer(defaultRegion: config.defaults.region)))
        } catch {
            throw CommandFailure("'\(who)' looks like an address but is not usable: \(error.reason)")
        }
    }

    static func operatorName() -> String {
        ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "cli"
    }
}
