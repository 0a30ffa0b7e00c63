import ArgumentParser
import CoreModel
import Foundation

/// `tidings branch tickets`: the order tickets sent to branches and whether each was acknowledged.
struct BranchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branch",
        abstract: "What was sent to the branches.",
        subcommands: [Tickets.self])

    struct Tickets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Order tickets sent to branches (automations.branch_ticket), latest slot first.",
            discussion: """
                A ticket is acknowledged by the fax receipt, or by 1 pressed on the call that
                follows a ticket nobody acknowledged within ack_minutes.
                Examples:
                  tidings branch tickets --branch B001
                  tidings branch tickets --open
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only the tickets of this branch (its code).") var branch: String?
        @Flag(help: "Only tickets not acknowledged yet.") var open = false
        @Option(help: "How many to show.") var limit = 100
        @Flag(help: "Print as JSON.") var json = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            let tickets = try await store.branchTickets(
                BranchTicketFilter(branchCode: branch, unacknowledged: open, limit: limit))
            if json { return try JSONOutput.print(tickets) }
            guard !tickets.isEmpty else { return print("no tickets") }
            let zone = TimeZone(identifier: config.defaults.timezone) ?? .current
            var table = TextTable(["id", "branch", "slot", "orders", "channel", "state"], rightAligned: [0])
            for ticket in tickets {
                table.add([
                    "\(ticket.id)", "\(ticket.branchCode) \(ticket.branchName)", displayTime(ticket.slotStart, zone),
                    "\(ticket.orderNos.count): \(ticket.orderNos.joined(separator: " "))", ticket.channel.rawValue,
                    Self.state(ticket, zone: zone),
                ])
            }
            print(table.render())
        }

        /// `delivered, unacknowledged`, `called (submitted)`, `acknowledged by fax receipt at …`,
        /// or a call and its acknowledgement.
        static func state(_ ticket: BranchTicket, zone: TimeZone) -> String {
            var parts: [String] = []
            if ticket.escalatedAt != nil {
                parts.append(ticket.callStatus.map { "called (\($0.rawValue))" } ?? "escalated, no phone to call")
            }
            if let at = ticket.acknowledgedAt {
                let how = ticket.acknowledgedBy == .keypad ? "keypad" : "fax receipt"
                parts.append("acknowledged by \(how) at \(displayTime(at, zone))")
            } else if parts.isEmpty {
                parts.append("\(ticket.messageStatus.rawValue), unacknowledged")
            }
            return parts.joined(separator: ", ")
        }
    }
}
