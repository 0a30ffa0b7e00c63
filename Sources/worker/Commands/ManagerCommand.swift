import ArgumentParser
import Campaigns
import CoreModel
import Foundation
import Scheduler

/// `tidings manager list|handover|allocations`: who owns which members.
struct ManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manager",
        abstract: "Managers and the members they own: hand-overs and what became of each batch.",
        discussion: """
            Every member may have an owning manager. A departing manager's members move to
            another in one step, recorded as a batch; `allocations` shows, per batch, how
            many of those members have ordered since, went on to another manager, or are
            still untouched.
            Examples:
              tidings manager list
              tidings manager allocate --dry-run        (by the `allocation:` rules in tidings.yaml)
              tidings manager handover S0007 --to S0012 --by li.na
              tidings manager allocations --manager S0012
              tidings manager conflicts                 (orders taken by another manager than the member's)
              tidings manager brief S0012               (today's morning brief: as sent, or a preview)
            """,
        subcommands: [List.self, Allocate.self, Handover.self, Allocations.self, Conflicts.self, Brief.self])

    struct Brief: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A manager's morning brief for a day: the messages sent, or what it would say (nothing is written).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The manager's staff number.") var staffNo: String
        @Option(help: "The day, YYYY-MM-DD (default: today in defaults.timezone).") var day: String?

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
            let settings = config.automations.managerBrief
            let writer = BriefWriter(settings: settings, timeZone: zone)
            var now = Date()
            if let day {
                guard day.count == 10, let start = DateText.parse(day, timeZone: zone) else {
                    throw ValidationError("--day '\(day)' is not a day (YYYY-MM-DD)")
                }
                now = start.addingTimeInterval(TimeInterval((settings.window?.from ?? 480) * 60))
            }
            guard let recipient = try await store.briefRecipient(staffNo: staffNo) else {
                throw CommandFailure("\(staffNo) is not a manager or branch manager here (tidings manager list)")
            }
            let sent = try await store.sentBrief(staffNo: staffNo, day: writer.day(now))
            if !sent.isEmpty {
                for message in sent {
                    print("── \(message.channel.rawValue) to \(recipient.name) (\(message.status.rawValue)) ──")
                    print(Self.text(MessageContent.decode(message.payload)))
                }
                return
            }
            let content = try await store.briefContent(writer.query(for: recipient, now: now))
            print("preview of \(writer.day(now)) (not sent yet; nothing is written)")
            guard !content.isEmpty else { return print("nothing to brief: \(staffNo) gets no brief that day") }
            let library = TemplateLibrary(directory: URL(fileURLWithPath: config.templates))
            let values = writer.values(for: recipient, content: content, now: now)
            for channel in settings.channels {
                let content = try library.render(
                    template: settings.template, channel: channel, locale: config.defaults.locale, values: values)
                print("── \(channel.rawValue) to \(recipient.name) ──")
                print(Self.text(content))
            }
        }

        static func text(_ content: MessageContent?) -> String {
            guard let content else { return "(unreadable payload)" }
            let subject = content.subject.map { "主题：\($0)\n\n" } ?? ""
            return subject + (content.text ?? "")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Managers and branch managers, with how many members each owns.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let store = try global.openStore(try global.loadConfig(), readOnly: true)
            let managers = try await store.managers()
            if json { return try JSONOutput.print(managers) }
            var table = TextTable(["staff", "name", "role", "branch", "members"], rightAligned: [4])
            for manager in managers {
                table.add([manager.staffNo, manager.name, manager.role, manager.branchCode ?? "-", "\(manager.members)"])
            }
            print(managers.isEmpty ? "no managers" : table.render())
        }
    }

    struct Allocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give members without a manager to managers, by the `allocation:` rules, evening out the counts.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Show what would be given to whom; write nothing.") var dryRun = false
        @Option(help: "Who runs the allocation (default: $USER).") var by: String?

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let managers = try await store.managers().filter { $0.role == "manager" }
            let known = Set(managers.map(\.staffNo))
            for (index, rule) in config.allocation.rules.enumerated() {
                for staff in (rule.only ?? []) + (rule.never ?? []) where !known.contains(staff) {
                    printError("warning: allocation.rules[\(index)]: \(staff) is not a manager here")
                }
            }
            let members = try await store.unownedMembers()
            let result = config.allocation.allocator.allocate(members, to: managers)
            var given: [String: Int] = [:]
            for staff in result.assignments.values { given[staff, default: 0] += 1 }
            var table = TextTable(["manager", "owned before", "given"], rightAligned: [1, 2])
            for manager in managers where given[manager.staffNo] != nil {
                table.add([manager.staffNo, "\(manager.members)", "\(given[manager.staffNo] ?? 0)"])
            }
            if !given.isEmpty { print(table.render()) }
            if !result.unplaced.isEmpty {
                printError("warning: \(result.unplaced.count) members fit no manager under the rules (first: \(result.unplaced.prefix(5).joined(separator: ", ")))")
            }
            guard !dryRun else { return print("dry run: \(result.assignments.count) of \(members.count) members would be given a manager; nothing was written") }
            let outcome = try await store.allocate(
                result.assignments, source: "allocation rules", actor: by ?? ConsentCommand.operatorName(), now: Date())
            print(outcome.batchId.map { "gave \(outcome.members) members a manager (batch \($0))" } ?? "no member without a manager to give")
        }
    }

    struct Handover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move every member one manager owns to another, in one step.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The departing manager's staff number.") var from: String
        @Option(help: "The staff number of the manager who takes them over.") var to: String
        @Option(help: "Who makes the hand-over (default: $USER).") var by: String?

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config)
            let signature = config.brand.signature
            let result = try await store.handOver(from: from, to: to, actor: by ?? ConsentCommand.operatorName(), now: Date()) {
                "\(signature)您已接手\($0.from)的\($0.members)位会员和\($0.tasks)项未完成跟进（交接批次 #\($0.batchId)），请查看会员名单"
            }
            switch result {
            case .handedOver(let batch?, let members, let tasks):
                print("handed \(members) members and \(tasks) open tasks over from \(from) to \(to) (batch \(batch)); \(to) is told")
            case .handedOver(nil, _, _):
                print("\(from) owns no members and has no open task: nothing to hand over")
            case .unknownStaff(let no):
                throw CommandFailure("no staff member \(no)")
            case .notAManager(let no):
                throw CommandFailure("\(no) is not a manager or branch manager: members cannot be handed to them")
            case .samePerson:
                throw CommandFailure("--to is the same person as \(from)")
            }
        }
    }

    struct Allocations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each batch of members given to a manager, and what became of them since.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this manager's batches (staff number).") var manager: String?
        @Option(help: "How many batches, newest first.") var limit = 50
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            let batches = try await store.allocationBatches(managerNo: manager, limit: limit)
            if json { return try JSONOutput.print(batches) }
            let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
            var table = TextTable(
                ["batch", "kind", "to", "from", "at", "by", "members", "ordered", "moved on", "untouched"], rightAligned: [0, 6, 7, 8, 9])
            for batch in batches {
                table.add([
                    "\(batch.id)", batch.kind.rawValue, batch.staffNo, batch.fromStaffNo ?? "-", displayTime(batch.at, zone), batch.actor,
                    "\(batch.members)", "\(batch.ordered)", "\(batch.movedOn)", "\(batch.untouched)",
                ])
            }
            print(batches.isEmpty ? "no batches yet" : table.render())
        }
    }

    struct Conflicts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Orders taken by someone other than the member's own manager (import orders with taken_by).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many, newest first.") var limit = 50
        @Flag(help: "Print as JSON.") var json = false

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            let conflicts = try await store.ownershipConflicts(limit: limit)
            if json { return try JSONOutput.print(conflicts) }
            let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
            var table = TextTable(["order", "member", "owner", "taken by", "ordered", "recorded"])
            for conflict in conflicts {
                table.add([
                    conflict.orderNo, conflict.memberNo, conflict.ownerStaffNo, conflict.takerStaffNo, displayTime(conflict.orderedAt, zone),
                    displayTime(conflict.recordedAt, zone),
                ])
            }
            print(conflicts.isEmpty ? "no conflicts" : table.render())
        }
    }
}
