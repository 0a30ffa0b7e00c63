import Foundation
import Scheduler
import Testing

struct FrequencyCapTests {
    let cap = FrequencyCap(limit: 2, days: 7)
    let day: TimeInterval = 86_400

    @Test func theThirdInSevenDaysIsCappedUntilTheOldestLeaves() {
        #expect(cap.check(recentSendTimes: [], now: t0) == .allowed)
        #expect(cap.check(recentSendTimes: [t0 - 6 * day], now: t0) == .allowed)
        let sends = [t0 - 6 * day, t0 - 1 * day]
        #expect(cap.check(recentSendTimes: sends, now: t0) == .capped(reason: "2 sent in the last 7 days (limit 2)", freeAt: t0 + day))
        #expect(cap.check(recentSendTimes: sends, now: t0 + day - 1) == .capped(reason: "2 sent in the last 7 days (limit 2)", freeAt: t0 + day))
        #expect(cap.check(recentSendTimes: sends, now: t0 + day) == .allowed)
    }

    @Test func sendsOutsideTheWindowDoNotCount() {
        #expect(cap.check(recentSendTimes: [t0 - 7 * day, t0 - 30 * day, t0 - day], now: t0) == .allowed)
        #expect(
            cap.check(recentSendTimes: [t0 - 7 * day + 1, t0 - day], now: t0)
                == .capped(reason: "2 sent in the last 7 days (limit 2)", freeAt: t0 + 1))
    }

    @Test func overTheLimitFreesWhenEnoughHaveLeft() {
        // Unordered; three counted, so two must leave: the second oldest decides.
        let sends = [t0 - 1 * day, t0 - 5 * day, t0 - 3 * day]
        #expect(cap.check(recentSendTimes: sends, now: t0) == .capped(reason: "3 sent in the last 7 days (limit 2)", freeAt: t0 + 4 * day))
    }

    @Test func aZeroLimitNeverFrees() {
        let closed = FrequencyCap(limit: 0, days: 7)
        #expect(closed.check(recentSendTimes: [], now: t0) == .capped(reason: "0 sent in the last 7 days (limit 0)", freeAt: .distantFuture))
    }
}
