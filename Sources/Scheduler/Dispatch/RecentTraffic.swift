import Channels
import Foundation

/// What the gateways answered over the last quarter hour, in ten-second
/// buckets, kept by the dispatcher as outcomes arrive: the dashboard reads
/// its rates here instead of counting `message_events` while a backlog
/// drains. A plain value; the dispatcher keeps it behind a lock.
public struct RecentTraffic: Sendable {
    /// How far back it remembers.
    public static let minutes = 15
    static let bucketSeconds: Int64 = 10
    static let bucketsKept = Int64(minutes * 60) / bucketSeconds + 1

    /// `accepted` or the kind of a failure (`GatewayError.kind`).
    public struct Key: Sendable, Hashable {
        public var gateway: String
        public var outcome: String

        public init(gateway: String, outcome: String) {
            self.gateway = gateway
            self.outcome = outcome
        }
    }

    private var buckets: [Int64: [Key: Int]] = [:]

    public init() {}

    public mutating func record(_ counts: [Key: Int], at now: Date) {
        guard !counts.isEmpty else { return }
        let bucket = Self.bucket(now)
        buckets[bucket, default: [:]].merge(counts, uniquingKeysWith: +)
        if buckets.count > Self.bucketsKept {
            buckets = buckets.filter { $0.key > bucket - Self.bucketsKept }
        }
    }

    /// Counts of the last `seconds` (rounded to whole buckets, the current one included).
    public func counts(lastSeconds seconds: Int, now: Date) -> [Key: Int] {
        let newest = Self.bucket(now)
        let oldest = newest - max(1, Int64(seconds) / Self.bucketSeconds) + 1
        var total: [Key: Int] = [:]
        for (bucket, counts) in buckets where bucket >= oldest && bucket <= newest {
            total.merge(counts, uniquingKeysWith: +)
        }
        return total
    }

    /// Accepted messages per minute, oldest minute first, the last being the current one.
    public func acceptedPerMinute(now: Date) -> [Int] {
        let newest = Self.bucket(now)
        let perMinute = 60 / Self.bucketSeconds
        return (0..<Int64(Self.minutes)).reversed().map { minutesAgo in
            let last = newest - minutesAgo * perMinute
            return (last - perMinute + 1...last).reduce(0) { sum, bucket in
                sum + (buckets[bucket]?.filter { $0.key.outcome == Self.accepted }.values.reduce(0, +) ?? 0)
            }
        }
    }

    public static let accepted = "accepted"

    static func bucket(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) / bucketSeconds }
}

extension GatewayError {
    /// A stable name for the kind of failure (the dashboard's errors by kind).
    public var kind: String {
        switch self {
        case .transient: "transient"
        case .unanswered: "unanswered"
        case .throttled: "throttled"
        case .permanent: "permanent"
        case .invalidAddress: "invalid_address"
        case .auth: "auth"
        }
    }
}
