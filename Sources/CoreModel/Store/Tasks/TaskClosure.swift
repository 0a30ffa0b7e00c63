/// What closing a task did.
public enum TaskClosure: Sendable, Hashable {
    case closed(FollowUpTask)
    /// Closed before: left as it was (its note too).
    case alreadyClosed(FollowUpTask)
    case notFound
}
