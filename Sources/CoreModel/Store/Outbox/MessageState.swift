import Foundation

/// A message as the sending loop and `tidings send --wait` read it back.
public struct MessageState: Sendable, Hashable {
    public var id: Int64
    public var status: MessageStatus
    public var reason: String?
    public var gateway: String?
    public var providerMessageId: String?
    public var attempts: Int
    /// When it is next due (retrying, deferred, queued).
    public var nextAttemptAt: Date?
    /// When a gateway accepted it.
    public var submittedAt: Date?
    /// The gateway an unanswered attempt pinned it to.
    public var pinnedGateway: String?
    /// Why it is where it is, when a status alone does not say: `unanswered`, `unconfirmed`.
    public var lastErrorKind: String?
    /// Sent through another gateway after an unanswered attempt (allowed by config).
    public var possibleDuplicate = false
}
