import CoreModel
import Foundation

/// How the dispatcher leases and retries; every default in one place.
public struct DispatchSettings: Sendable {
    /// Names this worker's leases (`localOwner()`: host, pid and a random part).
    public var owner: String
    /// A lease longer than any send; sends still in flight renew theirs, so an
    /// expired lease is a dead worker's (or one whose results could not be
    /// written) and the reaper takes it back.
    public var leaseSeconds: Double = 120
    /// How often the reaper looks for expired leases and overdue receipts.
    public var reapInterval: Duration = .seconds(5)
    /// On shutdown, how long sends in flight may take before they are cut
    /// (and recorded as unanswered, pinned to their gateway).
    public var shutdownGrace: Duration = .seconds(15)
    /// This worker is the only one on its store (it holds the `WorkerLock`):
    /// every other owner's lease is a dead worker's, taken back at start.
    public var soleWorker = false
    /// Per channel, how long an accepted message waits for its receipt before
    /// it is expired as unconfirmed; a channel without one waits forever.
    public var receiptTimeouts: [Channel: TimeInterval] = DispatchConfig.defaults.receiptTimeouts
    /// Per channel, after how long a message pinned by an unanswered send may
    /// fail over to another gateway (marked a possible duplicate); without an
    /// entry it never does.
    public var failoverAfterUnanswered: [Channel: TimeInterval] = [:]
    /// Most messages leased in one batch.
    public var maxBatch: Int = 256
    /// How often to look for newly due messages when nothing wakes the loop.
    public var pollInterval: Duration = .milliseconds(50)
    public var lanes = LaneAllocator()
    /// Retries of a channel without its own entry in `channelRetry`.
    public var retry = RetryPolicy()
    /// Per channel, a retry policy of its own (email: the mail schedule).
    public var channelRetry: [Channel: RetryPolicy] = DispatchConfig.defaults.retry
    /// tidings.yaml's defaults: quiet hours 21:00–09:00 for marketing and reminders, 2 marketing per 7 days.
    public var policy = SendPolicy(
        rules: (try? SendPolicyRules(quietHours: QuietHoursSettings.defaults)) ?? SendPolicyRules())
    public var breaker = CircuitBreaker.Configuration()
    /// Longest a batch waits inside its lease for a busy gateway before deferring.
    public var maxWaitForCapacity: TimeInterval = 2
    /// Quiet hours for messages without a member's own time zone.
    public var timeZone = TimeZone(identifier: RegionalDefaults.defaults.timezone) ?? .gmt
    public var randomSeed: UInt64 = UInt64.random(in: 1...UInt64.max)

    public init(owner: String) {
        self.owner = owner
    }

    /// How failed sends of `channel` are retried.
    public func retryPolicy(for channel: Channel) -> RetryPolicy {
        channelRetry[channel] ?? retry
    }

    /// host:pid:random — host and pid for people reading it, and a random
    /// part new at every start, so a restarted container that got the same
    /// pid is never taken for the worker that held the leases before.
    public static func localOwner() -> String {
        let info = ProcessInfo.processInfo
        return "\(info.hostName):\(info.processIdentifier):\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }

    /// A lease owner named host:pid[:…] on this host whose process is gone (a
    /// kill -9): its leases need not wait for expiry. Other owners are left to expiry.
    public func leaseOwnerIsDead(_ other: String) -> Bool {
        let fields = other.split(separator: ":")
        guard other != owner, fields.count >= 2, fields[0] == ProcessInfo.processInfo.hostName,
            let pid = Int32(fields[1]), pid > 0
        else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
