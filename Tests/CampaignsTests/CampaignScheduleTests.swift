import Campaigns
import CoreModel
import Foundation
import Testing

/// The campaign lifecycle and schedule arithmetic: pure, no store.
struct CampaignScheduleTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func at(_ text: String, _ zone: TimeZone? = nil) throws -> Date {
        try #require(CampaignClock.localDateTime(text, in: zone ?? shanghai))
    }

    @Test func theLifecycleAllowsOnlyItsArrows() {
        typealias L = CampaignLifecycle
        #expect(L.apply(.launch, to: .draft) == .moved(to: .running))
        #expect(L.apply(.launch, to: .draft, startsLater: true) == .moved(to: .scheduled))
        #expect(L.apply(.launch, to: .running) == .unchanged)
        #expect(L.apply(.start, to: .scheduled) == .moved(to: .running))
        #expect(L.apply(.pause, to: .running) == .moved(to: .paused))
        #expect(L.apply(.pause, to: .scheduled) == .moved(to: .paused))
        #expect(L.apply(.resume, to: .paused) == .moved(to: .running))
        #expect(L.apply(.complete, to: .running) == .moved(to: .completed))
        #expect(L.apply(.cancel, to: .paused) == .moved(to: .cancelled))
        for final in [CampaignStatus.completed, .cancelled] {
            for action in [CampaignAction.launch, .start, .pause, .resume] {
                guard case .refused = L.apply(action, to: final) else {
                    Issue.record("\(action) on \(final) must be refused")
                    continue
                }
            }
        }
        #expect(L.apply(.pause, to: .draft) == .refused(reason: "cannot pause a campaign that is draft"))
        #expect(L.apply(.complete, to: .paused) == .refused(reason: "cannot complete a campaign that is paused"))
    }

    @Test func cronFindsTheNextRunInItsTimeZone() throws {
        let weekdaysAtTen = try CronSchedule("0 10 * * 1-5")
        // Friday 2026-11-27 10:00 → Monday 2026-11-30 10:00 (Shanghai).
        #expect(weekdaysAtTen.next(after: try at("2026-11-27 10:00"), in: shanghai) == (try at("2026-11-30 10:00")))
        #expect(weekdaysAtTen.next(after: try at("2026-11-27 09:59"), in: shanghai) == (try at("2026-11-27 10:00")))
        let quarterHours = try CronSchedule("*/15 9-10 1,15 * *")
        #expect(quarterHours.next(after: try at("2026-12-01 10:50"), in: shanghai) == (try at("2026-12-15 09:00")))
        // Both day fields restricted: either matches (cron's rule): the 1st, or any Sunday.
        let firstOrSunday = try CronSchedule("0 8 1 * 0")
        #expect(firstOrSunday.next(after: try at("2026-11-26 12:00"), in: shanghai) == (try at("2026-11-29 08:00")))
        #expect(try CronSchedule("0 0 31 2 *").next(after: try at("2026-01-01 00:00"), in: shanghai) == nil)
        for bad in ["0 10 * *", "60 * * * *", "*/0 * * * *", "1-x * * * *", "5-1 * * * *"] {
            #expect(throws: CronSchedule.ParseError.self) { try CronSchedule(bad) }
        }
    }

    @Test func localTimesWindowsAndRunsAreWhereMembersLive() throws {
        let london = TimeZone(identifier: "Europe/London")!
        #expect(CampaignClock.localDateTime("2026-02-30 10:00", in: shanghai) == nil)
        #expect(CampaignClock.next("10:00", on: nil, in: shanghai, after: try at("2026-11-26 10:01")) == (try at("2026-11-27 10:00")))
        // Inside 10:00–20:30: no wait; after it: tomorrow's opening; a window across midnight.
        let daytime = CampaignDefinition.Window(from: "10:00", to: "20:30")
        #expect(daytime.opening(after: try at("2026-11-26 12:00"), in: shanghai) == nil)
        #expect(daytime.opening(after: try at("2026-11-26 21:00"), in: shanghai) == (try at("2026-11-27 10:00")))
        #expect(CampaignDefinition.Window(from: "22:00", to: "02:00").opening(after: try at("2026-11-27 01:00"), in: shanghai) == nil)

        let environment = CampaignEnvironment(
            savedSegments: [:], templates: TemplateLibrary(directory: URL(fileURLWithPath: "/nonexistent")), timeZone: shanghai)
        let planner = CampaignPlanner(environment: environment)
        var definition = CampaignDefinition(name: "x", category: .marketing, audience: "", channels: [.sms], template: "t")
        definition.schedule = .init(localTime: "10:00", date: "2026-12-01")
        let start = try #require(planner.nextStart(definition, after: try at("2026-11-26 12:00"), timeZones: ["Asia/Shanghai", "Europe/London"]))
        #expect(start.byTimeZone["Europe/London"] == (try at("2026-12-01 10:00", london)))
        #expect(start.at == (try at("2026-12-01 10:00")))  // Shanghai's 10:00 comes first
        definition.schedule = .init(cron: "30 9 * * *")
        let run = try #require(planner.nextStart(definition, after: try at("2026-11-26 12:00"), timeZones: []))
        #expect(run.at == (try at("2026-11-27 09:30")) && run.run == Int64(run.at.timeIntervalSince1970) / 60)
    }
}
