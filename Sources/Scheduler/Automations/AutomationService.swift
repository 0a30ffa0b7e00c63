import CoreModel
import Foundation
import Logging
import ServiceLifecycle

/// Runs the automations every `interval` until graceful shutdown. A scan in
/// progress finishes (its writes are transactions either way); the wait
/// between scans ends at once.
public struct AutomationService: Service {
    public let runner: AutomationRunner
    public let interval: Duration
    let logger: Logger

    public init(runner: AutomationRunner, interval: Duration, logger: Logger = Logger(label: "tidings.automations")) {
        self.runner = runner
        self.interval = interval
        self.logger = logger
    }

    /// Every `automations.interval_seconds` of the config.
    public init(runner: AutomationRunner, settings: TidingsConfig.AutomationSettings, logger: Logger = Logger(label: "tidings.automations")) {
        self.init(runner: runner, interval: .seconds(settings.intervalSeconds), logger: logger)
    }

    public func run() async throws {
        logger.info("automations started", metadata: ["enabled": "\(runner.enabled.map(\.rawValue).joined(separator: ","))"])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let report = try await runner.runOnce()
                if report.enqueued > 0 || !report.failed.isEmpty {
                    logger.info("automations scanned", metadata: ["report": "\(report.description)"])
                }
            } catch is CancellationError {
                break
            } catch {
                logger.error("automation scan failed", metadata: ["error": "\(error)"])
            }
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        logger.info("automations stopped")
    }
}
