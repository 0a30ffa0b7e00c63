import CoreModel
import Logging
import Metrics
import ServiceLifecycle

/// Applies the receipt inbox behind the webhooks' 200s: the oldest receipts
/// first, each pass applied and removed in one transaction (a crash between
/// never loses one nor applies it twice). While receipts remain it goes on;
/// then it sleeps until an append wakes it, or `idle` passes (receipts another
/// process appended). Whatever a stopped worker left is applied at the next start.
///
/// SQLite has one writer, and a webhook's append waits behind a pass. While
/// webhooks keep appending, passes are short (`busyBatch`) and take at most
/// `busyShare` of the time, so providers' callbacks are answered quickly and
/// the inbox absorbs a burst; once the webhooks are quiet it drains at full
/// speed (`batch`). Under a flood that does not ebb it stops yielding once
/// receipts have waited `catchUpAfter`, so none waits much longer than that.
public struct ReceiptDrainer: Service {
    let store: any Receipts
    let rules: any FeedbackRules
    let batch: Int
    let busyBatch: Int
    /// Of the time while webhooks are busy, between 0.01 and 1.
    let busyShare: Double
    let catchUpAfter: Duration
    let idle: Duration
    let retryDelay: Duration
    let logger: Logger
    private let wake = Wake()

    public init(
        store: any Receipts, rules: any FeedbackRules = FeedbackDecisions(), batch: Int = 2000, busyBatch: Int = 250,
        busyShare: Double = 0.1, catchUpAfter: Duration = .seconds(60), idle: Duration = .seconds(1),
        retryDelay: Duration = .seconds(1), logger: Logger = Logger(label: "tidings.receipts")
    ) {
        self.store = store
        self.rules = rules
        self.batch = batch
        self.busyBatch = busyBatch
        self.busyShare = min(max(busyShare, 0.01), 1)
        self.catchUpAfter = catchUpAfter
        self.idle = idle
        self.retryDelay = retryDelay
        self.logger = logger
    }

    /// Receipts were appended: apply them now rather than after `idle`.
    func receiptsArrived() {
        wake.signal()
    }

    /// Drains until graceful shutdown or cancellation; a failed pass is logged
    /// and tried again after `retryDelay`, doubling while it keeps failing (a
    /// full disk), the receipts staying in the inbox.
    public func run() async throws {
        let clock = ContinuousClock()
        var backoff = FailureBackoff(initial: retryDelay, cap: max(retryDelay, .seconds(60)))
        var busy = false
        // Since when receipts have waited behind busy webhooks.
        var behindSince: ContinuousClock.Instant?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let limit = busy ? busyBatch : batch
                let started = clock.now
                let taken = try await drainOnce(limit: limit)
                if backoff.succeeded() { logger.notice("applying receipts works again") }
                // Receipts appended during the pass: the webhooks are busy.
                busy = wake.take()
                if !busy && taken < limit {
                    behindSince = nil
                    await sleepUntilWoken()
                } else if busy {
                    let since = behindSince ?? started
                    behindSince = since
                    if clock.now - since < catchUpAfter {
                        let pause = (clock.now - started) * ((1 - busyShare) / busyShare)
                        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
                    }
                }
            } catch is CancellationError { break } catch {
                let wait = backoff.failed()
                logger.error(
                    "applying receipts failed; they stay in the inbox",
                    metadata: ["error": "\(error)", "retry_in": "\(wait)", "failures": "\(backoff.failures)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            }
        }
    }

    /// One pass of at most `limit` receipts; returns how many it took from the inbox.
    private func drainOnce(limit: Int) async throws -> Int {
        let pass = try await store.applyReceiptInbox(limit: limit, rules: rules)
        Self.count(pass.results)
        return pass.count
    }

    private func sleepUntilWoken() async {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await wake.wait(timeout: idle)
            } onCancel: {
                wake.signal()
            }
        } onGracefulShutdown: {
            wake.signal()
        }
    }

    /// `tidings_receipts_applied_total{result}`: applied, refused by the state machine, or matching no message.
    static func count(_ results: [MessageTransitionResult]) {
        var counts: [String: Int] = [:]
        for result in results {
            switch result {
            case .applied: counts["applied", default: 0] += 1
            case .refused: counts["refused", default: 0] += 1
            case .notFound: counts["not_found", default: 0] += 1
            case .leaseLost: counts["lease_lost", default: 0] += 1
            }
        }
        for (result, count) in counts {
            Counter(label: "tidings_receipts_applied_total", dimensions: [("result", result)]).increment(by: count)
        }
    }
}
