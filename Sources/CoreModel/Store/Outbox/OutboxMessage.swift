import Foundation

/// A row of the outbox as the dispatcher sees it.
public struct OutboxMessage: Sendable, Hashable {
    public var id: Int64
    public var idempotencyKey: String
    public var channel: Channel
    public var lane: Lane
    public var category: ConsentCategory
    public var memberId: Int64?
    public var address: String
    public var payload: String
    public var attempts: Int
    public var maxAttempts: Int
    public var expiresAt: Date?
    public var status: MessageStatus
    public var leaseOwner: String?
    public var leaseUntil: Date?
    /// The gateway asked for at enqueue, or used by the last attempt.
    public var gateway: String?
    /// The gateway an unanswered attempt went to, and since when: the message
    /// may be there already, so it goes nowhere else (see `Dispatcher`).
    public var pinnedGateway: String?
    public var pinnedAt: Date?
    /// When it first came due (enqueue time, or later if asked): a mail retry
    /// schedule's `max_age` counts from here.
    public var notBefore: Date
    /// Random, chosen at enqueue, the same on every attempt and unique across
    /// databases (32 hex digits): what an email's Message-ID is built on.
    public var uid: String
    /// A campaign message (purpose `campaign`) is rendered at send time from
    /// its template and locale, for the member as they are then.
    public var campaignId: Int64? = nil
    public var variant: String? = nil
    public var template: String? = nil
    public var locale: String? = nil
}
