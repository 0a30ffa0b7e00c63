import Channels
import CoreModel
import Dispatch
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// The sending loop of `tidings run`: leases due messages lane by lane with
/// reserved shares, checks send-time policy, hands each to a gateway its
/// bucket, in-flight cap and breaker admit (failing over down the channel's
/// list), and records every outcome — retries with jittered backoff,
/// suppressions and deferrals with their reasons.
public final class Dispatcher: Service, Sendable {
    public let store: any Outbox
    public let registry: GatewayRegistry
    public let traffic: GatewayTraffic
    public let settings: DispatchSettings
    let clock: any WallClock
    let logger: Logger
    let wake = Wake()
    private let random: Mutex<SeededGenerator>
    private let leased = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let totalInFlight: Int

    public init(store: any Outbox, registry: GatewayRegistry, settings: DispatchSettings, clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "tidings.dispatcher")) {
        self.store = store
        self.registry = registry
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.traffic = GatewayTraffic(settings: Array(registry.settings.values), breaker: settings.breaker)
        self.random = Mutex(SeededGenerator(seed: settings.randomSeed))
        let limits = registry.gateways.keys.map { registry.settings[$0]?.maxInFlight ?? GatewayTraffic.unlimitedInFlight }
        self.totalInFlight = max(1, min(limits.reduce(0, +), GatewayTraffic.unlimitedInFlight))
    }

    /// Reconciles leases a crash left behind, then leases and sends until a
    /// graceful shutdown: leasing stops, batches in flight finish, and
    /// messages not yet handed to a gateway are released.
    public func run() async throws {
        let now = clock.now()
        let dead = try await store.leaseOwners().filter { settings.leaseOwnerIsDead($0) }
        let reconciled = try await store.reconcileExpiredLeases(now: now) + store.reconcileLeases(ownedBy: dead, now: now)
        if reconciled > 0 { logger.notice("reconciled leases left by a crash", metadata: ["messages": "\(reconciled)", "owners": "\(dead)"]) }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                while !stopping.load(ordering: .relaxed) {
                    var full = false
                    do { full = try await fill(into: &group) } catch {
                        logger.error("leasing failed", metadata: ["error": "\(error)"])
                    }
                    if !full { await wake.wait(timeout: settings.pollInterval) }
                }
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            self.wake.signal()
        }
    }

    /// Leases one round of `lanes` (all by default) and sends it, waiting for
    /// the outcomes (`tidings send --wait`, tests). Returns how many were leased.
    @discardableResult
    public func sendDue(lanes: [Lane] = Lane.allCases, limit: Int? = nil) async throws -> Int {
        let now = clock.now()
        let batch = try await lease(capacity: min(capacity(now: now), limit ?? .max), now: now, lanes: Set(lanes))
        guard !batch.isEmpty else { return 0 }
        await dispatch(batch)
        return batch.count
    }

    /// Leases as much as the gateways can take and starts sending it; true if
    /// the batch was full (more may be due at once).
    private func fill(into group: inout DiscardingTaskGroup) async throws -> Bool {
        let now = clock.now()
        let room = capacity(now: now)
        guard room > 0 else { return false }
        let batch = try await lease(capacity: room, now: now)
        guard !batch.isEmpty else { return false }
        leased.add(batch.count, ordering: .relaxed)
        group.addTask {
            await self.dispatch(batch)
            self.leased.subtract(batch.count, ordering: .relaxed)
            self.wake.signal()
        }
        return batch.count == room && room == settings.maxBatch
    }

    private func capacity(now: Date) -> Int {
        min(traffic.headroom(now: now, names: registry.gateways.keys), totalInFlight - leased.load(ordering: .relaxed), settings.maxBatch)
    }

    private func lease(capacity: Int, now: Date, lanes: Set<Lane> = Set(Lane.allCases)) async throws -> [OutboxMessage] {
        guard capacity > 0 else { return [] }
        let due = try await store.dueCounts(upTo: capacity, now: now).filter { lanes.contains($0.key) }
        let quotas = settings.lanes.allocate(capacity: capacity, due: due)
        var batch: [OutboxMessage] = []
        for lane in LanePriority.servingOrder {
            guard let quota = quotas[lane], quota > 0 else { continue }
            batch += try await store.leaseDue(lane: lane, limit: quota, owner: settings.owner, leaseUntil: now.addingTimeInterval(settings.leaseSeconds), now: now)
        }
        return batch
    }

    /// One leased message on its way: where it may go, and which candidate is next.
    struct Attempt: Sendable {
        var message: OutboxMessage
        var outbound: OutboundMessage
        var candidates: [any Gateway]
        var next = 0
        var lastError: (gateway: String, error: GatewayError)?
    }

    /// Decides, sends and records one leased batch.
    func dispatch(_ batch: [OutboxMessage]) async {
        var results: [SendResult] = []
        var ready: [Attempt] = []
        let now = clock.now()
        do {
            let contexts = try await store.sendContexts(for: batch, recentSince: settings.policy.rules.frequencyCaps.mapValues { now.addingTimeInterval(-$0.window) })
            var decided = SendDecisions(policy: settings.policy, defaultTimeZone: settings.timeZone)
            for message in batch {
                switch decided.prepare(message, context: contexts[message.id], registry: registry, now: now) {
                case .settled(let result): results.append(result)
                case .send(let outbound, let candidates): ready.append(Attempt(message: message, outbound: outbound, candidates: candidates))
                }
            }
        } catch {
            logger.error("reading send-time facts failed; the batch goes back", metadata: ["error": "\(error)", "messages": "\(batch.count)"])
            results = batch.map { SendResult(messageId: $0.id, gateway: nil, event: .released) }
        }
        results += await send(ready)
        Self.count(results)
        do { _ = try await store.recordSendResults(results, owner: settings.owner, now: clock.now()) } catch {
            // The leases run out and the restart's reconciliation resends with the same keys.
            logger.error("recording a batch failed", metadata: ["error": "\(error)", "messages": "\(results.count)"])
        }
    }

    /// Rounds of sending: each message to its first admitting candidate; a
    /// refusal that allows it moves on to the next one; a busy gateway is
    /// waited for within the lease; a channel with every breaker open defers.
    private func send(_ attempts: [Attempt]) async -> [SendResult] {
        var results: [SendResult] = []
        var ready = attempts
        while !ready.isEmpty {
            if stopping.load(ordering: .relaxed) {
                return results + ready.map { SendResult(messageId: $0.message.id, gateway: nil, event: .released) }
            }
            let now = clock.now()
            var byGateway: [String: (gateway: any Gateway, attempts: [Attempt])] = [:]
            var waiting: [Attempt] = []
            var wakeAt: Date?
            for var attempt in ready {
                var lasting: [(until: Date, reason: String)] = []
                var placed = false
                while attempt.next < attempt.candidates.count {
                    let gateway = attempt.candidates[attempt.next]
                    switch traffic.admit(gateway.name, now: now) {
                    case .admitted:
                        byGateway[gateway.name, default: (gateway, [])].attempts.append(attempt)
                        placed = true
                    case .notNow(let until, let reason, lasting: true):
                        lasting.append((until, reason))
                        attempt.next += 1
                        continue
                    case .notNow(let until, _, lasting: false):
                        wakeAt = min(wakeAt ?? until, until)
                        waiting.append(attempt)
                        placed = true
                    }
                    break
                }
                guard !placed else { continue }
                results.append(unplaced(attempt, lasting: lasting, now: now))
            }
            ready = waiting
            let outcomes = await withTaskGroup(of: [(Attempt, String, Result<Submission, GatewayError>)].self) { group in
                for (name, entry) in byGateway {
                    group.addTask {
                        let started = DispatchTime.now()
                        let sent = await entry.gateway.send(batch: entry.attempts.map(\.outbound))
                        // Each message of the call waited as long as the call took.
                        Timer(label: "tidings_gateway_call_seconds", dimensions: [("gateway", name)], preferredDisplayUnit: .seconds)
                            .recordNanoseconds(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds)
                        return zip(entry.attempts, sent).map { ($0, name, $1) }
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            let answered = clock.now()
            for (attempt, name, outcome) in outcomes {
                switch outcome {
                case .success(let submission):
                    traffic.finished(name, healthy: true, now: answered)
                    results.append(SendResult(
                        messageId: attempt.message.id, gateway: name, segments: submission.segments, costMicros: submission.costMicros,
                        event: .accepted(providerMessageId: submission.providerMessageId)))
                case .failure(let error):
                    traffic.finished(name, healthy: Self.health(error), now: answered)
                    var next = attempt
                    next.lastError = (name, error)
                    next.next += 1
                    if error.allowsFailover, next.next < next.candidates.count {
                        ready.append(next)
                    } else {
                        results.append(failure(error, message: attempt.message, gateway: name, now: answered))
                    }
                }
            }
            if let wakeAt, byGateway.isEmpty {
                let pause = wakeAt.timeIntervalSince(clock.now())
                if pause > settings.maxWaitForCapacity {
                    results += ready.map { SendResult(messageId: $0.message.id, gateway: nil, event: .deferred(reason: "gateways busy", until: wakeAt)) }
                    return results
                }
                if pause > 0 { try? await Task.sleep(for: .milliseconds(Int(pause * 1000) + 1)) }
            }
        }
        return results
    }

    /// No candidate would take the message: its last refusal decides, else every breaker is open.
    private func unplaced(_ attempt: Attempt, lasting: [(until: Date, reason: String)], now: Date) -> SendResult {
        if let last = attempt.lastError {
            return failure(last.error, message: attempt.message, gateway: last.gateway, now: now)
        }
        guard let until = lasting.map(\.until).min() else {
            return SendResult(messageId: attempt.message.id, gateway: nil, event: .permanentFailure(reason: "no gateway configured for \(attempt.message.channel.rawValue)"))
        }
        return SendResult(messageId: attempt.message.id, gateway: nil, event: .deferred(reason: lasting.map(\.reason).joined(separator: "; "), until: until))
    }

    /// `tidings_dispatch_outcomes_total{gateway, outcome}`, one increment per kind per batch.
    static func count(_ results: [SendResult]) {
        var counts: [String: [String: Int]] = [:]
        for result in results { counts[result.gateway ?? "none", default: [:]][result.event.name, default: 0] += 1 }
        for (gateway, outcomes) in counts {
            for (outcome, count) in outcomes {
                Counter(label: "tidings_dispatch_outcomes_total", dimensions: [("gateway", gateway), ("outcome", outcome)]).increment(by: count)
            }
        }
    }

    /// What a refusal says about the gateway's health (nil: nothing).
    static func health(_ error: GatewayError) -> Bool? {
        switch error {
        case .transient, .unanswered, .auth: false
        case .throttled, .permanent, .invalidAddress: nil
        }
    }

    private func failure(_ error: GatewayError, message: OutboxMessage, gateway: String, now: Date) -> SendResult {
        let retryAfter: Double?
        switch error {
        case .invalidAddress(let reason):
            return SendResult(messageId: message.id, gateway: gateway, event: .permanentFailure(reason: error.description), invalidAddressReason: reason)
        case .permanent, .auth:
            return SendResult(messageId: message.id, gateway: gateway, event: .permanentFailure(reason: error.description))
        case .transient(_, let after), .throttled(_, let after): retryAfter = after
        case .unanswered: retryAfter = nil
        }
        let decision = random.withLock { random in
            settings.retry.decide(
                attempts: message.attempts, maxAttempts: message.maxAttempts, retryAfter: retryAfter, expiresAt: message.expiresAt, now: now,
                random: &random)
        }
        switch decision {
        case .retry(let at): return SendResult(messageId: message.id, gateway: gateway, event: .transientFailure(reason: error.description, retryAt: at))
        case .giveUp(let reason): return SendResult(messageId: message.id, gateway: gateway, event: .permanentFailure(reason: "\(reason): \(error.description)"))
        case .expire(let reason): return SendResult(messageId: message.id, gateway: gateway, event: .expired(reason: reason))
        }
    }
}
