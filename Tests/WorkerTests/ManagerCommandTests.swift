import Foundation
import Testing

/// `tidings manager …` on the built binary, over the demo's staff and members.
struct ManagerCommandTests {
    typealias CLI = CommandLineTests

    @Test func aDepartingManagersMembersAreHandedOverAndTheBatchIsListed() throws {
        try CLI.withDirectory { directory in
            #expect(try CLI.run(["init"], in: directory).status == 0)
            #expect(try CLI.run(["demo", "seed", "--members", "300", "--anchor", "2026-11-20"], in: directory).status == 0)
            struct Manager: Decodable {
                var staffNo: String
                var role: String
                var members: Int
            }
            func managers() throws -> [String: Manager] {
                let list = try CLI.run(["manager", "list", "--json"], in: directory)
                #expect(list.status == 0, "\(list.stderr)")
                let decoded = try JSONDecoder().decode([Manager].self, from: Data(list.stdout.utf8))
                return Dictionary(uniqueKeysWithValues: decoded.map { ($0.staffNo, $0) })
            }
            let before = try managers()
            let owners = before.values.filter { $0.role == "manager" && $0.members > 0 }.sorted { $0.staffNo < $1.staffNo }
            let (from, to) = (try #require(owners.first), try #require(owners.last))
            #expect(from.staffNo != to.staffNo)

            let refused = try CLI.run(["manager", "handover", from.staffNo, "--to", "S9999"], in: directory)
            #expect(refused.status == 1 && refused.stderr.contains("no staff member S9999"), "\(refused.stderr)")
            #expect(try managers()[from.staffNo]?.members == from.members, "a refused hand-over moves nobody")

            let handover = try CLI.run(["manager", "handover", from.staffNo, "--to", to.staffNo, "--by", "li.na"], in: directory)
            #expect(handover.status == 0, "\(handover.stderr)")
            #expect(handover.stdout.contains("handed \(from.members) members and "), "\(handover.stdout)")
            #expect(handover.stdout.contains("over from \(from.staffNo) to \(to.staffNo)"), "\(handover.stdout)")
            let after = try managers()
            #expect(after[from.staffNo]?.members == 0)
            #expect(after[to.staffNo]?.members == to.members + from.members)

            let allocations = try CLI.run(["manager", "allocations", "--manager", to.staffNo], in: directory)
            #expect(allocations.status == 0, "\(allocations.stderr)")
            let row = try #require(allocations.stdout.split(separator: "\n").first { $0.contains("handover") })
            #expect(row.contains(from.staffNo) && row.contains("li.na") && row.contains(" \(from.members) "), "\(row)")
        }
    }

    /// New members (imported without a manager) are given out by the config's rules: a dry run
    /// writes nothing, the run records one batch.
    @Test func newMembersAreAllocatedByTheRules() throws {
        try CLI.withDirectory { directory in
            #expect(try CLI.run(["init"], in: directory).status == 0)
            #expect(try CLI.run(["demo", "seed", "--members", "200", "--anchor", "2026-11-20"], in: directory).status == 0)
            let config = directory.appendingPathComponent("tidings.yaml")
            let rules = "\nallocation:\n  rules:\n    - {levels: [regular], only: [S0002, S0003]}\n"
            try (String(contentsOf: config, encoding: .utf8) + rules).write(to: config, atomically: true, encoding: .utf8)
            try "member_no,name,phone\nN001,新会员甲,13800000001\nN002,新会员乙,13800000002\nN003,新会员丙,13800000003\n"
                .write(to: directory.appendingPathComponent("new.csv"), atomically: true, encoding: .utf8)
            #expect(try CLI.run(["import", "members", "new.csv"], in: directory).status == 0)

            let dry = try CLI.run(["manager", "allocate", "--dry-run"], in: directory)
            #expect(dry.status == 0 && dry.stdout.contains("3 of 3 members would be given a manager"), "\(dry.stdout)\(dry.stderr)")
            let run = try CLI.run(["manager", "allocate", "--by", "li.na"], in: directory)
            #expect(run.status == 0 && run.stdout.contains("gave 3 members a manager"), "\(run.stdout)\(run.stderr)")
            let rows = try CLI.run(["manager", "allocations"], in: directory).stdout.split(separator: "\n").filter { $0.contains("allocation") }
            #expect(rows.allSatisfy { $0.contains("S0002") || $0.contains("S0003") } && !rows.isEmpty, "\(rows)")
            let again = try CLI.run(["manager", "allocate"], in: directory)
            #expect(again.stdout.contains("no member without a manager"), "\(again.stdout)")
        }
    }

    /// `manager brief` previews a day's brief from the records and writes
    /// nothing; an unknown staff number or a bad day is an error.
    @Test func aBriefIsPreviewedForADay() throws {
        try CLI.withDirectory { directory in
            #expect(try CLI.run(["init"], in: directory).status == 0)
            try FileManager.default.createSymbolicLink(
                at: directory.appendingPathComponent("templates"), withDestinationURL: CLI.templates)
            #expect(try CLI.run(["demo", "seed", "--members", "300", "--anchor", "2026-11-20"], in: directory).status == 0)
            #expect(try CLI.run(["rfm"], in: directory).status == 0)
            let preview = try CLI.run(["manager", "brief", "S0002", "--day", "2026-11-20"], in: directory)
            #expect(preview.status == 0, "\(preview.stderr)")
            #expect(preview.stdout.hasPrefix("preview of 2026-11-20 (not sent yet; nothing is written)\n"), "\(preview.stdout)")
            #expect(preview.stdout.contains("── sms to ") && preview.stdout.contains("── email to "), "\(preview.stdout)")
            #expect(preview.stdout.contains("主题：11月20日晨报："), "\(preview.stdout)")
            // Nothing was written: the same preview again, and no message in the outbox.
            #expect(try CLI.run(["manager", "brief", "S0002", "--day", "2026-11-20"], in: directory).stdout == preview.stdout)
            let unknown = try CLI.run(["manager", "brief", "S9999"], in: directory)
            #expect(unknown.status != 0 && unknown.stderr.contains("S9999 is not a manager or branch manager here"), "\(unknown.stderr)")
            let badDay = try CLI.run(["manager", "brief", "S0002", "--day", "20.11.2026"], in: directory)
            #expect(badDay.status != 0 && badDay.stderr.contains("--day '20.11.2026' is not a day (YYYY-MM-DD)"), "\(badDay.stderr)")
        }
    }

    /// `demo text` records a member's SMS through the feedback rules: 退订 opts out.
    @Test func aMemberTextsStop() throws {
        try CLI.withDirectory { directory in
            #expect(try CLI.run(["init"], in: directory).status == 0)
            #expect(try CLI.run(["demo", "seed", "--members", "50", "--anchor", "2026-11-20"], in: directory).status == 0)
            let text = try CLI.run(["demo", "text", "--member", "M00000001", "退订"], in: directory)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("texted \"退订\", recorded as optout: opted out"), "\(text.stdout)")
            #expect(!text.stdout.contains("+86 1") && text.stdout.contains("****"), "the phone is masked: \(text.stdout)")
        }
    }
}
