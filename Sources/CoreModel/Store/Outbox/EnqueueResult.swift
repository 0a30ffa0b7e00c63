import Foundation

public enum EnqueueResult: Sendable, Hashable {
    case enqueued(messageId: Int64)
    case duplicate(messageId: Int64)
}
