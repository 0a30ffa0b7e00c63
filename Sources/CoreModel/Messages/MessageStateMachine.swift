/// The message lifecycle as a pure function: a status and an event give either
/// the next status or a refusal. No clock, no store; the store records each
/// accepted transition as a `message_events` row.
public enum MessageStateMachine {
    public enum Outcome: Sendable, Hashable {
        /// Move to `to` and record the event.
        case transition(to: MessageStatus)
        /// Record the event; the status stays (intermediate receipts).
        case recordOnly
    }

    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public let from: MessageStatus
        public let event: String
        public init(from: MessageStatus, event: String) {
            self.from = from
            self.event = event
        }
        public var description: String { "event \(event) is not allowed in status \(from.rawValue)" }
    }

    public static func apply(_ event: MessageEvent, to status: MessageStatus) -> Result<Outcome, Refusal> {
        if let outcome = outcome(of: event, from: status) { return .success(outcome) }
        return .failure(Refusal(from: status, event: event.name))
    }

    private static func outcome(of event: MessageEvent, from status: MessageStatus) -> Outcome? {
        switch (event, status) {
        case (.leased, .queued), (.leased, .retrying), (.leased, .deferred), (.leased, .unknown):
            return .transition(to: .sending)
        case (.released, .sending):
            return .transition(to: .queued)
        case (.accepted, .sending), (.accepted, .unknown):
            return .transition(to: .submitted)
        case (.transientFailure, .sending), (.unanswered, .sending):
            return .transition(to: .retrying)
        case (.permanentFailure, .sending), (.permanentFailure, .unknown), (.permanentFailure, .retrying):
            return .transition(to: .failed)
        case (.receipt(let outcome, _), _):
            return receiptOutcome(outcome, from: status)
        case (.suppressed, .queued), (.suppressed, .retrying), (.suppressed, .deferred), (.suppressed, .sending):
            return .transition(to: .suppressed)
        case (.deferred, .queued), (.deferred, .retrying), (.deferred, .sending), (.deferred, .deferred):
            return .transition(to: .deferred)
        case (.expired, .queued), (.expired, .retrying), (.expired, .deferred), (.expired, .unknown),
            (.expired, .sending), (.expired, .submitted):
            return .transition(to: .expired)
        case (.cancelled, .queued), (.cancelled, .retrying), (.cancelled, .deferred), (.cancelled, .unknown), (.cancelled, .sending):
            return .transition(to: .cancelled)
        case (.leaseExpired, .sending):
            return .transition(to: .unknown)
        case (.receiptTimedOut, .submitted):
            return .transition(to: .expired)
        default:
            return nil
        }
    }

    /// Receipts can arrive out of order (fakesmsc sends "delivered" and "SMSC
    /// ack" in either order) and late, so they are accepted in every state in
    /// which the provider may hold the message: after acceptance, while a
    /// retry waits (`retrying`, `deferred`, `queued` after a release — the
    /// earlier attempt may have gone), after a crash (`unknown`), after we gave
    /// up waiting (`expired`), and a recorded failure the provider later
    /// delivered. Never on a message that was not sent (`suppressed`,
    /// `cancelled`) or is already delivered.
    private static let held: Set<MessageStatus> = [.submitted, .sending, .unknown, .retrying, .deferred, .queued]

    private static func receiptOutcome(_ outcome: ReceiptOutcome, from status: MessageStatus) -> Outcome? {
        switch (outcome, status) {
        case (.intermediate, let status) where held.contains(status) || status.isFinal && status != .suppressed && status != .cancelled:
            return .recordOnly
        case (.delivered, let status) where held.contains(status) || status == .expired || status == .failed:
            return .transition(to: .delivered)
        case (.failed, let status) where held.contains(status):
            return .transition(to: .failed)
        case (.expired, let status) where held.contains(status):
            return .transition(to: .expired)
        default:
            return nil
        }
    }
}
