import CoreModel
import Foundation
import Logging
import ServiceLifecycle

/// Recomputes RFM scores on `schedule` until graceful shutdown, which also
/// cuts a recompute in progress (the next run finishes its work). Waits are
/// taken in naps of at most `nap`, each rechecking the wall clock, so a clock
/// that jumps (a suspended VM, a corrected time) does not push the run back.
public struct RFMService: Service {
    public let store: any Segments
    public let schedule: RFMSchedule
    public let windowDays: Int
    let clock: any WallClock
    let sleep: @Sendable (Duration) async throws -> Void
    let nap: Duration
    /// After a failed recompute (a locked or full disk), before the next try.
    let retryAfter: TimeInterval
    let logger: Logger

    public init(
        store: any Segments, schedule: RFMSchedule, windowDays: Int, clock: any WallClock = SystemClock(),
        nap: Duration = .seconds(600), retryAfter: TimeInterval = 600,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "tidings.rfm")
    ) {
        self.store = store
        self.schedule = schedule
        self.windowDays = windowDays
        self.clock = clock
        self.nap = nap
        self.retryAfter = retryAfter
        self.sleep = sleep
        self.logger = logger
    }

    /// The `rfm:` section of the config; nil when it is off or invalid.
    public init?(store: any Segments, settings: RFMSettings?, logger: Logger = Logger(label: "tidings.rfm")) {
        guard let settings, settings.enabled, let schedule = settings.schedule, let days = settings.windowDays else {
            return nil
        }
        self.init(store: store, schedule: schedule, windowDays: days, logger: logger)
    }

    public func run() async throws {
        var lastRun: Date?
        do { lastRun = try await store.lastRFMComputation() } catch {
            logger.error("cannot read when RFM was last computed; computing now", metadata: ["error": "\(error)"])
        }
        var heldUntil: Date?
        logger.info(
            "rfm scheduled",
            metadata: [
                "next": "\(schedule.nextRun(now: clock.now(), lastRun: lastRun))", "window_days": "\(windowDays)",
            ])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = clock.now()
            var due = schedule.nextRun(now: now, lastRun: lastRun)
            if let heldUntil, heldUntil > due { due = heldUntil }
            if due > now {
                let wait = Duration.milliseconds(Int64((due.timeIntervalSince(now) * 1000).rounded(.up)))
                do { try await cancelWhenGracefulShutdown { try await sleep(min(wait, nap)) } } catch { break }
                continue
            }
            do {
                let summary = try await cancelWhenGracefulShutdown {
                    try await store.recomputeRFM(windowDays: windowDays, now: now)
                }
                lastRun = now
                heldUntil = nil
                logger.notice(
                    "rfm recomputed",
                    metadata: [
                        "members": "\(summary.members)", "seconds": "\(summary.seconds)",
                        "longest_write_seconds": "\(summary.longestWriteSeconds)",
                        "next": "\(schedule.nextRun(now: now, lastRun: now))",
                    ])
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                let retryAt = now.addingTimeInterval(retryAfter)
                heldUntil = retryAt
                logger.error(
                    "rfm recompute failed; trying again later",
                    metadata: ["error": "\(error)", "retry_at": "\(retryAt)"])
            }
        }
    }
}
