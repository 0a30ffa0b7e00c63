/// How long a worker loop waits after its store work failed again — a full
/// disk, a read-only file: each failure in a row doubles the wait from
/// `initial` up to `cap`, and the first success ends the run. A plain value:
/// the loop asks it, logs once per step (one line per wait, not one per
/// poll), and sleeps.
public struct FailureBackoff: Sendable, Hashable {
    public let initial: Duration
    public let cap: Duration
    /// Failures in a row so far.
    public private(set) var failures = 0

    public init(initial: Duration = .seconds(1), cap: Duration = .seconds(60)) {
        self.initial = max(initial, .milliseconds(1))
        self.cap = max(cap, self.initial)
    }

    /// One more failure: the wait before the next attempt.
    public mutating func failed() -> Duration {
        failures += 1
        return delay
    }

    /// A success; true when it ends a run of failures (worth a line saying so).
    @discardableResult
    public mutating func succeeded() -> Bool {
        defer { failures = 0 }
        return failures > 0
    }

    /// The wait after the failures so far: none before the first.
    public var delay: Duration {
        guard failures > 0 else { return .zero }
        var delay = initial
        for _ in 1..<failures {
            delay *= 2
            if delay >= cap { return cap }
        }
        return min(delay, cap)
    }
}
