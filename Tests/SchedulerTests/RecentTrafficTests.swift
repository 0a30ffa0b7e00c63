import Foundation
import Testing

@testable import Scheduler

/// The dashboard's rates: counts fall out of the window as time passes, and
/// nothing older than a quarter hour is kept.
struct RecentTrafficTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func countsLeaveTheWindowAsTimePasses() {
        var traffic = RecentTraffic()
        let accepted = RecentTraffic.Key(gateway: "sim", outcome: RecentTraffic.accepted)
        let refused = RecentTraffic.Key(gateway: "sim", outcome: "permanent")
        traffic.record([accepted: 5, refused: 1], at: start)
        traffic.record([accepted: 3], at: start + 30)
        #expect(traffic.counts(lastSeconds: 60, now: start + 30) == [accepted: 8, refused: 1])
        #expect(traffic.counts(lastSeconds: 60, now: start + 65) == [accepted: 3])
        #expect(traffic.counts(lastSeconds: 900, now: start + 65) == [accepted: 8, refused: 1])
        #expect(traffic.counts(lastSeconds: 900, now: start + 1000).isEmpty)
        let perMinute = traffic.acceptedPerMinute(now: start + 30)
        #expect(perMinute.count == RecentTraffic.minutes)
        #expect(perMinute.last == 8 && perMinute.dropLast().allSatisfy { $0 == 0 })
    }

    @Test func onlyAQuarterHourIsKept() {
        var traffic = RecentTraffic()
        let key = RecentTraffic.Key(gateway: "sim", outcome: RecentTraffic.accepted)
        for second in stride(from: 0, to: 3600, by: 10) {
            traffic.record([key: 1], at: start + Double(second))
        }
        #expect(traffic.counts(lastSeconds: 3600, now: start + 3590) == [key: 91])
    }
}
