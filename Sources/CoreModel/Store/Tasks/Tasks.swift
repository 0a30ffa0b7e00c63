import Foundation

/// Follow-ups for staff: what is open, closing one, and escalating the
/// overdue. Tasks are opened by the feedback rules' actions (`FollowUp`),
/// in the transaction that records the answer.
public protocol Tasks: Sendable {
    func tasks(_ filter: TaskFilter, now: Date) async throws -> [FollowUpTask]
    func task(id: Int64) async throws -> FollowUpTask?
    /// Marks an open task done with the note; marketing to its member is held no longer (if no other task is open).
    func closeTask(id: Int64, note: String?, at: Date) async throws -> TaskClosure

    /// Open tasks past their due time not yet escalated: each is marked
    /// escalated (once, whatever happens later) and, when the member's branch
    /// has a manager with a phone or email, `notice(task)` goes to them through
    /// the outbox (`task:<id>:escalate`), in one transaction. Returns those escalated.
    func escalateOverdueTasks(
        now: Date, limit: Int, notice: @Sendable (FollowUpTask) -> String
    ) async throws -> [FollowUpTask]
}
