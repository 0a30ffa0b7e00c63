import CoreModel
import Foundation
import Logging
import Metrics
import Synchronization

/// Writes send outcomes as they become known, in group commits: while one
/// transaction is being written the next outcomes gather, so the writes per
/// second stay few however many messages finish. `recorded` frees their slots
/// in the dispatcher's window. A failed write is logged and given up: the rows
/// keep their lease, it runs out, and the reaper takes them back (as
/// `unknown`, resent with the same key).
final class ResultRecorder: Sendable {
    private struct State {
        var results: [SendResult] = []
        var openings: [BreakerOpening] = []
        var closed = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    private let store: any Outbox
    private let owner: String
    private let clock: any WallClock
    private let logger: Logger
    private let recorded: @Sendable (Int) -> Void

    init(
        store: any Outbox, owner: String, clock: any WallClock, logger: Logger,
        recorded: @escaping @Sendable (Int) -> Void
    ) {
        self.store = store
        self.owner = owner
        self.clock = clock
        self.logger = logger
        self.recorded = recorded
    }

    func add(_ result: SendResult) { add([result]) }

    func add(_ results: [SendResult]) {
        guard !results.isEmpty else { return }
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.results += results
            defer { state.waiter = nil }
            return state.waiter
        }?.resume()
    }

    /// A gateway's breaker opened: written with the next commit.
    func opened(_ opening: BreakerOpening) {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.openings.append(opening)
            defer { state.waiter = nil }
            return state.waiter
        }?.resume()
    }

    /// No more results will come: `run` returns once it wrote what it has.
    func close() {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }?.resume()
    }

    /// Writes until closed and drained. Not cancellable on purpose: outcomes
    /// known at shutdown are written even when the task running it is cancelled.
    func run() async {
        while let taken = await next() {
            let (batch, openings) = taken
            if !openings.isEmpty {
                do { try await store.recordBreakerOpenings(openings) } catch {
                    logger.error("recording breaker openings failed", metadata: ["error": "\(error)"])
                }
            }
            guard !batch.isEmpty else { continue }
            Self.count(batch)
            do { _ = try await store.recordSendResults(batch, owner: owner, now: clock.now()) } catch {
                logger.error(
                    "recording send results failed; their leases run out and the reaper takes them back",
                    metadata: ["error": "\(error)", "messages": "\(batch.count)"])
            }
            recorded(batch.count)
        }
    }

    /// Everything gathered so far, waiting for some if there is none; nil once closed and drained.
    private func next() async -> ([SendResult], [BreakerOpening])? {
        while true {
            enum Step { case take([SendResult], [BreakerOpening]), done, wait }
            let step = state.withLock { state -> Step in
                if !state.results.isEmpty || !state.openings.isEmpty {
                    defer { (state.results, state.openings) = ([], []) }
                    return .take(state.results, state.openings)
                }
                return state.closed ? .done : .wait
            }
            switch step {
            case .take(let batch, let openings): return (batch, openings)
            case .done: return nil
            case .wait:
                await withCheckedContinuation { continuation in
                    let ready = state.withLock { state -> Bool in
                        if !state.results.isEmpty || !state.openings.isEmpty || state.closed { return true }
                        state.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            }
        }
    }

    /// `tidings_dispatch_outcomes_total{gateway, outcome}`, one increment per kind per commit.
    static func count(_ results: [SendResult]) {
        var counts: [String: [String: Int]] = [:]
        for result in results { counts[result.gateway ?? "none", default: [:]][result.event.name, default: 0] += 1 }
        for (gateway, outcomes) in counts {
            for (outcome, count) in outcomes {
                Counter(label: "tidings_dispatch_outcomes_total", dimensions: [("gateway", gateway), ("outcome", outcome)])
                    .increment(by: count)
            }
        }
    }
}
