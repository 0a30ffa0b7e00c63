import Channels
import CoreModel
import Foundation
import Synchronization

/// Each gateway's token bucket, circuit breaker and in-flight count, shared by
/// the batches being sent. The policy values are pure; this only keeps them
/// under one lock and answers "may this gateway take one more now?".
public final class GatewayTraffic: Sendable {
    public enum Admission: Sendable, Hashable {
        case admitted
        /// Try this gateway again at `until`: `lasting` when its breaker is open
        /// (fail over or defer), else it is only busy (wait a moment).
        case notNow(until: Date, reason: String, lasting: Bool)
    }

    struct Guard: Sendable {
        var bucket: TokenBucket
        var breaker: CircuitBreaker
        var inFlight = 0
        let maxInFlight: Int
    }

    private let guards: Mutex<[String: Guard]>

    /// Gateways without settings (tests, ad-hoc registries) are unlimited.
    public init(settings: [GatewaySettings], breaker: CircuitBreaker.Configuration = .init()) {
        var guards: [String: Guard] = [:]
        for gateway in settings {
            guards[gateway.name] = Guard(
                bucket: gateway.rate > 0 ? TokenBucket(rate: gateway.rate, burst: max(gateway.burst, 1)) : .unlimited,
                breaker: CircuitBreaker(configuration: breaker), maxInFlight: max(gateway.maxInFlight, 1))
        }
        self.guards = Mutex(guards)
        self.breakerConfiguration = breaker
    }

    private let breakerConfiguration: CircuitBreaker.Configuration
    static let unlimitedInFlight = 1_000_000

    /// How many more sends all gateways could take now: sizes the next lease.
    public func headroom(now: Date, names: some Sequence<String>) -> Int {
        guards.withLock { guards in
            var room = 0
            for name in names {
                let state = guards[name] ?? fresh()
                if case .open(let until) = state.breaker.state, until > now { continue }
                let tokens = state.bucket.isUnlimited ? Double(Self.unlimitedInFlight) : state.bucket.availableTokens(now: now)
                room += max(0, min(state.maxInFlight - state.inFlight, Int(tokens)))
            }
            return room
        }
    }

    public func admit(_ name: String, now: Date) -> Admission {
        guards.withLock { guards in
            var state = guards[name] ?? fresh()
            defer { guards[name] = state }
            if state.inFlight >= state.maxInFlight {
                return .notNow(until: now.addingTimeInterval(0.005), reason: "gateway \(name) has \(state.inFlight) in flight", lasting: false)
            }
            if state.bucket.availableTokens(now: now) < 1 {
                return .notNow(until: state.bucket.nextTokenAt(now: now), reason: "gateway \(name) rate limit", lasting: false)
            }
            if case .rejected(let retryAt) = state.breaker.admit(now: now) {
                return .notNow(until: retryAt, reason: "gateway \(name) circuit open", lasting: true)
            }
            _ = state.bucket.take(1, now: now)
            state.inFlight += 1
            return .admitted
        }
    }

    /// One admitted send is over; `healthy` nil when the answer says nothing
    /// about the gateway's health (a bad number, a throttle). True when it opened the breaker.
    @discardableResult
    public func finished(_ name: String, healthy: Bool?, now: Date) -> Bool {
        guards.withLock { guards in
            guard var state = guards[name] else { return false }
            state.inFlight = max(0, state.inFlight - 1)
            let opened = healthy.map { state.breaker.record($0 ? .success : .failure, now: now) } ?? false
            guards[name] = state
            return opened
        }
    }

    /// Breaker state names by gateway, for /metrics and the logs.
    public func breakerStates() -> [String: String] {
        guards.withLock { $0.mapValues(\.breaker.state.name) }
    }

    public func inFlight() -> [String: Int] {
        guards.withLock { $0.mapValues(\.inFlight) }
    }

    private func fresh() -> Guard {
        Guard(bucket: .unlimited, breaker: CircuitBreaker(configuration: breakerConfiguration), maxInFlight: Self.unlimitedInFlight)
    }
}
