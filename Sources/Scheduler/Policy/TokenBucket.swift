import Foundation

/// A per-gateway rate limit: `rate` tokens per second refill a bucket that
/// holds at most `burst`. Starts full; time only enters through `now`.
public struct TokenBucket: Sendable, Hashable {
    /// Tokens per second; `.infinity` for no limit.
    public let rate: Double
    public let burst: Int
    private var tokens: Double
    /// When `tokens` was last brought up to date; nil until first used.
    private var updatedAt: Date?

    /// A rate that is not a positive finite number gives `.unlimited`
    /// rather than a bucket that never refills.
    public init(rate: Double, burst: Int) {
        let limited = rate.isFinite && rate > 0
        self.rate = limited ? rate : .infinity
        self.burst = limited ? max(1, burst) : .max
        self.tokens = Double(self.burst)
    }

    public static let unlimited = TokenBucket(rate: .infinity, burst: .max)

    public var isUnlimited: Bool { rate == .infinity }

    /// Tokens in the bucket at `now`, fractions included.
    public func availableTokens(now: Date) -> Double {
        if isUnlimited { return .infinity }
        guard let updatedAt else { return tokens }
        // A clock that steps back refills nothing rather than draining.
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        return min(Double(burst), tokens + elapsed * rate)
    }

    /// Takes `n` tokens if all are there, else none.
    public mutating func take(_ n: Int = 1, now: Date) -> Bool {
        if isUnlimited || n <= 0 { return true }
        refill(now: now)
        guard tokens >= Double(n) else { return false }
        tokens -= Double(n)
        return true
    }

    /// Takes as many whole tokens as are there, up to `n`, for batch leasing.
    public mutating func takeUpTo(_ n: Int, now: Date) -> Int {
        if n <= 0 { return 0 }
        if isUnlimited { return n }
        refill(now: now)
        let taken = min(n, Int(tokens.rounded(.down)))
        tokens -= Double(taken)
        return taken
    }

    /// The first instant at which at least one whole token is there: `now` if
    /// one already is. `take(now: nextTokenAt(now:))` succeeds if nothing is
    /// taken in between.
    public func nextTokenAt(now: Date) -> Date {
        let available = availableTokens(now: now)
        if available >= 1 { return now }
        let start = max(now, updatedAt ?? now)
        var at = start.addingTimeInterval((1 - available) / rate)
        // Date arithmetic rounds; step past the instant where the refill
        // still computes to 0.99999… so the promise above holds.
        var steps = 0
        while availableTokens(now: at) < 1, steps < 64 {
            at = Date(timeIntervalSinceReferenceDate: at.timeIntervalSinceReferenceDate.nextUp)
            steps += 1
        }
        return at
    }

    private mutating func refill(now: Date) {
        tokens = availableTokens(now: now)
        updatedAt = max(now, updatedAt ?? now)
    }
}
