import Foundation

/// Something that happened to a message. Each one, applied through
/// `MessageStateMachine`, either moves the message or is refused.
public enum MessageEvent: Sendable, Hashable {
    /// A worker took the message to send it.
    case leased(owner: String)
    /// A leased message was handed back unsent (graceful shutdown).
    case released
    /// The gateway accepted the message.
    case accepted(providerMessageId: String?)
    /// A transient gateway error or throttling; try again at `retryAt`.
    case transientFailure(reason: String, retryAt: Date)
    /// The request went out and no usable answer came back (a timeout, a
    /// connection dropped after sending, a 200 without the provider's id, a
    /// transfer cut at shutdown): the provider may hold the message, so it is
    /// pinned to that gateway and retried there, with the same key, at `retryAt`.
    case unanswered(reason: String, retryAt: Date)
    /// A permanent error (rejected, invalid address, attempts exhausted).
    case permanentFailure(reason: String)
    /// A receipt from the provider.
    case receipt(ReceiptOutcome, detail: String?)
    /// Send-time policy decided not to send.
    case suppressed(reason: String)
    /// Quiet hours: hold until `until`.
    case deferred(reason: String, until: Date)
    /// `expires_at` passed before delivery was possible.
    case expired(reason: String)
    case cancelled(reason: String)
    /// The lease ran out while the message was `sending` (a crash).
    case leaseExpired
    /// Accepted long ago and no receipt came within the channel's receipt
    /// timeout: stored as `expired` with `last_error_kind = 'unconfirmed'`; a
    /// later receipt still settles it.
    case receiptTimedOut(after: TimeInterval)

    /// A stable name for the event log.
    /// The names the reports look for in `message_events`.
    public static let acceptedName = "accepted"
    public static let receiptTimeoutName = "receipt_timeout"

    public var name: String {
        switch self {
        case .leased: "leased"
        case .released: "released"
        case .accepted: Self.acceptedName
        case .transientFailure: "transient_failure"
        case .unanswered: "unanswered"
        case .permanentFailure: "permanent_failure"
        case .receipt: "receipt"
        case .suppressed: "suppressed"
        case .deferred: "deferred"
        case .expired: "expired"
        case .cancelled: "cancelled"
        case .leaseExpired: "lease_expired"
        case .receiptTimedOut: Self.receiptTimeoutName
        }
    }

    /// The human reason recorded with the transition.
    public var reason: String {
        switch self {
        case .leased(let owner): "leased by \(owner)"
        case .released: "released unsent"
        case .accepted(let id): id.map { "accepted as \($0)" } ?? "accepted"
        case .transientFailure(let reason, _): reason
        case .unanswered(let reason, _): reason
        case .permanentFailure(let reason): reason
        case .receipt(let outcome, let detail): detail.map { "\(outcome.rawValue): \($0)" } ?? outcome.rawValue
        case .suppressed(let reason), .deferred(let reason, _), .expired(let reason), .cancelled(let reason): reason
        case .leaseExpired: "lease expired while sending"
        case .receiptTimedOut(let after): "unconfirmed: no receipt within \(Self.hours(after))"
        }
    }
}

extension MessageEvent {
    /// "72 h", "90 min": how long a receipt was waited for.
    static func hours(_ interval: TimeInterval) -> String {
        interval >= 3600 && interval.truncatingRemainder(dividingBy: 3600) == 0
            ? "\(Int(interval / 3600)) h" : "\(Int(interval / 60)) min"
    }
}

/// What a delivery receipt says.
public enum ReceiptOutcome: String, Sendable, Codable, CaseIterable, Hashable {
    case delivered
    case failed
    case expired
    /// An intermediate report (SMSC accepted, buffered); no state change.
    case intermediate
}
