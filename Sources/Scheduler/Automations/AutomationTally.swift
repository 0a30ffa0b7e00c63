import CoreModel

/// What one automation did in one scan.
public struct AutomationTally: Sendable, Hashable {
    /// Why a row or a message was passed over; nothing is recorded for it.
    public enum Skip: Sendable, Hashable, CustomStringConvertible {
        /// The trigger is older than the automation's `max_age_hours` (a history import, a long outage).
        case stale
        /// The order's status does not call for it (a cancelled order is not confirmed).
        case status(OrderStatus)
        /// The complaint was resolved or closed before its work order went (a history import).
        case complaintStatus(ComplaintStatus)
        /// The feedback outcome is not one the automation apologises for.
        case outcome(DeliveryOutcome)
        /// The member has no valid address for this channel.
        case noAddress(Channel)
        /// The template did not render for this member (logged with the reason).
        case renderFailed(Channel)
        /// The member has a valid address for none of the channels (one message on the preferred one was wanted).
        case noContact
        /// The complaint names a department `departments:` does not list, or one with no contact for the channels.
        case noDepartment(String)
        /// A manager whose brief would list nothing today gets none.
        case nothingToBrief
        /// The branch (its code) has no contact for any of the ticket's channels: its orders wait untold.
        case noBranchContact(String)
        /// The branch (its code) has no phone: an unacknowledged ticket is escalated without a call.
        case noBranchPhone(String)

        public var description: String {
            switch self {
            case .stale: "stale"
            case .status(let status): "status \(status.rawValue)"
            case .complaintStatus(let status): "complaint \(status.rawValue)"
            case .outcome(let outcome): "outcome \(outcome.rawValue)"
            case .noAddress(let channel): "no valid \(channel == .sms || channel == .voice ? "phone" : channel.rawValue) for \(channel.rawValue)"
            case .renderFailed(let channel): "\(channel.rawValue) template failed"
            case .noContact: "no valid contact on any channel"
            case .noDepartment(let name): "no contact for department '\(name)'"
            case .nothingToBrief: "nothing to brief"
            case .noBranchContact(let code): "no ticket contact for branch \(code)"
            case .noBranchPhone(let code): "no phone to call branch \(code)"
            }
        }
    }

    public var enqueued = 0
    /// Messages whose idempotency key was already in the outbox.
    public var duplicates = 0
    public var pointsCredited = 0
    public var skipped: [Skip: Int] = [:]
    /// Why the automation stopped (a template that does not load, a store error); what it committed before stays.
    public var error: String?
    /// It did not run because its template does not load (the runner logs that once, not every scan).
    public var waitingForTemplate = false

    public init() {}

    public var skippedCount: Int { skipped.values.reduce(0, +) }

    mutating func skip(_ reason: Skip) {
        skipped[reason, default: 0] += 1
    }

    mutating func record(_ result: AutomationBatchResult) {
        for outcome in result.messages {
            switch outcome {
            case .enqueued: enqueued += 1
            case .duplicate: duplicates += 1
            }
        }
        pointsCredited += result.creditsApplied
    }
}
