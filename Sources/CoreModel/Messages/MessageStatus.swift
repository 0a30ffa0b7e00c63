/// Where a message is in its life. Stored as text in `messages.status`.
public enum MessageStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case queued
    /// Leased by a worker; the gateway call may be in progress.
    case sending
    /// The gateway accepted it; a receipt may follow.
    case submitted
    case delivered
    case failed
    case expired
    /// A transient error; `next_attempt_at` says when to try again.
    case retrying
    /// Not sent on purpose: opt-out, blacklist, invalid address, frequency cap.
    case suppressed
    /// Held back by quiet hours; not a failure.
    case deferred
    case cancelled
    /// A crash between hand-off and acknowledgement; reconciled on restart.
    case unknown

    /// Never sent again; only a late receipt may still move a failed or expired message to delivered.
    public var isFinal: Bool {
        switch self {
        case .delivered, .failed, .expired, .suppressed, .cancelled: true
        default: false
        }
    }

    /// States a dispatcher may lease from.
    public static let leasable: [MessageStatus] = [.queued, .retrying, .deferred, .unknown]
}
