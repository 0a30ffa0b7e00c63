import CoreModel
import Foundation
import Scheduler
import Synchronization
import Testing

/// 03:30 in Shanghai is 19:30 UTC the day before.
struct RFMScheduleTests {
    let schedule = RFMSchedule(minuteOfDay: 3 * 60 + 30, timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    @Test(
        arguments: [
            // now (UTC), last run (UTC), next run (UTC)
            ("2026-11-20T02:00:00Z", nil, "2026-11-20T02:00:00Z"),  // never computed: at once
            ("2026-11-20T02:00:00Z", "2026-11-19T19:30:00Z", "2026-11-20T19:30:00Z"),  // this period's run is done
            ("2026-11-20T02:00:00Z", "2026-11-19T19:29:59Z", "2026-11-20T02:00:00Z"),  // last run before the latest 03:30
            ("2026-11-20T19:00:00Z", "2026-11-19T20:00:00Z", "2026-11-20T19:30:00Z"),  // 03:00 local: wait for 03:30
            ("2026-11-20T19:30:00Z", "2026-11-19T20:00:00Z", "2026-11-20T19:30:00Z"),  // 03:30 local: now
            ("2026-11-20T19:30:00Z", "2026-11-20T19:30:00Z", "2026-11-21T19:30:00Z"),  // just ran: tomorrow
            ("2026-11-25T12:00:00Z", "2026-11-20T19:30:00Z", "2026-11-25T12:00:00Z"),  // days behind: at once
        ] as [(String, String?, String)])
    func nextRun(_ now: String, _ lastRun: String?, _ expected: String) throws {
        #expect(schedule.nextRun(now: try instant(now), lastRun: try lastRun.map(instant)) == (try instant(expected)))
    }

    /// Three days on a fixed clock, the worker started at 10:00 local with no scores: one run at
    /// start, then one at each 03:30 local, never a second one the same day.
    @Test func serviceRunsAtStartThenOncePerDayAtTheLocalTime() async throws {
        let clock = FixedClock(try instant("2026-11-20T02:00:00Z"))
        let store = RecordingSegments(last: nil)
        let end = try instant("2026-11-23T02:00:00Z")
        let service = RFMService(
            store: store, schedule: schedule, windowDays: 365, clock: clock, nap: .seconds(3_600),
            sleep: advancing(clock, until: end))
        try await service.run()
        let runs = await store.runs
        #expect(
            runs == [
                try instant("2026-11-20T02:00:00Z"), try instant("2026-11-20T19:30:00Z"),
                try instant("2026-11-21T19:30:00Z"),
                try instant("2026-11-22T19:30:00Z"),
            ])
        #expect(await store.windows == [365, 365, 365, 365])
    }

    /// Started at 03:00 local after yesterday's 03:30 run: nothing at start, the run at 03:30.
    @Test func restartAfterTodaysRunWaitsForTheNextSlot() async throws {
        let clock = FixedClock(try instant("2026-11-20T19:00:00Z"))
        let store = RecordingSegments(last: try instant("2026-11-19T19:30:00Z"))
        let end = try instant("2026-11-21T02:00:00Z")
        let service = RFMService(
            store: store, schedule: schedule, windowDays: 180, clock: clock,
            sleep: advancing(clock, until: end))
        try await service.run()
        #expect(await store.runs == [try instant("2026-11-20T19:30:00Z")])
    }

    /// A failed recompute is tried again after retryAfter, not at once in a loop.
    @Test func failureIsRetriedLater() async throws {
        let clock = FixedClock(try instant("2026-11-20T02:00:00Z"))
        let store = RecordingSegments(last: nil, failures: 2)
        let end = try instant("2026-11-20T03:00:00Z")
        let service = RFMService(
            store: store, schedule: schedule, windowDays: 365, clock: clock, retryAfter: 600,
            sleep: advancing(clock, until: end))
        try await service.run()
        #expect(
            await store.attempts == [
                try instant("2026-11-20T02:00:00Z"), try instant("2026-11-20T02:10:00Z"),
                try instant("2026-11-20T02:20:00Z"),
            ])
        #expect(await store.runs == [try instant("2026-11-20T02:20:00Z")])
    }
}

/// A sleep that moves the fixed clock instead of waiting; past `end` it ends the service as shutdown would.
func advancing(_ clock: FixedClock, until end: Date) -> @Sendable (Duration) async throws -> Void {
    { wait in
        clock.advance(by: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
        if clock.now() > end { throw CancellationError() }
    }
}

/// Records each recompute's `now`; fails the first `failures` attempts.
actor RecordingSegments: Segments {
    private(set) var runs: [Date] = []
    private(set) var attempts: [Date] = []
    private(set) var windows: [Int] = []
    private var last: Date?
    private var failures: Int

    struct Failure: Error {}

    init(last: Date?, failures: Int = 0) {
        self.last = last
        self.failures = failures
    }

    func countMembers(in segment: Segment, now: Date) async throws -> Int { 0 }
    func sampleMembers(in segment: Segment, limit: Int, now: Date) async throws -> [SegmentMember] { [] }
    func lastRFMComputation() async throws -> Date? { last }

    func recomputeRFM(windowDays: Int, now: Date) async throws -> RFMSummary {
        attempts.append(now)
        if failures > 0 {
            failures -= 1
            throw Failure()
        }
        runs.append(now)
        windows.append(windowDays)
        last = now
        return RFMSummary(windowDays: windowDays, members: 0, bySegment: [:], seconds: 0)
    }
}
