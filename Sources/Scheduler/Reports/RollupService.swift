import CoreModel
import Logging
import ServiceLifecycle

/// Keeps the reports' rolled-up counts current: every `interval` it folds
/// the messages and event rows written since, in transactions of `batch`
/// (a backlog — a first start over millions of rows — is folded in many
/// short ones, so the dispatcher's writes keep their turn). A failed fold is
/// logged and tried again at the next tick; nothing is lost, the cursors
/// move only with the counts.
public struct RollupService: Service {
    let store: any Reports
    let interval: Duration
    let batch: Int
    let logger: Logger

    public init(store: any Reports, interval: Duration = .seconds(2), batch: Int = 20_000, logger: Logger = Logger(label: "tidings.reports")) {
        self.store = store
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    /// Folds until nothing is left; the total folded.
    @discardableResult
    public func catchUp() async throws -> RollupFold {
        var total = RollupFold()
        while true {
            let fold = try await store.foldRollups(limit: batch)
            total.messages += fold.messages
            total.events += fold.events
            if !fold.more { return total }
            await Task.yield()
        }
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await catchUp()
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.error("folding the report counts failed; trying again later", metadata: ["error": "\(error)"])
            }
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { break }
        }
    }
}
