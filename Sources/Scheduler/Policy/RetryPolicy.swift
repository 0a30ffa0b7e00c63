import Foundation

/// When to try a transiently failed message again: exponential backoff with
/// full jitter (delay uniform in 0...min(cap, base·2^(attempts-1))), so retries
/// after an outage spread out instead of arriving together.
public struct RetryPolicy: Sendable, Hashable {
    public var base: TimeInterval
    public var cap: TimeInterval
    /// Upper bound on a provider's Retry-After, so a bogus header cannot park
    /// a message for days.
    public var maxRetryAfter: TimeInterval

    public init(base: TimeInterval = 2, cap: TimeInterval = 300, maxRetryAfter: TimeInterval = 3600) {
        self.base = max(0, base)
        self.cap = max(0, cap)
        self.maxRetryAfter = max(0, maxRetryAfter)
    }

    /// The largest delay full jitter can pick after `attempts` sends.
    public func ceiling(attempts: Int) -> TimeInterval {
        min(cap, base * pow(2, Double(max(1, attempts) - 1)))
    }

    /// - Parameter attempts: sends made so far, the failed one included (the
    ///   store counts a send when it leases the message).
    public func decide(
        attempts: Int, maxAttempts: Int, retryAfter: TimeInterval?, expiresAt: Date?, now: Date,
        random: inout some RandomNumberGenerator
    ) -> RetryDecision {
        guard attempts < maxAttempts else { return .giveUp(reason: "gave up after \(attempts) of \(maxAttempts) attempts") }
        let delay: TimeInterval
        if let retryAfter {
            // The provider's Retry-After is used as is, without jitter: it
            // knows when it will take traffic, and the gateway's token bucket
            // spreads what comes due at once.
            delay = min(max(0, retryAfter), maxRetryAfter)
        } else {
            delay = Double.random(in: 0...ceiling(attempts: attempts), using: &random)
        }
        let at = now.addingTimeInterval(delay)
        if let expiresAt, at >= expiresAt {
            return .expire(reason: "expires before the next attempt (\(Int(delay.rounded(.up))) s from now)")
        }
        return .retry(at: at)
    }
}

public enum RetryDecision: Sendable, Hashable {
    case retry(at: Date)
    /// Attempts are used up.
    case giveUp(reason: String)
    /// The next attempt would fall at or after the message's expiry.
    case expire(reason: String)
}
