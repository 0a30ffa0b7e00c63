import CoreModel
import Foundation
import Logging
import ServiceLifecycle

/// Every `interval`, escalates the follow-up tasks that are past their due
/// time to their member's branch manager, once each (the store records
/// `escalated_at` with the notice, in one transaction). A failed pass is
/// logged and tried again at the next tick.
public struct TaskEscalationService: Service {
    public let store: any Tasks
    public let rules: FeedbackDecisions
    let interval: Duration
    let clock: any WallClock
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    public init(
        store: any Tasks, rules: FeedbackDecisions, clock: any WallClock = SystemClock(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "tidings.tasks")
    ) {
        self.store = store
        self.rules = rules
        self.interval = .seconds(rules.survey.escalationCheckMinutes * 60)
        self.clock = clock
        self.sleep = sleep
        self.logger = logger
    }

    /// One pass at the clock's now: the tasks escalated.
    @discardableResult
    public func tick() async throws -> [FollowUpTask] {
        let rules = rules
        var escalated: [FollowUpTask] = []
        // In pages, so a long backlog (a worker off for a weekend) is not one long write.
        while true {
            let page = try await store.escalateOverdueTasks(now: clock.now(), limit: 200) { rules.escalationNotice($0) }
            escalated += page
            if page.count < 200 { return escalated }
        }
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                for task in try await tick() {
                    logger.notice(
                        "follow-up task overdue; escalated to the branch manager",
                        metadata: ["task": "\(task.id)", "member_no": "\(task.memberNo)", "reason": "\(task.reason)"])
                }
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.error("task escalation failed; trying again later", metadata: ["error": "\(error)"])
            }
            do { try await cancelWhenGracefulShutdown { try await sleep(interval) } } catch { break }
        }
    }
}
