import CoreModel
import Foundation
import Scheduler
import Testing

struct TokenBucketTests {
    @Test func startsFullAndRefillsAtTheRate() {
        var bucket = TokenBucket(rate: 10, burst: 5)
        #expect(bucket.availableTokens(now: t0) == 5)
        #expect(bucket.take(5, now: t0) == true)
        #expect(bucket.take(now: t0) == false)
        #expect(bucket.availableTokens(now: t0 + 0.25) == 2.5)
        #expect(bucket.take(3, now: t0 + 0.25) == false)
        #expect(bucket.take(2, now: t0 + 0.25) == true)
        #expect(bucket.availableTokens(now: t0 + 0.25) == 0.5)
        #expect(bucket.availableTokens(now: t0 + 0.5) == 3)
    }

    @Test func neverHoldsMoreThanTheBurst() {
        var bucket = TokenBucket(rate: 10, burst: 5)
        #expect(bucket.take(5, now: t0) == true)
        #expect(bucket.availableTokens(now: t0 + 100) == 5)
        #expect(bucket.take(6, now: t0 + 100) == false)
        #expect(bucket.take(5, now: t0 + 100) == true)
    }

    @Test func takeUpToTakesWholeTokens() {
        var bucket = TokenBucket(rate: 10, burst: 5)
        #expect(bucket.takeUpTo(8, now: t0) == 5)
        #expect(bucket.takeUpTo(8, now: t0) == 0)
        #expect(bucket.takeUpTo(8, now: t0 + 0.375) == 3)
        #expect(bucket.availableTokens(now: t0 + 0.375) == 0.75)
        #expect(bucket.takeUpTo(2, now: t0 + 1) == 2)
        #expect(bucket.availableTokens(now: t0 + 1) == 3)  // refilled to the burst of 5, less 2
        #expect(bucket.takeUpTo(0, now: t0 + 1) == 0)
    }

    @Test func nextTokenAtIsWhenATakeSucceeds() {
        var bucket = TokenBucket(rate: 10, burst: 5)
        #expect(bucket.nextTokenAt(now: t0) == t0)
        #expect(bucket.take(5, now: t0) == true)
        let next = bucket.nextTokenAt(now: t0)
        #expect(abs(next.timeIntervalSince(t0) - 0.1) < 1e-6)
        #expect(bucket.take(now: next - 0.001) == false)
        #expect(bucket.take(now: next) == true)

        // Refill times are rarely exact in binary; the promise still holds.
        var random = SeededGenerator(seed: 3)
        for rate in [3.0, 7.0, 333.0, 4999.0] {
            var single = TokenBucket(rate: rate, burst: 1)
            var now = t0
            #expect(single.take(now: now) == true)
            for step in 0..<200 {
                let at = single.nextTokenAt(now: now)
                #expect(at > now)
                #expect(single.take(now: at) == true, "rate \(rate), step \(step)")
                now = at + Double(random.below(1000)) / 1000 / rate
            }
        }
    }

    @Test func aClockSteppingBackDoesNotRefillOrDrain() {
        var bucket = TokenBucket(rate: 10, burst: 5)
        #expect(bucket.take(5, now: t0 + 10) == true)
        #expect(bucket.availableTokens(now: t0 + 5) == 0)
        #expect(bucket.take(now: t0 + 5) == false)
        #expect(bucket.availableTokens(now: t0 + 10.5) == 5)
    }

    @Test func unlimitedAlwaysGives() {
        var bucket = TokenBucket.unlimited
        #expect(bucket.take(1_000_000, now: t0) == true)
        #expect(bucket.takeUpTo(500, now: t0) == 500)
        #expect(bucket.nextTokenAt(now: t0) == t0)
        #expect(TokenBucket(rate: 0, burst: 10).isUnlimited)
        #expect(!TokenBucket(rate: 0.5, burst: 10).isUnlimited)
    }
}
