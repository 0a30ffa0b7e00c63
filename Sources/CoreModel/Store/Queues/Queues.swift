import Foundation

/// How much is waiting to go, for the console's dashboard: read from the
/// outbox's partial indexes only (each count is an index walk over the rows
/// still in flight, never a scan of `messages`), so it stays cheap while a
/// large backlog drains.
public protocol Queues: Sendable {
    func queueDepth(now: Date) async throws -> QueueDepth
}
