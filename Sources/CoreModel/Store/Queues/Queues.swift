import Foundation

/// How much is waiting to go, for the console's dashboard: counts the store
/// keeps as messages change status (never a count of `messages`), so it
/// stays cheap while a large backlog drains.
public protocol Queues: Sendable {
    func queueDepth() async throws -> QueueDepth
}
