import CoreModel
import Foundation

/// Whether one message may go out now, decided at send time (not only at
/// enqueue) from facts the dispatcher gathered.
///
/// Checks, first match wins:
/// 1. blacklisted address → suppress `blacklisted`
/// 2. contact not valid (invalid, bounced, missing) → suppress `contact_invalid`
/// 3. consent revoked, in any category → suppress `opted_out`
/// 4. no consent record for marketing or survey (service is implicit) → suppress `no_consent`
/// 5. open complaint, marketing only → suppress `open_complaint`
/// 6. the category's frequency cap reached → suppress `frequency_cap`
/// 7. open follow-up task (a low survey score), marketing only → defer `follow_up_open` by `followUpRecheck`
/// 8. a manager's personal call pending (a dormant member in their brief), marketing only → defer `personal_call_first` to the hold's end
/// 9. quiet hours, for the configured lanes → defer `quiet_hours` to the window's end
///
/// Suppressions come before the deferral so a message that may never go is
/// not held overnight first, and the lasting reasons (address, consent) come
/// first so they are the ones recorded.
public struct SendPolicy: Sendable, Hashable {
    public var rules: SendPolicyRules

    public init(rules: SendPolicyRules = .init()) {
        self.rules = rules
    }

    public func decide(_ facts: RecipientFacts, now: Date) -> SendDecision {
        if facts.blacklisted { return .suppress(reason: SendDecision.Reason.blacklisted) }
        if facts.contactStatus != .valid { return .suppress(reason: SendDecision.Reason.contactInvalid) }
        switch (facts.consentGranted, facts.category) {
        case (false, _): return .suppress(reason: SendDecision.Reason.optedOut)
        case (nil, .marketing), (nil, .survey): return .suppress(reason: SendDecision.Reason.noConsent)
        case (true, _), (nil, .service): break
        }
        if facts.hasOpenComplaint, facts.category == .marketing { return .suppress(reason: SendDecision.Reason.openComplaint) }
        if let cap = rules.frequencyCaps[facts.category], case .capped = cap.check(recentSendTimes: facts.recentSendTimes, now: now) {
            return .suppress(reason: SendDecision.Reason.frequencyCap)
        }
        // Held, not dropped: once staff close the task the message goes (unless it expires first).
        if facts.hasOpenFollowUp, facts.category == .marketing {
            return .deferUntil(now.addingTimeInterval(rules.followUpRecheck), reason: SendDecision.Reason.followUpOpen)
        }
        // The blanket win-back (and any other marketing) waits while the manager calls first.
        if let until = facts.personalCallUntil, until > now, facts.category == .marketing {
            return .deferUntil(until, reason: SendDecision.Reason.personalCallFirst)
        }
        if let quietHours = rules.quietHours, rules.quietHoursLanes.contains(facts.lane),
            case .deferUntil(let until) = quietHours.check(now: now, timeZone: facts.timeZone)
        {
            return .deferUntil(until, reason: SendDecision.Reason.quietHours)
        }
        return .send
    }
}

public enum SendDecision: Sendable, Hashable {
    case send
    case suppress(reason: String)
    /// Not a failure: the message goes out at `Date`.
    case deferUntil(Date, reason: String)

    /// Stable codes, stored as the message's status reason and used as metric labels.
    public enum Reason {
        public static let blacklisted = "blacklisted"
        public static let contactInvalid = "contact_invalid"
        public static let optedOut = "opted_out"
        public static let noConsent = "no_consent"
        public static let openComplaint = "open_complaint"
        public static let frequencyCap = "frequency_cap"
        public static let quietHours = "quiet_hours"
        public static let followUpOpen = "follow_up_open"
        public static let personalCallFirst = "personal_call_first"
    }
}
