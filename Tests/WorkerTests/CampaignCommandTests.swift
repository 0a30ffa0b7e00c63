import Foundation
import Testing

/// `tidings campaign …` as marketing staff use it, on the built binary.
struct CampaignCommandTests {
    typealias CLI = CommandLineTests

    static let campaigns = CLI.templates.deletingLastPathComponent().appendingPathComponent("campaigns")

    /// A seeded workspace with the repository's templates and campaign files.
    func withWorkspace(_ body: (URL) throws -> Void) throws {
        try CLI.withDirectory { directory in
            #expect(try CLI.run(["init"], in: directory).status == 0)
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("templates"), withDestinationURL: CLI.templates)
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("campaigns"), withDestinationURL: Self.campaigns)
            #expect(try CLI.run(["demo", "seed", "--members", "400", "--anchor", "2026-11-20"], in: directory).status == 0)
            try body(directory)
        }
    }

    @Test func aBrokenCampaignFileIsRefusedWithFileLineAndFieldAndNothingIsStored() throws {
        try withWorkspace { directory in
            let broken = """
                name: Spring Offer
                category: marketing
                audience: "points > 100 AND level = 'gold"
                channels: [sms, pigeon]
                template: new-dishes
                """
            try broken.write(to: directory.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
            let wrongValues = """
                name: spring
                category: marketing
                audience: high_value
                channels: [sms]
                template: no-such-template
                control: 80
                throttle: 0
                variants:
                  - {name: A, weight: 1}
                  - {name: A, weight: -1}
                schedule: {cron: "0 25 * * *"}
                colour: red
                """
            try wrongValues.write(to: directory.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
            let unknownKey = wrongValues.replacingOccurrences(of: "colour: red", with: "")
            try unknownKey.write(to: directory.appendingPathComponent("checked.yaml"), atomically: true, encoding: .utf8)

            let first = try CLI.run(["campaign", "create", "broken.yaml", "campaigns/new-dishes.yaml"], in: directory)
            #expect(first.status == 1)
            #expect(first.stderr.contains("broken.yaml:4:"), "\(first.stderr)")
            #expect(first.stderr.contains("channels[1]"), "\(first.stderr)")
            let typo = try CLI.run(["campaign", "create", "values.yaml"], in: directory)
            #expect(typo.status == 1)
            #expect(typo.stderr.contains("values.yaml:12:1: colour: unknown key 'colour'"), "\(typo.stderr)")
            let checked = try CLI.run(["campaign", "create", "checked.yaml"], in: directory)
            #expect(checked.status == 1)
            #expect(checked.stderr.components(separatedBy: "no-such-template/sms.zh-CN").count == 2, "reported once: \(checked.stderr)")
            for expected in [
                "checked.yaml:5:11: template: sms in zh-CN:", "checked.yaml:6:10: control: the control group is a percentage from 0 to 50",
                "checked.yaml:7:11: throttle:", "checked.yaml:10:12: variants[1].name: variant 'A' is listed twice",
                "checked.yaml:10:23: variants[1].weight: must be more than 0", "checked.yaml:11:18: schedule.cron: hour '25'",
            ] {
                #expect(checked.stderr.contains(expected), "missing \(expected) in:\n\(checked.stderr)")
            }
            let audience = try CLI.run(["campaign", "create", "broken.yaml"], in: directory)
            #expect(audience.status == 1)
            // Nothing half applied: the good file given with the broken one was not stored either.
            #expect(try CLI.run(["campaign", "list"], in: directory).stdout.contains("no campaigns yet"))
        }
    }

    @Test func aCampaignIsPreviewedLaunchedOncePausedResumedAndCancelled() throws {
        try withWorkspace { directory in
            #expect(try CLI.run(["campaign", "create", "campaigns/new-dishes.yaml", "campaigns/win-back.yaml"], in: directory).status == 0)
            let preview = try CLI.run(["campaign", "preview", "new-dishes"], in: directory)
            #expect(preview.status == 0, "\(preview.stderr)")
            #expect(preview.stdout.contains("members match") && preview.stdout.contains("segment(s) each"), "\(preview.stdout)")
            #expect(preview.stdout.contains("****"), "phone numbers are masked in the sample: \(preview.stdout)")
            // Not a terminal and no --yes: nothing happens.
            let unconfirmed = try CLI.run(["campaign", "launch", "new-dishes"], in: directory)
            #expect(unconfirmed.status == 1 && unconfirmed.stderr.contains("--yes"))
            let launch = try CLI.run(["campaign", "launch", "new-dishes", "--yes"], in: directory)
            #expect(launch.status == 0, "\(launch.stderr)")
            let queued = try #require(launch.stdout.firstMatch(of: /(\d+) queued now/).flatMap { Int($0.1) })
            #expect(queued > 0, "\(launch.stdout)")
            let again = try CLI.run(["campaign", "launch", "new-dishes", "--yes"], in: directory)
            #expect(again.stdout.contains(" 0 queued now"), "\(again.stdout)")
            #expect(try CLI.run(["campaign", "pause", "new-dishes"], in: directory).stdout.contains("paused"))
            #expect(try CLI.run(["campaign", "resume", "new-dishes"], in: directory).stdout.contains("running"))
            #expect(try CLI.run(["campaign", "cancel", "new-dishes"], in: directory).stdout.contains("cancelled"))
            let refused = try CLI.run(["campaign", "resume", "new-dishes"], in: directory)
            #expect(refused.status == 1 && refused.stderr.contains("cannot resume a campaign that is cancelled"))
            let show = try CLI.run(["campaign", "show", "new-dishes"], in: directory)
            #expect(show.stdout.contains("new-dishes — 冬季新菜上市: cancelled"), "\(show.stdout)")
            for event in ["created", "launch", "fanned_out", "pause", "resume", "cancel"] { #expect(show.stdout.contains("  \(event)  ")) }
            #expect(try CLI.run(["campaign", "list"], in: directory).stdout.contains("win-back    draft"))
        }
    }

    /// A campaign that starts later is scheduled, not fanned out; paused and resumed
    /// before its start it is scheduled again (the worker fans it out when the start comes).
    @Test func aLaterCampaignIsScheduledAndStaysSoThroughAPause() throws {
        try withWorkspace { directory in
            let file = """
                name: new-year
                category: marketing
                audience: "consent(sms, marketing)"
                channels: [sms]
                template: new-dishes
                values: {dish: 佛跳墙, offer: 九折, expires_on: 1月3日}
                schedule: {at: "2030-01-01 10:00", time_zone: Asia/Shanghai}
                """
            try file.write(to: directory.appendingPathComponent("new-year.yaml"), atomically: true, encoding: .utf8)
            let launch = try CLI.run(["campaign", "launch", "new-year.yaml", "--yes"], in: directory)
            #expect(launch.status == 0, "\(launch.stderr)")
            #expect(launch.stdout.contains("new-year: scheduled, starts 2030-01-01 10:00:00"), "\(launch.stdout)")
            #expect(try CLI.run(["campaign", "pause", "new-year"], in: directory).stdout.contains("paused"))
            #expect(try CLI.run(["campaign", "resume", "new-year"], in: directory).stdout.contains("new-year: scheduled"))
            let show = try CLI.run(["campaign", "show", "new-year"], in: directory)
            #expect(show.stdout.contains("no messages yet") && !show.stdout.contains("fanned_out"), "\(show.stdout)")
        }
    }
}
