import ArgumentParser
import CoreModel
import Demo
import Foundation
import Scheduler

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Sample data for trying Tidings out.", subcommands: [Seed.self, Place.self, Queue.self, Text.self])

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a deterministic restaurant group: branches, menu, members, 12 months of orders, feedback, complaints.",
            discussion: """
                The same --members, --seed and --anchor give the same data on every machine.
                The database must have no members yet.
                Examples:
                  tidings demo seed --members 1000
                  tidings demo seed --members 1000000 --seed 7 --database big.sqlite
                  tidings demo seed --members 50 --anchor 2026-06-01
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "How many members to generate.") var members: Int
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Option(help: ArgumentHelp("The day the history ends (YYYY-MM-DD, Shanghai time; default: today).", valueName: "date")) var anchor: String?
        @Option(help: "How many branches.") var branches = 24
        @Flag(help: "Print the report as JSON.") var json = false
        @Flag(help: "Then show an example member (orders, feedback, a complaint).") var showExample = false

        func validate() throws {
            guard (1...20_000_000).contains(members) else { throw ValidationError("--members must be between 1 and 20000000") }
            guard (1...500).contains(branches) else { throw ValidationError("--branches must be between 1 and 500") }
            if let anchor, DateText.parseDay(anchor) == nil { throw ValidationError("--anchor '\(anchor)' is not a date YYYY-MM-DD") }
        }

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let anchorDate = anchor.flatMap(DateText.parseDay) ?? Self.startOfToday()
            let bar = ProgressBar(label: "seed")
            let seeder = DemoSeeder(options: .init(members: members, seed: seed, anchor: anchorDate, branches: branches))
            let report: DemoSeeder.Report
            do {
                report = try seeder.run(into: store) { done, total in bar.update(done: done, total: total) }
            } catch let error as DemoSeeder.AlreadySeeded {
                bar.finish()
                printError("error: \(error)")
                throw ExitCode.failure
            }
            bar.finish()
            if json { return try JSONOutput.print(report) }
            var table = TextTable(["table", "rows"], rightAligned: [1])
            for (name, count) in report.rows.sorted(by: { $0.key < $1.key }) { table.add([name, "\(count)"]) }
            print(table.render())
            print(String(format: "seeded %@ in %.1f s; try: tidings member show %@", config.database.path, report.seconds, report.exampleMemberNo))
            if showExample, let profile = try await store.memberProfile(memberNo: report.exampleMemberNo, timelineLimit: 12) {
                print("")
                print(MemberReport(profile: profile.masked(), timeZone: TimeZone(identifier: profile.member.timezone) ?? .current).render())
            }
        }

        /// Midnight today in Shanghai, so a day's runs produce the same data.
        static func startOfToday() -> Date {
            let day: TimeInterval = 86_400
            let offset: TimeInterval = 8 * 3600
            return Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 + offset) / day).rounded(.down) * day - offset)
        }
    }

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue synthetic SMS through the outbox (load and crash tests).",
            discussion: """
                Keys are PREFIX:N, so queueing the same range again adds nothing.
                Example:
                  tidings demo queue --count 20000 --lane transactional --prefix crash
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "How many messages.") var count: Int
        @Option(help: "Idempotency key prefix.") var prefix = "load"
        @Option(help: "transactional, reminder or marketing (category service).") var lane: Lane = .transactional

        func validate() throws {
            guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 10000000") }
        }

        func run() async throws {
            let store = try global.openStore(try global.loadConfig())
            let added = try await SyntheticSMS.queue(
                count, into: store, prefix: prefix, lane: lane, addressPrefix: "+86139", text: { "【鸿福楼】测试消息 \($0)" })
            print("queued \(added) SMS (\(count - added) already there)")
        }
    }

    struct Place: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Place orders and reservations now for seeded members, as the call centre would.",
            discussion: """
                Writes order rows (placed now) and reservations (for two hours from now) for
                the first seeded members; the automations of `tidings run` confirm and remind.
                Example:
                  tidings demo place --orders 20 --reservations 10
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Delivery orders to place.") var orders = 20
        @Option(help: "Reservations to book (for two hours from now).") var reservations = 10
        @Option(help: "Order numbers start with this.") var prefix = "LIVE"

        func validate() throws {
            guard (0...10_000).contains(orders), (0...10_000).contains(reservations) else { throw ValidationError("--orders and --reservations must be between 0 and 10000") }
        }

        func run() async throws {
            let store = try global.openStore(try global.loadConfig())
            let now = Date()
            let sources: [OrderSource] = [.ivr, .agent, .web]
            var placed: [Order] = []
            for index in 0..<(orders + reservations) {
                let member = "M" + String(index + 1).leftPadded(to: 8)
                let reservation = index >= orders
                placed.append(Order(
                    orderNo: "\(prefix)\(String(index + 1).leftPadded(to: 5))", memberNo: member, branchCode: "B" + String(index % 3 + 1).leftPadded(to: 3),
                    source: sources[index % sources.count], kind: reservation ? .reservation : .delivery, status: reservation ? .booked : .placed,
                    orderedAt: now, scheduledAt: reservation ? now.addingTimeInterval(2 * 3600) : nil, partySize: reservation ? 2 + index % 6 : nil,
                    amountFen: reservation ? 0 : 8_800 + index * 1_200))
            }
            let outcomes = try await store.apply(.orders(placed), dryRun: false)
            var written = 0
            for (order, outcome) in zip(placed, outcomes) {
                if case .rejected(let field, let reason) = outcome {
                    printError("order \(order.orderNo): \(field): \(reason)")
                } else {
                    written += 1
                }
            }
            print("placed \(written) of \(placed.count): \(orders) delivery orders and \(reservations) reservations (\(placed.first?.orderNo ?? "")…)")
        }
    }

    struct Text: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A member texts in now, as the SMS gateway would deliver it (`查询 C…`, 退订, a survey score).",
            discussion: """
                Recorded through the same rules as a webhook's reply: an opt-out revokes, a
                complaint query is answered by SMS by `tidings run`.
                Example:
                  tidings demo text --member M00000002 "查询 C00000123"
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "The member whose phone it comes from.") var member: String
        @Argument(help: "What they text.") var text: String

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            guard let profile = try await store.memberProfile(memberNo: member, timelineLimit: 0) else {
                throw CommandFailure("no member \(member)")
            }
            guard profile.member.phone.status == .valid, let phone = profile.member.phone.value else {
                throw CommandFailure("\(member) has no valid phone to text from")
            }
            let now = Date()
            let inbound = InboundRecord(
                channel: .sms, kind: .reply, from: phone, to: nil, body: text, gateway: "demo",
                providerMessageId: "demo-\(now.unixMillis)", receivedAt: now)
            let result = try await store.recordInbound([inbound], rules: config.feedbackRules)
            var said = "recorded nothing (the same text came before)"
            if case .stored(_, let decision) = result.first {
                let actions = decision.actions.map { action -> String in
                    switch action {
                    case .optOut: "opted out"
                    case .answerBooking(_, let status): "booking \(status.rawValue)"
                    case .flagContact: "contact flagged"
                    case .reply(let message): "reply queued (\(message.idempotencyKey))"
                    case .answerSurvey(let answer): "survey answer \(answer.key)"
                    case .acknowledgeTicket: "branch ticket acknowledged"
                    }
                }
                said = "recorded as \(decision.kind.rawValue)" + (actions.isEmpty ? "" : ": " + actions.joined(separator: ", "))
            }
            print("\(member) (\(Redaction.address(phone))) texted \"\(text)\", \(said)")
        }
    }
}
