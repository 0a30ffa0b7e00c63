import Foundation

/// At most `limit` messages per member and category in any rolling window of
/// `days` × 24 h (elapsed time, not calendar days).
public struct FrequencyCap: Sendable, Hashable {
    public let limit: Int
    public let days: Int

    public init(limit: Int, days: Int) {
        self.limit = max(0, limit)
        self.days = max(1, days)
    }

    public var window: TimeInterval { TimeInterval(days) * 86_400 }

    /// - Parameter recentSendTimes: earlier sends to this member in this
    ///   category, in any order; older ones are ignored.
    public func check(recentSendTimes: [Date], now: Date) -> FrequencyDecision {
        let windowStart = now.addingTimeInterval(-window)
        // A send exactly `window` ago has just left; later ones (even ones
        // stamped ahead of our clock by another worker) still count.
        let counted = recentSendTimes.filter { $0 > windowStart }.sorted()
        guard counted.count >= limit else { return .allowed }
        let reason = "\(counted.count) sent in the last \(days) days (limit \(limit))"
        guard limit > 0 else { return .capped(reason: reason, freeAt: .distantFuture) }
        // Free once all but limit-1 of them have left the window.
        return .capped(reason: reason, freeAt: counted[counted.count - limit].addingTimeInterval(window))
    }
}

public enum FrequencyDecision: Sendable, Hashable {
    case allowed
    case capped(reason: String, freeAt: Date)
}
