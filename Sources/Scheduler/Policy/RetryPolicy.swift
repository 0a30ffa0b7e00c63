import Foundation

/// When to try a transiently failed message again. By default exponential
/// backoff with full jitter (delay uniform in 0...min(cap, base·2^(attempts-1))),
/// so retries after an outage spread out instead of arriving together, bounded
/// by the message's `max_attempts`. A channel whose refusals last longer (a
/// mail server's 4xx: greylisting, a full mailbox) gets a `schedule` instead:
/// fixed delays from minutes to hours, bounded by age, as mail servers retry.
public struct RetryPolicy: Sendable, Hashable {
    public var base: TimeInterval
    public var cap: TimeInterval
    /// Upper bound on a provider's Retry-After, so a bogus header cannot park
    /// a message for days.
    public var maxRetryAfter: TimeInterval
    /// Nil: exponential backoff as above.
    public var schedule: Schedule?

    /// Retry n waits `delays[n-1]` (the last delay repeats) plus up to 10 %
    /// jitter, never less; retries go on while the next attempt falls within
    /// `maxAge` of the message's first due time. The message's `max_attempts`
    /// does not apply: a schedule is bounded by time, like a mail queue's lifetime.
    public struct Schedule: Sendable, Hashable {
        public var delays: [TimeInterval]
        public var maxAge: TimeInterval

        public init(delays: [TimeInterval], maxAge: TimeInterval) {
            self.delays = delays.map { max(0, $0) }
            self.maxAge = max(0, maxAge)
        }

        /// The delay before the attempt after `attempts` sends, before jitter.
        public func delay(attempts: Int) -> TimeInterval {
            guard let last = delays.last else { return 0 }
            let index = max(1, attempts) - 1
            return index < delays.count ? delays[index] : last
        }
    }

    public init(
        base: TimeInterval = 2, cap: TimeInterval = 300, maxRetryAfter: TimeInterval = 3600, schedule: Schedule? = nil
    ) {
        self.base = max(0, base)
        self.cap = max(0, cap)
        self.maxRetryAfter = max(0, maxRetryAfter)
        self.schedule = schedule
    }

    /// The mail schedule: 5 min, 15 min, 1 h, then every 4 h, for up to a day.
    public static let mail = RetryPolicy(schedule: Schedule(delays: [300, 900, 3600, 14_400], maxAge: 86_400))

    /// The largest delay full jitter can pick after `attempts` sends.
    public func ceiling(attempts: Int) -> TimeInterval {
        min(cap, base * pow(2, Double(max(1, attempts) - 1)))
    }

    /// - Parameters:
    ///   - attempts: sends made so far, the failed one included (the store
    ///     counts a send when it leases the message).
    ///   - firstDue: when the message first came due (a schedule's `maxAge`
    ///     counts from it); without it, from `now`.
    public func decide(
        attempts: Int, maxAttempts: Int, retryAfter: TimeInterval?, expiresAt: Date?, firstDue: Date? = nil, now: Date,
        random: inout some RandomNumberGenerator
    ) -> RetryDecision {
        if schedule == nil, attempts >= maxAttempts {
            return .giveUp(reason: "gave up after \(attempts) of \(maxAttempts) attempts")
        }
        let delay: TimeInterval
        if let retryAfter {
            // The provider's Retry-After is used as is, without jitter: it
            // knows when it will take traffic, and the gateway's token bucket
            // spreads what comes due at once.
            delay = min(max(0, retryAfter), maxRetryAfter)
        } else if let schedule {
            let planned = schedule.delay(attempts: attempts)
            delay = planned + Double.random(in: 0...(planned * 0.1), using: &random)
        } else {
            delay = Double.random(in: 0...ceiling(attempts: attempts), using: &random)
        }
        let at = now.addingTimeInterval(delay)
        if let schedule, at > (firstDue ?? now).addingTimeInterval(schedule.maxAge) {
            let limit = Self.text(schedule.maxAge)
            return .giveUp(reason: "gave up after \(attempts) attempts: the next would fall beyond \(limit) of retries")
        }
        if let expiresAt, at >= expiresAt {
            return .expire(reason: "expires before the next attempt (\(Int(delay.rounded(.up))) s from now)")
        }
        return .retry(at: at)
    }

    /// 86400 → "24h", 900 → "15m", 90 → "90s".
    static func text(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if whole >= 3600, whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole >= 60, whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}

public enum RetryDecision: Sendable, Hashable {
    case retry(at: Date)
    /// Attempts (or, on a schedule, its time) are used up.
    case giveUp(reason: String)
    /// The next attempt would fall at or after the message's expiry.
    case expire(reason: String)
}
