import CoreModel
import Foundation
import Scheduler
import Testing

struct RetryPolicyTests {
    let policy = RetryPolicy()

    @Test func ceilingDoublesFromTwoSecondsUpToTheCap() {
        let ceilings = (1...11).map { policy.ceiling(attempts: $0) }
        #expect(ceilings == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300])
        #expect(policy.ceiling(attempts: 10_000) == 300)
    }

    @Test func jitteredDelaysSpanZeroToTheCeiling() {
        var random = SeededGenerator(seed: 42)
        for attempts in 1...10 {
            let ceiling = policy.ceiling(attempts: attempts)
            var delays: [TimeInterval] = []
            for _ in 0..<200 {
                guard case .retry(let at) = policy.decide(
                    attempts: attempts, maxAttempts: 20, retryAfter: nil, expiresAt: nil, now: t0, random: &random)
                else {
                    Issue.record("attempt \(attempts) did not retry")
                    return
                }
                delays.append(at.timeIntervalSince(t0))
            }
            #expect(delays.allSatisfy { (0...ceiling).contains($0) }, "attempt \(attempts)")
            // Full jitter: both halves of the range are used.
            #expect((delays.min() ?? .infinity) < ceiling * 0.1, "attempt \(attempts)")
            #expect((delays.max() ?? 0) > ceiling * 0.9, "attempt \(attempts)")
        }
    }

    @Test func theSameSeedGivesTheSameSchedule() {
        func schedule(seed: UInt64) -> [RetryDecision] {
            var random = SeededGenerator(seed: seed)
            return (1...5).map { policy.decide(attempts: $0, maxAttempts: 10, retryAfter: nil, expiresAt: nil, now: t0, random: &random) }
        }
        #expect(schedule(seed: 7) == schedule(seed: 7))
        #expect(schedule(seed: 7) != schedule(seed: 8))
    }

    @Test func retryAfterIsUsedAsGiven() {
        var random = SeededGenerator(seed: 1)
        #expect(policy.decide(attempts: 1, maxAttempts: 5, retryAfter: 120, expiresAt: nil, now: t0, random: &random) == .retry(at: t0 + 120))
        // Longer than the backoff cap: still honoured.
        #expect(policy.decide(attempts: 1, maxAttempts: 5, retryAfter: 900, expiresAt: nil, now: t0, random: &random) == .retry(at: t0 + 900))
        #expect(policy.decide(attempts: 1, maxAttempts: 5, retryAfter: 86_400, expiresAt: nil, now: t0, random: &random) == .retry(at: t0 + 3600))
        #expect(policy.decide(attempts: 1, maxAttempts: 5, retryAfter: -5, expiresAt: nil, now: t0, random: &random) == .retry(at: t0))
    }

    @Test func givesUpWhenAttemptsAreUsed() {
        var random = SeededGenerator(seed: 1)
        #expect(
            policy.decide(attempts: 5, maxAttempts: 5, retryAfter: nil, expiresAt: nil, now: t0, random: &random)
                == .giveUp(reason: "gave up after 5 of 5 attempts"))
        #expect(
            policy.decide(attempts: 5, maxAttempts: 5, retryAfter: 1, expiresAt: t0 + 3600, now: t0, random: &random)
                == .giveUp(reason: "gave up after 5 of 5 attempts"))
        guard case .retry = policy.decide(attempts: 4, maxAttempts: 5, retryAfter: nil, expiresAt: nil, now: t0, random: &random) else {
            Issue.record("attempt 4 of 5 should retry")
            return
        }
    }

    @Test func expiresWhenTheRetryWouldFallAtOrAfterExpiry() {
        var random = SeededGenerator(seed: 1)
        #expect(
            policy.decide(attempts: 1, maxAttempts: 5, retryAfter: 60, expiresAt: t0 + 60, now: t0, random: &random)
                == .expire(reason: "expires before the next attempt (60 s from now)"))
        #expect(policy.decide(attempts: 1, maxAttempts: 5, retryAfter: 59, expiresAt: t0 + 60, now: t0, random: &random) == .retry(at: t0 + 59))
        guard case .expire = policy.decide(attempts: 1, maxAttempts: 5, retryAfter: nil, expiresAt: t0 - 1, now: t0, random: &random) else {
            Issue.record("an already expired message should expire")
            return
        }
        // Jittered delays are checked against expiry too.
        var outcomes: Set<String> = []
        for _ in 0..<100 {
            switch policy.decide(attempts: 9, maxAttempts: 20, retryAfter: nil, expiresAt: t0 + 150, now: t0, random: &random) {
            case .retry(let at): outcomes.insert("retry"); #expect(at < t0 + 150)
            case .expire: outcomes.insert("expire")
            case .giveUp: outcomes.insert("giveUp")
            }
        }
        #expect(outcomes == ["retry", "expire"])
    }

    /// The mail schedule, table-driven: attempt n waits delays[n-1] (the last repeats) plus at most 10 %.
    @Test(arguments: [(1, 300.0), (2, 900), (3, 3600), (4, 14_400), (5, 14_400), (9, 14_400)])
    func mailScheduleWaitsItsDelayPlusAtMostATenthMore(attempts: Int, delay: TimeInterval) {
        var random = SeededGenerator(seed: 3)
        var delays: [TimeInterval] = []
        for _ in 0..<100 {
            guard case .retry(let at) = RetryPolicy.mail.decide(
                    attempts: attempts, maxAttempts: 1, retryAfter: nil, expiresAt: nil, firstDue: t0, now: t0,
                    random: &random)
            else {
                Issue.record("attempt \(attempts) did not retry")
                return
            }
            delays.append(at.timeIntervalSince(t0))
        }
        #expect(
            delays.allSatisfy { (delay...(delay * 1.1)).contains($0) }, "\(delays.min() ?? 0)...\(delays.max() ?? 0)")
        #expect((delays.max() ?? 0) > delay * 1.05, "jitter is used")
    }

    /// A schedule is bounded by age, not by the message's max_attempts.
    @Test func mailScheduleStopsAtMaxAgeNotAtMaxAttempts() {
        var random = SeededGenerator(seed: 4)
        let firstDue = t0
        guard case .retry = RetryPolicy.mail.decide(
                attempts: 7, maxAttempts: 5, retryAfter: nil, expiresAt: nil, firstDue: firstDue, now: t0 + 5 * 3600,
                random: &random)
        else {
            Issue.record("a mail retry within the day gave up at max_attempts")
            return
        }
        // 21 h in, the next 4 h delay would end past 24 h.
        #expect(
            RetryPolicy.mail.decide(
                attempts: 8, maxAttempts: 5, retryAfter: nil, expiresAt: nil, firstDue: firstDue, now: t0 + 21 * 3600,
                random: &random)
                == .giveUp(reason: "gave up after 8 attempts: the next would fall beyond 24h of retries"))
        // Expiry still applies first.
        guard case .expire = RetryPolicy.mail.decide(
                attempts: 1, maxAttempts: 5, retryAfter: nil, expiresAt: t0 + 60, firstDue: firstDue, now: t0,
                random: &random)
        else {
            Issue.record("a message expiring in a minute was kept for 5")
            return
        }
        // A server's own retry time is used as given, as for backoff.
        #expect(RetryPolicy.mail.decide(
            attempts: 1, maxAttempts: 5, retryAfter: 30, expiresAt: nil, firstDue: firstDue, now: t0, random: &random)
            == .retry(at: t0 + 30))
    }

    @Test func theDefaultPolicyStaysBackoffForSMSAndEmailGetsTheMailSchedule() {
        let settings = DispatchSettings(owner: "t")
        #expect(settings.retryPolicy(for: .sms) == RetryPolicy())
        #expect(settings.retryPolicy(for: .voice) == RetryPolicy())
        #expect(settings.retryPolicy(for: .email) == .mail)
        #expect(RetryPolicy.mail.schedule?.delays == [300, 900, 3600, 14_400])
        #expect(RetryPolicy.mail.schedule?.maxAge == 86_400)
    }
}
