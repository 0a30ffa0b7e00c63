import CoreModel
import Foundation
import Logging
import ServiceLifecycle

/// Runs the automations until graceful shutdown: those that follow new rows
/// by id (order confirmations, late-delivery apologies, work orders) every `eventInterval`,
/// so a confirmation leaves within moments of its order; the window scans
/// every `interval`. A scan in progress finishes (its writes are transactions
/// either way); the wait between scans ends at once. An automation that keeps
/// failing (a full disk, a template that does not load) is run less and less
/// often, up to once a minute, with one log line per attempt.
public struct AutomationService: Service {
    public let runner: AutomationRunner
    public let interval: Duration
    public let eventInterval: Duration
    let logger: Logger
    /// Cheap to run often: one indexed read past an id cursor.
    public static let eventDriven: Set<AutomationName> = [.orderConfirmation, .lateDeliveryApology, .complaintWorkOrder]

    public init(runner: AutomationRunner, interval: Duration, eventInterval: Duration = .milliseconds(100), logger: Logger = Logger(label: "tidings.automations")) {
        self.runner = runner
        self.interval = interval
        self.eventInterval = eventInterval
        self.logger = logger
    }

    /// Every `automations.interval_seconds` of the config.
    public init(
        runner: AutomationRunner, settings: AutomationSettings, logger: Logger = Logger(label: "tidings.automations")
    ) {
        self.init(runner: runner, interval: .seconds(settings.intervalSeconds), logger: logger)
    }

    public func run() async throws {
        logger.info("automations started", metadata: ["enabled": "\(runner.enabled.map(\.rawValue).joined(separator: ","))"])
        let windowScans = Set(AutomationName.allCases).subtracting(Self.eventDriven)
        await withDiscardingTaskGroup { group in
            group.addTask { await scan(only: Self.eventDriven, every: eventInterval) }
            group.addTask { await scan(only: windowScans, every: interval) }
        }
        logger.info("automations stopped")
    }

    private func scan(only: Set<AutomationName>, every interval: Duration) async {
        var backoffs: [AutomationName: FailureBackoff] = [:]
        var heldUntil: [AutomationName: ContinuousClock.Instant] = [:]
        let fresh = FailureBackoff(initial: max(interval, .seconds(1)), cap: max(interval, .seconds(60)))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let due = only.filter { heldUntil[$0].map { ContinuousClock.now >= $0 } ?? true }
                let now = runner.clock.now()
                let report = due.isEmpty ? AutomationReport(at: now) : try await runner.runOnce(now: now, only: due)
                for (name, tally) in report.tallies.sorted(by: { $0.key < $1.key }) {
                    var backoff = backoffs[name] ?? fresh
                    if let error = tally.error {
                        let wait = backoff.failed()
                        heldUntil[name] = .now + wait
                        // A template that does not load was logged once by the runner.
                        if !tally.waitingForTemplate {
                            logger.error(
                                "automation failed; it runs again later",
                                metadata: [
                                    "automation": "\(name.rawValue)", "error": "\(error)", "retry_in": "\(wait)",
                                    "failures": "\(backoff.failures)",
                                ])
                        }
                    } else if backoff.succeeded() {
                        heldUntil[name] = nil
                        logger.notice("automation runs again", metadata: ["automation": "\(name.rawValue)"])
                    }
                    backoffs[name] = backoff
                }
                if report.enqueued > 0 {
                    logger.info("automations scanned", metadata: ["report": "\(report.description)"])
                }
            } catch is CancellationError {
                break
            } catch {
                logger.error("automation scan failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
