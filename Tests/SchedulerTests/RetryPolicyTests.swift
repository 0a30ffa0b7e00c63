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
}
