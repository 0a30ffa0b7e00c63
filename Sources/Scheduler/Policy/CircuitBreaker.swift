import Foundation

/// A per-gateway circuit breaker as a plain value: the dispatcher asks before
/// each send and reports each outcome; time only enters through `now`.
///
/// The caller decides what counts as a failure (connection errors, 5xx,
/// timeouts); a rejected message or a bad address is not the gateway's fault.
public struct CircuitBreaker: Sendable, Hashable {
    public struct Configuration: Sendable, Hashable {
        /// Consecutive failures that open the breaker.
        public var failureThreshold: Int
        /// How long it stays open before probing.
        public var openSeconds: TimeInterval
        /// Requests let through at once while probing.
        public var halfOpenProbes: Int

        public init(failureThreshold: Int = 5, openSeconds: TimeInterval = 30, halfOpenProbes: Int = 1) {
            // Clamped rather than trapped: these come from config.
            self.failureThreshold = max(1, failureThreshold)
            self.openSeconds = max(0, openSeconds)
            self.halfOpenProbes = max(1, halfOpenProbes)
        }
    }

    public enum State: Sendable, Hashable {
        case closed(consecutiveFailures: Int)
        case open(until: Date)
        /// `since` is when probing began; probes that never report back are
        /// written off after `openSeconds` so the breaker cannot stick here.
        case halfOpen(probesInFlight: Int, since: Date)

        /// For metrics labels.
        public var name: String {
            switch self {
            case .closed: "closed"
            case .open: "open"
            case .halfOpen: "half_open"
            }
        }
    }

    public enum Admission: Sendable, Hashable {
        case allowed
        /// Not before `retryAt`: the end of the open period, or of the current
        /// probe window when all probes are out.
        case rejected(retryAt: Date)
    }

    public enum Outcome: Sendable, Hashable {
        case success
        case failure
    }

    public let configuration: Configuration
    public private(set) var state: State

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.state = .closed(consecutiveFailures: 0)
    }

    public mutating func admit(now: Date) -> Admission {
        switch state {
        case .closed:
            return .allowed
        case .open(let until):
            guard now >= until else { return .rejected(retryAt: until) }
            state = .halfOpen(probesInFlight: 1, since: now)
            return .allowed
        case .halfOpen(let probes, let since):
            let windowEnd = since.addingTimeInterval(configuration.openSeconds)
            if now >= windowEnd {
                state = .halfOpen(probesInFlight: 1, since: now)
                return .allowed
            }
            guard probes < configuration.halfOpenProbes else { return .rejected(retryAt: windowEnd) }
            state = .halfOpen(probesInFlight: probes + 1, since: since)
            return .allowed
        }
    }

    /// Records an answer; true when it opened the breaker (for the gateways report).
    @discardableResult
    public mutating func record(_ outcome: Outcome, now: Date) -> Bool {
        let wasOpen = if case .open = state { true } else { false }
        switch (state, outcome) {
        case (.closed, .success):
            state = .closed(consecutiveFailures: 0)
        case (.closed(let failures), .failure):
            state = failures + 1 >= configuration.failureThreshold ? open(now: now) : .closed(consecutiveFailures: failures + 1)
        case (.halfOpen, .success):
            state = .closed(consecutiveFailures: 0)
        case (.halfOpen, .failure):
            state = open(now: now)
        case (.open, _):
            // Late results of requests admitted before opening neither close
            // the breaker early nor extend the open period.
            break
        }
        if case .open = state { return !wasOpen }
        return false
    }

    private func open(now: Date) -> State { .open(until: now.addingTimeInterval(configuration.openSeconds)) }
}
