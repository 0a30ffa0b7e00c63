import ArgumentParser
import CoreModel
import Foundation

struct MemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Look up members.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A member's profile, consents, orders, complaints and message timeline.",
            discussion: """
                Phone numbers and emails are masked unless --reveal is given.
                Examples:
                  tidings member show M00000001
                  tidings member show M00000001 --reveal --limit 50
                  tidings member show M00000001 --json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The member number, e.g. M00000001.") var memberNo: String
        @Option(help: "How many orders and timeline entries to show.") var limit = 15
        @Flag(help: "Show full phone numbers and emails.") var reveal = false
        @Flag(help: "Print as JSON.") var json = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let config = try global.loadConfig()
            let store = try global.openStore(config, readOnly: true)
            guard var profile = try await store.memberProfile(memberNo: memberNo, timelineLimit: limit) else {
                printError("no member \(memberNo)")
                throw ExitCode.failure
            }
            if !reveal { profile = profile.masked() }
            if json { return try JSONOutput.print(profile) }
            print(MemberReport(profile: profile, timeZone: TimeZone(identifier: profile.member.timezone) ?? .current).render())
        }
    }
}

/// The text form of a member profile.
struct MemberReport {
    let profile: MemberProfile
    let timeZone: TimeZone

    func render() -> String {
        let m = profile.member
        var out: [String] = []
        out.append("\(m.name)  \(m.memberNo)  \(m.level.rawValue)  \(m.points) points")
        out.append("home branch  \(profile.branchName ?? "-")   time zone \(m.timezone)   locale \(m.locale)")
        out.append("phone  \(contact(m.phone))")
        out.append("email  \(contact(m.email))")
        out.append("fax    \(contact(m.fax))")
        if !m.tags.isEmpty { out.append("tags   \(m.tags.joined(separator: ", "))") }
        if let enquiry = profile.enquiry {
            let state = enquiry.open ? "prospect" : "enquired"
            out.append("\(state)  \(enquiry.source) on \(format(enquiry.at))\(enquiry.note.map { ": \($0)" } ?? "")")
        }
        if let conversion = profile.conversion {
            let campaign = conversion.campaign.map { "campaign \($0)" } ?? "no campaign"
            out.append("converted  \(format(conversion.at)) by \(conversion.orderNo ?? "member import") (\(campaign))")
        }
        out.append("")
        out.append("consents (service messages are sent unless revoked; marketing and surveys need a grant)")
        if profile.consents.isEmpty {
            out.append("  none recorded")
        } else {
            var table = TextTable(["channel", "category", "state", "source", "since"])
            for c in profile.consents {
                table.add([c.channel, c.category, c.granted ? "granted" : "revoked", c.source, format(c.changedAt)])
            }
            out.append(indent(table.render()))
        }
        out.append("")
        out.append("orders (\(profile.orderCount) in all, latest \(profile.recentOrders.count))")
        var orders = TextTable(["order", "kind", "source", "status", "branch", "ordered", "scheduled", "amount", "feedback"], rightAligned: [7])
        for o in profile.recentOrders {
            orders.add([
                o.orderNo, o.kind, o.source, o.status, o.branch, format(o.orderedAt), o.scheduledAt.map(format) ?? "-",
                String(format: "¥%.2f", Double(o.amountFen) / 100), o.feedback ?? "-",
            ])
        }
        out.append(indent(orders.render()))
        out.append("")
        out.append("complaints (\(profile.complaints.count))")
        if !profile.complaints.isEmpty {
            var table = TextTable(["complaint", "department", "status", "opened", "notified", "resolved", "what", "resolution"])
            for c in profile.complaints {
                table.add([
                    c.complaintNo, c.department, c.status, format(c.openedAt), c.departmentNotifiedAt.map(format) ?? "-",
                    c.resolvedAt.map(format) ?? "-", c.description, c.resolution ?? "-",
                ])
            }
            out.append(indent(table.render()))
        }
        out.append("")
        out.append("timeline (newest first; \(profile.messageCount) messages in all)")
        for entry in profile.timeline {
            out.append("  \(format(entry.at))  \(entry.kind.padding(toLength: 9, withPad: " ", startingAt: 0)) \(entry.text)")
        }
        return out.joined(separator: "\n")
    }

    private func contact(_ field: ContactField) -> String {
        switch field.status {
        case .missing: "-"
        case .valid: field.value ?? "-"
        case .invalid, .bounced: "\(field.value ?? "") [\(field.status.rawValue): \(field.reason ?? "no reason recorded")]"
        }
    }

    private func format(_ date: Date) -> String { displayTime(date, timeZone) }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
