import CoreModel
import Foundation

/// How the dispatcher leases and retries; every default in one place.
public struct DispatchSettings: Sendable {
    /// Names this worker's leases (host:pid is a good choice).
    public var owner: String
    /// A lease longer than any send: expired leases are a crash's, reconciled on start.
    public var leaseSeconds: Double = 120
    /// Most messages leased in one batch.
    public var maxBatch: Int = 256
    /// How often to look for newly due messages when nothing wakes the loop.
    public var pollInterval: Duration = .milliseconds(50)
    public var lanes = LaneAllocator()
    public var retry = RetryPolicy()
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

    /// This host's name and process id: the lease owner `leaseOwnerIsDead` can check.
    public static func localOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// A lease owner named host:pid on this host whose process is gone (a
    /// kill -9): its leases need not wait for expiry. Other owners are left to expiry.
    public func leaseOwnerIsDead(_ other: String) -> Bool {
        let host = ProcessInfo.processInfo.hostName
        guard other != owner, other.hasPrefix(host + ":"), let pid = Int32(other.dropFirst(host.count + 1)), pid > 0 else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
