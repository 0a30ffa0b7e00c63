import CoreModel
import Foundation
import Testing

/// `tidings import prospects` and prospects in segments and the member
/// timeline, run as a user does, with the shipped example file.
struct ProspectCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    @Test func importTheExampleEnquiriesThenTargetThem() throws {
        try CommandLineTests.withDirectory { directory in
            _ = try CommandLineTests.run(["init"], in: directory)
            let seed = try CommandLineTests.run(["demo", "seed", "--members", "300", "--anchor", "2026-11-20"], in: directory)
            #expect(seed.status == 0, "\(seed.stderr)")
            _ = try CommandLineTests.run(["import", "members", Self.examples.appendingPathComponent("members.csv").path], in: directory)
            let file = Self.examples.appendingPathComponent("prospects.csv").path
            let banquets = try CommandLineTests.run(["segment", "count", "prospect AND prospect_source = banquet_enquiry"], in: directory)
            #expect(banquets.status == 0, "\(banquets.stderr)")
            let seeded = Int(banquets.stdout.prefix { $0.isNumber }) ?? -1
            #expect(seeded > 0, "the demo seeds banquet enquiries: \(banquets.stdout)")

            let first = try CommandLineTests.run(["import", "prospects", file], in: directory)
            #expect(first.status == 1, "two bad rows")
            #expect(first.stderr.contains("prospects.csv:10: column phone: '1351111'"), "\(first.stderr)")
            #expect(first.stderr.contains("prospects.csv:11: column event_date: '2026-13-40'"), "\(first.stderr)")
            #expect(first.stdout.contains("prospects.csv:12: skipped (already a member A0001)"), "\(first.stdout)")
            let summary = try CommandLineTests.run(["import", "prospects", file, "--json"], in: directory)
            #expect(summary.stdout.contains("\"inserted\" : 0") && summary.stdout.contains("\"unchanged\" : 9"), "\(summary.stdout)")
            #expect(summary.stdout.contains("\"skipped\" : 1"), "\(summary.stdout)")

            let after = try CommandLineTests.run(["segment", "count", "prospect AND prospect_source = banquet_enquiry"], in: directory)
            #expect(after.stdout.hasPrefix("\(seeded + 5) members match"), "\(after.stdout)\(after.stderr)")
            let members = try CommandLineTests.run(["segment", "count", ""], in: directory)
            #expect(members.stdout.hasPrefix("310 members match"), "300 seeded, 10 imported, no prospects: \(members.stdout)")

            let number = ProspectNumber.for(phone: "+8613511110001")
            let show = try CommandLineTests.run(["member", "show", number], in: directory)
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("prospect  banquet_enquiry on"), "\(show.stdout)")
            #expect(show.stdout.contains("enquiry   banquet_enquiry: 公司年会，需要包间; 120 guests; event 2027-01-18"), "\(show.stdout)")
            #expect(show.stdout.contains("sms marketing granted via enquiry (prospects.csv row 2: enquiry)"), "\(show.stdout)")
        }
    }
}
