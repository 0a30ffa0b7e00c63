import CoreModel
import Foundation

/// What the store knows about one message's recipient at send time, gathered
/// by the dispatcher so `SendPolicy` can decide without I/O.
public struct RecipientFacts: Sendable, Hashable {
    public var channel: Channel
    public var lane: Lane
    public var category: ConsentCategory
    /// The member's consent for this channel and category; nil when there is no record.
    public var consentGranted: Bool?
    /// The address is on the blacklist.
    public var blacklisted: Bool
    /// Status of the contact this channel uses (phone, email or fax).
    public var contactStatus: ContactStatus
    public var hasOpenComplaint: Bool
    /// An open follow-up task: marketing waits until staff have called.
    public var hasOpenFollowUp: Bool
    /// A manager calls the member first (a dormant member in their brief): marketing waits until then.
    public var personalCallUntil: Date?
    /// The member's time zone (or the configured default), for quiet hours.
    public var timeZone: TimeZone
    /// Earlier sends to this member in `category`, for its frequency cap.
    public var recentSendTimes: [Date]

    public init(
        channel: Channel, lane: Lane, category: ConsentCategory, consentGranted: Bool?, blacklisted: Bool = false,
        contactStatus: ContactStatus = .valid, hasOpenComplaint: Bool = false, hasOpenFollowUp: Bool = false,
        personalCallUntil: Date? = nil, timeZone: TimeZone, recentSendTimes: [Date] = []
    ) {
        self.channel = channel
        self.lane = lane
        self.category = category
        self.consentGranted = consentGranted
        self.blacklisted = blacklisted
        self.contactStatus = contactStatus
        self.hasOpenComplaint = hasOpenComplaint
        self.hasOpenFollowUp = hasOpenFollowUp
        self.personalCallUntil = personalCallUntil
        self.timeZone = timeZone
        self.recentSendTimes = recentSendTimes
    }
}
