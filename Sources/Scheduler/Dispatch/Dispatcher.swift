import Channels
import CoreModel
import DequeModule
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// The sending loop of `tidings run`, as a stream rather than batches: it keeps
/// a bounded window of leased messages (lane by lane, with reserved shares),
/// checks send-time policy, hands each message to a gateway its bucket,
/// in-flight cap and breaker admit (failing over down the channel's list only
/// while the message surely did not go), and passes each outcome to a
/// group-committing `ResultRecorder` as soon as it is known. A slow or hung
/// request holds only its own slot until its timeout.
///
/// A message whose send went unanswered (timeout, dropped connection, a 200
/// without the provider's id, a transfer cut at shutdown) is pinned to that
/// gateway: it is retried there with the same idempotency key, or waits while
/// that gateway's breaker is open — never sent elsewhere unless
/// `failoverAfterUnanswered` allows it for the channel, and then marked a
/// possible duplicate.
///
/// One loop per dispatcher: `run` and `sendDue` are not meant to overlap.
public final class Dispatcher: Service, Sendable {
    public let store: any Outbox
    public let registry: GatewayRegistry
    public let traffic: GatewayTraffic
    public let settings: DispatchSettings
    /// Renders campaign messages and holds paused or cancelled campaigns (nil: no campaigns).
    public let campaigns: (any CampaignGate)?
    let clock: any WallClock
    let logger: Logger
    let wake = Wake()
    private let random: Mutex<SeededGenerator>
    /// Leased and not yet recorded: bounded by `window`.
    private let unrecorded = Atomic<Int>(0)
    private let window: Int
    /// What the gateways can have in flight together.
    private let capacity: Int
    private let stopping = Atomic<Bool>(false)
    private let deadline = Mutex<ContinuousClock.Instant?>(nil)
    private let inbox = Mutex<[Outcome]>([])
    private let cutCount = Atomic<Int>(0)
    private let acceptedCount = Atomic<Int>(0)
    private let recent = Mutex(RecentTraffic())
    /// `tidings_gateway_call_seconds{gateway}`: from hand-off to answer, per message.
    private let callTimers: [String: Timer]

    /// What a gateway said about one attempt, handed from the gateway's callback to the loop.
    struct Outcome: Sendable {
        var attempt: Attempt
        var gateway: String
        var result: Result<Submission, GatewayError>
    }

    /// The loop's own bookkeeping; only the loop touches it.
    private struct Pump {
        var pending: Deque<Attempt> = []
        var inFlight = 0
        var leased = 0
        var leaseTried = false
        var nextLease = ContinuousClock.now
        /// Messages this loop holds (pending or in flight) and when their lease was last taken or renewed.
        var held: [Int64: ContinuousClock.Instant] = [:]
        var lastRenewal = ContinuousClock.now
        /// Earliest time a waiting message may be admitted (a token bucket's next token).
        var wakeAt: Date?
        var cut = false
        /// Leasing that keeps failing (a full disk, a read-only file) is tried less and less often.
        var leaseBackoff = FailureBackoff()
    }

    public init(
        store: any Outbox, registry: GatewayRegistry, settings: DispatchSettings, campaigns: (any CampaignGate)? = nil,
        clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "tidings.dispatcher")
    ) {
        self.store = store
        self.campaigns = campaigns
        self.registry = registry
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.traffic = GatewayTraffic(settings: Array(registry.settings.values), breaker: settings.breaker)
        self.random = Mutex(SeededGenerator(seed: settings.randomSeed))
        let limits = registry.gateways.keys.map { registry.settings[$0]?.maxInFlight ?? GatewayTraffic.unlimitedInFlight }
        self.callTimers = Dictionary(uniqueKeysWithValues: registry.gateways.keys.map {
            ($0, Timer(label: "tidings_gateway_call_seconds", dimensions: [("gateway", $0)], preferredDisplayUnit: .seconds))
        })
        self.capacity = max(1, min(limits.reduce(0, +), 100_000))
        // Room for the gateways' in-flight caps plus one batch being prepared.
        self.window = capacity + settings.maxBatch
    }

    /// Sends cut at the grace deadline of the last shutdown (recorded as unanswered).
    public var cutAtShutdown: Int { cutCount.load(ordering: .relaxed) }

    /// Messages gateways accepted since this dispatcher started (benchmarks watch it).
    public var accepted: Int { acceptedCount.load(ordering: .relaxed) }

    /// What the gateways answered lately, for the dashboard.
    public var recentTraffic: RecentTraffic { recent.withLock { $0 } }

    /// Takes back leases a crash left, then streams until a graceful shutdown:
    /// leasing stops, messages not yet handed to a gateway are released, sends
    /// in flight may finish until `shutdownGrace`, then they are cut.
    public func run() async throws {
        try await reconcileAtStart()
        try await withGracefulShutdownHandler {
            _ = try await stream(lanes: Set(Lane.allCases), once: nil)
        } onGracefulShutdown: {
            self.deadline.withLock { $0 = .now + self.settings.shutdownGrace }
            self.stopping.store(true, ordering: .relaxed)
            self.wake.signal()
        }
    }

    /// Leases one round of `lanes` (all by default) and sends it, waiting for
    /// every outcome to be recorded (`tidings send --wait`, tests). Returns how many were leased.
    @discardableResult
    public func sendDue(lanes: [Lane] = Lane.allCases, limit: Int? = nil) async throws -> Int {
        try await stream(lanes: Set(lanes), once: limit ?? .max)
    }

    private func reconcileAtStart() async throws {
        let now = clock.now()
        let gone = try await store.leaseOwners().filter {
            $0 != settings.owner && (settings.soleWorker || settings.leaseOwnerIsDead($0))
        }
        let reconciled = try await store.reconcileExpiredLeases(now: now) + store.reconcileLeases(ownedBy: gone, now: now)
        if reconciled > 0 {
            logger.notice("took back leases a stopped worker left", metadata: ["messages": "\(reconciled)", "owners": "\(gone)"])
        }
    }

    /// The loop: settle outcomes, place waiting messages, lease more, renew
    /// leases, sleep until something happens. `once`: lease a single round of
    /// at most that many, and return when all of it is recorded.
    private func stream(lanes: Set<Lane>, once: Int?) async throws -> Int {
        let recorder = ResultRecorder(store: store, owner: settings.owner, clock: clock, logger: logger) { [self] count in
            unrecorded.subtract(count, ordering: .relaxed)
            wake.signal()
        }
        // Unstructured on purpose: what is known at shutdown is written even if this task is cancelled.
        let writing = Task { await recorder.run() }
        var pump = Pump()
        var failure: (any Error)?
        await withDiscardingTaskGroup { sends in
            while true {
                let now = clock.now()
                settle(inbox.withLock { $0.take() }, &pump, recorder, now: now)
                // Cancelled outright (the service group's own deadline, a caller giving up): as at a grace deadline.
                let cancelled = Task.isCancelled
                if stopping.load(ordering: .relaxed) || cancelled {
                    release(&pump, recorder)
                    if pump.inFlight == 0 { break }
                    if !pump.cut, cancelled || deadline.withLock({ $0.map { ContinuousClock.now >= $0 } ?? false }) {
                        logger.warning("cutting sends still in flight at the grace deadline", metadata: ["sends": "\(pump.inFlight)"])
                        pump.cut = true
                        sends.cancelAll()
                    }
                } else {
                    place(&pump, &sends, recorder, now: now)
                    if once == nil || !pump.leaseTried {
                        do { try await leaseMore(lanes: lanes, limit: once, &pump, &sends, recorder, now: now) } catch {
                            guard once == nil else {
                                failure = error
                                break
                            }
                            let wait = pump.leaseBackoff.failed()
                            logger.error(
                                "leasing failed; trying again later",
                                metadata: [
                                    "error": "\(error)", "retry_in": "\(wait)",
                                    "failures": "\(pump.leaseBackoff.failures)",
                                ])
                            pump.nextLease = .now + wait
                        }
                    }
                    if once != nil, pump.pending.isEmpty, pump.inFlight == 0 { break }
                    await renewLeases(&pump)
                }
                await wake.wait(timeout: pause(pump))
            }
        }
        recorder.close()
        await writing.value
        if let failure { throw failure }
        return pump.leased
    }

    /// How long the loop may sleep when nothing wakes it.
    private func pause(_ pump: Pump) -> Duration {
        var pause = settings.pollInterval
        if !pump.pending.isEmpty {
            let untilToken = pump.wakeAt.map { $0.timeIntervalSince(clock.now()) } ?? 0.005
            pause = min(pause, .milliseconds(Int(max(0.001, untilToken) * 1000)))
        }
        if let deadline = deadline.withLock({ $0 }) { pause = min(pause, max(.milliseconds(1), deadline - .now)) }
        return pause
    }

    // MARK: leasing

    /// Leases what the window and the gateways can take, if that is worth a
    /// transaction (a quarter batch, or anything when idle), and prepares it.
    private func leaseMore(
        lanes: Set<Lane>, limit: Int?, _ pump: inout Pump, _ sends: inout DiscardingTaskGroup, _ recorder: ResultRecorder,
        now: Date
    ) async throws {
        guard ContinuousClock.now >= pump.nextLease else { return }
        let free = window - unrecorded.load(ordering: .relaxed)
        let headroom = traffic.headroom(now: now, names: registry.gateways.keys) - pump.pending.count
        let room = min(free, headroom, settings.maxBatch, limit ?? .max)
        let worth = limit != nil || unrecorded.load(ordering: .relaxed) == 0 ? 1 : max(1, min(settings.maxBatch, capacity) / 4)
        guard room >= worth else { return }
        pump.leaseTried = true
        let batch = try await lease(capacity: room, lanes: lanes, now: now)
        if pump.leaseBackoff.succeeded() { logger.notice("leasing works again") }
        // A short lease means the backlog is empty for now: look again after the poll interval.
        if batch.count < room { pump.nextLease = .now + settings.pollInterval }
        guard !batch.isEmpty else { return }
        unrecorded.add(batch.count, ordering: .relaxed)
        pump.leased += batch.count
        let started = ContinuousClock.now
        for message in batch { pump.held[message.id] = started }
        for preparation in await prepare(batch, now: now, started: started) {
            switch preparation {
            case .settled(let result):
                pump.held[result.messageId] = nil
                recorder.add(result)
            case .send(let attempt):
                pump.pending.append(attempt)
            }
        }
        place(&pump, &sends, recorder, now: now)
    }

    /// Each lane's reserved share first; what a lane leaves goes to the lanes
    /// that filled theirs, in serving order — one transaction.
    private func lease(capacity: Int, lanes: Set<Lane>, now: Date) async throws -> [OutboxMessage] {
        let served = LanePriority.servingOrder.filter(lanes.contains)
        let quotas = settings.lanes.allocate(capacity: capacity, due: Dictionary(uniqueKeysWithValues: served.map { ($0, capacity) }))
        return try await store.leaseDue(
            shares: served.map { ($0, quotas[$0] ?? 0) }, capacity: capacity, owner: settings.owner,
            leaseUntil: now.addingTimeInterval(settings.leaseSeconds), now: now)
    }

    /// Send-time facts for the batch in one read, then each message's decision.
    private func prepare(_ batch: [OutboxMessage], now: Date, started: ContinuousClock.Instant) async -> [SendDecisions.Preparation] {
        do {
            let since = settings.policy.rules.frequencyCaps.mapValues { now.addingTimeInterval(-$0.window) }
            let contexts = try await store.sendContexts(for: batch, recentSince: since)
            let campaignMessages = batch.filter { $0.campaignId != nil }
            let verdicts = if let campaigns, !campaignMessages.isEmpty { await campaigns.prepare(campaignMessages, now: now) } else { [Int64: CampaignVerdict]() }
            var decisions = SendDecisions(
                policy: settings.policy, defaultTimeZone: settings.timeZone,
                failoverAfterUnanswered: settings.failoverAfterUnanswered)
            return batch.map {
                decisions.prepare(
                    $0, context: contexts[$0.id], campaign: verdicts[$0.id], registry: registry, now: now, started: started)
            }
        } catch {
            logger.error("reading send-time facts failed; the batch goes back", metadata: ["error": "\(error)", "messages": "\(batch.count)"])
            return batch.map { .settled(SendResult(messageId: $0.id, gateway: nil, event: .released)) }
        }
    }

    /// Long sends keep their leases: every third of the lease time, the
    /// messages this loop still holds get a fresh one. Rows whose results
    /// were handed to the recorder are not renewed: if their write failed,
    /// their lease runs out and the reaper takes them back.
    private func renewLeases(_ pump: inout Pump) async {
        let third = Duration.milliseconds(Int(settings.leaseSeconds * 1000 / 3))
        let now = ContinuousClock.now
        guard now - pump.lastRenewal >= third else { return }
        pump.lastRenewal = now
        let due = pump.held.filter { now - $0.value >= third }.map(\.key)
        guard !due.isEmpty else { return }
        do {
            _ = try await store.renewLeases(due, owner: settings.owner, until: clock.now().addingTimeInterval(settings.leaseSeconds))
            for id in due { pump.held[id] = now }
        } catch {
            logger.error("renewing leases failed", metadata: ["error": "\(error)", "messages": "\(due.count)"])
        }
    }

    // MARK: sending

    /// Hands each waiting message to its first admitting candidate; a gateway
    /// whose breaker is open passes it to the next (or, for a pinned message,
    /// defers it); a busy one keeps it waiting, up to `maxWaitForCapacity`.
    private func place(_ pump: inout Pump, _ sends: inout DiscardingTaskGroup, _ recorder: ResultRecorder, now: Date) {
        guard !pump.pending.isEmpty else { return }
        var byGateway: [String: (gateway: any Gateway, attempts: [Attempt])] = [:]
        var waiting: Deque<Attempt> = []
        var busy: Set<String> = []
        var wakeAt: Date?
        let instant = ContinuousClock.now
        let patience = Duration.milliseconds(Int(settings.maxWaitForCapacity * 1000))
        for var attempt in pump.pending {
            var lasting: [(until: Date, reason: String)] = []
            var settled: SendResult?
            if let campaignId = attempt.message.campaignId, let held = campaigns?.hold(campaignId: campaignId, now: now) {
                settled = SendResult(messageId: attempt.message.id, gateway: nil, event: held)
            }
            var placed = false
            while !placed, settled == nil, attempt.next < attempt.candidates.count {
                let gateway = attempt.candidates[attempt.next]
                if busy.contains(gateway.name), instant - attempt.since <= patience {
                    // Found busy earlier in this pass: no need to ask again.
                    waiting.append(attempt)
                    placed = true
                    break
                }
                switch traffic.admit(gateway.name, now: now) {
                case .admitted:
                    attempt.handedOff = instant
                    byGateway[gateway.name, default: (gateway, [])].attempts.append(attempt)
                    placed = true
                case .notNow(let until, let reason, lasting: true):
                    if let pinned = attempt.pinned {
                        let why = "pinned to \(pinned), where an unanswered attempt may be; \(reason)"
                        settled = SendResult(messageId: attempt.message.id, gateway: nil, event: .deferred(reason: why, until: until))
                    } else {
                        lasting.append((until, reason))
                        attempt.next += 1
                    }
                case .notNow(let until, _, lasting: false):
                    busy.insert(gateway.name)
                    if instant - attempt.since > patience {
                        settled = SendResult(
                            messageId: attempt.message.id, gateway: nil, event: .deferred(reason: "gateways busy", until: until))
                    } else {
                        wakeAt = min(wakeAt ?? until, until)
                        waiting.append(attempt)
                        placed = true
                    }
                }
            }
            if !placed {
                pump.held[attempt.message.id] = nil
                recorder.add(settled ?? unplaced(attempt, lasting: lasting, now: now))
            }
        }
        pump.pending = waiting
        pump.wakeAt = wakeAt
        for (name, entry) in byGateway {
            pump.inFlight += entry.attempts.count
            let attempts = entry.attempts
            sends.addTask {
                await entry.gateway.send(batch: attempts.map(\.outbound)) { index, result in
                    self.deliver(Outcome(attempt: attempts[index], gateway: name, result: result))
                }
            }
        }
    }

    /// From a gateway's callback (any thread): queue the outcome, wake the loop if it was the first.
    private func deliver(_ outcome: Outcome) {
        let first = inbox.withLock { inbox in
            inbox.append(outcome)
            return inbox.count == 1
        }
        if first { wake.signal() }
    }

    /// Outcomes to results: an acceptance is recorded; a refusal that allows
    /// it moves on to the next candidate; anything else is a failure to retry or give up.
    private func settle(_ outcomes: [Outcome], _ pump: inout Pump, _ recorder: ResultRecorder, now: Date) {
        guard !outcomes.isEmpty else { return }
        var results: [SendResult] = []
        results.reserveCapacity(outcomes.count)
        let answered = ContinuousClock.now
        var answers: [RecentTraffic.Key: Int] = [:]
        for outcome in outcomes {
            pump.inFlight -= 1
            let attempt = outcome.attempt
            if let handedOff = attempt.handedOff { callTimers[outcome.gateway]?.record(duration: answered - handedOff) }
            let id = attempt.message.id
            switch outcome.result {
            case .success(let submission):
                answers[.init(gateway: outcome.gateway, outcome: RecentTraffic.accepted), default: 0] += 1
                traffic.finished(outcome.gateway, healthy: true, now: now)
                pump.held[id] = nil
                results.append(SendResult(
                    messageId: id, gateway: outcome.gateway, segments: submission.segments, costMicros: submission.costMicros,
                    event: .accepted(providerMessageId: submission.providerMessageId),
                    possibleDuplicate: attempt.mayDuplicateFrom.map { $0 != outcome.gateway } ?? false))
            case .failure(let error):
                answers[.init(gateway: outcome.gateway, outcome: error.kind), default: 0] += 1
                if traffic.finished(outcome.gateway, healthy: Self.health(error), now: now) {
                    recorder.opened(BreakerOpening(gateway: outcome.gateway, at: now))
                }
                if pump.cut { cutCount.add(1, ordering: .relaxed) }
                var next = attempt
                next.lastError = (outcome.gateway, error)
                next.next += 1
                next.since = .now
                if error.allowsFailover, attempt.pinned == nil, next.next < next.candidates.count {
                    pump.pending.append(next)
                } else {
                    pump.held[id] = nil
                    results.append(failure(error, message: attempt.message, gateway: outcome.gateway, now: now))
                }
            }
        }
        recorder.add(results)
        recent.withLock { $0.record(answers, at: now) }
        acceptedCount.add(results.count { if case .accepted = $0.event { true } else { false } }, ordering: .relaxed)
    }

    /// Shutdown: messages not yet handed to a gateway go back unsent.
    private func release(_ pump: inout Pump, _ recorder: ResultRecorder) {
        guard !pump.pending.isEmpty else { return }
        recorder.add(pump.pending.map { SendResult(messageId: $0.message.id, gateway: nil, event: .released) })
        for attempt in pump.pending { pump.held[attempt.message.id] = nil }
        pump.pending.removeAll()
    }

    /// No candidate would take the message: its last refusal decides, else every breaker is open.
    private func unplaced(_ attempt: Attempt, lasting: [(until: Date, reason: String)], now: Date) -> SendResult {
        if let last = attempt.lastError {
            return failure(last.error, message: attempt.message, gateway: last.gateway, now: now)
        }
        guard let until = lasting.map(\.until).min() else {
            return SendResult(
                messageId: attempt.message.id, gateway: nil,
                event: .permanentFailure(reason: "no gateway configured for \(attempt.message.channel.rawValue)"))
        }
        return SendResult(
            messageId: attempt.message.id, gateway: nil,
            event: .deferred(reason: lasting.map(\.reason).joined(separator: "; "), until: until))
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
            return SendResult(
                messageId: message.id, gateway: gateway, event: .permanentFailure(reason: error.description),
                invalidAddressReason: reason)
        case .permanent, .auth:
            return SendResult(messageId: message.id, gateway: gateway, event: .permanentFailure(reason: error.description))
        case .transient(_, let after), .throttled(_, let after): retryAfter = after
        case .unanswered: retryAfter = nil
        }
        let decision = random.withLock { random in
            settings.retryPolicy(for: message.channel).decide(
                attempts: message.attempts, maxAttempts: message.maxAttempts, retryAfter: retryAfter,
                expiresAt: message.expiresAt, firstDue: message.notBefore, now: now, random: &random)
        }
        let event: MessageEvent
        switch decision {
        case .retry(let at):
            if case .unanswered = error {
                event = .unanswered(reason: error.description, retryAt: at)
            } else {
                event = .transientFailure(reason: error.description, retryAt: at)
            }
        case .giveUp(let reason): event = .permanentFailure(reason: "\(reason): \(error.description)")
        case .expire(let reason): event = .expired(reason: reason)
        }
        return SendResult(messageId: message.id, gateway: gateway, event: event)
    }
}

extension Array {
    /// Everything in the array, leaving it empty (for a queue drained under a lock).
    fileprivate mutating func take() -> [Element] {
        guard !isEmpty else { return [] }
        defer { self = [] }
        return self
    }
}

